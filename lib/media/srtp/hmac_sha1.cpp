// callsup (internal): HMAC-SHA1 (RFC 2104) over EVP with precomputed pad states, for libsrtp.
#include "media/srtp/hmac_sha1.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <srtp2/auth.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <new>
#include <type_traits>

namespace callsup::detail {
namespace {

constexpr std::size_t block_bytes = 64;  // SHA-1's block

/// SHA-1 from the default library context, fetched once per process and never freed (it is
/// reference-counted and safe to share between threads).
const EVP_MD* sha1() noexcept {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  return md;
}

}  // namespace

HmacSha1::HmacSha1() noexcept
    : inner_start_(EVP_MD_CTX_new()),
      outer_start_(EVP_MD_CTX_new()),
      running_(EVP_MD_CTX_new()),
      outer_(EVP_MD_CTX_new()) {}

HmacSha1::~HmacSha1() {
  // Freeing a context frees its SHA-1 state with OPENSSL_clear_free (the key-derived pads).
  for (EVP_MD_CTX* context : {inner_start_, outer_start_, running_, outer_}) EVP_MD_CTX_free(context);
}

bool HmacSha1::valid() const noexcept {
  return sha1() != nullptr && inner_start_ != nullptr && outer_start_ != nullptr && running_ != nullptr &&
         outer_ != nullptr;
}

bool HmacSha1::set_key(const std::uint8_t* key, std::size_t length) noexcept {
  if (!valid()) return false;
  std::array<std::uint8_t, digest_size> hashed_key{};
  if (length > block_bytes) {
    if (EVP_Digest(key, length, hashed_key.data(), nullptr, sha1(), nullptr) != 1) return false;
    key = hashed_key.data();
    length = hashed_key.size();
  }
  std::array<std::uint8_t, block_bytes> inner{}, outer{};
  inner.fill(0x36);
  outer.fill(0x5c);
  for (std::size_t i = 0; i < length; ++i) {
    inner[i] ^= key[i];
    outer[i] ^= key[i];
  }
  const bool ok = EVP_DigestInit_ex2(inner_start_, sha1(), nullptr) == 1 &&
                  EVP_DigestUpdate(inner_start_, inner.data(), inner.size()) == 1 &&
                  EVP_DigestInit_ex2(outer_start_, sha1(), nullptr) == 1 &&
                  EVP_DigestUpdate(outer_start_, outer.data(), outer.size()) == 1;
  OPENSSL_cleanse(hashed_key.data(), hashed_key.size());
  OPENSSL_cleanse(inner.data(), inner.size());
  OPENSSL_cleanse(outer.data(), outer.size());
  return ok && start();
}

bool HmacSha1::start() noexcept { return EVP_MD_CTX_copy_ex(running_, inner_start_) == 1; }

bool HmacSha1::update(const std::uint8_t* data, std::size_t length) noexcept {
  return EVP_DigestUpdate(running_, data, length) == 1;
}

bool HmacSha1::finish(std::uint8_t* tag, std::size_t tag_length) noexcept {
  if (tag_length > digest_size) return false;
  std::array<std::uint8_t, digest_size> digest{};
  const bool ok = EVP_DigestFinal_ex(running_, digest.data(), nullptr) == 1 &&
                  EVP_MD_CTX_copy_ex(outer_, outer_start_) == 1 &&
                  EVP_DigestUpdate(outer_, digest.data(), digest.size()) == 1 &&
                  EVP_DigestFinal_ex(outer_, digest.data(), nullptr) == 1;
  if (ok) std::memcpy(tag, digest.data(), tag_length);
  OPENSSL_cleanse(digest.data(), digest.size());
  return ok;
}

// --- libsrtp's auth type over HmacSha1 ----------------------------------------------------

namespace {

/// srtp_auth_t and its state in one allocation (freed together).
struct HmacAuth {
  srtp_auth_t auth;
  HmacSha1 hmac;
};
static_assert(std::is_standard_layout_v<HmacAuth>, "auth must be pointer-interconvertible with HmacAuth");

extern const srtp_auth_type_t callsup_hmac;

HmacSha1& hmac_of(void* state) { return *static_cast<HmacSha1*>(state); }

srtp_err_status_t status(bool ok) { return ok ? srtp_err_status_ok : srtp_err_status_auth_fail; }

srtp_err_status_t hmac_alloc(srtp_auth_t** auth, int key_len, int out_len) {
  // SRTP's HMAC-SHA1 keys are 20 bytes; libsrtp asks for no more.
  if (key_len < 0 || key_len > static_cast<int>(HmacSha1::digest_size) || out_len < 0 ||
      out_len > static_cast<int>(HmacSha1::digest_size))
    return srtp_err_status_bad_param;
  auto* block = new (std::nothrow) HmacAuth{};
  if (block == nullptr) return srtp_err_status_alloc_fail;
  if (!block->hmac.valid()) {
    delete block;
    return srtp_err_status_alloc_fail;
  }
  block->auth.type = &callsup_hmac;
  block->auth.state = &block->hmac;
  block->auth.out_len = out_len;
  block->auth.key_len = key_len;
  block->auth.prefix_len = 0;
  *auth = &block->auth;
  return srtp_err_status_ok;
}

srtp_err_status_t hmac_dealloc(srtp_auth_t* auth) {
  delete reinterpret_cast<HmacAuth*>(auth);  // auth is the first member
  return srtp_err_status_ok;
}

srtp_err_status_t hmac_init(void* state, const std::uint8_t* key, int key_len) {
  if (key_len < 0 || key_len > static_cast<int>(HmacSha1::digest_size)) return srtp_err_status_bad_param;
  return status(hmac_of(state).set_key(key, static_cast<std::size_t>(key_len)));
}

srtp_err_status_t hmac_start(void* state) { return status(hmac_of(state).start()); }

srtp_err_status_t hmac_update(void* state, const std::uint8_t* message, int length) {
  if (length < 0) return srtp_err_status_bad_param;
  return status(hmac_of(state).update(message, static_cast<std::size_t>(length)));
}

srtp_err_status_t hmac_compute(void* state, const std::uint8_t* message, int length, int tag_len,
                               std::uint8_t* tag) {
  if (length < 0 || tag_len < 0 || tag_len > static_cast<int>(HmacSha1::digest_size))
    return srtp_err_status_bad_param;
  HmacSha1& hmac = hmac_of(state);
  return status(hmac.update(message, static_cast<std::size_t>(length)) &&
                hmac.finish(tag, static_cast<std::size_t>(tag_len)));
}

// RFC 2202 test case 2 (libsrtp runs its own HMAC-SHA1 cases too before accepting ours; the
// unit tests run all seven against HmacSha1).
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
                                       "HMAC-SHA1 (callsup, OpenSSL EVP SHA-1, precomputed pads)",
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
