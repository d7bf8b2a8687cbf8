// callsup: supervision modes and sets of modes.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "callsup/error.hpp"

namespace callsup {

/// Supervision mode, ordered: listen < whisper < barge.
enum class Mode : std::uint8_t { listen = 0, whisper = 1, barge = 2 };

/// Every Mode, in increasing order of what the supervisor may do.
inline constexpr std::array<Mode, 3> all_modes{Mode::listen, Mode::whisper, Mode::barge};

/// The mode's name ("listen", "whisper", "barge").
constexpr std::string_view to_string(Mode mode) noexcept {
  switch (mode) {
  case Mode::listen: return "listen";
  case Mode::whisper: return "whisper";
  case Mode::barge: return "barge";
  }
  return "unknown";
}

/// Parses "listen" / "whisper" / "barge"; nullopt for anything else.
constexpr std::optional<Mode> mode_from_string(std::string_view text) noexcept {
  for (Mode mode : all_modes)
    if (to_string(mode) == text) return mode;
  return std::nullopt;
}

/// Parses a mode or throws Error(invalid_argument) naming the text.
inline Mode parse_mode(std::string_view text) {
  if (auto mode = mode_from_string(text)) return *mode;
  throw Error(errc::invalid_argument,
              "unknown mode " + quoted(text) + " (expected listen, whisper or barge)");
}

/// A set of modes: what a supervisor is granted, what a decision allows.
class ModeSet {
 public:
  constexpr ModeSet() noexcept = default;
  /// The set of the given modes.
  constexpr ModeSet(std::initializer_list<Mode> modes) noexcept {
    for (Mode mode : modes) bits_ |= bit(mode);
  }

  /// The empty set: no mode granted.
  static constexpr ModeSet none() noexcept { return {}; }
  /// Listen, whisper and barge.
  static constexpr ModeSet all() noexcept { return {Mode::listen, Mode::whisper, Mode::barge}; }
  /// The hierarchical grant: up_to(whisper) = {listen, whisper}.
  static constexpr ModeSet up_to(Mode highest) noexcept {
    ModeSet set;
    for (Mode mode : all_modes)
      if (mode <= highest) set.bits_ |= bit(mode);
    return set;
  }
  /// The set whose bits (one per mode, as bits() returns) are `bits`; other bits are ignored.
  static constexpr ModeSet from_bits(std::uint8_t bits) noexcept {
    ModeSet set;
    set.bits_ = bits & 0b111;
    return set;
  }

  /// True when `mode` is in the set.
  constexpr bool contains(Mode mode) const noexcept { return (bits_ & bit(mode)) != 0; }
  /// True when no mode is in the set.
  constexpr bool empty() const noexcept { return bits_ == 0; }
  /// One bit per mode, for storage; from_bits() reads it back.
  constexpr std::uint8_t bits() const noexcept { return bits_; }
  /// Adds `mode`; returns *this for chaining.
  constexpr ModeSet& add(Mode mode) noexcept {
    bits_ |= bit(mode);
    return *this;
  }
  /// Removes `mode`; returns *this for chaining.
  constexpr ModeSet& remove(Mode mode) noexcept {
    bits_ &= static_cast<std::uint8_t>(~bit(mode));
    return *this;
  }
  /// Highest mode in the set; nullopt when empty.
  constexpr std::optional<Mode> highest() const noexcept {
    for (auto it = all_modes.rbegin(); it != all_modes.rend(); ++it)
      if (contains(*it)) return *it;
    return std::nullopt;
  }

  /// The modes in both sets.
  friend constexpr ModeSet operator&(ModeSet a, ModeSet b) noexcept { return from_bits(a.bits_ & b.bits_); }
  /// The modes in either set.
  friend constexpr ModeSet operator|(ModeSet a, ModeSet b) noexcept { return from_bits(a.bits_ | b.bits_); }
  /// Same modes.
  friend constexpr bool operator==(ModeSet a, ModeSet b) noexcept = default;

  /// "listen|whisper"; "none" when empty.
  std::string to_string() const {
    std::string out;
    for (Mode mode : all_modes) {
      if (!contains(mode)) continue;
      if (!out.empty()) out += '|';
      out += callsup::to_string(mode);
    }
    return out.empty() ? "none" : out;
  }

 private:
  static constexpr std::uint8_t bit(Mode mode) noexcept {
    return static_cast<std::uint8_t>(1u << static_cast<unsigned>(mode));
  }
  std::uint8_t bits_ = 0;
};

}  // namespace callsup
