// callsup: SupervisionService, the calls a session could supervise (targeted or spy-all) and leg-id checks.
// Included by callsup/session/supervision_service.hpp (the class and its documentation).
#pragma once

namespace callsup {

CALLSUP_DECL std::vector<SupervisionService::Candidate> SupervisionService::candidates(
    const SessionInfo& info, const CallId& only_call) const {
  std::vector<Candidate> out;
  auto consider = [&](const std::shared_ptr<const Call>& call) {
    if (!only_call.empty() && call->id != only_call) return;
    if (call->present_legs() < 2) return;
    for (const Leg& leg : call->legs) {
      if (leg.network != Network::on_net || leg.state != LegState::up) continue;
      if (info.any_call ? leg.extension == info.supervisor || is_supervisor_leg(leg.id)
                        : leg.extension != info.target)
        continue;
      out.push_back({call, leg.extension, leg.id, {}});
      return;
    }
  };
  if (info.any_call) {
    for (const auto& call : registry_.all_calls())
      if (call->tenant == info.tenant) consider(call);
  } else {
    for (const auto& call : registry_.calls_of_extension(info.target)) consider(call);
  }
  return out;
}

CALLSUP_DECL std::string SupervisionService::agent_of_call(const CallId& id, const SessionInfo& info) const {
  const auto call = registry_.find_call(id);
  if (!call) return {};
  for (const Leg& leg : call->legs)
    if (leg.network == Network::on_net && leg.state == LegState::up && leg.extension != info.supervisor &&
        !is_supervisor_leg(leg.id))
      return leg.extension;
  return {};
}

CALLSUP_DECL bool SupervisionService::id_in_use(const Call& call, const LegId& id) const {
  if (call.find_leg(id)) return true;
  if (auto taps = taps_.find(call.id); taps != taps_.end())
    for (const Tap& tap : taps->second)
      if (tap.id == id) return true;
  auto session = by_supervisor_leg_.find(id);
  return session != by_supervisor_leg_.end() && sessions_.at(session->second).info.call == call.id;
}

}  // namespace callsup
