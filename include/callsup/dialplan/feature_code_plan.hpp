// callsup: a feature-code plan: the dial codes and DTMF codes a PBX uses for supervision.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "callsup/error.hpp"
#include "callsup/mode.hpp"
#include "callsup/model/session_defaults.hpp"
#include "callsup/session_choices.hpp"

namespace callsup {

/// What a DTMF code asks the running session to do.
struct DtmfCommand {
  /// What the code does: switch the mode, move to the next call, or leave.
  enum class Action : std::uint8_t { switch_mode, next_target, exit };

  /// What the session is asked to do.
  Action action = Action::switch_mode;
  Mode mode = Mode::listen;  ///< switch_mode only
  /// switch_mode to whisper only: who hears it; nullopt = the session's `whisper_to` option
  /// (so a tenant that whispers to the caller keeps doing so when the key is pressed).
  std::optional<WhisperTo> whisper_to;

  /// Switch to `mode` (a whisper aimed at `whisper_to`, or as the session's options say).
  static constexpr DtmfCommand switch_to(Mode mode,
                                         std::optional<WhisperTo> whisper_to = std::nullopt) noexcept {
    return {Action::switch_mode, mode, whisper_to};
  }
  /// Move on to the next call to supervise (spy-all style cycling).
  static constexpr DtmfCommand next() noexcept { return {Action::next_target, Mode::listen, std::nullopt}; }
  /// Leave the supervision session.
  static constexpr DtmfCommand leave() noexcept { return {Action::exit, Mode::listen, std::nullopt}; }

  /// Member-wise equality.
  friend bool operator==(const DtmfCommand&, const DtmfCommand&) = default;
};

/// The action's name ("set_mode", "next_target", ...).
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
  /// The digits dialled before the extension, e.g. "*90".
  std::string prefix;
  /// The mode the supervision starts in.
  Mode mode = Mode::listen;
  /// Member-wise equality.
  friend bool operator==(const DialCode&, const DialCode&) = default;
};

/// A DTMF code pressed during a session: "1" -> whisper, "*81" -> whisper.
struct DtmfCode {
  /// The keys pressed, e.g. "1" or "*81".
  std::string digits;
  /// What pressing them asks the session to do.
  DtmfCommand command;
  /// Member-wise equality.
  friend bool operator==(const DtmfCode&, const DtmfCode&) = default;
};

/// The supervision codes of one PBX (or tenant). Check it with validate() before use;
/// DialParser and DtmfSwitch refuse invalid plans.
struct FeatureCodePlan {
  /// The plan's name (a vendor, e.g. "tronic", or a tenant's own); services look plans up by it.
  std::string name;
  std::vector<DialCode> dial_codes;  ///< several codes may share a mode
  std::string spy_any_code;          ///< bare code that supervises "any call" (spy-all); empty = none
  /// The mode spy-all sessions start in.
  Mode spy_any_mode = Mode::listen;
  std::vector<DtmfCode> dtmf_codes;  ///< includes next-target / exit keys as commands
  /// How long to wait for the next digit of an incomplete DTMF code before discarding it.
  std::chrono::milliseconds inter_digit_timeout{2000};
  /// What sessions started under this plan default to, as the vendor's PBX behaves
  /// (tronic: a spied call that ends moves on to the next one); tenant and extension
  /// defaults override it.
  SessionDefaults session_defaults;
  /// Member-wise equality.
  friend bool operator==(const FeatureCodePlan&, const FeatureCodePlan&) = default;

  /// The DTMF code that switches a running session to `mode` (the first one, for a UI to
  /// show "press 1 to whisper"); nullopt when the plan has none. A whisper key aimed
  /// explicitly at the other party is skipped when another whisper key exists.
  std::optional<std::string> key_for(Mode mode) const {
    const DtmfCode* found = nullptr;
    for (const DtmfCode& code : dtmf_codes) {
      if (code.command.action != DtmfCommand::Action::switch_mode || code.command.mode != mode) continue;
      if (!found || (found->command.whisper_to == WhisperTo::other_party &&
                     code.command.whisper_to != WhisperTo::other_party))
        found = &code;
    }
    return found ? std::optional<std::string>(found->digits) : std::nullopt;
  }
  /// The dial prefix that starts supervision in `mode` (`*91` for whisper on portaswitch);
  /// nullopt when the plan starts in that mode by no code.
  std::optional<std::string> dial_code_for(Mode mode) const {
    for (const DialCode& code : dial_codes)
      if (code.mode == mode) return code.prefix;
    return std::nullopt;
  }
};

namespace detail::dialplan {

/// Longest extension a dial string may carry (E.164 allows 15 digits).
inline constexpr std::size_t max_extension_length = 15;

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
/// Characters of dial codes: 0-9 * #.
constexpr bool is_dial_char(char c) noexcept { return is_digit(c) || c == '*' || c == '#'; }
/// Characters of DTMF codes (RFC 4733 events 0-15): 0-9 * # A-D.
constexpr bool is_dtmf_char(char c) noexcept { return is_dial_char(c) || (c >= 'A' && c <= 'D'); }

// Quoting for error messages (callsup/error.hpp), as the dial-plan code has always named it.
using callsup::quoted_char;
using callsup::quoted_text;

}  // namespace detail::dialplan

}  // namespace callsup
