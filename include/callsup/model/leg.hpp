// callsup: one party's connection in a call.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace callsup {

/// A leg's id, as the PBX names it (unique in the registry).
using LegId = std::string;
/// A call's id, as the PBX names it (unique in the registry).
using CallId = std::string;

/// Whether a leg is one of the PBX's own extensions or an external number.
enum class Network : std::uint8_t { on_net, off_net };

/// Signalling state of a leg. Only `up` legs carry audio.
enum class LegState : std::uint8_t { ringing, up, held, gone };

/// The network's name ("on_net", "off_net").
constexpr std::string_view to_string(Network network) noexcept {
  return network == Network::on_net ? "on_net" : "off_net";
}

/// The state's name ("ringing", "up", "held", "gone").
constexpr std::string_view to_string(LegState state) noexcept {
  switch (state) {
  case LegState::ringing: return "ringing";
  case LegState::up: return "up";
  case LegState::held: return "held";
  case LegState::gone: return "gone";
  }
  return "unknown";
}

/// Media format the leg negotiated (informative for the control plane).
struct MediaFormat {
  /// The codec's name, e.g. "PCMU".
  std::string codec = "PCMU";
  /// Samples per second of the codec.
  std::uint32_t clock_rate = 8000;
  /// Audio per packet, in milliseconds.
  std::uint16_t ptime_ms = 20;
  /// Member-wise equality.
  friend bool operator==(const MediaFormat&, const MediaFormat&) = default;
};

/// One party's connection: an on-net extension or an off-net remote number.
struct Leg {
  /// The PBX's id of the leg, unique in the registry.
  LegId id;
  std::string extension;      ///< on-net: the extension; empty for off-net legs
  std::string remote_number;  ///< off-net: the external number
  /// On-net (an extension) or off-net (a remote number).
  Network network = Network::on_net;
  /// Ringing, up, held or gone.
  LegState state = LegState::ringing;
  /// The media format it negotiated.
  MediaFormat format;

  /// True while the leg is up (answered and not held).
  bool carries_audio() const noexcept { return state == LegState::up; }

  /// An on-net leg of `extension`.
  static Leg on_net(LegId id, std::string extension, LegState state = LegState::ringing) {
    Leg leg;
    leg.id = std::move(id);
    leg.extension = std::move(extension);
    leg.network = Network::on_net;
    leg.state = state;
    return leg;
  }
  /// An off-net leg to or from `remote_number`.
  static Leg off_net(LegId id, std::string remote_number, LegState state = LegState::ringing) {
    Leg leg;
    leg.id = std::move(id);
    leg.remote_number = std::move(remote_number);
    leg.network = Network::off_net;
    leg.state = state;
    return leg;
  }
  /// Member-wise equality.
  friend bool operator==(const Leg&, const Leg&) = default;
};

}  // namespace callsup
