// What a first-time user of the API tried: starting on a call picked from a list, keys
// pressed as one string, the final routes of an ended call, which key does what.
#include <doctest/doctest.h>

#include "support/acme.hpp"

using namespace callsup;
using namespace callsup::testing;

TEST_CASE("requests: a call picked by id alone supervises that call's agent") {
  Acme w;
  w.external_call("c1", "744", "client", "agent744");
  w.external_call("c2", "745", "client2", "agent745");
  StartRequest request;
  request.supervisor_leg = "sup700";
  request.supervisor = "700";
  request.call = "c2";
  request.mode = Mode::whisper;
  const StartOutcome out = w.service->start(request);
  REQUIRE(out.status == StartOutcome::Status::started);
  CHECK(w.info(out.session).call == "c2");
  CHECK(w.info(out.session).target == "745");
  CHECK(w.routes("c2")->hears("agent745", "sup700"));

  SUBCASE("the policy still decides: an agent out of scope is refused") {
    w.external_call("c3", "746", "client3", "agent746");
    request.supervisor_leg = "sup700b";
    request.call = "c3";
    CHECK(w.service->start(request).decision.reason == Reason::out_of_scope);
  }
  SUBCASE("a call with no on-net agent: no_call") {
    w.registry.add_call("c4", "acme");
    w.registry.add_leg("c4", Leg::off_net("x", "+1555", LegState::up));
    w.registry.add_leg("c4", Leg::off_net("y", "+1556", LegState::up));
    request.supervisor_leg = "sup700c";
    request.call = "c4";
    CHECK(w.service->start(request).decision.reason == Reason::no_call);
  }
  SUBCASE("an unknown call: named") {
    request.supervisor_leg = "sup700d";
    request.call = "c9";
    CHECK_THROWS_WITH_AS(w.service->start(request), doctest::Contains("'c9'"), Error);
  }
  SUBCASE("neither target, call nor any_call") {
    request.supervisor_leg = "sup700e";
    request.call.clear();
    CHECK_THROWS_AS(w.service->start(request), Error);
  }
}

TEST_CASE("requests: dtmf takes a whole code in one call; a bad digit is named before any is fed") {
  Acme w(tenant_settings("stratus"));
  w.external_call("c1", "744", "client", "agent744");
  const StartOutcome out = w.service->dial("sup700", "700", "007744");
  REQUIRE(out.ok());
  const DtmfResult result = w.service->dtmf(out.session, "*81");
  CHECK(result.kind == DtmfResult::Kind::command);
  CHECK(w.info(out.session).mode == Mode::whisper);
  CHECK_THROWS_WITH_AS(w.service->dtmf(out.session, "*8x"), doctest::Contains("'x'"), Error);
  CHECK(w.service->dtmf(out.session, "*82").kind == DtmfResult::Kind::command);  // nothing of "*8x" was fed
  CHECK(w.info(out.session).mode == Mode::barge);
  CHECK_THROWS_AS(w.service->dtmf(out.session, ""), Error);
  w.service->dtmf(out.session, "#*80");  // exit, and the rest is not fed to an ended session
  CHECK(w.info(out.session).end_reason == EndReason::stopped);
}

TEST_CASE("requests: routes() of an ended call is its final set, as the observers got it") {
  ServiceConfig config;
  config.ended_calls_kept = 1;
  Acme w(tenant_settings(), config);
  w.external_call("c1", "744", "client", "agent744");
  w.external_call("c2", "745", "client2", "agent745");
  w.listen();
  w.registry.end_call("c1");
  REQUIRE(w.routes("c1") != nullptr);
  CHECK(w.routes("c1")->ended);
  CHECK(w.routes("c1")->routes.empty());
  w.registry.end_call("c2");
  CHECK(w.routes("c2")->ended);
  CHECK(w.routes("c1") == nullptr);                      // only the last one is kept
  w.external_call("c2", "745", "client3", "agent745b");  // the id used again: live routes
  CHECK_FALSE(w.routes("c2")->ended);
}

TEST_CASE("requests: plan.key_for and dial_code_for tell a UI which key does what") {
  CHECK(portaswitch_plan().key_for(Mode::whisper) == "1");
  CHECK(portaswitch_plan().dial_code_for(Mode::barge) == "*92");
  CHECK(stratus_plan().key_for(Mode::barge) == "*82");
  CHECK(stratus_plan().dial_code_for(Mode::whisper) == std::nullopt);
  CHECK(freeswitch_eavesdrop_plan().key_for(Mode::whisper) == "1");  // to the agent, not "2"
  CHECK(tronic_plan().key_for(Mode::listen) == "4");
  FeatureCodePlan none;
  CHECK(none.key_for(Mode::listen) == std::nullopt);
}
