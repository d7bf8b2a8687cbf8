// callsup-quickstart: the README's example, built and run by the tests.
// (README.md shows the rest of this file verbatim; a test checks that they agree.)
#include <iostream>

#include "callsup/json/json_lines_audit_sink.hpp"
#include "callsup/session/supervision_service.hpp"

int main() {
  using namespace callsup;
  CallRegistry registry;  // fed by the PBX's signalling
  Directory directory;    // or load_directory_file(directory, "directory.json")
  TenantSettings acme;
  acme.name = "acme";
  directory.set_tenant(acme);
  ExtensionProfile agent;
  agent.extension = "744";
  agent.tenant = "acme";
  directory.add_extension(agent);
  ExtensionProfile supervisor = agent;
  supervisor.extension = "700";
  supervisor.can_supervise = true;
  supervisor.granted_modes = ModeSet::up_to(Mode::barge);
  directory.add_extension(supervisor);
  directory.add_group({"Support", "acme", {"744"}, {"700"}});  // 700 supervises Support

  SupervisionService service(registry, directory);  // StandardPolicy by default
  // release(): the audit trail stays for the service's whole life, its shutdown records too.
  service.add_audit_sink(std::make_shared<JsonLinesAuditSink>("audit.jsonl")).release();
  auto route_log = service.add_route_observer([](const SupervisionService::OnRoutesParam& p) {
    std::cout << p.routes->call << ": " << p.routes->routes.size() << " routes\n";  // drive a mixer here
  });

  // A customer calls agent 744.
  registry.add_call("c1", "acme");
  registry.add_leg("c1", Leg::off_net("customer", "+15551234567", LegState::up));
  registry.add_leg("c1", Leg::on_net("agent", "744", LegState::up));
  registry.bridge("c1");

  // Supervisor 700 (its phone's leg is "sup") dials *90744, then presses 1.
  const StartOutcome outcome = service.dial("sup", "700", "*90744");
  if (!outcome) return 1;  // outcome.decision.reason says why
  service.dtmf(outcome.session, '1');
  const auto routes = service.routes("c1");
  std::cout << "agent hears supervisor: " << routes->hears("agent", "sup")
            << ", customer hears supervisor: " << routes->hears("customer", "sup") << "\n";  // 1, 0
}
