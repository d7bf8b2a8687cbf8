// callsup-walkthrough: the control plane end to end, no media.
//
// A customer calls agent 744; supervisor 700 of hunt group "Support" dials the
// listen code (*90744 with the portaswitch plan), presses the whisper digit, then the
// barge digit; the customer hangs up. At each phase the program prints who hears whom
// from the published RouteSet and checks it against DESIGN.md's table; it writes the
// audit trail as JSON Lines. Exit status 1 if any cell contradicts the table.
//
//   callsup-walkthrough [--out DIR] [--plan PRESET] [--directory FILE]
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>

#include "callsup/json/directory_json.hpp"
#include "callsup/json/json_lines_audit_sink.hpp"
#include "callsup/session/supervision_service.hpp"

namespace {

constexpr const char* default_directory = R"({
  "tenants": [{"name": "acme", "feature_code_plan": "portaswitch"}],
  "extensions": [
    {"extension": "744", "tenant": "acme", "display_name": "Agent Alice", "roles": ["agent"]},
    {"extension": "700", "tenant": "acme", "display_name": "Supervisor Sam", "roles": ["supervisor"],
     "can_supervise": true, "granted_modes": "barge"}
  ],
  "groups": [{"name": "Support", "tenant": "acme", "members": ["744"], "supervisors": ["700"]}]
})";

struct Args {
  std::string out = std::getenv("CALLSUP_DEMO_OUT") ? std::getenv("CALLSUP_DEMO_OUT") : "demo-out";
  std::string plan;
  std::string directory_file;
};

Args parse_args(int argc, char** argv) {
  Args args;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) throw callsup::Error(callsup::errc::invalid_argument, "missing value after " + flag);
    const std::string value = argv[++i];
    if (flag == "--out") {
      args.out = value;
    } else if (flag == "--plan") {
      args.plan = value;
    } else if (flag == "--directory") {
      args.directory_file = value;
    } else {
      throw callsup::Error(callsup::errc::invalid_argument, "unknown option " + callsup::quoted(flag));
    }
  }
  return args;
}

std::string dial_code(const callsup::FeatureCodePlan& plan, callsup::Mode mode) {
  for (const auto& code : plan.dial_codes)
    if (code.mode == mode) return code.prefix;
  throw callsup::Error(callsup::errc::invalid_plan,
                       "plan " + callsup::quoted(plan.name) + " has no listen code");
}

std::string dtmf_code(const callsup::FeatureCodePlan& plan, callsup::Mode mode) {
  for (const auto& code : plan.dtmf_codes)
    if (code.command == callsup::DtmfCommand::switch_to(mode)) return code.digits;
  throw callsup::Error(callsup::errc::invalid_plan, "plan " + callsup::quoted(plan.name) +
                                                        " has no DTMF code for " +
                                                        std::string(callsup::to_string(mode)));
}

// Who hears whom per DESIGN.md, for parties customer/agent and one supervisor.
bool expected(callsup::Mode mode, const std::string& listener, const std::string& source) {
  if (listener == source) return false;
  if (source != "supervisor") return true;  // everyone hears the parties
  if (mode == callsup::Mode::barge) return true;
  return mode == callsup::Mode::whisper && listener == "agent";
}

bool print_matrix(const callsup::RouteSet& routes, callsup::Mode mode) {
  const std::map<std::string, std::string> legs{
      {"customer", "leg-customer"}, {"agent", "leg-744"}, {"supervisor", "leg-700"}};
  bool ok = true;
  std::cout << "  " << callsup::to_string(mode) << ": listener hears source?\n";
  for (const auto& [listener, listener_leg] : legs) {
    std::cout << "    " << listener << ":";
    for (const auto& [source, source_leg] : legs) {
      if (listener == source) continue;
      const bool hears = routes.hears(listener_leg, source_leg);
      const bool good = hears == expected(mode, listener, source);
      ok = ok && good;
      std::cout << "  " << source << "=" << (hears ? "yes" : "no") << (good ? "" : " (WRONG)");
    }
    std::cout << "\n";
  }
  return ok;
}

}  // namespace

int main(int argc, char** argv) try {
  using namespace callsup;
  const Args args = parse_args(argc, argv);
  std::filesystem::create_directories(args.out);
  const std::string audit_path = args.out + "/audit.jsonl";
  std::filesystem::remove(audit_path);

  CallRegistry registry;
  Directory directory;
  if (args.directory_file.empty()) {
    load_directory_json(directory, default_directory);
  } else {
    load_directory_file(directory, args.directory_file);
  }
  if (!args.plan.empty()) {
    TenantSettings tenant = *directory.tenant("acme");
    tenant.feature_code_plan = args.plan;
    directory.set_tenant(tenant);
  }

  SupervisionService service(registry, directory);
  service.add_audit_sink(std::make_shared<JsonLinesAuditSink>(audit_path))
      .release();  // for the service's life
  auto event_log = service.add_event_sink(std::make_shared<FunctionEventSink>([](const Event& e) {
    std::cout << "  event #" << e.sequence << " " << to_string(e.kind) << " session=" << e.session
              << " mode=" << (e.mode ? to_string(*e.mode) : "-") << " source=" << to_string(e.source);
    if (!e.allowed) std::cout << " reason=" << to_string(e.reason);
    if (e.end_reason != EndReason::none) std::cout << " end=" << to_string(e.end_reason);
    std::cout << "\n";
  }));

  const FeatureCodePlan plan = service.plan_for_supervisor("700");
  std::cout << "plan " << plan.name << "\n";
  registry.add_call("call-1", "acme", "Support");
  registry.add_leg("call-1", Leg::off_net("leg-customer", "+15551234567", LegState::up));
  registry.add_leg("call-1", Leg::on_net("leg-744", "744", LegState::up));
  registry.bridge("call-1");

  bool ok = true;
  const std::string dialled = dial_code(plan, Mode::listen) + "744";
  std::cout << "supervisor 700 dials " << dialled << "\n";
  const StartOutcome outcome = service.dial("leg-700", "700", dialled);
  if (!outcome) {
    std::cerr << "supervision refused: " << to_string(outcome.decision.reason) << "\n";
    return 1;
  }
  ok = print_matrix(*service.routes("call-1"), Mode::listen) && ok;
  for (Mode mode : {Mode::whisper, Mode::barge}) {
    const std::string digits = dtmf_code(plan, mode);
    std::cout << "supervisor presses " << digits << "\n";
    for (char digit : digits) service.dtmf(outcome.session, digit);
    ok = print_matrix(*service.routes("call-1"), mode) && ok;
  }
  std::cout << "customer hangs up\n";
  registry.remove_leg("leg-customer");
  registry.end_call("call-1");
  const auto info = service.session(outcome.session);
  ok = ok && info && info->end_reason == EndReason::call_ended;

  std::cout << "audit trail: " << audit_path << "\n"
            << (ok ? "OK: every cell as DESIGN.md says\n" : "FAILED\n");
  return ok ? 0 : 1;
} catch (const callsup::Error& e) {
  std::cerr << "error (" << callsup::to_string(e.code()) << "): " << e.what() << "\n";
  return 2;
}
