// callsup-pbx: one log line per registry change (what the SIP side told the SDK).
#pragma once

#include "callsup/model/call_registry.hpp"
#include "callsup/subscription.hpp"

namespace callsup::pbx {

/// "registry: call-1 added (tenant acme, group Support)", "registry: call-1-a held", ...
/// Logs every registry change until the returned Subscription goes.
[[nodiscard]] Subscription log_registry_changes(CallRegistry& registry);

}  // namespace callsup::pbx
