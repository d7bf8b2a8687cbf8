// callsup-pbx console: what a logged-in extension sees of the live calls (CallView, docs/console.md).
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "callsup/model/call_registry.hpp"
#include "callsup/model/directory.hpp"
#include "callsup/policy/permission_policy.hpp"
#include "callsup/session/supervision_service.hpp"

namespace callsup::pbx {

/// A console user: their directory record and what the page shows them.
struct ConsoleUser {
  ExtensionProfile profile;
  bool supervisor = false;  ///< can_supervise: the supervisor view
  bool admin = false;       ///< tenant_admin: the admin view (audit trail)
};
ConsoleUser console_user(const ExtensionProfile& profile);

/// When each call started and was answered (ISO-8601 UTC), from the registry's events.
struct CallTimes {
  struct Times {
    std::string started_at, answered_at;
  };
  std::map<CallId, Times> by_call;
};

/// An agent's open request for help.
struct Assistance {
  std::string agent, agent_name, call, requested_at;
};
nlohmann::json assistance_json(const Assistance& assistance);

/// Everything a view is computed from; all of it lives on the control thread.
struct ViewSources {
  const CallRegistry& registry;
  const Directory& directory;
  const PermissionPolicy& policy;
  const SupervisionService& service;
  const CallTimes& times;
  const std::map<std::string, Assistance>& assistance;  ///< by agent
  const std::map<SessionId, bool>& notified;            ///< sessions whose agent was told
  bool agent_sees_listening = false;                    ///< the user's tenant's setting
};

/// A call as a supervisor may take it: the agent to supervise and the policy's decision per mode.
struct ScopedCall {
  std::shared_ptr<const callsup::Call> call;
  std::string agent;
  LegId agent_leg;
  std::map<Mode, Decision> decisions;
  /// True when some mode is allowed or the refusal is about this call, not the supervisor's
  /// scope (privacy, a cap, not bridged): the call is shown, with its buttons disabled.
  bool visible = false;
};

/// `call` as `user` (a supervisor) may supervise it through the console (channel web), or nullopt
/// when no party of it is in their scope. Asks the policy once per mode, as the SDK would.
std::optional<ScopedCall> scope_call(const ConsoleUser& user,
                                     const std::shared_ptr<const callsup::Call>& call,
                                     const ViewSources& sources);

/// The call's first party that could be an agent (on-net, present, no supervisor's phone);
/// "" when none. A refused request names it, so the audit record says whom it was about.
std::string first_agent(const callsup::Call& call, const SupervisionService& service);

/// Every call `user` sees, by id: in the supervisor's scope (visible), and their own calls
/// ("mine": they are a party; the agent view). Calls with fewer than two parties are not listed.
std::map<CallId, nlohmann::json> call_views(const ConsoleUser& user, const ViewSources& sources);

/// A session as SessionView, or null JSON for nullopt.
nlohmann::json session_view(const SessionInfo& info, const Directory& directory);

/// ISO-8601 UTC with milliseconds ("2026-12-07T18:00:00.000Z").
std::string iso_time(std::chrono::system_clock::time_point time);

}  // namespace callsup::pbx
