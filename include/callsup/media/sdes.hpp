// callsup: SDES keys, the SDP a=crypto attribute (RFC 4568; AEAD_AES_128_GCM per RFC 7714 §12).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "callsup/media/srtp.hpp"

namespace callsup {

/// One `a=crypto` attribute with a single inline key:
/// `a=crypto:<tag> <suite> inline:<base64 key||salt>[|<lifetime>][|<mki>:<length>] [<session param>...]`.
struct SdesCrypto {
  unsigned tag = 1;  ///< 1..999999999; the answer echoes the tag of the offer it accepts
  /// The crypto suite named in the attribute.
  SrtpSuite suite = SrtpSuite::aes_cm_128_hmac_sha1_80;
  std::vector<std::uint8_t> master_key;   ///< srtp_master_key_length(suite) bytes
  std::vector<std::uint8_t> master_salt;  ///< srtp_master_salt_length(suite) bytes
  /// Packets the key may protect ("2^31" or decimal in SDP), 1..2^48; callers re-key before it
  /// runs out. Not enforced by SrtpContext.
  std::optional<std::uint64_t> lifetime;
  /// MKI carried by every SRTP packet, as a number; nullopt (and mki_length 0): no MKI.
  std::optional<std::uint32_t> mki_value;
  /// Bytes of MKI in each packet (the value big-endian, zero-filled): 1..128 with a value.
  std::uint8_t mki_length = 0;
  /// Session parameters ("KDR=0", "WSH=128", ...), kept verbatim, one whitespace-free token each.
  std::vector<std::string> session_params;

  /// Member-wise equality.
  friend bool operator==(const SdesCrypto&, const SdesCrypto&) = default;
};

/// Parses one crypto attribute, with or without the "a=" prefix and a trailing CR/LF.
/// Suite names and "inline" are matched ignoring case (SDP grammar strings are).
/// Throws Error(invalid_argument) naming the bad part: tag, suite, key method, base64, key
/// length, lifetime, MKI, or a second key (';'), which callsup does not support. Error
/// messages never contain key material.
SdesCrypto parse_sdes_crypto(std::string_view line);

/// Formats `crypto` as "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:<base64>[|2^31][|1:4] ..."
/// (no CRLF): a power-of-two lifetime is written as 2^n. Throws Error(invalid_argument) for
/// fields parse_sdes_crypto would reject.
std::string format_sdes_crypto(const SdesCrypto& crypto);

/// A fresh crypto attribute for an offer or answer: random key and salt from OpenSSL's
/// RAND_bytes (a CSPRNG), no lifetime, no MKI. Throws Error(invalid_argument) for a bad tag.
SdesCrypto make_sdes_crypto(SrtpSuite suite, unsigned tag = 1);

/// The keys for an SrtpContext (the MKI as mki_length big-endian bytes). Throws
/// Error(invalid_argument) for bad lengths, and for session parameters that change what
/// SRTP does (UNENCRYPTED_SRTP, UNAUTHENTICATED_SRTP, KDR other than 0, FEC_KEY), which
/// callsup does not implement: such an offer is to be declined, not silently misread.
SrtpKeyMaterial key_material(const SdesCrypto& crypto);

}  // namespace callsup
