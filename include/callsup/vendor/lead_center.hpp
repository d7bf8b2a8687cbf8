// callsup: Lead Center's monitoring terms: the administrator, and an agent given "ability
// to monitor any call using softphone".
#pragma once

#include "callsup/model/profile.hpp"

namespace callsup::vendor::lead_center {

/// Administrator: monitors any call of the account, from the web and the phone.
inline void administrator(ExtensionProfile& profile) {
  profile.roles = {Role::tenant_admin};
  profile.can_supervise = true;
  profile.granted_modes = ModeSet::all();
  profile.channels = ChannelSet::all();
}

/// "Give agent ability to monitor any call using softphone": any call of the account, in
/// every mode, from its phone (dialled code and keys) only. Off: it may not monitor.
inline void monitor_any_call(ExtensionProfile& profile, bool on = true) {
  profile.can_supervise = on;
  profile.granted_modes = on ? ModeSet::all() : ModeSet::none();
  profile.scope = on ? SupervisionScope::tenant : SupervisionScope::assigned;
  profile.channels = on ? ChannelSet::phone() : ChannelSet::all();
}

}  // namespace callsup::vendor::lead_center
