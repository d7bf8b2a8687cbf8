// callsup-demo: the scenario: who takes part, and the timeline of calls, dials, digits, hangups.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "callsup/dialplan/feature_code_plan.hpp"

namespace callsup::demo {

/// One person with a phone. Exactly one of `extension` (on-net, in the directory) and
/// `number` (off-net, an external caller) is set.
struct Party {
  std::string name;       ///< "customer": also the leg id and the recording's file name
  std::string extension;  ///< on-net extension, e.g. "744"
  std::string number;     ///< off-net number, e.g. "+15551230000"
  std::string voice;      ///< WAV the phone plays in a loop: a path, or a name in the voices directory
};

/// One thing that happens at a moment of the timeline.
struct Step {
  enum class Kind { call, dial, dtmf, hangup, end };
  double at_s = 0;  ///< seconds after the phones start
  Kind kind = Kind::end;
  std::string call_id;  ///< call: the new call's id
  std::string from;     ///< call: the calling party
  std::string to;       ///< call: the called party
  std::string party;    ///< dial, dtmf, hangup: who acts
  std::string digits;   ///< dial: the dialled string; dtmf: the digits pressed (RFC 4733 from the phone)
  std::string phase;    ///< when set, a phase of that name starts with this step
};

/// A measured stretch of the timeline: from its step to the next step.
struct PhaseWindow {
  std::string name;
  double start_s = 0;
  double end_s = 0;
};

struct Scenario {
  std::vector<Party> parties;
  std::vector<Step> steps;  ///< in time order; the last one is an `end`

  const Party& party(std::string_view name) const;  ///< throws Error(invalid_argument) naming it
  /// The phases, in order: each named step opens one that lasts until the next step.
  std::vector<PhaseWindow> phases() const;
  double duration_s() const { return steps.empty() ? 0.0 : steps.back().at_s; }
};

/// The demo's own story, in the codes of `plan`: a customer calls agent `agent_extension`;
/// supervisor `supervisor_extension` dials the plan's listen code for the agent ("call", then
/// "listen"), presses the whisper key ("whisper"), then the barge key ("barge"); the customer
/// hangs up. `phase_s` seconds per phase. Throws Error(invalid_plan) when the plan has no listen
/// dial code or no DTMF key for whisper or barge.
Scenario default_scenario(const FeatureCodePlan& plan, const std::string& agent_extension = "744",
                          const std::string& supervisor_extension = "700", double phase_s = 5.0);

/// Parses a scenario document (see docs/demo.md for the shape); `source` names it in errors.
/// Throws Error(invalid_argument) naming the JSON path and the bad value: unknown keys or step
/// kinds, a party named twice or not at all, times going backwards, a step for an unknown party.
Scenario parse_scenario(std::string_view json_text, const std::string& source = "scenario");
/// Reads and parses a scenario file (Error(io_error) naming the path when it cannot be read).
Scenario load_scenario_file(const std::string& path);
/// The JSON form of `scenario` (parse_scenario reads it back), for --print-scenario.
std::string to_json(const Scenario& scenario);

}  // namespace callsup::demo
