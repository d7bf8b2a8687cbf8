// callsup: PortaSwitch's call supervision terms: the customer's (tenant's) switch, a hunt
// group's "Supervision allowed" and its supervisors.
#pragma once

#include <algorithm>
#include <string>

#include "callsup/model/directory.hpp"

namespace callsup::vendor::portaswitch {

/// The customer's Call Supervision switch.
inline void call_supervision(TenantSettings& tenant, bool on = true) { tenant.supervision_enabled = on; }

/// A hunt group's "Supervision allowed": its supervisors may supervise its members and
/// the calls that come through it.
inline void supervision_allowed(Group& group, bool on = true) { group.supervision_allowed = on; }

/// What being made a hunt group's supervisor gives an extension on PortaSwitch: the right
/// to supervise, in listen, whisper and barge (*90/*91/*92). Its scope stays the groups
/// it supervises. Grants it already has are kept.
inline void make_group_supervisor(ExtensionProfile& profile) {
  profile.can_supervise = true;
  if (profile.granted_modes.empty()) profile.granted_modes = ModeSet::all();
}

/// "Add <extension> to the hunt group's supervisors": one step on PortaSwitch, so one call
/// here (the group lists it and its profile gets make_group_supervisor). Throws Error as
/// Directory does (unknown group or extension, another tenant).
inline void add_group_supervisor(Directory& directory, const std::string& group_name,
                                 const std::string& extension) {
  ExtensionProfile profile = *directory.extension(extension);
  const auto found = directory.find_group(group_name);
  if (!found) throw Error(errc::unknown_group, "no group " + quoted(group_name));
  Group group = *found;
  if (profile.tenant != group.tenant)
    throw Error(errc::invalid_argument,
                "extension " + quoted(extension) + " is not of group " + quoted(group_name) + "'s tenant");
  make_group_supervisor(profile);
  directory.update_extension(std::move(profile));
  if (std::find(group.supervisors.begin(), group.supervisors.end(), extension) == group.supervisors.end()) {
    group.supervisors.push_back(extension);
    directory.update_group(std::move(group));
  }
}

}  // namespace callsup::vendor::portaswitch
