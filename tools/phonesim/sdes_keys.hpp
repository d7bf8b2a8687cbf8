// callsup: keying a simulated phone and the engine leg it talks to, as an SDES offer/answer would.
#pragma once

#include "callsup/media/endpoint_config.hpp"
#include "callsup/media/sdes.hpp"
#include "phone_set.hpp"

namespace callsup::sim {

/// One fresh AES_CM_128_HMAC_SHA1_80 key per direction: what the phone sends, the leg
/// decrypts; what the leg sends, the phone decrypts.
inline void share_sdes_keys(PhoneConfig& phone, EndpointConfig& endpoint) {
  phone.srtp_send = key_material(make_sdes_crypto(SrtpSuite::aes_cm_128_hmac_sha1_80));
  phone.srtp_receive = key_material(make_sdes_crypto(SrtpSuite::aes_cm_128_hmac_sha1_80));
  endpoint.srtp_receive = phone.srtp_send;
  endpoint.srtp_send = phone.srtp_receive;
}

}  // namespace callsup::sim
