// callsup: directory records — extensions, groups, sites, tenant settings.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "callsup/channel.hpp"
#include "callsup/mode.hpp"
#include "callsup/model/session_defaults.hpp"

namespace callsup {

/// What an extension is to the organisation; decides its supervision scope.
enum class Role : std::uint8_t {
  agent,         ///< answers calls; no scope of its own
  supervisor,    ///< supervises the members of the groups that name it a supervisor
  site_manager,  ///< office manager: every extension of the sites it manages
  tenant_admin,  ///< every extension of its tenant
};

/// The role's name as the directory JSON writes it.
constexpr std::string_view to_string(Role role) noexcept {
  switch (role) {
  case Role::agent: return "agent";
  case Role::supervisor: return "supervisor";
  case Role::site_manager: return "site_manager";
  case Role::tenant_admin: return "tenant_admin";
  }
  return "unknown";
}

/// The role named `text`; throws Error(invalid_argument) naming it when there is none.
inline Role parse_role(std::string_view text) {
  for (Role role : {Role::agent, Role::supervisor, Role::site_manager, Role::tenant_admin})
    if (to_string(role) == text) return role;
  throw Error(errc::invalid_argument,
              "unknown role " + quoted(text) + " (expected agent, supervisor, site_manager or tenant_admin)");
}

/// How far an extension's supervision reaches beyond what its roles, sites, groups and
/// allow-list give it.
enum class SupervisionScope : std::uint8_t {
  assigned,  ///< only what it is assigned: groups it supervises, sites it manages, its allow-list
  tenant,    ///< any extension of its tenant ("monitor any call"), without being an administrator
};

/// The scope's name as the directory JSON writes it.
constexpr std::string_view to_string(SupervisionScope scope) noexcept {
  return scope == SupervisionScope::tenant ? "tenant" : "assigned";
}

/// The scope named `text`; throws Error(invalid_argument) naming it when there is none.
inline SupervisionScope parse_supervision_scope(std::string_view text) {
  if (text == "assigned") return SupervisionScope::assigned;
  if (text == "tenant") return SupervisionScope::tenant;
  throw Error(errc::invalid_argument,
              "unknown supervision scope " + quoted(text) + " (expected assigned or tenant)");
}

/// One extension's supervision profile.
struct ExtensionProfile {
  std::string extension;  ///< digits only
  /// The tenant it belongs to.
  std::string tenant;
  std::string site;  ///< empty when the tenant has no sites
  /// The name shown to people (audit, UIs); may be empty.
  std::string display_name;
  /// What it is: agent, supervisor, site manager, tenant administrator.
  std::vector<Role> roles;
  bool can_supervise = false;               ///< "Can Call Spy": may start supervision at all
  ModeSet granted_modes = ModeSet::none();  ///< modes it may use ("SPY_PERMISSION")
  bool privacy = false;                     ///< nobody may supervise a call it is in ("DISABLE_SPY")
  std::vector<std::string> managed_sites;   ///< site_manager: the sites in its scope
  std::vector<std::string> allow_list;      ///< extensions it may supervise whatever its role
  SupervisionScope scope = SupervisionScope::assigned;  ///< tenant: any extension of its tenant
  ChannelSet channels = ChannelSet::all();              ///< where it may start or steer supervision from
  SessionDefaults session_defaults;                     ///< its own session defaults ("SPY_PARAMS")

  /// True when `role` is one of its roles.
  bool has_role(Role role) const noexcept {
    return std::find(roles.begin(), roles.end(), role) != roles.end();
  }
  /// True when site `name` is one of its managed_sites (never for an empty name).
  bool manages_site(std::string_view name) const noexcept {
    return !name.empty() &&
           std::find(managed_sites.begin(), managed_sites.end(), name) != managed_sites.end();
  }
  /// True when `target` is on its allow_list.
  bool allows(std::string_view target) const noexcept {
    return std::find(allow_list.begin(), allow_list.end(), target) != allow_list.end();
  }
};

/// A hunt group or queue: its member extensions and the extensions supervising it.
struct Group {
  /// The group's name, unique in the directory.
  std::string name;
  /// The tenant it belongs to.
  std::string tenant;
  /// The extensions whose calls it covers.
  std::vector<std::string> members;
  /// The extensions that supervise its members (if supervision_allowed).
  std::vector<std::string> supervisors;
  /// Whether its supervisors may supervise it ("Supervision allowed" on a hunt group):
  /// when false, being its supervisor gives no scope over its members or its calls.
  bool supervision_allowed = true;
};

/// A site (office) of a tenant.
struct Site {
  /// The site's name, unique in the directory.
  std::string name;
  /// The tenant it belongs to.
  std::string tenant;
};

/// Per-tenant caps on concurrent supervision of one call.
struct SupervisionLimits {
  /// Supervisors (in any mode) on one call at once.
  std::uint32_t max_supervisors_per_call = 3;
  /// Of those, how many may barge at once.
  std::uint32_t max_bargers_per_call = 1;
};

/// Tenant-wide switches.
struct TenantSettings {
  /// The tenant's name, unique in the directory.
  std::string name;
  bool supervision_enabled = true;                ///< "Supervision allowed"
  std::string feature_code_plan = "portaswitch";  ///< name of the plan its phones dial
  /// Caps on concurrent supervision of one call.
  SupervisionLimits limits;
  bool bridged_only = false;           ///< supervise only calls whose media is bridged
  bool whisper_topology_rule = false;  ///< whisper only from an on-net agent to an off-net customer
  SessionDefaults session_defaults;    ///< the tenant's session defaults (over the plan's)
};

}  // namespace callsup
