// callsup: a feature-code plan: the dial codes and DTMF codes a PBX uses for supervision.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "callsup/error.hpp"
#include "callsup/mode.hpp"

namespace callsup {

/// Which party a whisper is aimed at: the supervised agent (target) or the other party.
enum class WhisperTo : std::uint8_t { target, other_party };

constexpr std::string_view to_string(WhisperTo whisper_to) noexcept {
  switch (whisper_to) {
  case WhisperTo::target: return "target";
  case WhisperTo::other_party: return "other_party";
  }
  return "unknown";
}

/// What a DTMF code asks the running session to do.
struct DtmfCommand {
  enum class Action : std::uint8_t { switch_mode, next_target, exit };

  Action action = Action::switch_mode;
  Mode mode = Mode::listen;                  ///< switch_mode only
  WhisperTo whisper_to = WhisperTo::target;  ///< switch_mode to whisper only; leave `target` otherwise

  /// Switch to `mode` (whisper aimed at `whisper_to`).
  static constexpr DtmfCommand switch_to(Mode mode, WhisperTo whisper_to = WhisperTo::target) noexcept {
    return {Action::switch_mode, mode, whisper_to};
  }
  /// Move on to the next call to supervise (spy-all style cycling).
  static constexpr DtmfCommand next() noexcept {
    return {Action::next_target, Mode::listen, WhisperTo::target};
  }
  /// Leave the supervision session.
  static constexpr DtmfCommand leave() noexcept { return {Action::exit, Mode::listen, WhisperTo::target}; }

  friend bool operator==(const DtmfCommand&, const DtmfCommand&) = default;
};

constexpr std::string_view to_string(DtmfCommand::Action action) noexcept {
  switch (action) {
  case DtmfCommand::Action::switch_mode: return "switch_mode";
  case DtmfCommand::Action::next_target: return "next_target";
  case DtmfCommand::Action::exit: return "exit";
  }
  return "unknown";
}

/// A dial prefix: "*90" + extension -> listen to that extension's call.
struct DialCode {
  std::string prefix;
  Mode mode = Mode::listen;
  friend bool operator==(const DialCode&, const DialCode&) = default;
};

/// A DTMF code pressed during a session: "1" -> whisper, "*81" -> whisper.
struct DtmfCode {
  std::string digits;
  DtmfCommand command;
  friend bool operator==(const DtmfCode&, const DtmfCode&) = default;
};

/// The supervision codes of one PBX (or tenant). Check it with validate() before use;
/// DialParser and DtmfSwitch refuse invalid plans.
struct FeatureCodePlan {
  std::string name;
  std::vector<DialCode> dial_codes;  ///< several codes may share a mode
  std::string spy_any_code;          ///< bare code that supervises "any call" (spy-all); empty = none
  Mode spy_any_mode = Mode::listen;
  std::vector<DtmfCode> dtmf_codes;  ///< includes next-target / exit keys as commands
  std::chrono::milliseconds inter_digit_timeout{2000};
  friend bool operator==(const FeatureCodePlan&, const FeatureCodePlan&) = default;
};

namespace detail::dialplan {

/// Longest extension a dial string may carry (E.164 allows 15 digits).
inline constexpr std::size_t max_extension_length = 15;

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
/// Characters of dial codes: 0-9 * #.
constexpr bool is_dial_char(char c) noexcept { return is_digit(c) || c == '*' || c == '#'; }
/// Characters of DTMF codes (RFC 4733 events 0-15): 0-9 * # A-D.
constexpr bool is_dtmf_char(char c) noexcept { return is_dial_char(c) || (c >= 'A' && c <= 'D'); }

/// A single character for an error message: '5', or '\x07' when not printable ASCII
/// (a lone byte of a multi-byte UTF-8 character is not text on its own).
inline std::string quoted_char(char c) {
  auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x20 && byte < 0x7f) return quoted(std::string_view(&c, 1));
  constexpr char hex[] = "0123456789ABCDEF";
  const char text[] = {'\\', 'x', hex[byte >> 4], hex[byte & 0xf]};
  return quoted(std::string_view(text, sizeof text));
}

/// quoted(text), with ASCII control characters written as \xNN so that a NUL or an
/// escape sequence in untrusted input neither truncates what() nor garbles a log line.
inline std::string quoted_text(std::string_view text) {
  auto is_control = [](char c) {
    auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
  };
  bool clean = true;
  for (char c : text) clean = clean && !is_control(c);
  if (clean) return quoted(text);
  std::string out;
  for (char c : text) {
    if (!is_control(c)) {
      out += c;
      continue;
    }
    std::string one = quoted_char(c);  // '\xNN'
    out.append(one, 1, one.size() - 2);
  }
  return quoted(out);
}

}  // namespace detail::dialplan

}  // namespace callsup
