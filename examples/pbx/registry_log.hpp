// callsup-pbx: one log line per registry change (what the SIP side told the SDK).
#pragma once

#include "callsup/model/call_registry.hpp"

namespace callsup::pbx {

/// "registry: call-1 added (tenant acme, group Support)", "registry: call-1-a held", ...
void log_registry_changes(CallRegistry& registry);

}  // namespace callsup::pbx
