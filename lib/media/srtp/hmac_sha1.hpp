// callsup (internal): HMAC-SHA1 with precomputed pad states, and its use as libsrtp's HMAC-SHA1.
#pragma once

#include <cstddef>
#include <cstdint>

struct evp_md_ctx_st;  // OpenSSL's EVP_MD_CTX

namespace callsup::detail {

/// HMAC-SHA1 (RFC 2104) over OpenSSL's EVP digest interface. The SHA-1 states after the key's
/// inner and outer pads are computed once per key; each message then copies them (two
/// EVP_MD_CTX_copy_ex) instead of hashing the two pad blocks again. SHA-1 is fetched once per
/// process (EVP_MD_fetch) and shared. One object is used by one thread at a time.
class HmacSha1 {
 public:
  static constexpr std::size_t digest_size = 20;

  /// Allocates the digest contexts; valid() tells whether that worked.
  HmacSha1() noexcept;
  ~HmacSha1();
  HmacSha1(const HmacSha1&) = delete;
  HmacSha1& operator=(const HmacSha1&) = delete;

  /// False if OpenSSL could not fetch SHA-1 or allocate the contexts: every call then fails.
  bool valid() const noexcept;

  /// Sets the key (any length; a key longer than SHA-1's 64-byte block is hashed first, as
  /// RFC 2104 says) and starts the first message.
  bool set_key(const std::uint8_t* key, std::size_t length) noexcept;
  /// Starts a new message with the same key.
  bool start() noexcept;
  bool update(const std::uint8_t* data, std::size_t length) noexcept;
  /// Ends the message and writes the first tag_length (at most digest_size) bytes of its MAC to
  /// tag. The next message needs start().
  bool finish(std::uint8_t* tag, std::size_t tag_length) noexcept;

 private:
  evp_md_ctx_st* inner_start_;  ///< after key ^ ipad
  evp_md_ctx_st* outer_start_;  ///< after key ^ opad
  evp_md_ctx_st* running_;      ///< the message being authenticated
  evp_md_ctx_st* outer_;        ///< the outer hash of the message
};

/// Registers callsup's HMAC-SHA1 (HmacSha1) with libsrtp's crypto kernel (after srtp_init).
/// libsrtp runs its own HMAC-SHA1 known-answer tests and ours before accepting it; returns false
/// (and libsrtp keeps its own) if they fail.
///
/// Why: libsrtp's OpenSSL HMAC re-initialises its EVP_MAC context for every packet, which copies
/// the pad contexts and then hashes on through the MAC layer; HmacSha1 copies the two digest
/// contexts directly (measured in docs/performance.md, "SRTP's HMAC-SHA1").
bool install_hmac_sha1() noexcept;

/// libsrtp's description of the HMAC-SHA1 in use (ours once installed).
const char* hmac_sha1_description() noexcept;

}  // namespace callsup::detail
