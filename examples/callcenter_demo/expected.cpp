// callsup-demo: DESIGN.md's who-hears-whom table, applied to the demo's parties.
#include "expected.hpp"

namespace callsup::demo {

Positions positions_now(const CallRegistry& registry, const SupervisionService& service,
                        const std::vector<std::string>& parties) {
  Positions positions;
  for (const std::string& name : parties) {
    Position& position = positions[name];
    if (const auto call = registry.find_call_of_leg(name)) {
      for (const Leg& leg : call->legs)
        if (leg.id == name && leg.carries_audio()) position.call = call->id;
    }
  }
  for (const SessionInfo& info : service.sessions()) {
    if (info.state != SessionState::active) continue;
    const auto found = positions.find(info.supervisor_leg);
    if (found == positions.end()) continue;
    found->second.supervised_call = info.call;
    found->second.mode = info.mode;
    found->second.whisper_leg = info.whisper_leg;
  }
  return positions;
}

namespace {

bool hears(const std::string& listener, const Position& l, const std::string& /*source*/, const Position& s) {
  const bool same_call = !l.call.empty() && l.call == s.call;
  if (same_call) return true;  // parties of one call
  // The source supervises the listener's call (as a party) or the call the listener supervises too.
  const bool supervises_listeners_call =
      !s.supervised_call.empty() && (s.supervised_call == l.call || s.supervised_call == l.supervised_call);
  if (supervises_listeners_call) {
    if (s.mode == Mode::barge) return true;
    return s.mode == Mode::whisper && l.call == s.supervised_call && s.whisper_leg == listener;
  }
  // The listener supervises the source's call: it hears the parties.
  return !l.supervised_call.empty() && l.supervised_call == s.call;
}

}  // namespace

Matrix expected_hearing(const Positions& positions) {
  Matrix matrix;
  for (const auto& [listener, l] : positions)
    for (const auto& [source, s] : positions)
      if (listener != source) matrix[listener][source] = hears(listener, l, source, s);
  return matrix;
}

std::string describe(const std::string& party, const Position& position) {
  std::string text = party + ": ";
  text += position.call.empty() ? "in no call" : "in call " + position.call;
  if (!position.supervised_call.empty()) {
    text += ", supervises " + position.supervised_call + " (" + std::string(to_string(position.mode));
    if (position.mode == Mode::whisper) text += " to " + position.whisper_leg;
    text += ")";
  }
  return text;
}

}  // namespace callsup::demo
