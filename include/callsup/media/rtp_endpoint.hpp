// callsup: the integrator's handle on one leg's RTP endpoint inside a MediaEngine.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "callsup/media/endpoint_config.hpp"
#include "callsup/media/endpoint_stats.hpp"
#include "callsup/media/socket_address.hpp"
#include "callsup/media/srtp.hpp"
#include "callsup/model/leg.hpp"

namespace callsup {

namespace detail {
class LegMedia;
}

/// A one-shot beep played to one leg (RtpEndpoint::play_beep): the agent-notification tone
/// when a supervisor starts whispering or barges. Defaults: 440 Hz, 250 ms, -16 dBFS.
struct BeepConfig {
  double frequency_hz = 440.0;  ///< in (0, 4000)
  int duration_ms = 250;        ///< 20..5000
  double level_dbfs = -16.0;    ///< [-90, 0]
};

/// One leg's RTP/SRTP endpoint: made by `MediaEngine::add_endpoint`, run by one engine thread.
/// Every method is safe to call from any thread; none waits for the media thread.
class RtpEndpoint {
 public:
  /// Made by MediaEngine::add_endpoint; integrators do not call it.
  explicit RtpEndpoint(std::shared_ptr<detail::LegMedia> media) : media_(std::move(media)) {}

  /// The leg this endpoint carries.
  const LegId& leg() const noexcept;
  /// The call whose media thread runs this endpoint (see MediaEngine::add_endpoint).
  const CallId& media_group() const noexcept;
  /// Where the peer must send: the engine thread's shared socket or the leg's own.
  SocketAddress local_address() const;
  /// The peer we send to: signalled, or learnt from its first packet; nullopt until known.
  std::optional<SocketAddress> remote() const;
  /// Our SSRC towards the peer.
  std::uint32_t ssrc() const noexcept;
  /// The configuration it was added (or last updated) with.
  const EndpointConfig& config() const noexcept;
  /// Counters so far (a consistent-enough snapshot: each counter is read atomically).
  EndpointStats stats() const noexcept;
  /// Sends RFC 4733 digits ("1", "*81") to the peer, one after another. Throws
  /// Error(invalid_argument) naming a character that is not a DTMF digit, or when the leg has
  /// no telephone-event payload type.
  void send_dtmf(std::string_view digits, int duration_ms = 100);
  /// Mixes a beep into what this leg hears, starting at its call's next tick (only this leg
  /// hears it). A second beep before the first ended replaces it. Heard once the leg hears a
  /// call (it is a listener in the call's routes). Throws Error(invalid_argument) naming a
  /// field out of range.
  void play_beep(const BeepConfig& beep = {});
  /// New SRTP keys for both directions, as a re-INVITE's SDES exchange gives them: the peer's
  /// key (`receive`) and ours (`send`). They apply from the next packet in or out (until then
  /// the old ones); packets protected with the old key after that fail authentication and are
  /// counted (`auth_fail`). Throws Error(invalid_argument) on a leg created without SRTP, or
  /// for keys libsrtp refuses (naming the leg). `config()` keeps the keys it was created with.
  void rekey(const SrtpKeyMaterial& receive, const SrtpKeyMaterial& send);
  /// False once the endpoint was removed from its engine (or the engine stopped).
  bool attached() const noexcept;

 private:
  std::shared_ptr<detail::LegMedia> media_;
};

}  // namespace callsup
