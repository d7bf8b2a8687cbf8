// The seed examples, one scenario each, in the seeds' own terms.
#include <doctest/doctest.h>

#include "support/custom_plan.hpp"
#include "support/world.hpp"

using namespace callsup;
using namespace callsup::testing;

namespace {

std::vector<std::string> kinds_and_modes(const std::vector<AuditRecord>& records) {
  std::vector<std::string> out;
  for (const auto& r : records)
    out.push_back(std::string(to_string(r.kind)) + ":" + (r.mode ? std::string(to_string(*r.mode)) : "-"));
  return out;
}

}  // namespace

TEST_CASE("seed a: hunt-group supervisor dials *90744, whispers with 1, barges with 2, client hangs up") {
  World w;
  w.directory.add_extension(agent("744"));
  w.directory.add_extension(supervisor("700"));
  w.directory.add_group({"Support", "acme", {"744"}, {"700"}});
  w.external_call("c1", "744", "client", "agent744");

  const StartOutcome outcome = w.service->dial("sup700", "700", "*90744");
  REQUIRE(outcome.status == StartOutcome::Status::started);
  const SessionId id = outcome.session;
  CHECK(w.info(id).mode == Mode::listen);
  CHECK(w.info(id).target_leg == "agent744");

  auto routes = w.routes("c1");
  REQUIRE(routes);
  CHECK(routes->hears("sup700", "client"));
  CHECK(routes->hears("sup700", "agent744"));
  CHECK_FALSE(routes->hears("agent744", "sup700"));
  CHECK_FALSE(routes->hears("client", "sup700"));

  w.service->dtmf(id, '1');
  CHECK(w.info(id).mode == Mode::whisper);
  routes = w.routes("c1");
  CHECK(routes->hears("agent744", "sup700"));
  CHECK_FALSE(routes->hears("client", "sup700"));
  CHECK(routes->hears("sup700", "client"));

  w.service->dtmf(id, '2');
  CHECK(w.info(id).mode == Mode::barge);
  routes = w.routes("c1");
  for (const char* listener : {"client", "agent744", "sup700"})
    for (const char* source : {"client", "agent744", "sup700"})
      if (std::string(listener) != source)
        CHECK_MESSAGE(routes->hears(listener, source), listener << " <- " << source);

  w.registry.remove_leg("client");
  CHECK(w.info(id).state == SessionState::ended);
  CHECK(w.info(id).end_reason == EndReason::call_ended);
  w.registry.end_call("c1");

  const auto records = w.audit->records();
  CHECK(kinds_and_modes(records) == std::vector<std::string>{"attempt:listen", "started:listen",
                                                             "mode_changed:whisper", "agent_notified:whisper",
                                                             "mode_changed:barge", "agent_notified:barge",
                                                             "ended:barge"});
  for (std::size_t i = 1; i < records.size(); ++i) CHECK(records[i].sequence == records[i - 1].sequence + 1);
  CHECK(records[1].source == EventSource::dial);
  CHECK(records[2].source == EventSource::dtmf);
  CHECK(records[2].from_mode == Mode::listen);
  CHECK(records[4].from_mode == Mode::whisper);
  CHECK(records.back().end_reason == EndReason::call_ended);
  for (const auto& r : records) CHECK(r.tenant == "acme");
}

TEST_CASE("seed b: custom codes *21/*22/*23 with DTMF 1/2/3; a plan using reserved *90 is rejected") {
  const FeatureCodePlan custom = custom_plan();
  ServiceConfig config;
  config.plans = {custom};
  config.reserved_codes = {"*90", "*72"};
  World w(tenant_settings("custom"), config);
  w.directory.add_extension(agent("744"));
  w.directory.add_extension(supervisor("700"));
  w.directory.add_group({"Support", "acme", {"744"}, {"700"}});
  w.external_call("c1", "744", "client", "agent744");

  CHECK(w.service->dial("sup700", "700", "*90744").status == StartOutcome::Status::not_ours);
  const StartOutcome outcome = w.service->dial("sup700", "700", "*21744");
  REQUIRE(outcome.status == StartOutcome::Status::started);
  w.service->dtmf(outcome.session, '2');
  CHECK(w.info(outcome.session).mode == Mode::whisper);
  w.service->dtmf(outcome.session, '3');
  CHECK(w.info(outcome.session).mode == Mode::barge);
  w.service->dtmf(outcome.session, '1');
  CHECK(w.info(outcome.session).mode == Mode::listen);

  FeatureCodePlan clashing = custom;
  clashing.name = "clashing";
  clashing.dial_codes[0].prefix = "*90";
  try {
    w.service->add_plan(clashing);
    FAIL("a plan using reserved *90 was accepted");
  } catch (const Error& e) {
    CHECK(e.code() == errc::invalid_plan);
    CHECK(std::string(e.what()).find("'*90'") != std::string::npos);
  }
}

TEST_CASE("seed c: stratus 007100, then *81, *82, *80; whisper refused between two on-net parties") {
  TenantSettings tenant = tenant_settings("stratus");
  tenant.whisper_topology_rule = true;
  World w(tenant);
  for (const char* ext : {"100", "101", "102"}) w.directory.add_extension(agent(ext));
  w.directory.add_extension(supervisor("200"));
  w.directory.add_group({"Sales", "acme", {"100", "101", "102"}, {"200"}});
  w.external_call("c1", "100", "customer", "leg100");

  const StartOutcome outcome = w.service->dial("sup", "200", "007100");
  REQUIRE(outcome.status == StartOutcome::Status::started);
  const SessionId id = outcome.session;
  CHECK(w.info(id).mode == Mode::listen);
  auto press_on = [&](SessionId session, const std::string& digits) {
    DtmfResult last;
    for (char d : digits) last = w.service->dtmf(session, d);
    return last;
  };
  auto press = [&](const std::string& digits) { return press_on(id, digits); };
  CHECK(press("*8").kind == DtmfResult::Kind::pending);
  CHECK(w.info(id).mode == Mode::listen);
  CHECK(press("1").kind == DtmfResult::Kind::command);
  CHECK(w.info(id).mode == Mode::whisper);
  press("*82");
  CHECK(w.info(id).mode == Mode::barge);
  press("*80");
  CHECK(w.info(id).mode == Mode::listen);
  w.service->stop(id);

  // Two on-net parties: listening is fine, whispering is refused by the topology rule.
  w.internal_call("c2", "101", "leg101", "102", "leg102");
  const StartOutcome internal = w.service->dial("sup2", "200", "007101");
  REQUIRE(internal.status == StartOutcome::Status::started);
  CHECK_FALSE(w.info(internal.session).allowed_modes.contains(Mode::whisper));
  press_on(internal.session, "*81");
  CHECK(w.info(internal.session).mode == Mode::listen);
  CHECK(w.info(internal.session).state == SessionState::active);
  const auto denied = w.audit->of_kind(EventKind::denied);
  REQUIRE(denied.size() == 1);
  CHECK(denied[0].reason == Reason::whisper_topology);
  CHECK(denied[0].session == internal.session);
  CHECK_FALSE(w.routes("c2")->hears("leg101", "sup2"));
}

TEST_CASE(
    "seed d: tronic *95103 listens; bare *95 cycles over calls but private ones; no 'can call spy' denied") {
  World w(tenant_settings("tronic"));
  for (const char* ext : {"101", "102", "103", "104"}) w.directory.add_extension(agent(ext));
  ExtensionProfile admin = supervisor("300");
  admin.roles = {Role::tenant_admin};
  w.directory.add_extension(admin);
  ExtensionProfile private_ext = agent("105");
  private_ext.privacy = true;
  w.directory.add_extension(private_ext);
  w.directory.add_extension(agent("400"));  // may not spy

  w.external_call("c101", "101", "x101", "l101");
  w.external_call("c105", "105", "x105", "l105");
  w.external_call("c103", "103", "x103", "l103");

  const StartOutcome one = w.service->dial("s1", "300", "*95103");
  REQUIRE(one.status == StartOutcome::Status::started);
  CHECK(w.info(one.session).call == "c103");
  CHECK(w.info(one.session).mode == Mode::listen);
  w.service->stop(one.session);

  const StartOutcome all = w.service->dial("s2", "300", "*95");
  REQUIRE(all.status == StartOutcome::Status::started);
  CHECK(w.info(all.session).any_call);
  std::vector<std::string> visited{w.info(all.session).call};
  for (int i = 0; i < 4; ++i) {
    w.service->dtmf(all.session, '*');
    visited.push_back(w.info(all.session).call);
  }
  CHECK(visited == std::vector<std::string>{"c101", "c103", "c101", "c103", "c101"});
  CHECK(w.audit->of_kind(EventKind::target_changed).size() == 4);

  const StartOutcome refused = w.service->dial("s3", "400", "*95103");
  CHECK(refused.status == StartOutcome::Status::denied);
  CHECK(refused.decision.reason == Reason::not_a_supervisor);
  const StartOutcome refused_all = w.service->dial("s4", "400", "*95");
  CHECK(refused_all.decision.reason == Reason::not_a_supervisor);
}

TEST_CASE("seed e: SPY_PERMISSION, DISABLE_SPY, options ESsb, agent leaving during barge") {
  World w(tenant_settings("star91"));
  w.directory.add_extension(agent("744"));
  w.directory.add_extension(agent("745"));
  ExtensionProfile disabled = agent("746");
  disabled.privacy = true;  // DISABLE_SPY = yes
  w.directory.add_extension(disabled);
  w.directory.add_extension(supervisor("700", ModeSet::up_to(Mode::whisper)));  // SPY_PERMISSION = whisper
  w.directory.add_extension(supervisor("701", ModeSet::all()));
  w.directory.add_group({"Support", "acme", {"744", "745", "746"}, {"700", "701"}});
  w.external_call("c1", "744", "client", "agent744");
  w.external_call("c3", "746", "client3", "agent746");

  SUBCASE("SPY_PERMISSION = whisper lets *92 through and refuses *93") {
    const StartOutcome whisper = w.service->dial("s1", "700", "*92744");
    REQUIRE(whisper.status == StartOutcome::Status::started);
    CHECK(w.info(whisper.session).mode == Mode::whisper);
    w.service->stop(whisper.session);
    const StartOutcome barge = w.service->dial("s2", "700", "*93744");
    CHECK(barge.status == StartOutcome::Status::denied);
    CHECK(barge.decision.reason == Reason::mode_not_granted);
    CHECK(barge.decision.rule == "mode_granted");
  }
  SUBCASE("DISABLE_SPY = yes on the target refuses") {
    const StartOutcome outcome = w.service->dial("s1", "701", "*91746");
    CHECK(outcome.status == StartOutcome::Status::denied);
    CHECK(outcome.decision.reason == Reason::privacy);
  }
  SUBCASE("E: exit when the target hangs up") {
    const auto options = parse_chanspy_options("ESsb").options;
    const StartOutcome outcome = w.service->dial("s1", "701", "*91744", options);
    REQUIRE(outcome.ok());
    CHECK_FALSE(w.info(outcome.session).options.announce);  // s: no announcement
    w.registry.remove_leg("agent744");
    CHECK(w.info(outcome.session).end_reason == EndReason::target_left);
  }
  SUBCASE("S without E (*91102 with Ssb): the target's call ends and it has no other: the session stops") {
    const auto options = parse_chanspy_options("Ssb").options;
    CHECK(options.announce == false);
    const StartOutcome outcome = w.service->dial("s1", "701", "*91744", options);
    REQUIRE(outcome.ok());
    w.registry.end_call("c1");
    CHECK(w.info(outcome.session).state == SessionState::ended);
    CHECK(w.info(outcome.session).end_reason == EndReason::no_calls_left);
    w.external_call("c9", "744", "client9", "agent744b");  // too late: it stopped
    CHECK(w.info(outcome.session).state == SessionState::ended);
  }
  SUBCASE("S without E: the target's call ends while it has another: the session moves there") {
    w.external_call("c8", "744", "client8", "agent744c");
    const StartOutcome outcome = w.service->dial("s1", "701", "*91744", parse_chanspy_options("Ssb").options);
    REQUIRE(outcome.ok());
    REQUIRE(w.info(outcome.session).call == "c1");
    w.registry.end_call("c1");
    CHECK(w.info(outcome.session).state == SessionState::active);
    CHECK(w.info(outcome.session).call == "c8");
    CHECK(w.events_of(EventKind::target_changed, outcome.session).size() == 1);
  }
  SUBCASE("neither E nor S: the session waits for the agent's next call") {
    const auto options = parse_chanspy_options("sb").options;
    const StartOutcome outcome = w.service->dial("s1", "701", "*91744", options);
    REQUIRE(outcome.ok());
    w.registry.remove_leg("agent744");
    CHECK(w.info(outcome.session).state == SessionState::armed);
    w.external_call("c9", "744", "client9", "agent744b");
    CHECK(w.info(outcome.session).state == SessionState::active);
    CHECK(w.info(outcome.session).call == "c9");
  }
  SUBCASE("b: bridged calls only") {
    w.registry.add_call("c2", "acme");
    w.registry.add_leg("c2", Leg::off_net("client2", "+15550000002", LegState::up));
    w.registry.add_leg("c2", Leg::on_net("agent745", "745", LegState::up));
    const auto options = parse_chanspy_options("ESsb").options;
    const StartOutcome outcome = w.service->dial("s1", "701", "*91745", options);
    CHECK(outcome.status == StartOutcome::Status::denied);
    CHECK(outcome.decision.reason == Reason::not_bridged);
    w.registry.bridge("c2");
    CHECK(w.service->dial("s1", "701", "*91745", options).ok());
  }
  SUBCASE("S: spy-all stops when no call is left") {
    ChanSpyOptions spy = parse_chanspy_options("S");
    StartRequest request{"s1", "701", "", true, Mode::listen, spy.options, {}};
    const StartOutcome outcome = w.service->start(request);
    REQUIRE(outcome.ok());
    CHECK(w.info(outcome.session).call == "c1");  // c3 is private
    w.registry.end_call("c1");
    CHECK(w.info(outcome.session).end_reason == EndReason::no_calls_left);
  }
  SUBCASE("in barge, the agent leaves: the call ends") {
    const StartOutcome outcome = w.service->dial("s1", "701", "*93744");
    REQUIRE(outcome.ok());
    w.registry.remove_leg("agent744");
    CHECK(w.info(outcome.session).end_reason == EndReason::agent_left_barge);
    const auto actions = w.audit->of_kind(EventKind::action_requested);
    REQUIRE(actions.size() == 1);
    CHECK(actions[0].detail == "end_call");
    CHECK(actions[0].call == "c1");
  }
  SUBCASE("in barge with takeover configured, the supervisor takes the call") {
    SessionOptions options;
    options.agent_leaves_in_barge = AgentLeavesInBarge::supervisor_takes_over;
    const StartOutcome outcome = w.service->dial("s1", "701", "*93744", options);
    REQUIRE(outcome.ok());
    w.registry.remove_leg("agent744");
    CHECK(w.info(outcome.session).end_reason == EndReason::taken_over);
    CHECK(w.audit->of_kind(EventKind::action_requested).at(0).detail == "takeover");
  }
}

TEST_CASE(
    "seed f: an administrator monitors any call of the tenant; the agent is notified on whisper and barge "
    "only") {
  World w;
  w.directory.add_extension(agent("744"));
  w.directory.add_extension(agent("810"));  // in no group at all
  ExtensionProfile admin = supervisor("900");
  admin.roles = {Role::tenant_admin};
  w.directory.add_extension(admin);
  w.directory.add_extension(supervisor("700"));  // a supervisor of nothing
  w.external_call("c1", "810", "client", "agent810");

  CHECK(w.service->dial("s0", "700", "*90810").decision.reason == Reason::out_of_scope);
  const StartOutcome outcome = w.service->dial("s1", "900", "*90810");
  REQUIRE(outcome.status == StartOutcome::Status::started);
  CHECK(w.audit->of_kind(EventKind::agent_notified).empty());
  w.service->switch_mode(outcome.session, Mode::whisper);
  w.service->switch_mode(outcome.session, Mode::listen);
  w.service->switch_mode(outcome.session, Mode::barge);
  const auto notified = w.audit->of_kind(EventKind::agent_notified);
  REQUIRE(notified.size() == 2);
  CHECK(notified[0].mode == Mode::whisper);
  CHECK(notified[1].mode == Mode::barge);
  CHECK(notified[0].target_leg == "agent810");

  // Another tenant's call is out of reach, even for the administrator.
  TenantSettings other;
  other.name = "globex";
  w.directory.set_tenant(other);
  w.directory.add_extension(agent("811", "globex"));
  w.external_call("g1", "811", "gclient", "agent811", "globex");
  CHECK(w.service->dial("s2", "900", "*90811").decision.reason == Reason::cross_tenant);
}
