// callsup-pbx console: web passwords (Argon2id through libsodium) and random tokens.
#pragma once

#include <string>

namespace callsup::pbx {

/// libsodium's crypto_pwhash_str of `password` ("$argon2id$v=19$m=65536,t=2,p=1$..."), with the
/// interactive limits (about 0.1 s and 64 MiB here). Throws when libsodium cannot (out of memory).
std::string hash_web_password(const std::string& password);

/// True when `password` matches `hash` (crypto_pwhash_str_verify: constant time for a given
/// hash). False for an empty or malformed hash. As slow as hashing: call it off the control thread.
bool web_password_matches(const std::string& hash, const std::string& password);

/// `bytes` random bytes from libsodium's CSPRNG as lowercase hex (session ids, CSRF tokens).
std::string random_token(std::size_t bytes = 32);

/// True when `a` equals `b`, in time that depends only on their lengths (sodium_memcmp).
bool tokens_equal(const std::string& a, const std::string& b);

}  // namespace callsup::pbx
