// callsup-pbx console: web passwords and tokens.
#include "web_password.hpp"

#include <sodium.h>

#include <stdexcept>
#include <vector>

namespace callsup::pbx {

namespace {

void ensure_sodium() {
  // Thread-safe and idempotent (libsodium's own guarantee); -1 means no usable RNG.
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot initialise (no random source?)");
}

}  // namespace

std::string hash_web_password(const std::string& password) {
  ensure_sodium();
  std::vector<char> out(crypto_pwhash_STRBYTES);
  if (crypto_pwhash_str(out.data(), password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    throw std::runtime_error("crypto_pwhash_str failed (out of memory?)");
  return out.data();
}

bool web_password_matches(const std::string& hash, const std::string& password) {
  ensure_sodium();
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string random_token(std::size_t bytes) {
  ensure_sodium();
  std::vector<unsigned char> raw(bytes);
  randombytes_buf(raw.data(), raw.size());
  std::string hex(bytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), raw.data(), raw.size());
  hex.pop_back();
  return hex;
}

bool tokens_equal(const std::string& a, const std::string& b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace callsup::pbx
