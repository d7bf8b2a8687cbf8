// callsup: per-session options, and ChanSpy-style option letters.
#pragma once

#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>

#include "callsup/dialplan/feature_code_plan.hpp"
#include "callsup/error.hpp"
#include "callsup/model/session_defaults.hpp"
#include "callsup/routing/supervisor_route.hpp"

namespace callsup {

/// The quietest volume step a session may take (SessionOptions::volume_step).
inline constexpr int min_volume_step = -4;
/// The loudest volume step a session may take (SessionOptions::volume_step).
inline constexpr int max_volume_step = 4;

/// Options of one supervision session. The defaults are what a PBX engineer expects
/// from "listen to extension X": end with the call, announce nothing, notify the
/// agent when it is whispered to or barged on.
struct SessionOptions {
  /// End when the agent leaves; else move to another call (the target's next call, or for
  /// spy-all the tenant's next call), as ChanSpy without `E` does.
  bool exit_on_target_hangup = true;
  /// When the session's call is over and no other call is there to move to: end
  /// (`no_calls_left`, ChanSpy `S`); else wait, armed, for one. Targeted and spy-all alike.
  bool stop_when_none_left = true;
  bool bridged_only = false;     ///< supervise only bridged calls
  bool announce = false;         ///< announce the target before listening (the PBX plays it)
  bool private_whisper = false;  ///< while whispering, hear nothing
  /// In listen: hear both parties, or only the agent or the customer.
  ListenDirection listen_direction = ListenDirection::both;
  bool stereo = false;  ///< agent on the left, the rest on the right
  int volume_step = 0;  ///< -4..+4, 3 dB per step, on what the supervisor hears
  /// In barge, when the agent leaves: the PBX is asked to end the call or to hand it to the supervisor.
  AgentLeavesInBarge agent_leaves_in_barge = AgentLeavesInBarge::end_call;
  bool notify_agent = true;         ///< tell the agent on whisper and barge (never on listen)
  bool monitoring_tone = false;     ///< the parties hear a periodic tone while supervised
  bool follow_on_transfer = false;  ///< stay with the customer when the agent transfers it
  bool pre_arm = false;             ///< on an idle extension, wait for its next call
  /// Who hears a whisper: the target (agent) or the other party.
  WhisperTo whisper_to = WhisperTo::target;

  /// These options with the fields `defaults` sets replaced.
  SessionOptions with(const SessionDefaults& defaults) const {
    SessionOptions out = *this;
    auto take = [](auto& to, const auto& from) {
      if (from) to = *from;
    };
    take(out.exit_on_target_hangup, defaults.exit_on_target_hangup);
    take(out.stop_when_none_left, defaults.stop_when_none_left);
    take(out.bridged_only, defaults.bridged_only);
    take(out.announce, defaults.announce);
    take(out.private_whisper, defaults.private_whisper);
    take(out.listen_direction, defaults.listen_direction);
    take(out.stereo, defaults.stereo);
    take(out.volume_step, defaults.volume_step);
    take(out.agent_leaves_in_barge, defaults.agent_leaves_in_barge);
    take(out.notify_agent, defaults.notify_agent);
    take(out.monitoring_tone, defaults.monitoring_tone);
    take(out.follow_on_transfer, defaults.follow_on_transfer);
    take(out.pre_arm, defaults.pre_arm);
    take(out.whisper_to, defaults.whisper_to);
    return out;
  }

  /// Throws Error(invalid_argument) naming the bad value.
  void validate() const {
    if (volume_step < min_volume_step || volume_step > max_volume_step)
      throw Error(errc::invalid_argument,
                  "volume step " + quoted(std::to_string(volume_step)) + " is outside -4..4");
  }
};

/// What parse_chanspy_options() returns.
struct ChanSpyOptions {
  /// The options the letters set, over the base given.
  SessionOptions options;
  /// The mode the letters ask to start in (w: whisper, B: barge).
  Mode initial_mode = Mode::listen;
};

/// Applies Asterisk ChanSpy option letters to `base`: E exit when the target hangs up,
/// S stop when no call is left, b bridged calls only, q/s quiet (no announcement),
/// W private whisper, w start whispering, B start barging, o hear the agent only,
/// n(...) ignored name lookup, v(N) volume step, d DTMF switching (always on here).
/// Letters absent keep ChanSpy's defaults (no E, no S, announce on), so "ESsb" means
/// what it says. Returns the options and the mode to start in.
inline ChanSpyOptions parse_chanspy_options(std::string_view letters, SessionOptions base = {}) {
  ChanSpyOptions out;
  out.options = base;
  out.options.exit_on_target_hangup = false;
  out.options.stop_when_none_left = false;
  out.options.announce = true;
  for (std::size_t i = 0; i < letters.size(); ++i) {
    const char letter = letters[i];
    std::string argument;
    if (i + 1 < letters.size() && letters[i + 1] == '(') {
      const auto close = letters.find(')', i + 2);
      if (close == std::string_view::npos)
        throw Error(errc::invalid_argument, "ChanSpy options " + quoted(letters) + ": unclosed '(' after '" +
                                                std::string(1, letter) + "'");
      argument = std::string(letters.substr(i + 2, close - i - 2));
      i = close;
    }
    switch (letter) {
    case 'E': out.options.exit_on_target_hangup = true; break;
    case 'S': out.options.stop_when_none_left = true; break;
    case 'b': out.options.bridged_only = true; break;
    case 'q':
    case 's': out.options.announce = false; break;
    case 'W':
      out.options.private_whisper = true;
      out.initial_mode = Mode::whisper;
      break;
    case 'w': out.initial_mode = Mode::whisper; break;
    case 'B': out.initial_mode = Mode::barge; break;
    case 'o': out.options.listen_direction = ListenDirection::agent_only; break;
    case 'd':
    case 'n': break;
    case 'v': {
      int step = 0;
      try {
        std::size_t used = 0;
        step = std::stoi(argument, &used);
        if (used != argument.size()) throw std::invalid_argument("trailing");
      } catch (const std::exception&) {
        throw Error(errc::invalid_argument, "ChanSpy option v needs a number -4..4, got " + quoted(argument));
      }
      out.options.volume_step = step;
      break;
    }
    default:
      throw Error(errc::invalid_argument,
                  "unknown ChanSpy option " + quoted(std::string(1, letter)) + " in " + quoted(letters));
    }
  }
  out.options.validate();
  return out;
}

}  // namespace callsup

namespace callsup {

/// The session defaults ChanSpy option letters stand for (a user's `SPY_PARAMS`): every
/// field the letters control is set, letters absent meaning ChanSpy's defaults (no E, no S,
/// announce on). The mode letters (w, W, B) are not defaults: the dialled code decides the mode.
inline SessionDefaults chanspy_defaults(std::string_view letters) {
  const SessionOptions parsed = parse_chanspy_options(letters).options;
  SessionDefaults out;
  out.exit_on_target_hangup = parsed.exit_on_target_hangup;
  out.stop_when_none_left = parsed.stop_when_none_left;
  out.bridged_only = parsed.bridged_only;
  out.announce = parsed.announce;
  out.private_whisper = parsed.private_whisper;
  out.listen_direction = parsed.listen_direction;
  out.volume_step = parsed.volume_step;
  return out;
}

}  // namespace callsup
