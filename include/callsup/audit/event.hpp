// callsup: supervision events; each one is also an audit record.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "callsup/channel.hpp"
#include "callsup/end_reason.hpp"
#include "callsup/mode.hpp"
#include "callsup/policy/reason.hpp"

namespace callsup {

/// A supervision session's id: unique within one SupervisionService, never reused.
using SessionId = std::uint64_t;

/// What an event or audit record reports.
enum class EventKind : std::uint8_t {
  attempt,           ///< a supervision request arrived (dial, API); decision follows
  denied,            ///< the policy refused (reason, rule)
  started,           ///< a session started (or a pre-armed one became active)
  armed,             ///< a session waits for the target's next call
  mode_changed,      ///< mode switched (from_mode -> mode)
  target_changed,    ///< the session moved to another call or agent (detail: previous)
  ended,             ///< the session ended (end_reason)
  agent_notified,    ///< the agent was told it is being whispered to / barged on
  action_requested,  ///< the PBX is asked to act (detail: "end_call" or "takeover")
  security,          ///< the PBX reported a security incident (rule: what, detail: where from)
};

/// Where the thing that caused the event came from.
enum class EventSource : std::uint8_t { api, dial, dtmf, registry, directory };

/// Every EventKind, in declaration order.
inline constexpr std::array<EventKind, 10> all_event_kinds{
    EventKind::attempt,          EventKind::denied,         EventKind::started, EventKind::armed,
    EventKind::mode_changed,     EventKind::target_changed, EventKind::ended,   EventKind::agent_notified,
    EventKind::action_requested, EventKind::security};
static_assert(all_event_kinds.size() == static_cast<std::size_t>(EventKind::security) + 1,
              "all_event_kinds lists every EventKind, the last one last");
/// Every EventSource, in declaration order.
inline constexpr std::array<EventSource, 5> all_event_sources{
    EventSource::api, EventSource::dial, EventSource::dtmf, EventSource::registry, EventSource::directory};

/// The kind's name as the audit log writes it ("attempt", "denied", ...).
constexpr std::string_view to_string(EventKind kind) noexcept {
  switch (kind) {
  case EventKind::attempt: return "attempt";
  case EventKind::denied: return "denied";
  case EventKind::started: return "started";
  case EventKind::armed: return "armed";
  case EventKind::mode_changed: return "mode_changed";
  case EventKind::target_changed: return "target_changed";
  case EventKind::ended: return "ended";
  case EventKind::agent_notified: return "agent_notified";
  case EventKind::action_requested: return "action_requested";
  case EventKind::security: return "security";
  }
  return "unknown";
}

/// The source's name as the audit log writes it ("api", "dial", ...).
constexpr std::string_view to_string(EventSource source) noexcept {
  switch (source) {
  case EventSource::api: return "api";
  case EventSource::dial: return "dial";
  case EventSource::dtmf: return "dtmf";
  case EventSource::registry: return "registry";
  case EventSource::directory: return "directory";
  }
  return "unknown";
}

/// The kind named by `text` (as to_string gives it), or nullopt.
constexpr std::optional<EventKind> event_kind_from_string(std::string_view text) noexcept {
  for (EventKind kind : all_event_kinds)
    if (to_string(kind) == text) return kind;
  return std::nullopt;
}

/// The source named by `text` (as to_string gives it), or nullopt.
constexpr std::optional<EventSource> event_source_from_string(std::string_view text) noexcept {
  for (EventSource source : all_event_sources)
    if (to_string(source) == text) return source;
  return std::nullopt;
}

/// One supervision event. The service stamps `sequence` (strictly increasing per
/// service) and `time` (UTC) before handing it to event and audit sinks.
struct Event {
  /// What happened (an attempt, a denial, a start, a mode change, an end ...).
  EventKind kind = EventKind::attempt;
  /// Position in the service's event stream, strictly increasing.
  std::uint64_t sequence = 0;
  /// When the service stamped the event (UTC).
  std::chrono::system_clock::time_point time{};
  SessionId session = 0;  ///< 0 when no session exists (a denied attempt)
  /// The tenant of the call.
  std::string tenant;
  /// The supervised call's id.
  std::string call;
  std::string supervisor;  ///< the supervisor's extension
  /// The supervisor's leg on the PBX.
  std::string supervisor_leg;
  std::string target;  ///< the supervised agent's extension ("" for spy-all before a target)
  /// The supervised agent's leg ("" while no target is chosen).
  std::string target_leg;
  /// The mode after the event; nullopt when it has none (an end).
  std::optional<Mode> mode;
  /// For a mode change: the mode before it.
  std::optional<Mode> from_mode;
  bool allowed = true;              ///< the decision behind this event
  Reason reason = Reason::allowed;  ///< the decision's reason
  std::string rule;                 ///< the rule that decided
  /// Why the session ended (end events only; none otherwise).
  EndReason end_reason = EndReason::none;
  /// What caused it: an API call, a dialled code, DTMF, a registry or a directory change.
  EventSource source = EventSource::api;
  /// The channel of the request behind it: for a denied attempt, the attempt's; for a
  /// session's events, the channel of the request that last steered it.
  RequestChannel channel = RequestChannel::api;
  std::string detail;  ///< dialled string, previous target, requested action
};

/// A security incident a PBX puts into the audit trail beside the supervision records
/// (SupervisionService::record_security): bad SIP credentials, a request flood, ...
struct SecurityIncident {
  std::string extension;  ///< the account claimed ("" when none); its tenant is looked up
  std::string what;       ///< a short name for the check that fired: "bad_credentials"
  std::string detail;     ///< what was refused and where it came from: "REGISTER from 127.0.0.1:5070"
};

/// Audit records are events with their sequence number and time.
using AuditRecord = Event;

}  // namespace callsup
