// callsup: feature-code plans of common PBX products, ready to use or to adapt.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "callsup/dialplan/feature_code_plan.hpp"
#include "callsup/error.hpp"

namespace callsup {

namespace detail::dialplan {
inline DtmfCode dtmf(std::string digits, DtmfCommand command) { return {std::move(digits), command}; }

/// Codes switching to listen, whisper (to the agent) and barge, then `more`.
inline std::vector<DtmfCode> mode_keys(std::string listen, std::string whisper, std::string barge,
                                       std::vector<DtmfCode> more) {
  std::vector<DtmfCode> keys{dtmf(std::move(listen), DtmfCommand::switch_to(Mode::listen)),
                             dtmf(std::move(whisper), DtmfCommand::switch_to(Mode::whisper)),
                             dtmf(std::move(barge), DtmfCommand::switch_to(Mode::barge))};
  keys.insert(keys.end(), more.begin(), more.end());
  return keys;
}

/// Asterisk ChanSpy's keys: 4 listen, 5 whisper, 6 barge, * next target, # exit.
inline std::vector<DtmfCode> chanspy_keys() {
  return mode_keys("4", "5", "6", {dtmf("*", DtmfCommand::next()), dtmf("#", DtmfCommand::leave())});
}
}  // namespace detail::dialplan

/// PortaSwitch: dial *90/*91/*92 + ext (listen/whisper/barge); DTMF 0/1/2 switch, # exits.
inline FeatureCodePlan portaswitch_plan() {
  using namespace detail::dialplan;
  FeatureCodePlan plan;
  plan.name = "portaswitch";
  plan.dial_codes = {{"*90", Mode::listen}, {"*91", Mode::whisper}, {"*92", Mode::barge}};
  plan.dtmf_codes = mode_keys("0", "1", "2", {dtmf("#", DtmfCommand::leave())});
  return plan;
}

/// The *91/*92/*93 plan of Asterisk-based PBXs (with SPY_PERMISSION / DISABLE_SPY
/// settings): dial *91/*92/*93 + ext; ChanSpy-style DTMF 4/5/6, * next target, # exits.
inline FeatureCodePlan star91_plan() {
  using namespace detail::dialplan;
  FeatureCodePlan plan;
  plan.name = "star91";
  plan.dial_codes = {{"*91", Mode::listen}, {"*92", Mode::whisper}, {"*93", Mode::barge}};
  plan.dtmf_codes = detail::dialplan::chanspy_keys();
  return plan;
}

/// Stratus: dial `007` + ext to listen; DTMF `*80`/`*81`/`*82` listen/whisper/barge, `#` exits.
/// No `*` next-target key: `*` would be a prefix of `*80`.
inline FeatureCodePlan stratus_plan() {
  using namespace detail::dialplan;
  FeatureCodePlan plan;
  plan.name = "stratus";
  plan.dial_codes = {{"007", Mode::listen}};
  plan.dtmf_codes = mode_keys("*80", "*81", "*82", {dtmf("#", DtmfCommand::leave())});
  return plan;
}

/// Tronic: *95 + ext listens to that extension, bare *95 listens to any call;
/// DTMF 4/5/6, * next target, # exits. When the spied call ends the session moves to the
/// next call (session_defaults: exit_on_target_hangup = false) and ends when none is left.
inline FeatureCodePlan tronic_plan() {
  using namespace detail::dialplan;
  FeatureCodePlan plan;
  plan.name = "tronic";
  plan.dial_codes = {{"*95", Mode::listen}};
  plan.spy_any_code = "*95";
  plan.spy_any_mode = Mode::listen;
  plan.dtmf_codes = detail::dialplan::chanspy_keys();
  // Tronic's Call Spy moves on to the next call when the spied one ends (ChanSpy without E)
  // and stops when none is left.
  plan.session_defaults.exit_on_target_hangup = false;
  return plan;
}

/// Asterisk ChanSpy (the classic extensions.conf example): 555 + ext, bare 555 spies on
/// any channel; DTMF 4 listen, 5 whisper, 6 barge, * next channel, # exits. Sessions
/// default to ChanSpy without options: no E, no S, announce.
inline FeatureCodePlan asterisk_chanspy_plan() {
  using namespace detail::dialplan;
  FeatureCodePlan plan;
  plan.name = "asterisk_chanspy";
  plan.dial_codes = {{"555", Mode::listen}};
  plan.spy_any_code = "555";
  plan.spy_any_mode = Mode::listen;
  plan.dtmf_codes = detail::dialplan::chanspy_keys();
  // ChanSpy() with no options: keeps spying (no E), waits for channels (no S), beeps and
  // says the channel's name (no q).
  plan.session_defaults.exit_on_target_hangup = false;
  plan.session_defaults.stop_when_none_left = false;
  plan.session_defaults.announce = true;
  return plan;
}

/// FreeSWITCH mod_dptools eavesdrop: 88 + ext, 779 eavesdrops on any call; DTMF 0 listen,
/// 1 whisper to the agent, 2 whisper to the other party, 3 barge, * next call, # exits.
inline FeatureCodePlan freeswitch_eavesdrop_plan() {
  using namespace detail::dialplan;
  FeatureCodePlan plan;
  plan.name = "freeswitch_eavesdrop";
  plan.dial_codes = {{"88", Mode::listen}};
  plan.spy_any_code = "779";
  plan.spy_any_mode = Mode::listen;
  plan.dtmf_codes = {dtmf("0", DtmfCommand::switch_to(Mode::listen)),
                     dtmf("1", DtmfCommand::switch_to(Mode::whisper, WhisperTo::target)),
                     dtmf("2", DtmfCommand::switch_to(Mode::whisper, WhisperTo::other_party)),
                     dtmf("3", DtmfCommand::switch_to(Mode::barge)),
                     dtmf("*", DtmfCommand::next()),
                     dtmf("#", DtmfCommand::leave())};
  return plan;
}

/// Names accepted by preset(), in a stable order.
inline std::vector<std::string> preset_names() {
  return {"portaswitch", "star91", "stratus", "tronic", "asterisk_chanspy", "freeswitch_eavesdrop"};
}

/// The preset called `name`; throws Error(invalid_argument) naming it and listing the valid names.
inline FeatureCodePlan preset(std::string_view name) {
  if (name == "portaswitch") return portaswitch_plan();
  if (name == "star91") return star91_plan();
  if (name == "stratus") return stratus_plan();
  if (name == "tronic") return tronic_plan();
  if (name == "asterisk_chanspy") return asterisk_chanspy_plan();
  if (name == "freeswitch_eavesdrop") return freeswitch_eavesdrop_plan();
  std::string valid;
  for (const auto& known : preset_names()) valid += (valid.empty() ? "" : ", ") + known;
  throw Error(errc::invalid_argument,
              "unknown feature-code plan preset " + quoted(name) + " (expected one of: " + valid + ")");
}

}  // namespace callsup
