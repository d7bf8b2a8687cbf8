// callsup: SupervisionService, asking the policy (fail closed), the idle check, and activating a session on a
// call. Included by callsup/session/supervision_service.hpp (the class and its documentation).
#pragma once

namespace callsup {

CALLSUP_DECL Decision SupervisionService::decide(const SessionInfo& info, const Call& call,
                                                 const std::string& agent, Mode mode, const Session* self,
                                                 Count count) const {
  SupervisionRequest request;
  request.channel = info.channel;
  request.supervisor = info.supervisor;
  request.target = agent;
  request.mode = mode;
  request.any_call = info.any_call;
  request.bridged_only = info.options.bridged_only;
  for (const auto& [id, other] : sessions_) {
    if (other.info.state != SessionState::active || other.info.call != call.id) continue;
    if (self && (id == self->info.id || (count == Count::older && id > self->info.id))) continue;
    ++request.other_supervisors;
    if (other.info.mode == Mode::barge) ++request.other_bargers;
  }
  try {
    return policy_->decide(request, call, directory_);
  } catch (const std::exception& ex) {
    return Decision::deny(Reason::custom, std::string("policy_error: ") + ex.what());
  } catch (...) {
    return Decision::deny(Reason::custom, "policy_error: unknown exception");
  }
}

CALLSUP_DECL Decision SupervisionService::decide_idle(const SessionInfo& info) const {
  Call idle;
  idle.tenant = info.tenant;
  if (!info.any_call) {
    if (const auto target = directory_.find_extension(info.target)) idle.tenant = target->tenant;
    idle.legs.push_back(Leg::on_net("", info.target, LegState::up));
  }
  return decide(info, idle, info.any_call ? std::string() : info.target, info.mode, nullptr, Count::all);
}

CALLSUP_DECL void SupervisionService::activate(Session& s, const Candidate& c, EventSource source,
                                               const std::string& detail) {
  const bool was_active = s.info.state == SessionState::active;
  const std::string previous = s.info.call.empty() ? "" : s.info.call + "/" + s.info.target_leg;
  if (!s.info.call.empty()) mark_dirty(s.info.call);
  s.info.state = SessionState::active;
  s.info.call = c.call->id;
  s.info.target = c.agent;
  s.info.target_leg = c.agent_leg;
  s.info.allowed_modes = c.decision.modes;
  s.info.whisper_leg = whisper_leg_of(*c.call, s.info.target_leg, s.info.options.whisper_to);
  s.denied_calls.clear();
  mark_dirty(s.info.call);
  if (was_active) {
    emit(event_of(s.info, EventKind::target_changed, source, previous));
  } else {
    Event started = event_of(s.info, EventKind::started, source, detail);
    started.rule = c.decision.rule;
    emit(std::move(started));
  }
  notify_agent_if_needed(s, source);
}

CALLSUP_DECL LegId SupervisionService::whisper_leg_of(const Call& call, const LegId& target_leg,
                                                      WhisperTo whisper_to) {
  if (whisper_to == WhisperTo::target) return target_leg;
  for (const Leg& leg : call.legs)
    if (leg.id != target_leg && leg.state != LegState::gone) return leg.id;
  return target_leg;
}

CALLSUP_DECL void SupervisionService::notify_agent_if_needed(const Session& s, EventSource source) {
  if (s.info.state == SessionState::active && s.info.options.notify_agent && s.info.mode != Mode::listen)
    emit(event_of(s.info, EventKind::agent_notified, source));
}

}  // namespace callsup
