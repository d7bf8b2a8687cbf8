// callsup: SupervisionService, reactions to the PBX (registry events) and to directory changes: re-checks.
// Included by callsup/session/supervision_service.hpp (the class and its documentation).
#pragma once

namespace callsup {

CALLSUP_DECL void SupervisionService::on_registry(const RegistryEvent& e) {
  std::unique_lock lock(mutex_);
  const Call& call = *e.call;
  if (e.kind == RegistryEventKind::call_ended) {
    for (SessionId id : session_ids([&](const Session& s) { return s.info.call == call.id; }))
      if (sessions_.count(id)) leave_call(sessions_.at(id), EndReason::call_ended, EventSource::registry);
    for (SessionId id : session_ids([&](const Session& s) { return is_leg_of(call, s.info.supervisor_leg); }))
      if (sessions_.count(id))
        end_session(sessions_.at(id), EndReason::supervisor_left, EventSource::registry);
    taps_.erase(call.id);
    mark_dirty(call.id);
    finish(lock, 0, /*wait_for_other_drainer=*/false);
    return;
  }

  const bool departed =
      e.kind == RegistryEventKind::leg_removed ||
      (e.kind == RegistryEventKind::leg_state_changed && leg_state(call, e.leg_id) == LegState::gone);
  if (!e.leg_id.empty()) on_leg_change(e, call, departed);

  // The conversation is over when fewer than two parties remain.
  if (call.present_legs() < 2)
    for (SessionId id : session_ids([&](const Session& s) { return s.info.call == call.id; }))
      if (sessions_.count(id)) leave_call(sessions_.at(id), EndReason::call_ended, EventSource::registry);

  recheck_call(call.id, EventSource::registry);
  for (SessionId id : session_ids([](const Session& s) { return s.info.state == SessionState::armed; }))
    if (sessions_.count(id)) try_attach(sessions_.at(id), EventSource::registry);
  mark_dirty(call.id);
  // This thread is delivering the registry's events; a sink delivering ours on
  // another thread may be waiting for that to finish, so leave our events to it.
  finish(lock, 0, /*wait_for_other_drainer=*/false);
}

CALLSUP_DECL void SupervisionService::on_leg_change(const RegistryEvent& e, const Call& call, bool departed) {
  // The leg is a supervisor's own leg.
  if (auto it = by_supervisor_leg_.find(e.leg_id); it != by_supervisor_leg_.end()) {
    Session& s = sessions_.at(it->second);
    if (departed || e.kind == RegistryEventKind::leg_transferred)
      return end_session(s, EndReason::supervisor_left, EventSource::registry);
    mark_dirty(s.info.call);
  }
  for (SessionId id : session_ids([&](const Session& s) { return s.info.call == call.id; })) {
    Session& s = sessions_.at(id);
    if (s.info.target_leg != e.leg_id) continue;
    if (e.kind == RegistryEventKind::leg_transferred) {
      on_target_transferred(s, call, e.new_leg_id);
    } else if (departed) {
      on_target_left(s);
    }
  }
}

CALLSUP_DECL void SupervisionService::on_target_left(Session& s) {
  if (s.info.mode == Mode::barge) {
    const bool takeover = s.info.options.agent_leaves_in_barge == AgentLeavesInBarge::supervisor_takes_over;
    emit(event_of(s.info, EventKind::action_requested, EventSource::registry,
                  takeover ? "takeover" : "end_call"));
    return end_session(s, takeover ? EndReason::taken_over : EndReason::agent_left_barge,
                       EventSource::registry);
  }
  leave_call(s, EndReason::target_left, EventSource::registry);
}

CALLSUP_DECL void SupervisionService::on_target_transferred(Session& s, const Call& call,
                                                            const LegId& new_leg_id) {
  const Leg* new_leg = call.find_leg(new_leg_id);
  if (!s.info.options.follow_on_transfer || !new_leg || new_leg->network != Network::on_net)
    return end_session(s, EndReason::transferred, EventSource::registry);
  Decision decision = decide(s.info, call, new_leg->extension, s.info.mode, &s, Count::all);
  if (!decision.allowed)
    return end_session(s, EndReason::permission_lost, EventSource::registry, decision.reason);
  const std::string previous = s.info.call + "/" + s.info.target_leg;
  s.info.target = new_leg->extension;
  s.info.target_leg = new_leg->id;
  s.info.whisper_leg = whisper_leg_of(call, s.info.target_leg, s.info.options.whisper_to);
  s.info.allowed_modes = decision.modes;
  emit(event_of(s.info, EventKind::target_changed, EventSource::registry, previous));
  notify_agent_if_needed(s, EventSource::registry);
  mark_dirty(call.id);
}

CALLSUP_DECL void SupervisionService::on_directory(const DirectoryChange&) {
  std::unique_lock lock(mutex_);
  for (SessionId id : session_ids([](const Session&) { return true; })) {
    if (!sessions_.count(id)) continue;
    Session& s = sessions_.at(id);
    if (s.info.state == SessionState::active) {
      recheck(s, EventSource::directory);
    } else {
      Decision decision = decide_idle(s.info);
      if (!decision.allowed && !detail::call_may_change(decision.reason))
        end_session(s, EndReason::permission_lost, EventSource::directory, decision.reason);
    }
  }
  for (SessionId id : session_ids([](const Session& s) { return s.info.state == SessionState::armed; }))
    if (sessions_.count(id)) try_attach(sessions_.at(id), EventSource::directory);
  // As for registry events: this thread is delivering the directory's change.
  finish(lock, 0, /*wait_for_other_drainer=*/false);
}

CALLSUP_DECL void SupervisionService::recheck_call(const CallId& call, EventSource source) {
  for (SessionId id : session_ids([&](const Session& s) { return s.info.call == call; }))
    if (sessions_.count(id)) recheck(sessions_.at(id), source);
}

CALLSUP_DECL void SupervisionService::recheck(Session& s, EventSource source) {
  if (s.info.state != SessionState::active) return;
  const auto call = registry_.find_call(s.info.call);
  if (!call) return;
  Decision decision = decide(s.info, *call, s.info.target, s.info.mode, &s, Count::older);
  if (!decision.allowed) return end_session(s, EndReason::permission_lost, source, decision.reason);
  s.info.allowed_modes = decision.modes;
}

template <typename Pred>
inline std::vector<SessionId> SupervisionService::session_ids(Pred pred) const {
  std::vector<SessionId> ids;
  for (const auto& [id, s] : sessions_)
    if (s.info.state != SessionState::ended && pred(s)) ids.push_back(id);
  return ids;
}

CALLSUP_DECL LegState SupervisionService::leg_state(const Call& call, const LegId& leg) {
  const Leg* found = call.find_leg(leg);
  return found ? found->state : LegState::gone;
}

}  // namespace callsup
