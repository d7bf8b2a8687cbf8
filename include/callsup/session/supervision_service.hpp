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
#include "callsup/detail/config.hpp"
#include "callsup/detail/observer_list.hpp"
#include "callsup/detail/ordered_dispatcher.hpp"
#include "callsup/dialplan/dial_parser.hpp"
#include "callsup/dialplan/dtmf_switch.hpp"
#include "callsup/dialplan/presets.hpp"
#include "callsup/dialplan/validate.hpp"
#include "callsup/model/call_registry.hpp"
#include "callsup/model/directory.hpp"
#include "callsup/policy/standard_policy.hpp"
#include "callsup/routing/compute_routes.hpp"
#include "callsup/session/detail/reason_kinds.hpp"
#include "callsup/session/event_sink.hpp"
#include "callsup/session/service_types.hpp"
#include "callsup/subscription.hpp"

namespace callsup {

/// Runs supervision sessions over the PBX's CallRegistry and Directory.
///
/// Thread-safe: every public function may be called from any thread. Decisions are
/// taken under the service's lock; events, audit records and route updates are
/// delivered after it is released, in order, before the call that caused them
/// returns (a sink that calls back into the service gets its own events afterwards).
/// The registry and directory must outlive the service.
///
/// The definitions live beside this header, one concern per file (impl/service_*.ipp):
/// lifecycle, plans, starting, candidates (the calls a session could take), deciding,
/// switching (DTMF, modes, next, stop), reactions (registry and directory changes),
/// routes (taps, RouteSets), queries, delivery (events to the sinks, in order).
class SupervisionService {
 public:
  /// What a route observer gets: one struct, so fields can be added without breaking anyone.
  struct OnRoutesParam {
    std::shared_ptr<const RouteSet> routes;  ///< a call's new routes (`ended` when it ended)
  };
  /// Called with each call's new routes (see add_route_observer).
  using RouteObserver = std::function<void(const OnRoutesParam&)>;

  /// Supervises the calls of `registry` by `directory`'s records, asking `policy`; both must outlive it.
  SupervisionService(CallRegistry& registry, Directory& directory,
                     std::shared_ptr<const PermissionPolicy> policy = std::make_shared<StandardPolicy>(),
                     ServiceConfig config = {});

  SupervisionService(const SupervisionService&) = delete;
  SupervisionService& operator=(const SupervisionService&) = delete;

  /// Ends the sessions still running (reason shutdown) and delivers their events.
  ~SupervisionService();

  // --- plans ----------------------------------------------------------------------

  /// Adds (or replaces) a plan that tenants can name. Validated against the
  /// directory's extension lengths and the reserved codes.
  void add_plan(const FeatureCodePlan& plan);
  /// The plan named `name` (a preset or an added one). Throws Error(invalid_plan) for an unknown name.
  FeatureCodePlan plan(const std::string& name);
  /// The plan a supervisor's phone dials (its tenant's, or the default plan).
  FeatureCodePlan plan_for_supervisor(const std::string& supervisor);

  // --- starting -------------------------------------------------------------------

  /// The PBX hands over a dialled string and the supervisor's leg. Not a supervision
  /// code: status not_ours and nothing happens. Malformed (e.g. "*90abc"): Error.
  StartOutcome dial(const LegId& supervisor_leg, const std::string& supervisor, std::string_view dialled,
                    std::optional<SessionOptions> options = std::nullopt);

  /// Starts supervision through the API.
  StartOutcome start(const StartRequest& request);

  // --- during a session -----------------------------------------------------------

  /// A digit the supervisor pressed (RFC 4733, SIP INFO or API).
  DtmfResult dtmf(SessionId id, char digit) { return dtmf(id, std::string_view(&digit, 1)); }
  /// Digits pressed in a row ("*81"), fed one by one; returns the last digit's result.
  /// Digits after one that ended the session (the exit key) are ignored. Throws
  /// Error(invalid_argument) naming a digit that is not 0-9 * # A-D (no digit is fed then).
  DtmfResult dtmf(SessionId id, std::string_view digits);
  /// A digit from a leg: routed to the session the leg supervises; nullopt when the
  /// leg supervises nothing (the PBX handles the digit itself).
  std::optional<DtmfResult> dtmf_from_leg(const LegId& leg, char digit);
  /// Digits from a leg in a row (a SIP INFO may carry several), as dtmf(id, digits).
  std::optional<DtmfResult> dtmf_from_leg(const LegId& leg, std::string_view digits);
  /// Expires DTMF digits pending past the plan's inter-digit timeout. Returns how
  /// many sessions dropped pending digits.
  std::size_t poll();

  /// Switches the mode; the decision is re-checked. A mode the supervisor may not use
  /// here is refused (the session goes on); a session that lost its right ends.
  /// `channel` says where the switch came from (a web console says web); the policy sees it.
  Decision switch_mode(SessionId id, Mode mode, std::optional<WhisperTo> whisper_to = std::nullopt,
                       RequestChannel channel = RequestChannel::api);

  /// Moves to the next call (spy-all) or the target's next call. False when there is
  /// no other call to move to.
  bool next(SessionId id);

  /// Sets the volume step (-4..4) of what the supervisor hears.
  void set_volume(SessionId id, int step);

  /// Ends a session. False when it had already ended; Error for an unknown id.
  bool stop(SessionId id);

  // --- taps -----------------------------------------------------------------------

  /// Attaches a recorder or transcriber to the call. Throws Error(unknown_call), Error(duplicate_id) if its
  /// id is a leg's, supervisor's or tap's of the call, Error(invalid_argument) for an empty id.
  void add_tap(const CallId& call, Tap tap);
  /// Detaches a tap. Throws Error(unknown_leg) when the call has no such tap.
  void remove_tap(const CallId& call, const LegId& tap_id);

  // --- queries --------------------------------------------------------------------

  /// The session, ended ones included (the last ServiceConfig::ended_sessions_kept); nullopt when unknown.
  std::optional<SessionInfo> session(SessionId id) const;
  /// Sessions that have not ended.
  std::vector<SessionInfo> sessions() const;
  /// The sessions on the call, as copies.
  std::vector<SessionInfo> sessions_on_call(const CallId& call) const;
  /// The call's current routes; after the call ended, its final set (`ended` true) for
  /// the last ServiceConfig::ended_calls_kept calls; nullptr for a call never seen.
  std::shared_ptr<const RouteSet> routes(const CallId& call) const;

  // --- security incidents ---------------------------------------------------------

  /// Writes a security incident the PBX saw (bad credentials, ...) to the event and
  /// audit sinks as an EventKind::security record: refused (`allowed` false, reason
  /// custom), `rule` = incident.what, `supervisor` = the account claimed, `tenant` =
  /// its tenant when the directory knows it. `what` must not be empty.
  void record_security(const SecurityIncident& incident);

  // --- sinks ----------------------------------------------------------------------

  /// Adds a sink for every event; the returned Subscription removes it (once reset()
  /// returns, the sink is not called again). Null sinks throw Error(invalid_argument).
  /// The destructor's records (sessions ended, reason shutdown) reach only the sinks still
  /// subscribed: keep the Subscription longer than the service (declare it first), or
  /// release() it to keep the sink for the service's whole life.
  Subscription add_event_sink(std::shared_ptr<EventSink> sink);
  /// Adds a sink for the audit records (every event); removed like add_event_sink's.
  Subscription add_audit_sink(std::shared_ptr<AuditSink> sink);
  /// Called with every new RouteSet of every call (the media plane, an external mixer;
  /// callsup/supervised_media.hpp connects a MediaEngine). Removed like add_event_sink's.
  Subscription add_route_observer(RouteObserver observer);
  /// Route sets that could not be computed as asked: a PBX leg reusing the id of a
  /// supervisor leg or tap on its call. The clashing supervisor or tap is left out.
  std::uint64_t route_conflicts() const;
  /// Sink exceptions are caught (a sink must not break the control plane); they are
  /// counted here with the last message.
  std::uint64_t sink_failures() const;
  /// The message of the last sink exception; empty when none.
  std::string last_sink_failure() const;

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

  // --- plans ----------------------------------------------------------------------

  void add_plan_locked(const FeatureCodePlan& plan);
  void check_plan(const FeatureCodePlan& plan) const;
  const PlanEntry& plan_locked(const std::string& name);
  std::string plan_name_of(const std::string& supervisor) const;

  // --- starting -------------------------------------------------------------------

  StartOutcome start_and_deliver(std::unique_lock<std::mutex>& lock, const StartRequest& request,
                                 EventSource source, std::string detail);

  StartOutcome start_locked(const StartRequest& request, EventSource source, std::string detail);
  Session& store(Session s, const FeatureCodePlan& plan);

  struct Candidate {
    std::shared_ptr<const Call> call;
    std::string agent;  // extension
    LegId agent_leg;
    Decision decision;
  };

  // Calls this session could supervise, in order: the target's calls (or, for
  // spy-all, the tenant's), each with the agent leg to follow.
  std::vector<Candidate> candidates(const SessionInfo& info, const CallId& only_call) const;
  bool is_supervisor_leg(const LegId& leg) const { return by_supervisor_leg_.count(leg) != 0; }

  // The agent of a call picked by id: its first on-net party that is up, is not the
  // supervisor and supervises nothing. "" when there is none.
  std::string agent_of_call(const CallId& id, const SessionInfo& info) const;

  // ServiceConfig's default options with the plan's, the tenant's and the supervisor's
  // own session defaults over them, most specific last.
  SessionOptions default_options_for(const std::string& supervisor, const FeatureCodePlan& plan) const;

  // True when `id` names a leg of the call, a tap on it, or a supervisor leg on it.
  bool id_in_use(const Call& call, const LegId& id) const;

  // --- deciding -------------------------------------------------------------------

  // Which other sessions count against the caps: all of them for a new request or a
  // mode switch; on a re-check only older ones, so a lowered cap ends the newest.
  enum class Count : std::uint8_t { all, older };

  // Decides for `info` on `call`. A policy that throws denies (fail closed).
  Decision decide(const SessionInfo& info, const Call& call, const std::string& agent, Mode mode,
                  const Session* self, Count count) const;

  // With no call at hand: the target alone in a call of its tenant (spy-all: an empty
  // call of the supervisor's tenant and no target).
  Decision decide_idle(const SessionInfo& info) const;
  void activate(Session& s, const Candidate& c, EventSource source, const std::string& detail);
  static LegId whisper_leg_of(const Call& call, const LegId& target_leg, WhisperTo whisper_to);
  void notify_agent_if_needed(const Session& s, EventSource source);

  // --- during a session -----------------------------------------------------------

  Session& live_session(SessionId id, const char* operation);
  void run_command(Session& s, const DtmfCommand& command);
  Decision switch_mode_locked(Session& s, Mode mode, WhisperTo whisper_to, EventSource source,
                              RequestChannel channel);

  bool next_locked(Session& s, EventSource source);
  void end_session(Session& s, EndReason reason, EventSource source,
                   Reason decision_reason = Reason::allowed);

  // The session's call is over for it: end (E), move on to another call, end when none
  // is left (S), or wait for one, as its options say; targeted and spy-all alike.
  void leave_call(Session& s, EndReason reason, EventSource source);

  // An armed session looks for a call it may supervise.
  void try_attach(Session& s, EventSource source);

  // --- reactions ------------------------------------------------------------------

  void on_registry(const RegistryEvent& e);
  void on_leg_change(const RegistryEvent& e, const Call& call, bool departed);
  void on_target_left(Session& s);
  void on_target_transferred(Session& s, const Call& call, const LegId& new_leg_id);
  void on_directory(const DirectoryChange&);
  void recheck_call(const CallId& call, EventSource source);
  void recheck(Session& s, EventSource source);

  template <typename Pred>
  std::vector<SessionId> session_ids(Pred pred) const;
  static bool is_leg_of(const Call& call, const LegId& leg) { return call.find_leg(leg) != nullptr; }
  static LegState leg_state(const Call& call, const LegId& leg);

  // --- events and routes ----------------------------------------------------------

  Event event_of(const SessionInfo& info, EventKind kind, EventSource source, std::string detail = {}) const;
  void emit(Event e);
  void mark_dirty(const CallId& call);
  void publish_routes();
  void keep_ended_routes(const CallId& id, std::shared_ptr<const RouteSet> final_set);

  // The PBX may add a leg whose id a supervisor leg or tap on the call already uses;
  // the newcomer wins, the clashing supervisor or tap is left out and counted.
  RouteSet routes_without_conflicts(const Call& call);
  SupervisorRoute route_of(const SessionInfo& info) const;

  // Publishes routes, releases the lock and delivers everything queued so far.
  template <typename T>
  T finish(std::unique_lock<std::mutex>& lock, T result, bool wait_for_other_drainer = true);
  void deliver(Delivery& item);

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
  template <typename Fn>
  void guard_sink(Fn&& fn) noexcept;

  mutable std::mutex sinks_mutex_;  // the failure counters
  std::uint64_t sink_failures_ = 0;
  std::string last_sink_failure_;
  detail::ObserverList<Event> audit_sinks_;
  detail::ObserverList<Event> event_sinks_;
  detail::ObserverList<OnRoutesParam> route_observers_;

  Subscription registry_subscription_;
  Subscription directory_subscription_;
};

}  // namespace callsup

#if !defined(CALLSUP_SEPARATE_COMPILATION)
#include "callsup/session/impl/service.ipp"
#endif
