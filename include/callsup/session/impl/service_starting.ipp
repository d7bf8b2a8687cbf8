// callsup: SupervisionService, starting a session: dial, start, the first call the policy allows, or arming.
// Included by callsup/session/supervision_service.hpp (the class and its documentation).
#pragma once

namespace callsup {

CALLSUP_DECL StartOutcome SupervisionService::dial(const LegId& supervisor_leg, const std::string& supervisor,
                                                   std::string_view dialled,
                                                   std::optional<SessionOptions> options) {
  std::unique_lock lock(mutex_);
  const auto& parser = plan_locked(plan_name_of(supervisor)).parser;
  const auto request = parser.parse(dialled);
  if (!request) return {};
  StartRequest start{supervisor_leg,
                     supervisor,
                     request->target,
                     request->any_call,
                     request->mode,
                     std::move(options),
                     {},
                     RequestChannel::feature_code};
  return start_and_deliver(lock, start, EventSource::dial, std::string(dialled));
}

CALLSUP_DECL StartOutcome SupervisionService::start(const StartRequest& request) {
  std::unique_lock lock(mutex_);
  return start_and_deliver(lock, request, EventSource::api, {});
}

CALLSUP_DECL StartOutcome SupervisionService::start_and_deliver(std::unique_lock<std::mutex>& lock,
                                                                const StartRequest& request,
                                                                EventSource source, std::string detail) {
  return finish(lock, start_locked(request, source, std::move(detail)));
}

CALLSUP_DECL StartOutcome SupervisionService::start_locked(const StartRequest& request, EventSource source,
                                                           std::string detail) {
  if (request.supervisor_leg.empty())
    throw Error(errc::invalid_argument, "supervisor leg id must not be empty");
  if (request.supervisor.empty())
    throw Error(errc::invalid_argument, "supervisor extension must not be empty");
  if (!request.any_call && request.target.empty() && request.call.empty())
    throw Error(errc::invalid_argument, "a request needs a target extension, a call or any_call");
  if (by_supervisor_leg_.count(request.supervisor_leg))
    throw Error(errc::duplicate_id,
                "leg " + quoted(request.supervisor_leg) + " already supervises session " +
                    quoted(std::to_string(by_supervisor_leg_.at(request.supervisor_leg))));
  if (!request.call.empty() && !registry_.find_call(request.call))
    throw Error(errc::unknown_call, "no call " + quoted(request.call));
  const FeatureCodePlan& plan = plan_locked(plan_name_of(request.supervisor)).parser.plan();
  SessionOptions options = request.options ? *request.options : default_options_for(request.supervisor, plan);
  options.validate();

  Session s;
  s.info.id = next_session_id_;  // taken for good only if the session starts
  s.info.supervisor = request.supervisor;
  s.info.supervisor_leg = request.supervisor_leg;
  s.info.any_call = request.any_call;
  s.info.target = request.target;
  s.info.mode = request.mode;
  s.info.options = options;
  s.info.channel = request.channel;
  if (auto profile = directory_.find_extension(request.supervisor)) s.info.tenant = profile->tenant;
  if (!request.any_call && request.target.empty()) s.info.target = agent_of_call(request.call, s.info);

  auto found = candidates(s.info, request.call);
  for (const Candidate& candidate : found)
    if (id_in_use(*candidate.call, request.supervisor_leg))
      throw Error(errc::duplicate_id, "supervisor leg " + quoted(request.supervisor_leg) +
                                          " reuses the id of a leg or tap of call " +
                                          quoted(candidate.call->id));

  Event attempt = event_of(s.info, EventKind::attempt, source);
  attempt.session = 0;
  attempt.detail = detail;
  emit(std::move(attempt));

  auto deny = [&](Decision decision) {
    Event denied = event_of(s.info, EventKind::denied, source);
    denied.session = 0;
    denied.allowed = false;
    denied.reason = decision.reason;
    denied.rule = decision.rule;
    denied.detail = detail;
    emit(std::move(denied));
    return StartOutcome{StartOutcome::Status::denied, 0, std::move(decision)};
  };

  if (!request.any_call && s.info.target.empty())  // a call picked by id with no agent in it
    return deny(Decision::deny(Reason::no_call, "target_in_call"));

  // The first call the policy allows wins. A denial no other call could change
  // (scope, grants...) is final; a call-specific one (privacy...) skips that call.
  Decision denial = Decision::deny(Reason::no_call, "target_in_call");
  for (Candidate& candidate : found) {
    candidate.decision = decide(s.info, *candidate.call, candidate.agent, s.info.mode, nullptr, Count::all);
    if (candidate.decision.allowed) {
      Session& stored = store(std::move(s), plan);
      activate(stored, candidate, source, detail);
      return {StartOutcome::Status::started, stored.info.id, std::move(candidate.decision)};
    }
    if (!detail::skips_call(s.info, candidate.decision.reason)) return deny(std::move(candidate.decision));
    if (!request.any_call && denial.reason == Reason::no_call) denial = candidate.decision;
  }

  // No call to supervise now: may the supervisor supervise this target at all?
  Decision up_front = decide_idle(s.info);
  if (!up_front.allowed && !detail::call_may_change(up_front.reason)) return deny(std::move(up_front));
  const bool wait = request.any_call ? !options.stop_when_none_left : options.pre_arm;
  if (!wait) return deny(std::move(denial));
  s.info.allowed_modes = up_front.modes;
  Session& stored = store(std::move(s), plan);
  stored.info.state = SessionState::armed;
  emit(event_of(stored.info, EventKind::armed, source, detail));
  return {StartOutcome::Status::armed, stored.info.id, Decision::allow(stored.info.allowed_modes, "armed")};
}

CALLSUP_DECL SupervisionService::Session& SupervisionService::store(Session s, const FeatureCodePlan& plan) {
  ++next_session_id_;
  s.dtmf = std::make_unique<DtmfSwitch>(plan, *clock_);
  const SessionId id = s.info.id;
  by_supervisor_leg_[s.info.supervisor_leg] = id;
  return sessions_.emplace(id, std::move(s)).first->second;
}

CALLSUP_DECL SessionOptions SupervisionService::default_options_for(const std::string& supervisor,
                                                                    const FeatureCodePlan& plan) const {
  const SessionDefaults layered = directory_.read([&](const Directory::View& view) {
    SessionDefaults out = plan.session_defaults;
    if (const ExtensionProfile* profile = view.find_extension(supervisor)) {
      if (const TenantSettings* tenant = view.find_tenant(profile->tenant))
        out = tenant->session_defaults.over(out);
      out = profile->session_defaults.over(out);
    }
    return out;
  });
  return config_.default_options.with(layered);
}

}  // namespace callsup
