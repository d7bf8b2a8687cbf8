// callsup (internal): HMAC-SHA1 (RFC 2104) for libsrtp with precomputed pad states.
#include "media/srtp/hmac_sha1.hpp"

// SHA1_Init/Update/Final: deprecated in OpenSSL 3 in favour of EVP, whose context copies
// allocate; the low-level context is a plain struct that copies for free.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <srtp2/auth.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace callsup::detail {
namespace {

constexpr int digest_bytes = SHA_DIGEST_LENGTH;  // 20
constexpr int block_bytes = SHA_CBLOCK;          // 64

struct HmacState {
  SHA_CTX inner_start;  ///< after key ^ ipad
  SHA_CTX outer_start;  ///< after key ^ opad
  SHA_CTX running;      ///< the packet being authenticated
};

/// srtp_auth_t and its state in one allocation (freed together).
struct HmacAuth {
  srtp_auth_t auth;
  HmacState state;
};

extern const srtp_auth_type_t callsup_hmac;

srtp_err_status_t hmac_alloc(srtp_auth_t** auth, int key_len, int out_len) {
  if (key_len < 0 || key_len > digest_bytes || out_len < 0 || out_len > digest_bytes)
    return srtp_err_status_bad_param;
  auto* block = static_cast<HmacAuth*>(std::calloc(1, sizeof(HmacAuth)));
  if (block == nullptr) return srtp_err_status_alloc_fail;
  block->auth.type = &callsup_hmac;
  block->auth.state = &block->state;
  block->auth.out_len = out_len;
  block->auth.key_len = key_len;
  block->auth.prefix_len = 0;
  *auth = &block->auth;
  return srtp_err_status_ok;
}

srtp_err_status_t hmac_dealloc(srtp_auth_t* auth) {
  auto* block = reinterpret_cast<HmacAuth*>(auth);  // auth is the first member
  OPENSSL_cleanse(block, sizeof(HmacAuth));         // key-derived state
  std::free(block);
  return srtp_err_status_ok;
}

srtp_err_status_t hmac_init(void* state, const std::uint8_t* key, int key_len) {
  if (key_len < 0 || key_len > digest_bytes) return srtp_err_status_bad_param;
  auto& s = *static_cast<HmacState*>(state);
  std::array<std::uint8_t, block_bytes> inner{}, outer{};
  inner.fill(0x36);
  outer.fill(0x5c);
  for (int i = 0; i < key_len; ++i) {
    inner[static_cast<std::size_t>(i)] ^= key[i];
    outer[static_cast<std::size_t>(i)] ^= key[i];
  }
  const bool ok =
      SHA1_Init(&s.inner_start) == 1 && SHA1_Update(&s.inner_start, inner.data(), inner.size()) == 1 &&
      SHA1_Init(&s.outer_start) == 1 && SHA1_Update(&s.outer_start, outer.data(), outer.size()) == 1;
  OPENSSL_cleanse(inner.data(), inner.size());
  OPENSSL_cleanse(outer.data(), outer.size());
  s.running = s.inner_start;
  return ok ? srtp_err_status_ok : srtp_err_status_auth_fail;
}

srtp_err_status_t hmac_start(void* state) {
  auto& s = *static_cast<HmacState*>(state);
  s.running = s.inner_start;
  return srtp_err_status_ok;
}

srtp_err_status_t hmac_update(void* state, const std::uint8_t* message, int length) {
  if (length < 0) return srtp_err_status_bad_param;
  auto& s = *static_cast<HmacState*>(state);
  return SHA1_Update(&s.running, message, static_cast<std::size_t>(length)) == 1 ? srtp_err_status_ok
                                                                                 : srtp_err_status_auth_fail;
}

srtp_err_status_t hmac_compute(void* state, const std::uint8_t* message, int length, int tag_len,
                               std::uint8_t* tag) {
  if (length < 0 || tag_len < 0 || tag_len > digest_bytes) return srtp_err_status_bad_param;
  auto& s = *static_cast<HmacState*>(state);
  std::array<std::uint8_t, digest_bytes> digest{};
  SHA_CTX outer = s.outer_start;
  const bool ok = SHA1_Update(&s.running, message, static_cast<std::size_t>(length)) == 1 &&
                  SHA1_Final(digest.data(), &s.running) == 1 &&
                  SHA1_Update(&outer, digest.data(), digest.size()) == 1 &&
                  SHA1_Final(digest.data(), &outer) == 1;
  std::memcpy(tag, digest.data(), static_cast<std::size_t>(tag_len));
  OPENSSL_cleanse(&outer, sizeof outer);
  return ok ? srtp_err_status_ok : srtp_err_status_auth_fail;
}

// RFC 2202 test case 2 (libsrtp runs its own HMAC-SHA1 cases too before accepting ours).
constexpr std::uint8_t test_key[] = {'J', 'e', 'f', 'e'};
constexpr std::uint8_t test_data[] = "what do ya want for nothing?";
constexpr std::uint8_t test_tag[] = {0xef, 0xfc, 0xdf, 0x6a, 0xe5, 0xeb, 0x2f, 0xa2, 0xd2, 0x74,
                                     0x16, 0xd5, 0xf1, 0x84, 0xdf, 0x9c, 0x25, 0x9a, 0x7c, 0x79};
const srtp_auth_test_case_t test_case = {
    sizeof test_key, test_key, sizeof test_data - 1, test_data, sizeof test_tag, test_tag, nullptr};

const srtp_auth_type_t callsup_hmac = {hmac_alloc,
                                       hmac_dealloc,
                                       hmac_init,
                                       hmac_compute,
                                       hmac_update,
                                       hmac_start,
                                       "HMAC-SHA1 (callsup, OpenSSL SHA-1, precomputed pads)",
                                       &test_case,
                                       SRTP_HMAC_SHA1};

const char* installed_description = nullptr;

}  // namespace

bool install_hmac_sha1() noexcept {
  if (srtp_replace_auth_type(&callsup_hmac, SRTP_HMAC_SHA1) != srtp_err_status_ok) return false;
  installed_description = callsup_hmac.description;
  return true;
}

const char* hmac_sha1_description() noexcept {
  return installed_description != nullptr ? installed_description : "HMAC-SHA1 (libsrtp's own)";
}

}  // namespace callsup::detail
