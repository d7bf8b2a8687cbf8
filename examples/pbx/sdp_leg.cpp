// callsup-pbx: SDP offer/answer for one leg.
#include "sdp_leg.hpp"

#include <strings.h>

#include <cstring>
#include <stdexcept>
#include <vector>

#include "callsup/error.hpp"
#include "libre.hpp"
#include "sip_text.hpp"

namespace callsup::pbx {

namespace {

constexpr const char* savp = "RTP/SAVP";
constexpr const char* avp = "RTP/AVP";

/// The crypto attributes of the peer's description ("1 AES_CM_128_HMAC_SHA1_80 inline:...").
std::vector<std::string> remote_cryptos(const sdp_media* media) {
  std::vector<std::string> out;
  (void)sdp_media_rattr_apply(
      media, "crypto",
      [](const char*, const char* value, void* arg) {
        static_cast<std::vector<std::string>*>(arg)->push_back(value ? value : "");
        return false;  // keep going: every attribute
      },
      &out);
  return out;
}

/// The crypto the peer offered that callsup can use (first usable one, as RFC 4568 §7.1.1 asks).
std::optional<SdesCrypto> usable_crypto(const std::vector<std::string>& lines,
                                        std::optional<unsigned> tag = std::nullopt) {
  for (const auto& line : lines) {
    try {
      SdesCrypto crypto = parse_sdes_crypto("a=crypto:" + line);
      if (tag && crypto.tag != *tag) continue;
      (void)key_material(crypto);  // throws for session parameters callsup does not implement
      return crypto;
    } catch (const Error&) {
      continue;
    }
  }
  return std::nullopt;
}

std::string attribute_value(const SdesCrypto& crypto) {
  const std::string line = format_sdes_crypto(crypto);
  const std::string prefix = "a=crypto:";
  return line.rfind(prefix, 0) == 0 ? line.substr(prefix.size()) : line;
}

}  // namespace

SdpLeg::SdpLeg(const std::string& rtp_ip, std::uint16_t port, SrtpPolicy policy)
    : ip_(rtp_ip), port_(port), policy_(policy) {
  sa local{};
  if (sa_set_str(&local, rtp_ip.c_str(), port) != 0)
    throw Error(errc::invalid_argument, "RTP address " + quoted(rtp_ip) + " is no IP address");
  int err = sdp_session_alloc(&session_, &local);
  if (!err)
    err =
        sdp_media_add(&media_, session_, sdp_media_audio, port, policy == SrtpPolicy::mandatory ? savp : avp);
  if (!err && policy == SrtpPolicy::optional) err = sdp_media_set_alt_protos(media_, 2, avp, savp);
  if (!err)
    err = sdp_format_add(nullptr, media_, false, "0", "PCMU", 8000, 1, nullptr, nullptr, nullptr, false,
                         nullptr);
  if (!err)
    err = sdp_format_add(nullptr, media_, false, "8", "PCMA", 8000, 1, nullptr, nullptr, nullptr, false,
                         nullptr);
  if (!err)
    err = sdp_format_add(nullptr, media_, false, "101", "telephone-event", 8000, 1, nullptr, nullptr, nullptr,
                         false, "%s", "0-15");
  if (err) {
    session_ = static_cast<sdp_session*>(mem_deref(session_));
    throw std::runtime_error("SDP session for port " + std::to_string(port) + ": " + std::strerror(err));
  }
}

SdpLeg::~SdpLeg() { mem_deref(session_); }

std::string SdpLeg::negotiate(bool offerer) {
  codec_.clear();
  codec_pt_ = -1;
  // Checked first: libre ignores the formats of an RTP/AVP offer to an RTP/SAVP-only media line.
  if (policy_ == SrtpPolicy::mandatory && remote_cryptos(media_).empty())
    return "SRTP Required (SDES a=crypto)";
  for (le* item = list_head(sdp_media_format_lst(media_, false)); item; item = item->next) {
    const auto* format = static_cast<const sdp_format*>(item->data);
    // RFC 3551's static types need no a=rtpmap (linphone sends none): libre leaves their name empty.
    const char* name = format->name ? format->name : format->pt == 0 ? "PCMU" : format->pt == 8 ? "PCMA" : "";
    const bool g711 = strcasecmp(name, "PCMU") == 0 || strcasecmp(name, "PCMA") == 0;
    if (g711 && format->sup && (format->srate == 8000 || format->srate == 0)) {
      codec_ = strcasecmp(name, "PCMU") == 0 ? "PCMU" : "PCMA";
      codec_pt_ = format->pt;
      break;
    }
  }
  if (codec_.empty()) return "No Common Codec (PCMU, PCMA)";
  const sdp_format* events = sdp_media_rformat(media_, "telephone-event");
  event_pt_ = events ? events->pt : -1;

  const sa* remote = sdp_media_raddr(media_);
  const sdp_dir direction = sdp_media_rdir(media_);
  const bool no_address = !remote || sa_is_any(remote) || sa_port(remote) == 0;
  // libre keeps the peer's direction from our side: its a=sendonly is our SDP_RECVONLY. On hold
  // the peer wants nothing from us.
  held_ = no_address || (direction & SDP_SENDONLY) == 0;
  if (!no_address) remote_ = SocketAddress{ip_of(*remote), sa_port(remote)};
  if (!remote_) return "No Media Address";
  return choose_crypto(offerer);
}

std::string SdpLeg::choose_crypto(bool offerer) {
  const auto lines = remote_cryptos(media_);
  if (policy_ == SrtpPolicy::off) {
    remote_key_.reset();
    local_key_.reset();
    return {};
  }
  if (offerer) {
    remote_key_ = local_key_ ? usable_crypto(lines, local_key_->tag) : std::nullopt;
    if (remote_key_ && remote_key_->suite != local_key_->suite) remote_key_.reset();
    if (!remote_key_) local_key_.reset();
  } else if (const auto same_tag = remote_key_ ? usable_crypto(lines, remote_key_->tag) : std::nullopt;
             !same_tag || *same_tag != *remote_key_) {
    // A new offer, or a re-offer whose key changed (even under the same tag): answer with a fresh
    // key of the chosen suite; the engine endpoint is re-keyed (rekeyed()).
    remote_key_ = usable_crypto(lines);
    local_key_ =
        remote_key_ ? std::optional(make_sdes_crypto(remote_key_->suite, remote_key_->tag)) : std::nullopt;
  }
  if (policy_ == SrtpPolicy::mandatory && !remote_key_) return "SRTP Required (SDES a=crypto)";
  sdp_media_del_lattr(media_, "crypto");
  if (local_key_ &&
      sdp_media_set_lattr(media_, true, "crypto", "%s", attribute_value(*local_key_).c_str()) != 0)
    return "Cannot Write a=crypto";
  return {};
}

std::string SdpLeg::answer_offer(mbuf* offer, mbuf** answer) {
  if (!offer || mbuf_get_left(offer) == 0) return "Offer Required";
  if (sdp_decode(session_, offer, true) != 0) return "Malformed SDP";
  const auto keys = [this] {
    return remote_key_ && local_key_ ? attribute_value(*remote_key_) + attribute_value(*local_key_)
                                     : std::string();
  };
  const std::string before = keys();
  const std::string problem = negotiate(false);
  if (!problem.empty()) return problem;
  rekeyed_ = !before.empty() && !keys().empty() && keys() != before;
  if (sdp_encode(answer, session_, false) != 0) return "Cannot Write SDP";
  return {};
}

mbuf* SdpLeg::make_offer() {
  if (policy_ != SrtpPolicy::off) {
    local_key_ = make_sdes_crypto(SrtpSuite::aes_cm_128_hmac_sha1_80, 1);
    (void)sdp_media_set_lattr(media_, true, "crypto", "%s", attribute_value(*local_key_).c_str());
  }
  mbuf* offer = nullptr;
  if (sdp_encode(&offer, session_, true) != 0) return nullptr;
  return offer;
}

std::string SdpLeg::take_answer(mbuf* answer) {
  if (!answer || mbuf_get_left(answer) == 0) return "Answer Without SDP";
  if (sdp_decode(session_, answer, false) != 0) return "Malformed SDP Answer";
  return negotiate(true);
}

EndpointConfig SdpLeg::endpoint() const {
  EndpointConfig config;
  config.socket = SocketMode::dedicated;
  config.local_ip = ip_;
  config.local_port = port_;
  config.remote = remote_;
  config.latch = true;  // symmetric RTP: a phone behind NAT sends from elsewhere than it signals
  config.codec = CodecSpec{codec_, 8000, 1, codec_pt_};
  config.telephone_event_payload_type = event_pt_;
  if (remote_key_ && local_key_) {
    config.srtp_receive = key_material(*remote_key_);
    config.srtp_send = key_material(*local_key_);
  }
  return config;
}

}  // namespace callsup::pbx
