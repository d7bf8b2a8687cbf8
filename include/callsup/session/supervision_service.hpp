// callsup: supervision sessions — dial, start, DTMF, mode switches, reactions to the
// PBX's calls and to directory changes, routes, events and audit.
#pragma once

#include <algorithm>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "callsup/audit/audit_sink.hpp"
#include "callsup/detail/ordered_dispatcher.hpp"
#include "callsup/dialplan/dial_parser.hpp"
#include "callsup/dialplan/dtmf_switch.hpp"
#include "callsup/dialplan/presets.hpp"
#include "callsup/dialplan/validate.hpp"
#include "callsup/model/call_registry.hpp"
#include "callsup/model/directory.hpp"
#include "callsup/policy/standard_policy.hpp"
#include "callsup/routing/compute_routes.hpp"
#include "callsup/session/event_sink.hpp"
#include "callsup/session/service_types.hpp"

namespace callsup {

/// Runs supervision sessions over the PBX's CallRegistry and Directory.
///
/// Thread-safe: every public function may be called from any thread. Decisions are
/// taken under the service's lock; events, audit records and route updates are
/// delivered after it is released, in order, before the call that caused them
/// returns (a sink that calls back into the service gets its own events afterwards).
/// The registry and directory must outlive the service.
class SupervisionService {
 public:
  using RouteObserver = std::function<void(const std::shared_ptr<const RouteSet>&)>;

  SupervisionService(CallRegistry& registry, Directory& directory,
                     std::shared_ptr<const PermissionPolicy> policy = std::make_shared<StandardPolicy>(),
                     ServiceConfig config = {})
      : registry_(registry),
        directory_(directory),
        policy_(std::move(policy)),
        config_(std::move(config)),
        clock_(config_.clock ? config_.clock : &default_clock_),
        dispatcher_([this](Delivery& item) { deliver(item); }) {
    if (!policy_) throw Error(errc::invalid_argument, "SupervisionService needs a policy");
    config_.default_options.validate();
    // Presets are checked against the reserved codes when a tenant first uses one, so
    // reserving a preset's code only matters to tenants that dial that preset.
    for (const auto& name : preset_names())
      plans_.insert_or_assign(name, PlanEntry{DialParser(preset(name)), false});
    for (const auto& plan : config_.plans) add_plan_locked(plan);
    if (!plans_.count(config_.default_plan))
      throw Error(errc::invalid_plan,
                  "default plan " + quoted(config_.default_plan) + " is not a known plan");
    // unsubscribe() in the destructor waits for a callback under way on another thread.
    registry_subscription_ = registry_.subscribe([this](const RegistryEvent& e) { on_registry(e); });
    directory_subscription_ = directory_.subscribe([this](const DirectoryChange& c) { on_directory(c); });
  }

  SupervisionService(const SupervisionService&) = delete;
  SupervisionService& operator=(const SupervisionService&) = delete;

  /// Ends the sessions still running (reason shutdown) and delivers their events.
  ~SupervisionService() {
    registry_.unsubscribe(registry_subscription_);
    directory_.unsubscribe(directory_subscription_);
    std::unique_lock lock(mutex_);
    for (SessionId id : session_ids([](const Session&) { return true; }))
      end_session(sessions_.at(id), EndReason::shutdown, EventSource::api);
    finish(lock, 0);
  }

  // --- plans ----------------------------------------------------------------------

  /// Adds (or replaces) a plan that tenants can name. Validated against the
  /// directory's extension lengths and the reserved codes.
  void add_plan(const FeatureCodePlan& plan) {
    std::lock_guard lock(mutex_);
    add_plan_locked(plan);
  }
  FeatureCodePlan plan(const std::string& name) {
    std::lock_guard lock(mutex_);
    return plan_locked(name).parser.plan();
  }
  /// The plan a supervisor's phone dials (its tenant's, or the default plan).
  FeatureCodePlan plan_for_supervisor(const std::string& supervisor) {
    std::lock_guard lock(mutex_);
    return plan_locked(plan_name_of(supervisor)).parser.plan();
  }

  // --- starting -------------------------------------------------------------------

  /// The PBX hands over a dialled string and the supervisor's leg. Not a supervision
  /// code: status not_ours and nothing happens. Malformed (e.g. "*90abc"): Error.
  StartOutcome dial(const LegId& supervisor_leg, const std::string& supervisor, std::string_view dialled,
                    std::optional<SessionOptions> options = std::nullopt) {
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

  /// Starts supervision through the API.
  StartOutcome start(const StartRequest& request) {
    std::unique_lock lock(mutex_);
    return start_and_deliver(lock, request, EventSource::api, {});
  }

  // --- during a session -----------------------------------------------------------

  /// A digit the supervisor pressed (RFC 4733, SIP INFO or API).
  DtmfResult dtmf(SessionId id, char digit) { return dtmf(id, std::string_view(&digit, 1)); }
  /// Digits pressed in a row ("*81"), fed one by one; returns the last digit's result.
  /// Digits after one that ended the session (the exit key) are ignored. Throws
  /// Error(invalid_argument) naming a digit that is not 0-9 * # A-D (no digit is fed then).
  DtmfResult dtmf(SessionId id, std::string_view digits) {
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
  /// A digit from a leg: routed to the session the leg supervises; nullopt when the
  /// leg supervises nothing (the PBX handles the digit itself).
  std::optional<DtmfResult> dtmf_from_leg(const LegId& leg, char digit) {
    return dtmf_from_leg(leg, std::string_view(&digit, 1));
  }
  /// Digits from a leg in a row (a SIP INFO may carry several), as dtmf(id, digits).
  std::optional<DtmfResult> dtmf_from_leg(const LegId& leg, std::string_view digits) {
    SessionId id = 0;
    {
      std::lock_guard lock(mutex_);
      auto it = by_supervisor_leg_.find(leg);
      if (it == by_supervisor_leg_.end()) return std::nullopt;
      id = it->second;
    }
    return dtmf(id, digits);
  }
  /// Expires DTMF digits pending past the plan's inter-digit timeout. Returns how
  /// many sessions dropped pending digits.
  std::size_t poll() {
    std::lock_guard lock(mutex_);
    std::size_t expired = 0;
    for (auto& [id, s] : sessions_)
      if (s.dtmf->poll().kind == DtmfResult::Kind::timed_out) ++expired;
    return expired;
  }

  /// Switches the mode; the decision is re-checked. A mode the supervisor may not use
  /// here is refused (the session goes on); a session that lost its right ends.
  /// `channel` says where the switch came from (a web console says web); the policy sees it.
  Decision switch_mode(SessionId id, Mode mode, std::optional<WhisperTo> whisper_to = std::nullopt,
                       RequestChannel channel = RequestChannel::api) {
    std::unique_lock lock(mutex_);
    Session& s = live_session(id, "switch_mode");
    Decision decision = switch_mode_locked(s, mode, whisper_to.value_or(s.info.options.whisper_to),
                                           EventSource::api, channel);
    return finish(lock, std::move(decision));
  }

  /// Moves to the next call (spy-all) or the target's next call. False when there is
  /// no other call to move to.
  bool next(SessionId id) {
    std::unique_lock lock(mutex_);
    Session& s = live_session(id, "next");
    const bool moved = next_locked(s, EventSource::api);
    return finish(lock, moved);
  }

  /// Sets the volume step (-4..4) of what the supervisor hears.
  void set_volume(SessionId id, int step) {
    std::unique_lock lock(mutex_);
    Session& s = live_session(id, "set_volume");
    SessionOptions changed = s.info.options;
    changed.volume_step = step;
    changed.validate();
    s.info.options = changed;
    mark_dirty(s.info.call);
    finish(lock, 0);
  }

  /// Ends a session. False when it had already ended; Error for an unknown id.
  bool stop(SessionId id) {
    std::unique_lock lock(mutex_);
    if (!sessions_.count(id)) {
      if (ended_.count(id)) return false;
      throw Error(errc::unknown_session, "no session " + quoted(std::to_string(id)));
    }
    end_session(sessions_.at(id), EndReason::stopped, EventSource::api);
    return finish(lock, true);
  }

  // --- taps -----------------------------------------------------------------------

  void add_tap(const CallId& call, Tap tap) {
    std::unique_lock lock(mutex_);
    const auto found = registry_.find_call(call);
    if (!found) throw Error(errc::unknown_call, "no call " + quoted(call));
    if (tap.id.empty()) throw Error(errc::invalid_argument, "tap id must not be empty");
    if (id_in_use(*found, tap.id))
      throw Error(
          errc::duplicate_id,
          "tap " + quoted(tap.id) + " reuses the id of a leg, supervisor or tap of call " + quoted(call));
    taps_[call].push_back(std::move(tap));
    mark_dirty(call);
    finish(lock, 0);
  }
  void remove_tap(const CallId& call, const LegId& tap_id) {
    std::unique_lock lock(mutex_);
    auto taps = taps_.find(call);
    auto it = taps == taps_.end() ? std::vector<Tap>::iterator()
                                  : std::find_if(taps->second.begin(), taps->second.end(),
                                                 [&](const Tap& t) { return t.id == tap_id; });
    if (taps == taps_.end() || it == taps->second.end())
      throw Error(errc::unknown_leg, "no tap " + quoted(tap_id) + " on call " + quoted(call));
    taps->second.erase(it);
    mark_dirty(call);
    finish(lock, 0);
  }

  // --- queries --------------------------------------------------------------------

  std::optional<SessionInfo> session(SessionId id) const {
    std::lock_guard lock(mutex_);
    if (auto it = sessions_.find(id); it != sessions_.end()) return it->second.info;
    if (auto it = ended_.find(id); it != ended_.end()) return it->second;
    return std::nullopt;
  }
  /// Sessions that have not ended.
  std::vector<SessionInfo> sessions() const {
    std::lock_guard lock(mutex_);
    std::vector<SessionInfo> out;
    for (const auto& [id, s] : sessions_) out.push_back(s.info);
    return out;
  }
  std::vector<SessionInfo> sessions_on_call(const CallId& call) const {
    std::lock_guard lock(mutex_);
    std::vector<SessionInfo> out;
    for (const auto& [id, s] : sessions_)
      if (s.info.call == call) out.push_back(s.info);
    return out;
  }
  /// The call's current routes; after the call ended, its final set (`ended` true) for
  /// the last ServiceConfig::ended_calls_kept calls; nullptr for a call never seen.
  std::shared_ptr<const RouteSet> routes(const CallId& call) const {
    std::lock_guard lock(mutex_);
    if (auto it = routes_.find(call); it != routes_.end()) return it->second;
    auto it = ended_routes_.find(call);
    return it == ended_routes_.end() ? nullptr : it->second;
  }

  // --- security incidents ---------------------------------------------------------

  /// Writes a security incident the PBX saw (bad credentials, ...) to the event and
  /// audit sinks as an EventKind::security record: refused (`allowed` false, reason
  /// custom), `rule` = incident.what, `supervisor` = the account claimed, `tenant` =
  /// its tenant when the directory knows it. `what` must not be empty.
  void record_security(const SecurityIncident& incident) {
    if (incident.what.empty()) throw Error(errc::invalid_argument, "a security incident needs a `what`");
    std::unique_lock lock(mutex_);
    Event e;
    e.kind = EventKind::security;
    e.supervisor = incident.extension;
    if (auto profile = directory_.find_extension(incident.extension)) e.tenant = profile->tenant;
    e.allowed = false;
    e.reason = Reason::custom;
    e.rule = incident.what;
    e.detail = incident.detail;
    emit(std::move(e));
    finish(lock, 0);
  }

  // --- sinks ----------------------------------------------------------------------

  void add_event_sink(std::shared_ptr<EventSink> sink) {
    if (!sink) throw Error(errc::invalid_argument, "event sink must not be null");
    std::lock_guard lock(sinks_mutex_);
    event_sinks_.push_back(std::move(sink));
  }
  void add_audit_sink(std::shared_ptr<AuditSink> sink) {
    if (!sink) throw Error(errc::invalid_argument, "audit sink must not be null");
    std::lock_guard lock(sinks_mutex_);
    audit_sinks_.push_back(std::move(sink));
  }
  /// Called with every new RouteSet of every call (the media plane, an external mixer).
  void add_route_observer(RouteObserver observer) {
    if (!observer) throw Error(errc::invalid_argument, "route observer must be callable");
    std::lock_guard lock(sinks_mutex_);
    route_observers_.push_back(std::move(observer));
  }
  /// Route sets that could not be computed as asked: a PBX leg reusing the id of a
  /// supervisor leg or tap on its call. The clashing supervisor or tap is left out.
  std::uint64_t route_conflicts() const {
    std::lock_guard lock(mutex_);
    return route_conflicts_;
  }
  /// Sink exceptions are caught (a sink must not break the control plane); they are
  /// counted here with the last message.
  std::uint64_t sink_failures() const {
    std::lock_guard lock(sinks_mutex_);
    return sink_failures_;
  }
  std::string last_sink_failure() const {
    std::lock_guard lock(sinks_mutex_);
    return last_sink_failure_;
  }

 private:
  struct PlanEntry {
    DialParser parser;
    bool checked = false;  // validated against the directory and reserved codes
  };
  struct Session {
    SessionInfo info;
    std::unique_ptr<DtmfSwitch> dtmf;
    std::set<CallId> denied_calls;  // an armed session reports each refused call once
  };
  using Delivery = std::variant<Event, std::shared_ptr<const RouteSet>>;

  // Reasons that concern one call only: another call of the target may be allowed, so
  // a start tries the next one and an armed session keeps waiting.
  static bool call_specific(Reason reason) {
    switch (reason) {
    case Reason::privacy:
    case Reason::not_bridged:
    case Reason::whisper_topology:
    case Reason::supervisor_cap:
    case Reason::barge_cap:
    case Reason::self_supervision:
    case Reason::cross_tenant:
    case Reason::no_call: return true;
    default: return false;
    }
  }
  // A spy-all session picks its own targets: whatever concerns the target or its call
  // only skips that call. What concerns the supervisor itself is final.
  static bool skips_call(const SessionInfo& info, Reason reason) {
    if (!info.any_call) return call_specific(reason);
    switch (reason) {
    case Reason::unknown_supervisor:
    case Reason::supervision_disabled:
    case Reason::not_a_supervisor:
    case Reason::mode_not_granted:
    case Reason::channel_not_allowed:
    case Reason::custom: return false;
    default: return true;
    }
  }
  // The idle check (no call at hand) puts the target alone in a call of its own
  // tenant: privacy, tenant and self there concern the target itself, so they are
  // final; only what a future call may change keeps a session waiting.
  static bool call_may_change(Reason reason) {
    return call_specific(reason) && reason != Reason::privacy && reason != Reason::cross_tenant &&
           reason != Reason::self_supervision;
  }
  // Reasons that refuse a mode switch without ending the session (a switch through a
  // channel the supervisor may not use leaves the session as its own channel set it up).
  static bool mode_specific(Reason reason) {
    return reason == Reason::mode_not_granted || reason == Reason::whisper_topology ||
           reason == Reason::barge_cap || reason == Reason::channel_not_allowed;
  }

  // --- plans ----------------------------------------------------------------------

  void add_plan_locked(const FeatureCodePlan& plan) {
    check_plan(plan);
    plans_.insert_or_assign(plan.name, PlanEntry{DialParser(plan), true});
  }
  void check_plan(const FeatureCodePlan& plan) const {
    callsup::validate(plan, PlanContext{directory_.extension_lengths(), config_.reserved_codes});
  }
  const PlanEntry& plan_locked(const std::string& name) {
    auto it = plans_.find(name);
    if (it == plans_.end()) throw Error(errc::invalid_plan, "unknown feature-code plan " + quoted(name));
    if (!it->second.checked) {
      check_plan(it->second.parser.plan());
      it->second.checked = true;
    }
    return it->second;
  }
  std::string plan_name_of(const std::string& supervisor) const {
    if (auto profile = directory_.find_extension(supervisor))
      if (auto tenant = directory_.find_tenant(profile->tenant)) return tenant->feature_code_plan;
    return config_.default_plan;
  }

  // --- starting -------------------------------------------------------------------

  StartOutcome start_and_deliver(std::unique_lock<std::mutex>& lock, const StartRequest& request,
                                 EventSource source, std::string detail) {
    return finish(lock, start_locked(request, source, std::move(detail)));
  }

  StartOutcome start_locked(const StartRequest& request, EventSource source, std::string detail) {
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
    SessionOptions options =
        request.options ? *request.options : default_options_for(request.supervisor, plan);
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
      if (!skips_call(s.info, candidate.decision.reason)) return deny(std::move(candidate.decision));
      if (!request.any_call && denial.reason == Reason::no_call) denial = candidate.decision;
    }

    // No call to supervise now: may the supervisor supervise this target at all?
    Decision up_front = decide_idle(s.info);
    if (!up_front.allowed && !call_may_change(up_front.reason)) return deny(std::move(up_front));
    const bool wait = request.any_call ? !options.stop_when_none_left : options.pre_arm;
    if (!wait) return deny(std::move(denial));
    s.info.allowed_modes = up_front.modes;
    Session& stored = store(std::move(s), plan);
    stored.info.state = SessionState::armed;
    emit(event_of(stored.info, EventKind::armed, source, detail));
    return {StartOutcome::Status::armed, stored.info.id, Decision::allow(stored.info.allowed_modes, "armed")};
  }

  Session& store(Session s, const FeatureCodePlan& plan) {
    ++next_session_id_;
    s.dtmf = std::make_unique<DtmfSwitch>(plan, *clock_);
    const SessionId id = s.info.id;
    by_supervisor_leg_[s.info.supervisor_leg] = id;
    return sessions_.emplace(id, std::move(s)).first->second;
  }

  struct Candidate {
    std::shared_ptr<const Call> call;
    std::string agent;  // extension
    LegId agent_leg;
    Decision decision;
  };

  // Calls this session could supervise, in order: the target's calls (or, for
  // spy-all, the tenant's), each with the agent leg to follow.
  std::vector<Candidate> candidates(const SessionInfo& info, const CallId& only_call) const {
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

  bool is_supervisor_leg(const LegId& leg) const { return by_supervisor_leg_.count(leg) != 0; }

  // The agent of a call picked by id: its first on-net party that is up, is not the
  // supervisor and supervises nothing. "" when there is none.
  std::string agent_of_call(const CallId& id, const SessionInfo& info) const {
    const auto call = registry_.find_call(id);
    if (!call) return {};
    for (const Leg& leg : call->legs)
      if (leg.network == Network::on_net && leg.state == LegState::up && leg.extension != info.supervisor &&
          !is_supervisor_leg(leg.id))
        return leg.extension;
    return {};
  }

  // ServiceConfig's default options with the plan's, the tenant's and the supervisor's
  // own session defaults over them, most specific last.
  SessionOptions default_options_for(const std::string& supervisor, const FeatureCodePlan& plan) const {
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

  // True when `id` names a leg of the call, a tap on it, or a supervisor leg on it.
  bool id_in_use(const Call& call, const LegId& id) const {
    if (call.find_leg(id)) return true;
    if (auto taps = taps_.find(call.id); taps != taps_.end())
      for (const Tap& tap : taps->second)
        if (tap.id == id) return true;
    auto session = by_supervisor_leg_.find(id);
    return session != by_supervisor_leg_.end() && sessions_.at(session->second).info.call == call.id;
  }

  // --- deciding -------------------------------------------------------------------

  // Which other sessions count against the caps: all of them for a new request or a
  // mode switch; on a re-check only older ones, so a lowered cap ends the newest.
  enum class Count : std::uint8_t { all, older };

  // Decides for `info` on `call`. A policy that throws denies (fail closed).
  Decision decide(const SessionInfo& info, const Call& call, const std::string& agent, Mode mode,
                  const Session* self, Count count) const {
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

  // With no call at hand: the target alone in a call of its tenant (spy-all: an empty
  // call of the supervisor's tenant and no target).
  Decision decide_idle(const SessionInfo& info) const {
    Call idle;
    idle.tenant = info.tenant;
    if (!info.any_call) {
      if (const auto target = directory_.find_extension(info.target)) idle.tenant = target->tenant;
      idle.legs.push_back(Leg::on_net("", info.target, LegState::up));
    }
    return decide(info, idle, info.any_call ? std::string() : info.target, info.mode, nullptr, Count::all);
  }

  void activate(Session& s, const Candidate& c, EventSource source, const std::string& detail) {
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

  static LegId whisper_leg_of(const Call& call, const LegId& target_leg, WhisperTo whisper_to) {
    if (whisper_to == WhisperTo::target) return target_leg;
    for (const Leg& leg : call.legs)
      if (leg.id != target_leg && leg.state != LegState::gone) return leg.id;
    return target_leg;
  }

  void notify_agent_if_needed(const Session& s, EventSource source) {
    if (s.info.state == SessionState::active && s.info.options.notify_agent && s.info.mode != Mode::listen)
      emit(event_of(s.info, EventKind::agent_notified, source));
  }

  // --- during a session -----------------------------------------------------------

  Session& live_session(SessionId id, const char* operation) {
    auto it = sessions_.find(id);
    if (it != sessions_.end()) return it->second;
    if (ended_.count(id))
      throw Error(errc::session_ended, std::string(operation) + ": session " + quoted(std::to_string(id)) +
                                           " has ended (" + std::string(to_string(ended_.at(id).end_reason)) +
                                           ")");
    throw Error(errc::unknown_session, std::string(operation) + ": no session " + quoted(std::to_string(id)));
  }

  void run_command(Session& s, const DtmfCommand& command) {
    switch (command.action) {
    case DtmfCommand::Action::switch_mode:
      switch_mode_locked(s, command.mode, command.whisper_to.value_or(s.info.options.whisper_to),
                         EventSource::dtmf, RequestChannel::dtmf);
      break;
    case DtmfCommand::Action::next_target: next_locked(s, EventSource::dtmf); break;
    case DtmfCommand::Action::exit: end_session(s, EndReason::stopped, EventSource::dtmf); break;
    }
  }

  Decision switch_mode_locked(Session& s, Mode mode, WhisperTo whisper_to, EventSource source,
                              RequestChannel channel) {
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
      if (!decision.allowed && call_may_change(decision.reason))
        decision = Decision::allow(decision.modes, "armed");
    }
    if (!decision.allowed) {
      if (!mode_specific(decision.reason)) {
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

  bool next_locked(Session& s, EventSource source) {
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

  void end_session(Session& s, EndReason reason, EventSource source,
                   Reason decision_reason = Reason::allowed) {
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

  // The session's call is over for it: end (E), move on to another call, end when none
  // is left (S), or wait for one, as its options say; targeted and spy-all alike.
  void leave_call(Session& s, EndReason reason, EventSource source) {
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

  // An armed session looks for a call it may supervise.
  void try_attach(Session& s, EventSource source) {
    std::set<CallId> still_denied;
    for (Candidate& c : candidates(s.info, {})) {
      c.decision = decide(s.info, *c.call, c.agent, s.info.mode, &s, Count::all);
      if (c.decision.allowed) return activate(s, c, source, {});
      if (!skips_call(s.info, c.decision.reason)) {
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

  // --- reactions ------------------------------------------------------------------

  void on_registry(const RegistryEvent& e) {
    std::unique_lock lock(mutex_);
    const Call& call = *e.call;
    if (e.kind == RegistryEventKind::call_ended) {
      for (SessionId id : session_ids([&](const Session& s) { return s.info.call == call.id; }))
        if (sessions_.count(id)) leave_call(sessions_.at(id), EndReason::call_ended, EventSource::registry);
      for (SessionId id :
           session_ids([&](const Session& s) { return is_leg_of(call, s.info.supervisor_leg); }))
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

  void on_leg_change(const RegistryEvent& e, const Call& call, bool departed) {
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

  void on_target_left(Session& s) {
    if (s.info.mode == Mode::barge) {
      const bool takeover = s.info.options.agent_leaves_in_barge == AgentLeavesInBarge::supervisor_takes_over;
      emit(event_of(s.info, EventKind::action_requested, EventSource::registry,
                    takeover ? "takeover" : "end_call"));
      return end_session(s, takeover ? EndReason::taken_over : EndReason::agent_left_barge,
                         EventSource::registry);
    }
    leave_call(s, EndReason::target_left, EventSource::registry);
  }

  void on_target_transferred(Session& s, const Call& call, const LegId& new_leg_id) {
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

  void on_directory(const DirectoryChange&) {
    std::unique_lock lock(mutex_);
    for (SessionId id : session_ids([](const Session&) { return true; })) {
      if (!sessions_.count(id)) continue;
      Session& s = sessions_.at(id);
      if (s.info.state == SessionState::active) {
        recheck(s, EventSource::directory);
      } else {
        Decision decision = decide_idle(s.info);
        if (!decision.allowed && !call_may_change(decision.reason))
          end_session(s, EndReason::permission_lost, EventSource::directory, decision.reason);
      }
    }
    for (SessionId id : session_ids([](const Session& s) { return s.info.state == SessionState::armed; }))
      if (sessions_.count(id)) try_attach(sessions_.at(id), EventSource::directory);
    // As for registry events: this thread is delivering the directory's change.
    finish(lock, 0, /*wait_for_other_drainer=*/false);
  }

  void recheck_call(const CallId& call, EventSource source) {
    for (SessionId id : session_ids([&](const Session& s) { return s.info.call == call; }))
      if (sessions_.count(id)) recheck(sessions_.at(id), source);
  }

  void recheck(Session& s, EventSource source) {
    if (s.info.state != SessionState::active) return;
    const auto call = registry_.find_call(s.info.call);
    if (!call) return;
    Decision decision = decide(s.info, *call, s.info.target, s.info.mode, &s, Count::older);
    if (!decision.allowed) return end_session(s, EndReason::permission_lost, source, decision.reason);
    s.info.allowed_modes = decision.modes;
  }

  template <typename Pred>
  std::vector<SessionId> session_ids(Pred pred) const {
    std::vector<SessionId> ids;
    for (const auto& [id, s] : sessions_)
      if (s.info.state != SessionState::ended && pred(s)) ids.push_back(id);
    return ids;
  }
  static bool is_leg_of(const Call& call, const LegId& leg) { return call.find_leg(leg) != nullptr; }
  static LegState leg_state(const Call& call, const LegId& leg) {
    const Leg* found = call.find_leg(leg);
    return found ? found->state : LegState::gone;
  }

  // --- events and routes ----------------------------------------------------------

  Event event_of(const SessionInfo& info, EventKind kind, EventSource source, std::string detail = {}) const {
    Event e;
    e.kind = kind;
    e.session = info.id;
    e.tenant = info.tenant;
    e.call = info.call;
    e.supervisor = info.supervisor;
    e.supervisor_leg = info.supervisor_leg;
    e.target = info.target;
    e.target_leg = info.target_leg;
    e.mode = info.mode;
    e.source = source;
    e.channel = info.channel;
    e.detail = std::move(detail);
    return e;
  }

  void emit(Event e) {
    e.sequence = ++sequence_;
    e.time = config_.wall_clock ? config_.wall_clock() : std::chrono::system_clock::now();
    dispatcher_.enqueue(std::move(e));
  }

  void mark_dirty(const CallId& call) {
    if (!call.empty() && std::find(dirty_.begin(), dirty_.end(), call) == dirty_.end())
      dirty_.push_back(call);
  }

  void publish_routes() {
    for (const CallId& id : dirty_) {
      auto call = registry_.find_call(id);
      auto previous = routes_.find(id);
      if (!call) {
        if (previous == routes_.end()) continue;
        auto ended = std::make_shared<RouteSet>();
        ended->call = id;
        ended->version = previous->second->version + 1;
        ended->ended = true;
        routes_.erase(previous);
        std::shared_ptr<const RouteSet> final_set = std::move(ended);
        keep_ended_routes(id, final_set);
        dispatcher_.enqueue(std::move(final_set));
        continue;
      }
      auto fresh = std::make_shared<RouteSet>(routes_without_conflicts(*call));
      if (previous != routes_.end() && previous->second->same_routing(*fresh)) continue;
      fresh->version = previous == routes_.end() ? 1 : previous->second->version + 1;
      routes_[id] = fresh;
      ended_routes_.erase(id);  // a call id the PBX used again
      dispatcher_.enqueue(std::shared_ptr<const RouteSet>(std::move(fresh)));
    }
    dirty_.clear();
  }

  void keep_ended_routes(const CallId& id, std::shared_ptr<const RouteSet> final_set) {
    if (config_.ended_calls_kept == 0) return;
    if (ended_routes_.insert_or_assign(id, std::move(final_set)).second) ended_routes_order_.push_back(id);
    while (ended_routes_order_.size() > config_.ended_calls_kept) {
      ended_routes_.erase(ended_routes_order_.front());
      ended_routes_order_.pop_front();
    }
  }

  // The PBX may add a leg whose id a supervisor leg or tap on the call already uses;
  // the newcomer wins, the clashing supervisor or tap is left out and counted.
  RouteSet routes_without_conflicts(const Call& call) {
    std::set<LegId> used;
    for (const Leg& leg : call.legs) used.insert(leg.id);
    std::vector<SupervisorRoute> supervisors;
    for (const auto& [sid, s] : sessions_) {
      if (s.info.state != SessionState::active || s.info.call != call.id) continue;
      if (used.insert(s.info.supervisor_leg).second) {
        supervisors.push_back(route_of(s.info));
      } else {
        ++route_conflicts_;
      }
    }
    std::vector<Tap> taps;
    if (auto found = taps_.find(call.id); found != taps_.end())
      for (const Tap& tap : found->second) {
        if (used.insert(tap.id).second) {
          taps.push_back(tap);
        } else {
          ++route_conflicts_;
        }
      }
    return compute_routes(call, supervisors, taps);
  }

  SupervisorRoute route_of(const SessionInfo& info) const {
    SupervisorRoute r;
    r.supervisor_leg = info.supervisor_leg;
    if (auto own = registry_.find_call_of_leg(info.supervisor_leg))
      r.supervisor_up = leg_state(*own, info.supervisor_leg) == LegState::up;
    r.mode = info.mode;
    r.target_leg = info.target_leg;
    r.whisper_leg = info.whisper_leg;
    r.direction = info.options.listen_direction;
    r.stereo = info.options.stereo;
    r.private_whisper = info.options.private_whisper;
    r.gain = volume_gain(info.options.volume_step);
    r.monitoring_tone = info.options.monitoring_tone;
    return r;
  }

  // Publishes routes, releases the lock and delivers everything queued so far.
  template <typename T>
  T finish(std::unique_lock<std::mutex>& lock, T result, bool wait_for_other_drainer = true) {
    publish_routes();
    const auto ticket = dispatcher_.last_ticket();
    lock.unlock();
    dispatcher_.deliver_until(ticket, wait_for_other_drainer);
    return result;
  }

  void deliver(Delivery& item) {
    std::vector<std::shared_ptr<AuditSink>> audits;
    std::vector<std::shared_ptr<EventSink>> events;
    std::vector<RouteObserver> observers;
    {
      std::lock_guard lock(sinks_mutex_);
      audits = audit_sinks_;
      events = event_sinks_;
      observers = route_observers_;
    }
    auto guard = [&](auto&& fn) {
      try {
        fn();
      } catch (const std::exception& ex) {
        std::lock_guard lock(sinks_mutex_);
        ++sink_failures_;
        last_sink_failure_ = ex.what();
      } catch (...) {
        std::lock_guard lock(sinks_mutex_);
        ++sink_failures_;
        last_sink_failure_ = "unknown exception";
      }
    };
    if (auto* event = std::get_if<Event>(&item)) {
      for (auto& sink : audits) guard([&] { sink->write(*event); });
      for (auto& sink : events) guard([&] { sink->on_event(*event); });
    } else {
      auto& routes = std::get<std::shared_ptr<const RouteSet>>(item);
      for (auto& observer : observers) guard([&] { observer(routes); });
    }
  }

  CallRegistry& registry_;
  Directory& directory_;
  std::shared_ptr<const PermissionPolicy> policy_;
  ServiceConfig config_;
  SteadyClock default_clock_;
  const Clock* clock_;

  mutable std::mutex mutex_;
  std::map<std::string, PlanEntry> plans_;
  std::map<SessionId, Session> sessions_;
  std::unordered_map<LegId, SessionId> by_supervisor_leg_;
  std::unordered_map<SessionId, SessionInfo> ended_;
  std::vector<SessionId> ended_order_;
  std::unordered_map<CallId, std::vector<Tap>> taps_;
  std::unordered_map<CallId, std::shared_ptr<const RouteSet>> routes_;
  std::unordered_map<CallId, std::shared_ptr<const RouteSet>> ended_routes_;  // final sets, kept a while
  std::deque<CallId> ended_routes_order_;
  std::vector<CallId> dirty_;
  std::uint64_t route_conflicts_ = 0;
  SessionId next_session_id_ = 1;
  std::uint64_t sequence_ = 0;

  detail::OrderedDispatcher<Delivery> dispatcher_;
  mutable std::mutex sinks_mutex_;
  std::vector<std::shared_ptr<AuditSink>> audit_sinks_;
  std::vector<std::shared_ptr<EventSink>> event_sinks_;
  std::vector<RouteObserver> route_observers_;
  std::uint64_t sink_failures_ = 0;
  std::string last_sink_failure_;

  CallRegistry::SubscriptionId registry_subscription_ = 0;
  Directory::SubscriptionId directory_subscription_ = 0;
};

}  // namespace callsup
