// callsup: how a supervision request came in (the request's channel), and sets of them.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "callsup/error.hpp"

namespace callsup {

/// How a supervision request reached the service. Policies may scope by it (a tenant
/// gives the phone code to everyone and the web console to supervisors only).
enum class RequestChannel : std::uint8_t {
  feature_code = 0,  ///< a dialled code (`*90744`), SupervisionService::dial
  dtmf = 1,          ///< a key pressed during a session (RFC 4733, SIP INFO)
  api = 2,           ///< the integrator's own code
  web = 3,           ///< a web console (a person clicking in a browser)
};

/// Every RequestChannel, in declaration order.
inline constexpr std::array<RequestChannel, 4> all_request_channels{
    RequestChannel::feature_code, RequestChannel::dtmf, RequestChannel::api, RequestChannel::web};

/// The channel's name ("feature_code", "dtmf", "api", "web").
constexpr std::string_view to_string(RequestChannel channel) noexcept {
  switch (channel) {
  case RequestChannel::feature_code: return "feature_code";
  case RequestChannel::dtmf: return "dtmf";
  case RequestChannel::api: return "api";
  case RequestChannel::web: return "web";
  }
  return "unknown";
}

/// The channel named `text` (as to_string writes it), or nullopt.
constexpr std::optional<RequestChannel> request_channel_from_string(std::string_view text) noexcept {
  for (RequestChannel channel : all_request_channels)
    if (to_string(channel) == text) return channel;
  return std::nullopt;
}

/// Parses a channel name or throws Error(invalid_argument) naming the text.
inline RequestChannel parse_request_channel(std::string_view text) {
  if (auto channel = request_channel_from_string(text)) return *channel;
  throw Error(errc::invalid_argument,
              "unknown request channel " + quoted(text) + " (expected feature_code, dtmf, api or web)");
}

/// A set of request channels: where an extension may start or steer supervision from.
class ChannelSet {
 public:
  constexpr ChannelSet() noexcept = default;
  /// The set of the given channels.
  constexpr ChannelSet(std::initializer_list<RequestChannel> channels) noexcept {
    for (RequestChannel channel : channels) bits_ |= bit(channel);
  }

  /// The empty set: no channel may be used.
  static constexpr ChannelSet none() noexcept { return {}; }
  /// Every channel: feature code, DTMF, API and web.
  static constexpr ChannelSet all() noexcept {
    return {RequestChannel::feature_code, RequestChannel::dtmf, RequestChannel::api, RequestChannel::web};
  }
  /// What a desk phone can do: dial a code, press keys.
  static constexpr ChannelSet phone() noexcept {
    return {RequestChannel::feature_code, RequestChannel::dtmf};
  }
  /// The set whose bits (one per channel, as bits() returns) are `bits`; other bits are ignored.
  static constexpr ChannelSet from_bits(std::uint8_t bits) noexcept {
    ChannelSet set;
    set.bits_ = bits & 0b1111;
    return set;
  }

  /// True when `channel` is in the set.
  constexpr bool contains(RequestChannel channel) const noexcept { return (bits_ & bit(channel)) != 0; }
  /// True when no channel is in the set.
  constexpr bool empty() const noexcept { return bits_ == 0; }
  /// One bit per channel, for storage; from_bits() reads it back.
  constexpr std::uint8_t bits() const noexcept { return bits_; }
  /// Adds `channel`; returns *this for chaining.
  constexpr ChannelSet& add(RequestChannel channel) noexcept {
    bits_ |= bit(channel);
    return *this;
  }
  /// Removes `channel`; returns *this for chaining.
  constexpr ChannelSet& remove(RequestChannel channel) noexcept {
    bits_ &= static_cast<std::uint8_t>(~bit(channel));
    return *this;
  }
  /// Same channels.
  friend constexpr bool operator==(ChannelSet a, ChannelSet b) noexcept = default;

  /// "feature_code|dtmf"; "none" when empty.
  std::string to_string() const {
    std::string out;
    for (RequestChannel channel : all_request_channels) {
      if (!contains(channel)) continue;
      if (!out.empty()) out += '|';
      out += callsup::to_string(channel);
    }
    return out.empty() ? "none" : out;
  }

 private:
  static constexpr std::uint8_t bit(RequestChannel channel) noexcept {
    return static_cast<std::uint8_t>(1u << static_cast<unsigned>(channel));
  }
  std::uint8_t bits_ = 0;
};

}  // namespace callsup
