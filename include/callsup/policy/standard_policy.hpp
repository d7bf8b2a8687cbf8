// callsup: the standard permission rules of DESIGN.md, first failure wins.
#pragma once

#include <algorithm>
#include <string_view>

#include "callsup/policy/permission_policy.hpp"

namespace callsup {

/// Stable names of StandardPolicy's rules, in the order they are checked.
namespace rules {
/// Both parties are in the directory.
inline constexpr std::string_view directory = "directory";
/// The tenant has supervision enabled.
inline constexpr std::string_view tenant_enabled = "tenant_enabled";
/// The call's and the target's tenant are the supervisor's.
inline constexpr std::string_view same_tenant = "same_tenant";
/// The supervisor may supervise at all (can_supervise).
inline constexpr std::string_view may_supervise = "may_supervise";
/// The request's channel is one the supervisor may use.
inline constexpr std::string_view channel = "channel";
/// The supervisor does not supervise itself or a call it is in.
inline constexpr std::string_view not_self = "not_self";
/// No party of the call has privacy on.
inline constexpr std::string_view privacy = "privacy";
/// The target is in the supervisor's scope.
inline constexpr std::string_view scope = "scope";
/// The requested mode is granted to the supervisor.
inline constexpr std::string_view mode_granted = "mode_granted";
/// The call is bridged, if the tenant or the session asks for bridged-only.
inline constexpr std::string_view bridged_only = "bridged_only";
/// Whisper only from an on-net agent to an off-net customer, if the tenant asks for it.
inline constexpr std::string_view whisper_topology = "whisper_topology";
/// The call's supervisor and barger caps are not reached.
inline constexpr std::string_view caps = "caps";
}  // namespace rules

/// The rules of DESIGN.md's "Permission policy", checked in order; the first that
/// fails decides. Stateless and thread-safe. A spy-all request with an empty target
/// asks "may this supervisor spy on this tenant's calls at all": the target-specific
/// rules (target known, privacy of the target, scope) are skipped.
class StandardPolicy final : public PermissionPolicy {
 public:
  /// Decides under one shared lock of the directory (one directory version for every rule).
  Decision decide(const SupervisionRequest& request, const Call& call,
                  const Directory& directory) const override {
    // One shared lock and one directory version for every rule.
    return directory.read([&](const Directory::View& view) { return decide(request, call, view); });
  }

  /// Decides with lookups in an already-locked view (inside Directory::read).
  Decision decide(const SupervisionRequest& request, const Call& call,
                  const Directory::View& directory) const {
    const ExtensionProfile* supervisor = directory.find_extension(request.supervisor);
    if (!supervisor) return deny(Reason::unknown_supervisor, rules::directory);
    const ExtensionProfile* target = nullptr;
    if (!request.target.empty() || !request.any_call) {
      target = directory.find_extension(request.target);
      if (!target) return deny(Reason::unknown_target, rules::directory);
    }

    const TenantSettings* tenant = directory.find_tenant(supervisor->tenant);
    if (!tenant || !tenant->supervision_enabled)
      return deny(Reason::supervision_disabled, rules::tenant_enabled);

    if (call.tenant != supervisor->tenant || (target && target->tenant != supervisor->tenant))
      return deny(Reason::cross_tenant, rules::same_tenant);

    if (!supervisor->can_supervise) return deny(Reason::not_a_supervisor, rules::may_supervise);

    if (!supervisor->channels.contains(request.channel))
      return deny(Reason::channel_not_allowed, rules::channel);

    if (request.supervisor == request.target || call.leg_of_extension(request.supervisor))
      return deny(Reason::self_supervision, rules::not_self);

    if ((target && target->privacy) || any_party_private(call, directory, request.target))
      return deny(Reason::privacy, rules::privacy);

    if (target && !in_scope(*supervisor, *target, call, directory))
      return deny(Reason::out_of_scope, rules::scope);

    ModeSet modes = supervisor->granted_modes;
    if (!modes.contains(request.mode)) return deny(Reason::mode_not_granted, rules::mode_granted, modes);

    if ((tenant->bridged_only || request.bridged_only) && !call.bridged)
      return deny(Reason::not_bridged, rules::bridged_only, modes);

    if (tenant->whisper_topology_rule && !agent_talks_to_outside(call, request.target))
      modes.remove(Mode::whisper);
    if (request.mode == Mode::whisper && !modes.contains(Mode::whisper))
      return deny(Reason::whisper_topology, rules::whisper_topology, modes);

    if (request.other_supervisors >= tenant->limits.max_supervisors_per_call)
      return deny(Reason::supervisor_cap, rules::caps, modes);
    if (request.other_bargers >= tenant->limits.max_bargers_per_call) modes.remove(Mode::barge);
    if (request.mode == Mode::barge && !modes.contains(Mode::barge))
      return deny(Reason::barge_cap, rules::caps, modes);

    return Decision::allow(modes, "allowed");
  }

  /// Tenant admins and tenant-wide scopes: any extension of the tenant. Site managers: the sites they manage.
  /// Group supervisors: members of their groups, and calls that came through them.
  /// Anyone: the extensions on their allow-list.
  /// `directory` is a Directory or a Directory::View.
  template <typename DirectoryLike>
  static bool in_scope(const ExtensionProfile& supervisor, const ExtensionProfile& target, const Call& call,
                       const DirectoryLike& directory) {
    if (supervisor.has_role(Role::tenant_admin) || supervisor.scope == SupervisionScope::tenant) return true;
    if (supervisor.manages_site(target.site)) return true;
    if (supervisor.allows(target.extension)) return true;
    if (directory.supervises_member(supervisor.extension, target.extension)) return true;
    return !call.group.empty() && directory.supervises_group(supervisor.extension, call.group);
  }

  /// The whisper topology: the agent is on-net and every other party is off-net.
  static bool agent_talks_to_outside(const Call& call, const std::string& agent) {
    bool agent_on_net = false;
    bool has_customer = false;
    for (const Leg& leg : call.legs) {
      if (leg.state == LegState::gone) continue;
      if (leg.network == Network::on_net && leg.extension == agent) {
        agent_on_net = true;
      } else if (leg.network == Network::on_net) {
        return false;
      } else {
        has_customer = true;
      }
    }
    return agent_on_net && has_customer;
  }

 private:
  static Decision deny(Reason reason, std::string_view rule, ModeSet modes = ModeSet::none()) {
    return Decision::deny(reason, std::string(rule), modes);
  }
  // The target's own privacy was checked already: skip its legs.
  static bool any_party_private(const Call& call, const Directory::View& directory,
                                const std::string& target) {
    return std::any_of(call.legs.begin(), call.legs.end(), [&](const Leg& leg) {
      if (leg.network != Network::on_net || leg.state == LegState::gone || leg.extension == target)
        return false;
      const ExtensionProfile* profile = directory.find_extension(leg.extension);
      return profile && profile->privacy;
    });
  }
};

}  // namespace callsup
