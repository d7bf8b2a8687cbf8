// Over 400 lines: one short case per session option of DESIGN.md; split, one table would be
// scattered.
// SupervisionService: each session option of DESIGN.md's "Sessions", observed through
// the routes the service publishes and the events / audit records it produces.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "support/acme.hpp"
#include "support/checks.hpp"

using namespace callsup;
using namespace callsup::testing;

namespace {

std::vector<LegId> sorted(std::vector<LegId> v) {
  std::sort(v.begin(), v.end());
  return v;
}

const Route* route(const std::shared_ptr<const RouteSet>& set, const LegId& to, const LegId& from) {
  REQUIRE(set);
  return set->find(to, from);
}

}  // namespace

TEST_CASE("options: exit_on_target_hangup") {
  Acme w;
  w.external_call("c1", "744", "client", "agent744");

  SUBCASE("true (default): the session ends target_left when the agent hangs up") {
    const StartOutcome out = w.listen();
    REQUIRE(out.status == StartOutcome::Status::started);
    CHECK(w.info(out.session).options.exit_on_target_hangup);
    w.registry.remove_leg("agent744");
    CHECK(w.info(out.session).state == SessionState::ended);
    CHECK(w.info(out.session).end_reason == EndReason::target_left);
    const auto ended = w.events_of(EventKind::ended, out.session);
    REQUIRE(ended.size() == 1);
    CHECK(ended[0].end_reason == EndReason::target_left);
    CHECK(ended[0].source == EventSource::registry);
    CHECK(w.routes("c1")->sources_of("sup700").empty());
    CHECK(w.routes("c1")->listeners_of("sup700").empty());

    // A later call of the agent does not revive it.
    w.external_call("c2", "744", "client2", "agent744b");
    CHECK(w.info(out.session).state == SessionState::ended);
    CHECK(w.routes("c2")->sources_of("sup700").empty());
  }

  SUBCASE(
      "false, and not stop_when_none_left: armed when the agent hangs up, active again on its next call") {
    SessionOptions o;
    o.exit_on_target_hangup = false;
    o.stop_when_none_left = false;
    const StartOutcome out = w.listen("sup700", o);
    REQUIRE(out.status == StartOutcome::Status::started);
    CHECK(w.routes("c1")->hears("sup700", "client"));

    w.registry.remove_leg("agent744");
    const SessionInfo armed = w.info(out.session);
    CHECK(armed.state == SessionState::armed);
    CHECK(armed.call.empty());
    CHECK(armed.target == "744");
    CHECK(w.events_of(EventKind::armed, out.session).size() == 1);
    CHECK(w.events_of(EventKind::ended, out.session).empty());
    CHECK_FALSE(w.routes("c1")->hears("sup700", "client"));

    w.external_call("c2", "744", "client2", "agent744b");
    const SessionInfo active = w.info(out.session);
    CHECK(active.state == SessionState::active);
    CHECK(active.call == "c2");
    CHECK(active.target_leg == "agent744b");
    const auto started = w.events_of(EventKind::started, out.session);
    REQUIRE(started.size() == 2);
    CHECK(started[1].call == "c2");
    CHECK(started[1].source == EventSource::registry);
    CHECK(w.routes("c2")->hears("sup700", "client2"));
    CHECK(w.routes("c2")->hears("sup700", "agent744b"));
  }
}

TEST_CASE("options: stop_when_none_left for spy-all (any_call)") {
  Acme w;
  w.external_call("c1", "744", "client1", "agent744");
  SessionOptions o;
  o.exit_on_target_hangup = false;  // ChanSpy without E: move on instead of exiting

  SUBCASE("true: moves to the next call, then ends no_calls_left") {
    w.external_call("c2", "745", "client2", "agent745");
    o.stop_when_none_left = true;
    const StartOutcome out = w.service->start({"sup700", "700", "", true, Mode::listen, o, {}});
    REQUIRE(out.status == StartOutcome::Status::started);
    CHECK(w.info(out.session).any_call);
    CHECK(w.info(out.session).call == "c1");
    CHECK(w.info(out.session).target == "744");

    w.registry.end_call("c1");
    CHECK(w.info(out.session).state == SessionState::active);
    CHECK(w.info(out.session).call == "c2");
    CHECK(w.info(out.session).target == "745");
    CHECK(w.events_of(EventKind::target_changed, out.session).size() == 1);
    CHECK(w.routes("c2")->hears("sup700", "agent745"));

    w.registry.end_call("c2");
    CHECK(w.info(out.session).state == SessionState::ended);
    CHECK(w.info(out.session).end_reason == EndReason::no_calls_left);
    CHECK(w.events_of(EventKind::armed, out.session).empty());
  }

  SUBCASE("false: armed when none is left, picks up a new call") {
    o.stop_when_none_left = false;
    const StartOutcome out = w.service->start({"sup700", "700", "", true, Mode::listen, o, {}});
    REQUIRE(out.status == StartOutcome::Status::started);
    w.registry.end_call("c1");
    CHECK(w.info(out.session).state == SessionState::armed);
    CHECK(w.info(out.session).call.empty());
    CHECK(w.events_of(EventKind::armed, out.session).size() == 1);

    w.external_call("c3", "745", "client3", "agent745");
    CHECK(w.info(out.session).state == SessionState::active);
    CHECK(w.info(out.session).call == "c3");
    CHECK(w.info(out.session).target == "745");
    CHECK(w.routes("c3")->hears("sup700", "client3"));
  }

  SUBCASE("false, with no call at all: the spy-all request is armed at once") {
    w.registry.end_call("c1");
    o.stop_when_none_left = false;
    const StartOutcome out = w.service->start({"sup700", "700", "", true, Mode::listen, o, {}});
    CHECK(out.status == StartOutcome::Status::armed);
    w.external_call("c4", "744", "client4", "agent744b");
    CHECK(w.info(out.session).state == SessionState::active);
    CHECK(w.info(out.session).call == "c4");
  }

  SUBCASE("true, with no call at all: denied no_call") {
    w.registry.end_call("c1");
    o.stop_when_none_left = true;
    const StartOutcome out = w.service->start({"sup700", "700", "", true, Mode::listen, o, {}});
    CHECK(out.status == StartOutcome::Status::denied);
    CHECK(out.decision.reason == Reason::no_call);
  }
}

TEST_CASE("options: bridged_only: the session option and the tenant flag") {
  auto unbridged_call = [](World& w) {
    w.registry.add_call("c2", "acme");
    w.registry.add_leg("c2", Leg::off_net("client2", "+15550000002", LegState::up));
    w.registry.add_leg("c2", Leg::on_net("agent745", "745", LegState::up));
  };

  SUBCASE("session option") {
    Acme w;
    unbridged_call(w);
    SessionOptions o;
    o.bridged_only = true;
    StartOutcome out = w.listen("sup700", o, "700", "745");
    CHECK(out.status == StartOutcome::Status::denied);
    CHECK(out.decision.reason == Reason::not_bridged);
    CHECK(out.decision.rule == "bridged_only");
    // Without the option the same call is fine.
    out = w.listen("sup700", std::nullopt, "700", "745");
    CHECK(out.status == StartOutcome::Status::started);
    w.service->stop(out.session);

    w.registry.bridge("c2");
    out = w.listen("sup700b", o, "700", "745");
    CHECK(out.status == StartOutcome::Status::started);
    CHECK(w.info(out.session).options.bridged_only);
  }

  SUBCASE("tenant flag, with default session options") {
    TenantSettings t = tenant_settings();
    t.bridged_only = true;
    Acme w(t);
    unbridged_call(w);
    StartOutcome out = w.listen("sup700", std::nullopt, "700", "745");
    CHECK(out.status == StartOutcome::Status::denied);
    CHECK(out.decision.reason == Reason::not_bridged);
    w.registry.bridge("c2");
    out = w.listen("sup700", std::nullopt, "700", "745");
    REQUIRE(out.status == StartOutcome::Status::started);
    // The media is unbridged under the session: the re-check ends it.
    w.registry.bridge("c2", false);
    CHECK(w.info(out.session).state == SessionState::ended);
    CHECK(w.info(out.session).end_reason == EndReason::permission_lost);
    CHECK(w.info(out.session).end_decision == Reason::not_bridged);
  }
}

TEST_CASE("options: announce is carried in the session's options") {
  Acme w;
  w.external_call("c1", "744", "client", "agent744");
  const StartOutcome plain = w.listen("s1");
  CHECK_FALSE(w.info(plain.session).options.announce);
  SessionOptions o;
  o.announce = true;
  const StartOutcome announced = w.listen("s2", o);
  REQUIRE(announced.ok());
  CHECK(w.info(announced.session).options.announce);
  CHECK(w.service->sessions_on_call("c1").size() == 2);
}

TEST_CASE("options: private_whisper: while whispering the supervisor hears nothing, the agent hears it") {
  Acme w;
  w.external_call("c1", "744", "client", "agent744");
  SessionOptions o;
  o.private_whisper = true;
  const StartOutcome out = w.service->dial("sup700", "700", "*91744", o);
  REQUIRE(out.status == StartOutcome::Status::started);
  CHECK(w.info(out.session).mode == Mode::whisper);
  auto r = w.routes("c1");
  CHECK(r->sources_of("sup700").empty());
  CHECK(r->hears("agent744", "sup700"));
  CHECK_FALSE(r->hears("client", "sup700"));

  w.service->switch_mode(out.session, Mode::listen);
  r = w.routes("c1");
  CHECK(r->hears("sup700", "agent744"));
  CHECK(r->hears("sup700", "client"));
  CHECK_FALSE(r->hears("agent744", "sup700"));

  w.service->switch_mode(out.session, Mode::barge);  // private whisper does not mute barge
  r = w.routes("c1");
  CHECK(r->hears("sup700", "agent744"));
  CHECK(r->hears("sup700", "client"));
  CHECK(r->hears("client", "sup700"));

  SUBCASE("without the option a whisperer hears both parties") {
    const StartOutcome other = w.service->dial("sup700b", "700", "*91744");
    REQUIRE(other.ok());
    CHECK(w.routes("c1")->hears("sup700b", "client"));
    CHECK(w.routes("c1")->hears("sup700b", "agent744"));
  }
}

TEST_CASE("options: listen_direction agent_only / customer_only") {
  Acme w;
  w.external_call("c1", "744", "client", "agent744");
  SessionOptions agent_only;
  agent_only.listen_direction = ListenDirection::agent_only;
  SessionOptions customer_only;
  customer_only.listen_direction = ListenDirection::customer_only;
  const StartOutcome a = w.listen("supA", agent_only);
  const StartOutcome c = w.listen("supC", customer_only);
  REQUIRE(a.ok());
  REQUIRE(c.ok());
  auto r = w.routes("c1");
  CHECK(r->sources_of("supA") == std::vector<LegId>{"agent744"});
  CHECK(r->sources_of("supC") == std::vector<LegId>{"client"});

  // Direction holds in whisper too.
  w.service->switch_mode(a.session, Mode::whisper);
  r = w.routes("c1");
  CHECK(r->sources_of("supA") == std::vector<LegId>{"agent744"});
  CHECK(r->hears("agent744", "supA"));

  // Barge is a full conference whatever the direction.
  w.service->switch_mode(c.session, Mode::barge);
  r = w.routes("c1");
  CHECK(r->hears("supC", "agent744"));
  CHECK(r->hears("supC", "client"));
}

TEST_CASE("options: stereo: the agent on the left, the customer on the right") {
  Acme w;
  w.external_call("c1", "744", "client", "agent744");
  SessionOptions o;
  o.stereo = true;
  const StartOutcome out = w.listen("sup700", o);
  REQUIRE(out.ok());
  auto r = w.routes("c1");
  REQUIRE(route(r, "sup700", "agent744"));
  REQUIRE(route(r, "sup700", "client"));
  CHECK(route(r, "sup700", "agent744")->channel == Channel::left);
  CHECK(route(r, "sup700", "client")->channel == Channel::right);
  CHECK(route(r, "client", "agent744")->channel == Channel::mono);
  CHECK(route(r, "agent744", "client")->channel == Channel::mono);

  const StartOutcome mono = w.listen("sup700m");
  REQUIRE(mono.ok());
  r = w.routes("c1");
  CHECK(route(r, "sup700m", "agent744")->channel == Channel::mono);
  CHECK(route(r, "sup700m", "client")->channel == Channel::mono);
}

TEST_CASE("options: volume: set_volume changes the gain of what the supervisor hears only") {
  Acme w;
  w.external_call("c1", "744", "client", "agent744");
  SessionOptions o;
  o.volume_step = -2;
  const StartOutcome out = w.service->dial("sup700", "700", "*92744", o);  // barge: routes both ways
  REQUIRE(out.ok());
  auto r = w.routes("c1");
  CHECK(route(r, "sup700", "client")->gain == doctest::Approx(volume_gain(-2)));
  CHECK(route(r, "sup700", "agent744")->gain == doctest::Approx(volume_gain(-2)));

  w.service->set_volume(out.session, 3);
  r = w.routes("c1");
  CHECK(w.info(out.session).options.volume_step == 3);
  CHECK(route(r, "sup700", "client")->gain == doctest::Approx(volume_gain(3)));
  CHECK(route(r, "sup700", "agent744")->gain == doctest::Approx(volume_gain(3)));
  CHECK(volume_gain(3) > 1.9f);
  // What the parties hear (each other, and the supervisor) keeps unit gain.
  CHECK(route(r, "client", "sup700")->gain == doctest::Approx(1.0));
  CHECK(route(r, "agent744", "sup700")->gain == doctest::Approx(1.0));
  CHECK(route(r, "client", "agent744")->gain == doctest::Approx(1.0));
  CHECK(route(r, "agent744", "client")->gain == doctest::Approx(1.0));

  for (int bad : {5, -5, 100}) {
    CAPTURE(bad);
    try {
      w.service->set_volume(out.session, bad);
      FAIL_CHECK("set_volume accepted an out-of-range step");
    } catch (const Error& e) {
      CHECK(e.code() == errc::invalid_argument);
      CHECK(std::string(e.what()).find("'" + std::to_string(bad) + "'") != std::string::npos);
    }
  }
  CHECK(w.info(out.session).options.volume_step == 3);
  CHECK(route(w.routes("c1"), "sup700", "client")->gain == doctest::Approx(volume_gain(3)));
  CHECK(w.info(out.session).state == SessionState::active);
}

TEST_CASE("options: agent_leaves_in_barge: end_call vs supervisor_takes_over") {
  Acme w;
  w.external_call("c1", "744", "client", "agent744");
  SessionOptions o;
  EndReason expected_end = EndReason::agent_left_barge;
  std::string expected_detail = "end_call";
  SUBCASE("end_call (default)") {}
  SUBCASE("supervisor_takes_over") {
    o.agent_leaves_in_barge = AgentLeavesInBarge::supervisor_takes_over;
    expected_end = EndReason::taken_over;
    expected_detail = "takeover";
  }
  const StartOutcome out = w.service->dial("sup700", "700", "*92744", o);
  REQUIRE(out.ok());
  w.registry.remove_leg("agent744");
  CHECK(w.info(out.session).end_reason == expected_end);
  const auto actions = w.events_of(EventKind::action_requested, out.session);
  REQUIRE(actions.size() == 1);
  CHECK(actions[0].detail == expected_detail);
  CHECK(actions[0].call == "c1");
  CHECK(actions[0].target_leg == "agent744");
  CHECK(actions[0].mode == Mode::barge);
  const auto ended = w.events_of(EventKind::ended, out.session);
  REQUIRE(ended.size() == 1);
  CHECK(actions[0].sequence < ended[0].sequence);
}

TEST_CASE("options: agent leaving during listen never requests an action") {
  Acme w;
  w.external_call("c1", "744", "client", "agent744");
  SessionOptions o;
  o.agent_leaves_in_barge = AgentLeavesInBarge::supervisor_takes_over;
  const StartOutcome out = w.listen("sup700", o);
  REQUIRE(out.ok());
  w.registry.remove_leg("agent744");
  CHECK(w.info(out.session).end_reason == EndReason::target_left);
  CHECK(w.events->of_kind(EventKind::action_requested).empty());
}

TEST_CASE("options: notify_agent: on whisper and barge, never on listen; nothing when off") {
  Acme w;
  w.external_call("c1", "744", "client", "agent744");

  SUBCASE("on (default)") {
    const StartOutcome out = w.listen();
    REQUIRE(out.ok());
    CHECK(w.events_of(EventKind::agent_notified, out.session).empty());
    w.service->switch_mode(out.session, Mode::whisper);
    w.service->switch_mode(out.session, Mode::listen);
    w.service->switch_mode(out.session, Mode::barge);
    w.service->switch_mode(out.session, Mode::listen);
    const auto notified = w.events_of(EventKind::agent_notified, out.session);
    REQUIRE(notified.size() == 2);
    CHECK(notified[0].mode == Mode::whisper);
    CHECK(notified[1].mode == Mode::barge);
    CHECK(notified[0].target == "744");
    CHECK(notified[0].target_leg == "agent744");
    CHECK(w.audit->of_kind(EventKind::agent_notified).size() == 2);

    // Starting straight in whisper notifies at once.
    const StartOutcome whisper = w.service->dial("sup700w", "700", "*91744");
    REQUIRE(whisper.ok());
    CHECK(w.events_of(EventKind::agent_notified, whisper.session).size() == 1);
  }

  SUBCASE("off") {
    SessionOptions o;
    o.notify_agent = false;
    const StartOutcome out = w.service->dial("sup700", "700", "*91744", o);
    REQUIRE(out.ok());
    w.service->switch_mode(out.session, Mode::barge);
    w.service->switch_mode(out.session, Mode::listen);
    w.service->switch_mode(out.session, Mode::whisper);
    CHECK(w.events->of_kind(EventKind::agent_notified).empty());
    CHECK(w.audit->of_kind(EventKind::agent_notified).empty());
  }
}

TEST_CASE("options: monitoring_tone: the parties are tone listeners while supervised") {
  Acme w;
  w.external_call("c1", "744", "client", "agent744");
  CHECK(w.routes("c1")->tone_listeners.empty());

  const StartOutcome plain = w.listen("s1");
  REQUIRE(plain.ok());
  CHECK(w.routes("c1")->tone_listeners.empty());

  SessionOptions o;
  o.monitoring_tone = true;
  const StartOutcome toned = w.listen("s2", o);
  REQUIRE(toned.ok());
  CHECK(sorted(w.routes("c1")->tone_listeners) == std::vector<LegId>{"agent744", "client"});

  w.service->switch_mode(toned.session, Mode::barge);  // supervisors never get the tone
  CHECK(sorted(w.routes("c1")->tone_listeners) == std::vector<LegId>{"agent744", "client"});

  w.service->stop(toned.session);
  CHECK(w.routes("c1")->tone_listeners.empty());
}

TEST_CASE("options: follow_on_transfer") {
  Acme w;
  w.external_call("c1", "744", "client", "agent744");

  SUBCASE("with follow: target_changed, the routes follow the new leg") {
    SessionOptions o;
    o.follow_on_transfer = true;
    const StartOutcome out = w.service->dial("sup700", "700", "*91744", o);  // whispering
    REQUIRE(out.ok());
    CHECK(w.routes("c1")->hears("agent744", "sup700"));
    w.registry.transfer("c1", "agent744", Leg::on_net("agent745", "745", LegState::up));

    const SessionInfo info = w.info(out.session);
    CHECK(info.state == SessionState::active);
    CHECK(info.call == "c1");
    CHECK(info.target == "745");
    CHECK(info.target_leg == "agent745");
    CHECK(info.whisper_leg == "agent745");
    const auto changed = w.events_of(EventKind::target_changed, out.session);
    REQUIRE(changed.size() == 1);
    CHECK(changed[0].target == "745");
    CHECK(changed[0].target_leg == "agent745");
    CHECK(changed[0].source == EventSource::registry);
    CHECK(changed[0].detail.find("agent744") != std::string::npos);

    const auto r = w.routes("c1");
    CHECK(r->hears("agent745", "sup700"));
    CHECK_FALSE(r->hears("client", "sup700"));
    CHECK(r->hears("sup700", "agent745"));
    CHECK(r->hears("sup700", "client"));
    CHECK(r->sources_of("agent744").empty());
    CHECK(r->listeners_of("agent744").empty());
    // The new agent is told it is whispered to.
    const auto notified = w.events_of(EventKind::agent_notified, out.session);
    REQUIRE(notified.size() == 2);
    CHECK(notified[1].target_leg == "agent745");
  }

  SUBCASE("without follow: ended transferred") {
    const StartOutcome out = w.listen();
    REQUIRE(out.ok());
    w.registry.transfer("c1", "agent744", Leg::on_net("agent745", "745", LegState::up));
    CHECK(w.info(out.session).state == SessionState::ended);
    CHECK(w.info(out.session).end_reason == EndReason::transferred);
    CHECK(w.routes("c1")->sources_of("sup700").empty());
  }

  SUBCASE("follow to an agent out of the supervisor's scope: permission_lost") {
    SessionOptions o;
    o.follow_on_transfer = true;
    const StartOutcome out = w.listen("sup700", o);
    REQUIRE(out.ok());
    w.registry.transfer("c1", "agent744", Leg::on_net("agent746", "746", LegState::up));
    CHECK(w.info(out.session).state == SessionState::ended);
    CHECK(w.info(out.session).end_reason == EndReason::permission_lost);
    CHECK(w.info(out.session).end_decision == Reason::out_of_scope);
    const auto ended = w.events_of(EventKind::ended, out.session);
    REQUIRE(ended.size() == 1);
    CHECK(ended[0].reason == Reason::out_of_scope);
    CHECK_FALSE(ended[0].allowed);
    CHECK(w.routes("c1")->sources_of("sup700").empty());
  }

  SUBCASE("follow, transferred off-net: the session cannot follow and ends transferred") {
    SessionOptions o;
    o.follow_on_transfer = true;
    const StartOutcome out = w.listen("sup700", o);
    REQUIRE(out.ok());
    w.registry.transfer("c1", "agent744", Leg::off_net("mobile", "+15559999999", LegState::up));
    CHECK(w.info(out.session).end_reason == EndReason::transferred);
  }
}

TEST_CASE("options: pre_arm on an idle extension") {
  Acme w;

  SUBCASE("dial -> armed, then started when the extension has an up call with two parties") {
    SessionOptions o;
    o.pre_arm = true;
    const StartOutcome out = w.listen("sup700", o);
    CHECK(out.status == StartOutcome::Status::armed);
    CHECK(out.ok());
    REQUIRE(out.session != 0);
    CHECK(w.info(out.session).state == SessionState::armed);
    CHECK(w.info(out.session).call.empty());
    const auto armed = w.events_of(EventKind::armed, out.session);
    REQUIRE(armed.size() == 1);
    CHECK(armed[0].source == EventSource::dial);
    CHECK(armed[0].detail == "*90744");

    // Ringing is not enough.
    w.registry.add_call("c1", "acme");
    w.registry.add_leg("c1", Leg::off_net("client", "+15551230000", LegState::up));
    w.registry.add_leg("c1", Leg::on_net("agent744", "744", LegState::ringing));
    CHECK(w.info(out.session).state == SessionState::armed);
    CHECK(w.events_of(EventKind::started, out.session).empty());

    w.registry.answer("agent744");
    CHECK(w.info(out.session).state == SessionState::active);
    CHECK(w.info(out.session).call == "c1");
    CHECK(w.info(out.session).target_leg == "agent744");
    const auto started = w.events_of(EventKind::started, out.session);
    REQUIRE(started.size() == 1);
    CHECK(started[0].call == "c1");
    CHECK(w.routes("c1")->hears("sup700", "client"));
  }

  SUBCASE("without pre_arm, an idle target is denied no_call") {
    const StartOutcome out = w.listen();
    CHECK(out.status == StartOutcome::Status::denied);
    CHECK(out.decision.reason == Reason::no_call);
    CHECK(w.service->sessions().empty());
  }

  SUBCASE("pre_arm is denied up front for a target out of scope") {
    SessionOptions o;
    o.pre_arm = true;
    const StartOutcome out = w.listen("sup700", o, "700", "746");
    CHECK(out.status == StartOutcome::Status::denied);
    CHECK(out.decision.reason == Reason::out_of_scope);
    CHECK(out.session == 0);
    CHECK(w.service->sessions().empty());
    CHECK(w.events->of_kind(EventKind::armed).empty());
    // ...and stays so when 746 gets a call.
    w.external_call("c6", "746", "client6", "agent746");
    CHECK(w.service->sessions().empty());
  }

  SUBCASE("an armed session that is switched to a mode it is not granted refuses the switch") {
    // DESIGN: decisions are re-checked on every mode switch. A pre-armed listen-only
    // supervisor asking for barge must be refused (mode_not_granted) and keep waiting.
    w.directory.add_extension(supervisor("701", ModeSet{Mode::listen}));
    w.directory.update_group({"Support", "acme", {"744", "745"}, {"700", "701"}});
    SessionOptions o;
    o.pre_arm = true;
    const StartOutcome out = w.listen("sup701", o, "701");
    REQUIRE(out.status == StartOutcome::Status::armed);
    const Decision d = w.service->switch_mode(out.session, Mode::barge);
    CHECK_FALSE(d.allowed);
    CHECK(d.reason == Reason::mode_not_granted);
    CHECK(w.info(out.session).mode == Mode::listen);

    w.external_call("c1", "744", "client", "agent744");
    CHECK(w.info(out.session).state == SessionState::active);
    CHECK(w.info(out.session).mode == Mode::listen);
  }

  SUBCASE("an armed session's granted mode switch is audited like any mode change") {
    SessionOptions o;
    o.pre_arm = true;
    const StartOutcome out = w.listen("sup700", o);
    REQUIRE(out.status == StartOutcome::Status::armed);
    const Decision d = w.service->switch_mode(out.session, Mode::whisper);
    CHECK(d.allowed);
    CHECK(w.info(out.session).mode == Mode::whisper);
    const auto changed = w.audit->of_kind(EventKind::mode_changed);
    REQUIRE(changed.size() == 1);
    CHECK(changed[0].from_mode == Mode::listen);
    CHECK(changed[0].mode == Mode::whisper);
  }
}

TEST_CASE("options: whisper_to other_party (FreeSWITCH plan, DTMF 2)") {
  Acme w(tenant_settings("freeswitch_eavesdrop"));
  w.external_call("c1", "744", "client", "agent744");
  const StartOutcome out = w.service->dial("sup700", "700", "88744");
  REQUIRE(out.status == StartOutcome::Status::started);

  auto result = w.service->dtmf(out.session, '2');
  CHECK(result.kind == DtmfResult::Kind::command);
  CHECK(w.info(out.session).mode == Mode::whisper);
  CHECK(w.info(out.session).whisper_leg == "client");
  CHECK(w.info(out.session).options.whisper_to == WhisperTo::other_party);
  auto r = w.routes("c1");
  CHECK(r->hears("client", "sup700"));
  CHECK_FALSE(r->hears("agent744", "sup700"));
  CHECK(r->hears("sup700", "client"));
  CHECK(r->hears("sup700", "agent744"));

  w.service->dtmf(out.session, '1');  // whisper to the agent again
  CHECK(w.info(out.session).whisper_leg == "agent744");
  r = w.routes("c1");
  CHECK(r->hears("agent744", "sup700"));
  CHECK_FALSE(r->hears("client", "sup700"));
  const auto changed = w.events_of(EventKind::mode_changed, out.session);
  REQUIRE(changed.size() == 2);
  CHECK(changed[1].from_mode == Mode::whisper);
  CHECK(changed[1].mode == Mode::whisper);

  SUBCASE("the same through the session option") {
    SessionOptions o;
    o.whisper_to = WhisperTo::other_party;
    const StartOutcome opt = w.service->start({"sup700b", "700", "744", false, Mode::whisper, o, {}});
    REQUIRE(opt.ok());
    CHECK(w.info(opt.session).whisper_leg == "client");
    CHECK(w.routes("c1")->hears("client", "sup700b"));
    CHECK_FALSE(w.routes("c1")->hears("agent744", "sup700b"));
  }
}

TEST_CASE("options: several supervisors on one call, with the tenant's caps") {
  TenantSettings t = tenant_settings();
  t.limits.max_supervisors_per_call = 2;
  t.limits.max_bargers_per_call = 1;
  Acme w(t);
  w.directory.add_extension(supervisor("701"));
  w.directory.add_extension(supervisor("702"));
  w.directory.update_group({"Support", "acme", {"744", "745"}, {"700", "701", "702"}});
  w.external_call("c1", "744", "client", "agent744");

  const StartOutcome s1 = w.listen("s1", std::nullopt, "700");
  const StartOutcome s2 = w.listen("s2", std::nullopt, "701");
  REQUIRE(s1.status == StartOutcome::Status::started);
  REQUIRE(s2.status == StartOutcome::Status::started);
  CHECK(w.service->sessions_on_call("c1").size() == 2);
  auto r = w.routes("c1");
  CHECK(r->hears("s1", "client"));
  CHECK(r->hears("s2", "client"));
  CHECK_FALSE(r->hears("s1", "s2"));  // listeners do not hear each other

  const StartOutcome s3 = w.listen("s3", std::nullopt, "702");
  CHECK(s3.status == StartOutcome::Status::denied);
  CHECK(s3.decision.reason == Reason::supervisor_cap);
  CHECK(s3.decision.rule == "caps");
  CHECK(w.service->sessions_on_call("c1").size() == 2);

  // First barger fine; the second is refused and keeps listening.
  CHECK(w.service->switch_mode(s1.session, Mode::barge).allowed);
  const Decision second = w.service->switch_mode(s2.session, Mode::barge);
  CHECK_FALSE(second.allowed);
  CHECK(second.reason == Reason::barge_cap);
  CHECK(w.info(s2.session).state == SessionState::active);
  CHECK(w.info(s2.session).mode == Mode::listen);
  const auto denied = w.events_of(EventKind::denied, s2.session);
  REQUIRE(denied.size() == 1);
  CHECK(denied[0].reason == Reason::barge_cap);
  CHECK(denied[0].from_mode == Mode::listen);
  CHECK(denied[0].mode == Mode::barge);
  r = w.routes("c1");
  CHECK(r->hears("s2", "s1"));  // a listener hears the barger
  CHECK_FALSE(r->hears("client", "s2"));
  CHECK(r->hears("client", "s1"));

  // Whisper stays available to the second one.
  CHECK(w.service->switch_mode(s2.session, Mode::whisper).allowed);
  CHECK(w.info(s2.session).mode == Mode::whisper);

  // A slot freed by stopping lets the third one in, but not as a second barger.
  w.service->stop(s2.session);
  const StartOutcome barge3 = w.service->dial("s3", "702", "*92744");
  CHECK(barge3.status == StartOutcome::Status::denied);
  CHECK(barge3.decision.reason == Reason::barge_cap);
  const StartOutcome listen3 = w.listen("s3", std::nullopt, "702");
  CHECK(listen3.status == StartOutcome::Status::started);
}

TEST_CASE("options: taps hear the parties; a whisper only with hears_whisper") {
  Acme w;
  w.external_call("c1", "744", "client", "agent744");
  w.service->add_tap("c1", Tap{"rec", false});
  w.service->add_tap("c1", Tap{"compliance", true});
  auto r = w.routes("c1");
  for (const char* tap : {"rec", "compliance"}) {
    CAPTURE(tap);
    CHECK(sorted(r->sources_of(tap)) == std::vector<LegId>{"agent744", "client"});
    CHECK(r->listeners_of(tap).empty());
  }

  const StartOutcome out = w.listen();
  REQUIRE(out.ok());
  r = w.routes("c1");
  CHECK_FALSE(r->hears("rec", "sup700"));
  CHECK_FALSE(r->hears("compliance", "sup700"));
  CHECK_FALSE(r->hears("sup700", "rec"));

  w.service->switch_mode(out.session, Mode::whisper);
  r = w.routes("c1");
  CHECK_FALSE(r->hears("rec", "sup700"));
  CHECK(r->hears("compliance", "sup700"));

  w.service->switch_mode(out.session, Mode::barge);
  r = w.routes("c1");
  CHECK(r->hears("rec", "sup700"));
  CHECK(r->hears("compliance", "sup700"));

  w.service->remove_tap("c1", "rec");
  r = w.routes("c1");
  CHECK(r->sources_of("rec").empty());
  CHECK(r->hears("compliance", "client"));
}
