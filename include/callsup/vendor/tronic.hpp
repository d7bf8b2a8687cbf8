// callsup: Tronic's Call Spy terms, each one setting of an extension's profile.
#pragma once

#include "callsup/model/profile.hpp"

namespace callsup::vendor::tronic {

/// "Can Call Spy": the extension may spy on any call of its tenant, in every mode its
/// keys offer (listen, whisper, barge), as Tronic's switch alone allows. Off: it may not.
inline void can_call_spy(ExtensionProfile& profile, bool on = true) {
  profile.can_supervise = on;
  profile.granted_modes = on ? ModeSet::all() : ModeSet::none();
  profile.scope = on ? SupervisionScope::tenant : SupervisionScope::assigned;
}

/// "Call Spy Privacy": nobody may spy on a call this extension is in.
inline void call_spy_privacy(ExtensionProfile& profile, bool on = true) { profile.privacy = on; }

}  // namespace callsup::vendor::tronic
