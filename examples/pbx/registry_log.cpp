// callsup-pbx: registry changes as log lines.
#include "registry_log.hpp"

#include "log.hpp"

namespace callsup::pbx {

namespace {

std::string party(const Leg& leg) {
  return leg.network == Network::on_net ? leg.extension : leg.remote_number;
}

std::string describe(const RegistryEvent& e) {
  const callsup::Call& call = *e.call;
  switch (e.kind) {
  case RegistryEventKind::call_added:
    return call.id + " added (tenant " + call.tenant + (call.group.empty() ? "" : ", group " + call.group) +
           ")";
  case RegistryEventKind::leg_added: {
    const Leg* leg = call.find_leg(e.leg_id);
    return e.leg_id + " added to " + call.id +
           (leg ? " (" + party(*leg) + ", " + std::string(to_string(leg->state)) + ")" : std::string());
  }
  case RegistryEventKind::leg_state_changed: {
    const Leg* leg = call.find_leg(e.leg_id);
    return e.leg_id + " " + (leg ? std::string(to_string(leg->state)) : std::string("?"));
  }
  case RegistryEventKind::bridge_changed: return call.id + (call.bridged ? " bridged" : " unbridged");
  case RegistryEventKind::leg_transferred:
    return e.leg_id + " replaced by " + e.new_leg_id + " in " + call.id;
  case RegistryEventKind::leg_removed: return e.leg_id + " removed from " + call.id;
  case RegistryEventKind::call_ended: return call.id + " ended";
  }
  return "?";
}

}  // namespace

Subscription log_registry_changes(CallRegistry& registry) {
  return registry.subscribe([](const RegistryEvent& e) { log_line("registry", describe(e)); });
}

}  // namespace callsup::pbx
