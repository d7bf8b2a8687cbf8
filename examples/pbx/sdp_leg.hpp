// callsup-pbx: one leg's SDP offer/answer (libre's sdp), SDES keys and the engine endpoint it yields.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "callsup/media/endpoint_config.hpp"
#include "callsup/media/sdes.hpp"
#include "config.hpp"

struct mbuf;
struct sdp_session;
struct sdp_media;

namespace callsup::pbx {

/// The PBX's side of one leg's media: PCMU, PCMA and telephone-event at our RTP port on the
/// engine's address, RTP/AVP or RTP/SAVP with SDES per the extension's SRTP policy. SIP thread
/// only (libre objects).
class SdpLeg {
 public:
  SdpLeg(const std::string& rtp_ip, std::uint16_t port, SrtpPolicy policy);
  ~SdpLeg();
  SdpLeg(const SdpLeg&) = delete;
  SdpLeg& operator=(const SdpLeg&) = delete;

  /// Takes the phone's offer and writes our answer into `*answer` (caller derefs it). Returns ""
  /// or, when the offer cannot be accepted, the reason for a 488.
  std::string answer_offer(mbuf* offer, mbuf** answer);
  /// Our offer for a call we place (caller derefs it).
  mbuf* make_offer();
  /// Takes the phone's answer to make_offer(); "" or what was wrong with it.
  std::string take_answer(mbuf* answer);

  /// The engine endpoint the negotiation produced (after answer_offer/take_answer succeeded).
  EndpointConfig endpoint() const;
  const std::string& codec() const { return codec_; }
  bool srtp() const { return remote_key_.has_value(); }
  /// The phone put us on hold (a=sendonly / a=inactive / c=0.0.0.0 in its last offer).
  bool held() const { return held_; }
  std::uint16_t port() const { return port_; }
  /// The last answer_offer() changed the SRTP keys of a leg that had some (a re-offer with new
  /// a=crypto): the engine endpoint must be re-keyed with endpoint()'s keys.
  bool rekeyed() const { return rekeyed_; }

 private:
  std::string negotiate(bool offerer);
  std::string choose_crypto(bool offerer);

  std::string ip_;
  std::uint16_t port_;
  SrtpPolicy policy_;
  sdp_session* session_ = nullptr;
  sdp_media* media_ = nullptr;
  std::string codec_;
  int codec_pt_ = -1;
  int event_pt_ = -1;
  std::optional<SocketAddress> remote_;
  std::optional<SdesCrypto> local_key_;   ///< what we send with (our a=crypto)
  std::optional<SdesCrypto> remote_key_;  ///< what the phone sends with (its a=crypto)
  bool held_ = false;
  bool rekeyed_ = false;
};

}  // namespace callsup::pbx
