// callsup: SupervisionService, during a session: DTMF, mode switches, next, volume, stop, leaving a call,
// arming. Included by callsup/session/supervision_service.hpp (the class and its documentation).
#pragma once

namespace callsup {

CALLSUP_DECL DtmfResult SupervisionService::dtmf(SessionId id, std::string_view digits) {
  std::unique_lock lock(mutex_);
  live_session(id, "dtmf");
  if (digits.empty()) throw Error(errc::invalid_argument, "dtmf: no digits");
  for (char digit : digits) DtmfSwitch::check_digit(digit);
  DtmfResult result;
  for (char digit : digits) {
    auto it = sessions_.find(id);
    if (it == sessions_.end()) break;
    Session& s = it->second;
    result = s.dtmf->feed(digit);
    if (result.kind == DtmfResult::Kind::command) run_command(s, result.command);
  }
  return finish(lock, result);
}

CALLSUP_DECL std::optional<DtmfResult> SupervisionService::dtmf_from_leg(const LegId& leg, char digit) {
  return dtmf_from_leg(leg, std::string_view(&digit, 1));
}

CALLSUP_DECL std::optional<DtmfResult> SupervisionService::dtmf_from_leg(const LegId& leg,
                                                                         std::string_view digits) {
  SessionId id = 0;
  {
    std::lock_guard lock(mutex_);
    auto it = by_supervisor_leg_.find(leg);
    if (it == by_supervisor_leg_.end()) return std::nullopt;
    id = it->second;
  }
  return dtmf(id, digits);
}

CALLSUP_DECL std::size_t SupervisionService::poll() {
  std::lock_guard lock(mutex_);
  std::size_t expired = 0;
  for (auto& [id, s] : sessions_)
    if (s.dtmf->poll().kind == DtmfResult::Kind::timed_out) ++expired;
  return expired;
}

CALLSUP_DECL Decision SupervisionService::switch_mode(SessionId id, Mode mode,
                                                      std::optional<WhisperTo> whisper_to,
                                                      RequestChannel channel) {
  std::unique_lock lock(mutex_);
  Session& s = live_session(id, "switch_mode");
  Decision decision =
      switch_mode_locked(s, mode, whisper_to.value_or(s.info.options.whisper_to), EventSource::api, channel);
  return finish(lock, std::move(decision));
}

CALLSUP_DECL bool SupervisionService::next(SessionId id) {
  std::unique_lock lock(mutex_);
  Session& s = live_session(id, "next");
  const bool moved = next_locked(s, EventSource::api);
  return finish(lock, moved);
}

CALLSUP_DECL void SupervisionService::set_volume(SessionId id, int step) {
  std::unique_lock lock(mutex_);
  Session& s = live_session(id, "set_volume");
  SessionOptions changed = s.info.options;
  changed.volume_step = step;
  changed.validate();
  s.info.options = changed;
  mark_dirty(s.info.call);
  finish(lock, 0);
}

CALLSUP_DECL bool SupervisionService::stop(SessionId id) {
  std::unique_lock lock(mutex_);
  if (!sessions_.count(id)) {
    if (ended_.count(id)) return false;
    throw Error(errc::unknown_session, "no session " + quoted(std::to_string(id)));
  }
  end_session(sessions_.at(id), EndReason::stopped, EventSource::api);
  return finish(lock, true);
}

CALLSUP_DECL SupervisionService::Session& SupervisionService::live_session(SessionId id,
                                                                           const char* operation) {
  auto it = sessions_.find(id);
  if (it != sessions_.end()) return it->second;
  if (ended_.count(id))
    throw Error(errc::session_ended, std::string(operation) + ": session " + quoted(std::to_string(id)) +
                                         " has ended (" + std::string(to_string(ended_.at(id).end_reason)) +
                                         ")");
  throw Error(errc::unknown_session, std::string(operation) + ": no session " + quoted(std::to_string(id)));
}

CALLSUP_DECL void SupervisionService::run_command(Session& s, const DtmfCommand& command) {
  switch (command.action) {
  case DtmfCommand::Action::switch_mode:
    switch_mode_locked(s, command.mode, command.whisper_to.value_or(s.info.options.whisper_to),
                       EventSource::dtmf, RequestChannel::dtmf);
    break;
  case DtmfCommand::Action::next_target: next_locked(s, EventSource::dtmf); break;
  case DtmfCommand::Action::exit: end_session(s, EndReason::stopped, EventSource::dtmf); break;
  }
}

CALLSUP_DECL Decision SupervisionService::switch_mode_locked(Session& s, Mode mode, WhisperTo whisper_to,
                                                             EventSource source, RequestChannel channel) {
  const auto call = s.info.state == SessionState::armed ? nullptr : registry_.find_call(s.info.call);
  if (s.info.state == SessionState::active && !call)
    throw Error(errc::unknown_call, "session's call " + quoted(s.info.call) + " is gone");
  SessionInfo wanted = s.info;  // asked as the switch's channel, in the new mode
  wanted.channel = channel;
  wanted.mode = mode;
  Decision decision;
  if (call) {
    decision = decide(wanted, *call, s.info.target, mode, &s, Count::all);
  } else {  // armed: checked as if idle; the call it joins is checked again then
    decision = decide_idle(wanted);
    if (!decision.allowed && detail::call_may_change(decision.reason))
      decision = Decision::allow(decision.modes, "armed");
  }
  if (!decision.allowed) {
    if (!detail::mode_specific(decision.reason)) {
      end_session(s, EndReason::permission_lost, source, decision.reason);
      return decision;
    }
    Event denied = event_of(s.info, EventKind::denied, source, "switch to " + std::string(to_string(mode)));
    denied.channel = channel;
    denied.allowed = false;
    denied.reason = decision.reason;
    denied.rule = decision.rule;
    denied.from_mode = s.info.mode;
    denied.mode = mode;
    emit(std::move(denied));
    return decision;
  }
  const LegId whisper_leg = call ? whisper_leg_of(*call, s.info.target_leg, whisper_to) : LegId();
  s.info.allowed_modes = decision.modes;
  s.info.channel = channel;
  if (mode == s.info.mode && whisper_leg == s.info.whisper_leg && whisper_to == s.info.options.whisper_to)
    return decision;
  const Mode from = s.info.mode;
  s.info.mode = mode;
  s.info.options.whisper_to = whisper_to;
  s.info.whisper_leg = whisper_leg;
  Event changed = event_of(s.info, EventKind::mode_changed, source);
  changed.from_mode = from;
  changed.rule = decision.rule;
  emit(std::move(changed));
  notify_agent_if_needed(s, source);
  mark_dirty(s.info.call);
  return decision;
}

CALLSUP_DECL bool SupervisionService::next_locked(Session& s, EventSource source) {
  if (s.info.state != SessionState::active) return false;
  // Candidates after the current call (by age), wrapping around.
  auto list = candidates(s.info, {});
  const auto current = registry_.find_call(s.info.call);
  const std::uint64_t after = current ? current->sequence : 0;
  std::stable_partition(list.begin(), list.end(),
                        [&](const Candidate& c) { return c.call->sequence > after; });
  for (Candidate& c : list) {
    if (c.call->id == s.info.call) continue;
    c.decision = decide(s.info, *c.call, c.agent, s.info.mode, &s, Count::all);
    if (!c.decision.allowed) continue;
    activate(s, c, source, {});
    return true;
  }
  return false;
}

CALLSUP_DECL void SupervisionService::end_session(Session& s, EndReason reason, EventSource source,
                                                  Reason decision_reason) {
  s.info.state = SessionState::ended;
  s.info.end_reason = reason;
  s.info.end_decision = decision_reason;
  Event ended = event_of(s.info, EventKind::ended, source);
  ended.end_reason = reason;
  if (reason == EndReason::permission_lost) {
    ended.allowed = false;
    ended.reason = decision_reason;
  }
  emit(std::move(ended));
  if (!s.info.call.empty()) mark_dirty(s.info.call);
  by_supervisor_leg_.erase(s.info.supervisor_leg);
  const SessionId id = s.info.id;
  ended_.insert_or_assign(id, s.info);
  ended_order_.push_back(id);
  while (ended_order_.size() > config_.ended_sessions_kept) {
    ended_.erase(ended_order_.front());
    ended_order_.erase(ended_order_.begin());
  }
  sessions_.erase(id);  // `s` dangles from here on
}

CALLSUP_DECL void SupervisionService::leave_call(Session& s, EndReason reason, EventSource source) {
  if (s.info.options.exit_on_target_hangup) return end_session(s, reason, source);
  if (next_locked(s, source)) return;
  if (s.info.options.stop_when_none_left) return end_session(s, EndReason::no_calls_left, source);
  mark_dirty(s.info.call);
  s.info.state = SessionState::armed;
  s.info.call.clear();
  s.info.target_leg.clear();
  s.info.whisper_leg.clear();
  if (s.info.any_call) s.info.target.clear();
  emit(event_of(s.info, EventKind::armed, source));
  try_attach(s, source);
}

CALLSUP_DECL void SupervisionService::try_attach(Session& s, EventSource source) {
  std::set<CallId> still_denied;
  for (Candidate& c : candidates(s.info, {})) {
    c.decision = decide(s.info, *c.call, c.agent, s.info.mode, &s, Count::all);
    if (c.decision.allowed) return activate(s, c, source, {});
    if (!detail::skips_call(s.info, c.decision.reason)) {
      return end_session(s, EndReason::permission_lost, source, c.decision.reason);
    }
    still_denied.insert(c.call->id);
    if (!s.denied_calls.count(c.call->id)) {
      Event denied = event_of(s.info, EventKind::denied, source, "armed: call " + c.call->id);
      denied.call = c.call->id;
      denied.allowed = false;
      denied.reason = c.decision.reason;
      denied.rule = c.decision.rule;
      emit(std::move(denied));
    }
  }
  s.denied_calls = std::move(still_denied);  // forget calls that are gone or changed
}

}  // namespace callsup
