// callsup: the integrator's handle on a leg's endpoint.
#include "callsup/media/rtp_endpoint.hpp"

#include <string>

#include "callsup/error.hpp"
#include "callsup/media/telephone_event.hpp"
#include "media/engine/leg_media.hpp"

namespace callsup {

const LegId& RtpEndpoint::leg() const noexcept { return media_->leg; }
const CallId& RtpEndpoint::media_group() const noexcept { return media_->media_group; }
SocketAddress RtpEndpoint::local_address() const { return media_->local; }
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

}  // namespace callsup
