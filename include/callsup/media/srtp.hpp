// callsup: SRTP (RFC 3711, RFC 7714) protection of RTP packets through libsrtp2.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace callsup {

/// The SRTP crypto suites callsup negotiates (RFC 4568 names; AEAD_AES_128_GCM per RFC 7714).
enum class SrtpSuite : std::uint8_t {
  aes_cm_128_hmac_sha1_80,  ///< AES-128 counter mode, HMAC-SHA1 tag of 10 bytes (the common default)
  aes_cm_128_hmac_sha1_32,  ///< same keys, 4-byte tag: less overhead, weaker authentication
  aead_aes_128_gcm,         ///< AES-128 GCM, 16-byte tag, 12-byte salt
};

/// The RFC 4568 / RFC 7714 name of a suite ("AES_CM_128_HMAC_SHA1_80"), as written in SDP.
constexpr std::string_view to_string(SrtpSuite suite) noexcept {
  switch (suite) {
  case SrtpSuite::aes_cm_128_hmac_sha1_80: return "AES_CM_128_HMAC_SHA1_80";
  case SrtpSuite::aes_cm_128_hmac_sha1_32: return "AES_CM_128_HMAC_SHA1_32";
  case SrtpSuite::aead_aes_128_gcm: return "AEAD_AES_128_GCM";
  }
  return "unknown";
}

/// The suite named `name`, compared ignoring ASCII case (SDP grammar strings are
/// case-insensitive); nullopt for a suite callsup does not support.
std::optional<SrtpSuite> srtp_suite_from_string(std::string_view name) noexcept;

/// Bytes of master key a suite needs (16 for all supported suites).
constexpr std::size_t srtp_master_key_length(SrtpSuite) noexcept { return 16; }

/// Bytes of master salt a suite needs: 14 for AES-CM (RFC 3711), 12 for GCM (RFC 7714).
constexpr std::size_t srtp_master_salt_length(SrtpSuite suite) noexcept {
  return suite == SrtpSuite::aead_aes_128_gcm ? 12 : 14;
}

/// Bytes protect() appends to a packet with a suite: the authentication tag.
constexpr std::size_t srtp_tag_length(SrtpSuite suite) noexcept {
  switch (suite) {
  case SrtpSuite::aes_cm_128_hmac_sha1_80: return 10;
  case SrtpSuite::aes_cm_128_hmac_sha1_32: return 4;
  case SrtpSuite::aead_aes_128_gcm: return 16;
  }
  return 16;
}

/// Longest MKI (master key identifier) in a packet: RFC 4568 allows 1..128 bytes (its own
/// examples use "1:32"), and so does libsrtp.
inline constexpr std::size_t srtp_max_mki_length = 128;

/// Room to leave after an RTP packet for protect(): the longest tag plus the longest MKI.
/// Without an MKI, srtp_tag_length(suite) is enough.
inline constexpr std::size_t srtp_max_trailer = 16 + srtp_max_mki_length;

/// The keys of one direction of an SRTP session, e.g. from an SDES `a=crypto` line.
struct SrtpKeyMaterial {
  /// The crypto suite both sides agreed on.
  SrtpSuite suite = SrtpSuite::aes_cm_128_hmac_sha1_80;
  std::vector<std::uint8_t> master_key;   ///< srtp_master_key_length(suite) bytes
  std::vector<std::uint8_t> master_salt;  ///< srtp_master_salt_length(suite) bytes
  /// Empty: packets carry no MKI. Otherwise 1..srtp_max_mki_length bytes that every SRTP
  /// packet carries between payload and tag (RFC 3711 §3.1), as the peer announced it.
  std::vector<std::uint8_t> mki;

  /// Member-wise equality.
  friend bool operator==(const SrtpKeyMaterial&, const SrtpKeyMaterial&) = default;
};

/// The outcome of protecting or unprotecting one packet. Everything but ok means: drop it.
enum class SrtpStatus : std::uint8_t {
  ok,
  auth_fail,  ///< the authentication tag does not match: tampered, or keyed differently
  replay,     ///< already received, or older than the replay window (or protected twice)
  malformed,  ///< not an RTP packet of plausible length (header, CSRCs, extension, tag)
  error,      ///< anything else: wrong direction, no room for the trailer, moved-from context
};

/// Stable, lower-case name of an SrtpStatus ("auth_fail"), for counters and logs.
constexpr std::string_view to_string(SrtpStatus status) noexcept {
  switch (status) {
  case SrtpStatus::ok: return "ok";
  case SrtpStatus::auth_fail: return "auth_fail";
  case SrtpStatus::replay: return "replay";
  case SrtpStatus::malformed: return "malformed";
  case SrtpStatus::error: return "error";
  }
  return "unknown";
}

/// One direction of one SRTP stream set (a libsrtp session for any SSRC: outbound protects,
/// inbound unprotects; each SSRC gets its own rollover counter and replay window, 128
/// packets). RTP only: SRTCP is not handled here.
/// Not thread-safe: used by one media thread. Movable, not copyable. No allocation per
/// packet (libsrtp allocates once per new SSRC, after that SSRC's first packet authenticated).
class SrtpContext {
 public:
  /// Which way packets go through this context.
  enum class Direction : std::uint8_t { outbound, inbound };

  /// Per-outcome packet counts since construction, for monitoring.
  struct Counters {
    /// Packets with this SrtpStatus outcome.
    /// @{
    std::uint64_t ok = 0, auth_fail = 0, replay = 0, malformed = 0, error = 0;
    /// @}
  };

  /// Throws Error(invalid_argument) naming a bad suite, key, salt or MKI length.
  SrtpContext(Direction direction, const SrtpKeyMaterial& keys);
  ~SrtpContext();
  /// Takes over the session; the moved-from context may only be destroyed or assigned to.
  SrtpContext(SrtpContext&& other) noexcept;
  /// Takes over the session; the moved-from context may only be destroyed or assigned to.
  SrtpContext& operator=(SrtpContext&& other) noexcept;
  SrtpContext(const SrtpContext&) = delete;
  SrtpContext& operator=(const SrtpContext&) = delete;

  /// In place: `buffer` holds an RTP packet in its first `length` bytes and has room for
  /// srtp_max_trailer more. On ok, `length` is the SRTP length. Outbound contexts only.
  /// Never throws; on anything but ok the buffer content is unspecified and `length` unchanged.
  SrtpStatus protect(std::span<std::uint8_t> buffer, std::size_t& length) noexcept;

  /// In place: `buffer` holds an SRTP packet in its first `length` bytes. On ok, `length`
  /// becomes the RTP length. auth_fail / replay / malformed leave the packet to be dropped by
  /// the caller (and counted here). Inbound contexts only. Never throws.
  SrtpStatus unprotect(std::span<std::uint8_t> buffer, std::size_t& length) noexcept;

  /// The counts of every outcome of protect() / unprotect() on this context.
  const Counters& counters() const noexcept { return counters_; }

  /// The direction given at construction.
  Direction direction() const noexcept { return direction_; }

  /// The suite given at construction.
  SrtpSuite suite() const noexcept { return suite_; }

 private:
  struct Impl;
  SrtpStatus count(SrtpStatus status) noexcept;

  std::unique_ptr<Impl> impl_;
  Counters counters_;
  Direction direction_;
  SrtpSuite suite_;
};

/// What does the SRTP crypto at run time, e.g. {"libsrtp2 2.5.0", "OpenSSL 3.0.17 1 Jul 2025
/// (AES-128 counter mode using openssl; HMAC-SHA1 (callsup, OpenSSL EVP SHA-1, precomputed pads))"}:
/// read from the linked libsrtp (its version string and the description of the AES cipher it
/// registered) and from libcrypto itself, so it tells which build is really in use (Debian's
/// binary libsrtp2 says "... using NSS"). callsup registers its own HMAC-SHA1 with libsrtp (the
/// key's pad states hashed once per key, not per packet) once it passes libsrtp's known-answer
/// tests; the description says which one is in use.
struct SrtpBackend {
  std::string library;  ///< libsrtp's version string
  std::string crypto;   ///< the crypto engine, with libsrtp's cipher and HMAC descriptions in ()
};

/// The SRTP backend in use (see SrtpBackend). Thread-safe.
SrtpBackend srtp_backend();

}  // namespace callsup
