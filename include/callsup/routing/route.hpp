// callsup: one one-way audio edge.
#pragma once

#include <cstdint>
#include <string_view>

#include "callsup/model/leg.hpp"

namespace callsup {

/// Where a source lands in a stereo listener's output; mono for everyone else.
enum class Channel : std::uint8_t { mono, left, right };

/// The channel's name ("mono", "left", "right").
constexpr std::string_view to_string(Channel channel) noexcept {
  switch (channel) {
  case Channel::mono: return "mono";
  case Channel::left: return "left";
  case Channel::right: return "right";
  }
  return "unknown";
}

/// `to` hears `from`, scaled by `gain` (linear, 1 = unchanged), on `channel`.
struct Route {
  /// The leg heard.
  LegId from;
  /// The leg that hears it.
  LegId to;
  /// Linear gain applied to `from` (1 = unchanged).
  float gain = 1.0f;
  /// Where it lands for `to`: mono, or the left or right channel of a stereo mix.
  Channel channel = Channel::mono;
  /// Member-wise equality.
  friend bool operator==(const Route&, const Route&) = default;
};

}  // namespace callsup
