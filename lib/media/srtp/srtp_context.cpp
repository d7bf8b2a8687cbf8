// callsup: SrtpContext over libsrtp2 (the only file that includes srtp.h), srtp_backend().
#include "callsup/media/srtp.hpp"

#include <openssl/crypto.h>
#include <srtp2/cipher.h>
#include <srtp2/srtp.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>

#include "callsup/error.hpp"
#include "media/srtp/hmac_sha1.hpp"

// Not in libsrtp's public headers, but exported by every build of it (Debian lists it in
// libsrtp2-1.symbols): the AES-128 counter-mode cipher the crypto kernel registered. Its
// description names the engine ("... using openssl", "... using NSS", builtin otherwise).
extern "C" const srtp_cipher_type_t srtp_aes_icm_128;

namespace callsup {

namespace {

// libsrtp must be initialised once per process before any session is created; it is never
// shut down (sessions may live until exit).
srtp_err_status_t initialise_srtp() {
  const srtp_err_status_t status = srtp_init();
  // Our HMAC-SHA1 passes libsrtp's known-answer tests or libsrtp keeps its own.
  if (status == srtp_err_status_ok) (void)detail::install_hmac_sha1();
  return status;
}

void ensure_srtp_initialised() {
  static const srtp_err_status_t status = initialise_srtp();
  if (status != srtp_err_status_ok) {
    throw std::runtime_error("libsrtp: srtp_init failed with status " + std::to_string(status));
  }
}

void check_length(const char* what, SrtpSuite suite, std::size_t actual, std::size_t expected) {
  if (actual != expected) {
    throw Error(errc::invalid_argument,
                std::string("SRTP master ") + what + " for " + quoted(to_string(suite)) + " must be " +
                    std::to_string(expected) + " bytes, not " + std::to_string(actual));
  }
}

void check_key_material(const SrtpKeyMaterial& keys) {
  switch (keys.suite) {
  case SrtpSuite::aes_cm_128_hmac_sha1_80:
  case SrtpSuite::aes_cm_128_hmac_sha1_32:
  case SrtpSuite::aead_aes_128_gcm: break;
  default:
    throw Error(errc::invalid_argument,
                "SRTP suite " + std::to_string(static_cast<unsigned>(keys.suite)) + " is not a SrtpSuite");
  }
  check_length("key", keys.suite, keys.master_key.size(), srtp_master_key_length(keys.suite));
  check_length("salt", keys.suite, keys.master_salt.size(), srtp_master_salt_length(keys.suite));
  if (keys.mki.size() > srtp_max_mki_length) {
    throw Error(errc::invalid_argument, "SRTP MKI must be at most " + std::to_string(srtp_max_mki_length) +
                                            " bytes, not " + std::to_string(keys.mki.size()));
  }
}

void set_crypto_policy(SrtpSuite suite, srtp_policy_t& policy) {
  switch (suite) {
  case SrtpSuite::aes_cm_128_hmac_sha1_80:
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtp);
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp);
    break;
  case SrtpSuite::aes_cm_128_hmac_sha1_32:
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&policy.rtp);
    // RFC 4568 §6.2.2: SRTCP keeps the 80-bit tag with this suite.
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp);
    break;
  case SrtpSuite::aead_aes_128_gcm:
    srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp);
    srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp);
    break;
  }
}

// Length of the RTP header (fixed part, CSRCs, extension) if `length` bytes hold one; 0
// otherwise. libsrtp reads the header without checking all of it on every path.
std::size_t rtp_header_length(const std::uint8_t* packet, std::size_t length) noexcept {
  constexpr std::size_t fixed = 12;
  if (length < fixed || (packet[0] >> 6) != 2) return 0;
  std::size_t header = fixed + 4 * static_cast<std::size_t>(packet[0] & 0x0F);
  if ((packet[0] & 0x10) != 0) {
    if (length < header + 4) return 0;
    const std::size_t words = (static_cast<std::size_t>(packet[header + 2]) << 8) | packet[header + 3];
    header += 4 + 4 * words;
  }
  return header <= length ? header : 0;
}

SrtpStatus from_libsrtp(srtp_err_status_t status) noexcept {
  switch (status) {
  case srtp_err_status_ok: return SrtpStatus::ok;
  case srtp_err_status_auth_fail:
  case srtp_err_status_bad_mki: return SrtpStatus::auth_fail;  // not our key: as if forged
  case srtp_err_status_replay_fail:
  case srtp_err_status_replay_old: return SrtpStatus::replay;
  case srtp_err_status_bad_param:
  case srtp_err_status_parse_err: return SrtpStatus::malformed;
  default: return SrtpStatus::error;
  }
}

// UDP cannot carry more; also keeps lengths far from libsrtp's int.
constexpr std::size_t max_packet = 65535;

}  // namespace

struct SrtpContext::Impl {
  srtp_t session = nullptr;
  std::size_t trailer = 0;  // tag + MKI
  bool use_mki = false;

  ~Impl() {
    if (session != nullptr) srtp_dealloc(session);
  }
};

SrtpContext::SrtpContext(Direction direction, const SrtpKeyMaterial& keys)
    : direction_(direction), suite_(keys.suite) {
  if (direction != Direction::outbound && direction != Direction::inbound) {
    throw Error(errc::invalid_argument, "SRTP direction " + std::to_string(static_cast<unsigned>(direction)) +
                                            " is neither outbound nor inbound");
  }
  check_key_material(keys);
  ensure_srtp_initialised();

  // libsrtp wants key || salt in one buffer; it copies (and derives from) it in srtp_create.
  std::array<unsigned char, 32> key_salt{};
  std::copy(keys.master_key.begin(), keys.master_key.end(), key_salt.begin());
  std::copy(keys.master_salt.begin(), keys.master_salt.end(), key_salt.begin() + keys.master_key.size());
  std::array<unsigned char, srtp_max_mki_length> mki{};
  std::copy(keys.mki.begin(), keys.mki.end(), mki.begin());
  srtp_master_key_t master{key_salt.data(), mki.data(), static_cast<unsigned>(keys.mki.size())};
  srtp_master_key_t* masters[] = {&master};

  srtp_policy_t policy;
  std::memset(&policy, 0, sizeof policy);
  set_crypto_policy(keys.suite, policy);
  policy.ssrc.type = direction == Direction::outbound ? ssrc_any_outbound : ssrc_any_inbound;
  if (keys.mki.empty()) {
    policy.key = key_salt.data();
  } else {
    policy.keys = masters;
    policy.num_master_keys = 1;
  }
  policy.window_size = 128;
  policy.allow_repeat_tx = 0;  // protecting the same index twice would reuse keystream

  auto impl = std::make_unique<Impl>();
  impl->trailer = srtp_tag_length(keys.suite) + keys.mki.size();
  impl->use_mki = !keys.mki.empty();
  const srtp_err_status_t status = srtp_create(&impl->session, &policy);
  OPENSSL_cleanse(key_salt.data(), key_salt.size());
  if (status != srtp_err_status_ok) {
    impl->session = nullptr;
    if (status == srtp_err_status_alloc_fail) throw std::bad_alloc();
    throw std::runtime_error("libsrtp: srtp_create failed with status " + std::to_string(status));
  }
  impl_ = std::move(impl);
}

SrtpContext::~SrtpContext() = default;
SrtpContext::SrtpContext(SrtpContext&& other) noexcept = default;
SrtpContext& SrtpContext::operator=(SrtpContext&& other) noexcept = default;

SrtpStatus SrtpContext::count(SrtpStatus status) noexcept {
  switch (status) {
  case SrtpStatus::ok: ++counters_.ok; break;
  case SrtpStatus::auth_fail: ++counters_.auth_fail; break;
  case SrtpStatus::replay: ++counters_.replay; break;
  case SrtpStatus::malformed: ++counters_.malformed; break;
  case SrtpStatus::error: ++counters_.error; break;
  }
  return status;
}

SrtpStatus SrtpContext::protect(std::span<std::uint8_t> buffer, std::size_t& length) noexcept {
  if (!impl_ || direction_ != Direction::outbound) return count(SrtpStatus::error);
  if (length > buffer.size() || length > max_packet || rtp_header_length(buffer.data(), length) == 0) {
    return count(SrtpStatus::malformed);
  }
  if (buffer.size() - length < impl_->trailer) return count(SrtpStatus::error);
  int octets = static_cast<int>(length);
  const srtp_err_status_t status =
      srtp_protect_mki(impl_->session, buffer.data(), &octets, impl_->use_mki ? 1 : 0, 0);
  if (status == srtp_err_status_ok) length = static_cast<std::size_t>(octets);
  return count(from_libsrtp(status));
}

SrtpStatus SrtpContext::unprotect(std::span<std::uint8_t> buffer, std::size_t& length) noexcept {
  if (!impl_ || direction_ != Direction::inbound) return count(SrtpStatus::error);
  if (length > buffer.size() || length > max_packet) return count(SrtpStatus::malformed);
  const std::size_t header = rtp_header_length(buffer.data(), length);
  if (header == 0 || length - header < impl_->trailer) return count(SrtpStatus::malformed);
  int octets = static_cast<int>(length);
  const srtp_err_status_t status =
      srtp_unprotect_mki(impl_->session, buffer.data(), &octets, impl_->use_mki ? 1 : 0);
  if (status == srtp_err_status_ok) length = static_cast<std::size_t>(octets);
  return count(from_libsrtp(status));
}

std::optional<SrtpSuite> srtp_suite_from_string(std::string_view name) noexcept {
  constexpr std::array suites{SrtpSuite::aes_cm_128_hmac_sha1_80, SrtpSuite::aes_cm_128_hmac_sha1_32,
                              SrtpSuite::aead_aes_128_gcm};
  const auto upper = [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; };
  for (const SrtpSuite suite : suites) {
    const std::string_view candidate = to_string(suite);
    if (candidate.size() == name.size() && std::equal(name.begin(), name.end(), candidate.begin(),
                                                      [&](char a, char b) { return upper(a) == upper(b); })) {
      return suite;
    }
  }
  return std::nullopt;
}

SrtpBackend srtp_backend() {
  ensure_srtp_initialised();
  SrtpBackend backend;
  backend.library = srtp_get_version_string();
  const std::string description = srtp_aes_icm_128.description != nullptr ? srtp_aes_icm_128.description : "";
  std::string engine;
  if (description.find("openssl") != std::string::npos) {
    engine = OpenSSL_version(OPENSSL_VERSION);  // the libcrypto actually loaded
  } else if (description.find("NSS") != std::string::npos) {
    engine = "NSS";
  } else if (description.find("mbedtls") != std::string::npos) {
    engine = "Mbed TLS";
  } else {
    engine = "libsrtp builtin";
  }
  backend.crypto = engine + " (" + description + "; " + detail::hmac_sha1_description() + ")";
  return backend;
}

}  // namespace callsup
