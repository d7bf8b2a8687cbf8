// callsup: the integrator's handle on a leg's endpoint.
#include "callsup/media/rtp_endpoint.hpp"

#include <string>

#include "callsup/error.hpp"
#include "callsup/media/telephone_event.hpp"
#include "media/engine/leg_media.hpp"

namespace callsup {

const LegId& RtpEndpoint::leg() const noexcept { return media_->leg; }
const CallId& RtpEndpoint::media_group() const noexcept { return media_->media_group; }
SocketAddress RtpEndpoint::local_address() const { return media_->home.local; }
std::optional<SocketAddress> RtpEndpoint::remote() const { return media_->remote_text(); }
std::uint32_t RtpEndpoint::ssrc() const noexcept { return media_->ssrc; }
const EndpointConfig& RtpEndpoint::config() const noexcept { return media_->config; }
EndpointStats RtpEndpoint::stats() const noexcept { return media_->stats(); }
bool RtpEndpoint::attached() const noexcept { return media_->attached.load(); }

void RtpEndpoint::send_dtmf(std::string_view digits, int duration_ms) {
  if (media_->config.telephone_event_payload_type < 0)
    throw Error(errc::invalid_argument,
                "leg " + quoted(media_->leg) + " has no telephone-event payload type: cannot send DTMF");
  if (digits.empty())
    throw Error(errc::invalid_argument, "send_dtmf: no digits for leg " + quoted(media_->leg));
  for (const char c : digits)
    if (!digit_event(c))
      throw Error(errc::invalid_argument, "send_dtmf: " + quoted(std::string(1, c)) + " is not a DTMF digit");
  if (duration_ms < 40 || duration_ms > 5000)
    throw Error(errc::invalid_argument,
                "send_dtmf: duration " + std::to_string(duration_ms) + " ms (40..5000)");
  media_->post_dtmf(std::string(digits), duration_ms);
}

void RtpEndpoint::rekey(const SrtpKeyMaterial& receive, const SrtpKeyMaterial& send) {
  if (!media_->config.srtp_receive)
    throw Error(errc::invalid_argument, "rekey: leg " + quoted(media_->leg) +
                                            " was created without SRTP (plain RTP cannot be keyed)");
  try {
    // Made here, so bad keys are the caller's error; the media thread only swaps them in.
    media_->post_rekey(SrtpContext(SrtpContext::Direction::inbound, receive),
                       SrtpContext(SrtpContext::Direction::outbound, send));
  } catch (const Error& error) {
    throw Error(errc::invalid_argument, "rekey: leg " + quoted(media_->leg) + ": " + error.what());
  }
}

void RtpEndpoint::play_beep(const BeepConfig& beep) {
  auto bad = [&](const char* field, const std::string& value, const char* range) {
    throw Error(errc::invalid_argument, "play_beep on leg " + quoted(media_->leg) + ": bad " + field + " " +
                                            value + " (" + range + ")");
  };
  if (!(beep.frequency_hz > 0 && beep.frequency_hz < 4000))
    bad("frequency_hz", std::to_string(beep.frequency_hz), "must be in (0, 4000) Hz");
  if (beep.duration_ms < 20 || beep.duration_ms > 5000)
    bad("duration_ms", std::to_string(beep.duration_ms), "20..5000");
  if (!(beep.level_dbfs <= 0 && beep.level_dbfs >= -90))
    bad("level_dbfs", std::to_string(beep.level_dbfs), "must be in [-90, 0]");
  media_->post_beep(
      MonitoringToneConfig{beep.frequency_hz, beep.duration_ms, beep.duration_ms, beep.level_dbfs});
}

}  // namespace callsup
