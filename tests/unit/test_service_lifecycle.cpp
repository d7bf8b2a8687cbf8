// Over 400 lines: one case per way a session lives and ends.
// SupervisionService: how sessions live and end — re-checks on directory and call
// changes, the supervisor's own leg, the end of the call, route publication, DTMF,
// stop/next, and the audit trail's sequence and time.
#include <doctest/doctest.h>

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "support/acme.hpp"
#include "support/checks.hpp"

using namespace callsup;
using namespace callsup::testing;

namespace {

/// Collects every RouteSet the service publishes, per call, in delivery order.
struct RouteLog {
  void operator()(const std::shared_ptr<const RouteSet>& set) {
    std::lock_guard lock(mutex);
    by_call[set->call].push_back(set);
  }
  std::vector<std::shared_ptr<const RouteSet>> of(const CallId& call) {
    std::lock_guard lock(mutex);
    return by_call[call];
  }
  std::mutex mutex;
  std::map<CallId, std::vector<std::shared_ptr<const RouteSet>>> by_call;
};

void check_route_log(const std::vector<std::shared_ptr<const RouteSet>>& sets) {
  for (std::size_t i = 0; i < sets.size(); ++i) {
    CAPTURE(i);
    CHECK(sets[i]->version == i + 1);
    if (i > 0) CHECK_FALSE(sets[i]->same_routing(*sets[i - 1]));
  }
}

}  // namespace

TEST_CASE(
    "lifecycle: a directory change that takes the right away ends the session with the policy's reason") {
  Acme w;
  w.external_call("c1", "744", "client", "agent744");
  const StartOutcome out = w.service->dial("sup700", "700", "*92744");  // barge
  REQUIRE(out.status == StartOutcome::Status::started);
  const SessionId id = out.session;

  Reason expected = Reason::allowed;
  SUBCASE("privacy turned on for the agent") {
    ExtensionProfile p = agent("744");
    p.privacy = true;
    w.directory.update_extension(p);
    expected = Reason::privacy;
  }
  SUBCASE("the supervisor's can_supervise revoked") {
    ExtensionProfile p = supervisor("700");
    p.can_supervise = false;
    w.directory.update_extension(p);
    expected = Reason::not_a_supervisor;
  }
  SUBCASE("grants reduced below the current mode") {
    w.directory.update_extension(supervisor("700", ModeSet::up_to(Mode::whisper)));
    expected = Reason::mode_not_granted;
  }
  SUBCASE("the agent removed from the supervisor's group") {
    w.directory.update_group({"Support", "acme", {"745"}, {"700"}});
    expected = Reason::out_of_scope;
  }
  SUBCASE("the tenant turns supervision off") {
    TenantSettings t = tenant_settings();
    t.supervision_enabled = false;
    w.directory.set_tenant(t);
    expected = Reason::supervision_disabled;
  }

  const SessionInfo info = w.info(id);
  CHECK(info.state == SessionState::ended);
  CHECK(info.end_reason == EndReason::permission_lost);
  CHECK(info.end_decision == expected);
  const auto ended = w.events_of(EventKind::ended, id);
  REQUIRE(ended.size() == 1);
  CHECK(ended[0].end_reason == EndReason::permission_lost);
  CHECK(ended[0].reason == expected);
  CHECK_FALSE(ended[0].allowed);
  CHECK(ended[0].source == EventSource::directory);
  const auto audited = w.audit->of_kind(EventKind::ended);
  REQUIRE(audited.size() == 1);
  CHECK(audited[0].reason == expected);
  const auto r = w.routes("c1");
  CHECK(r->sources_of("sup700").empty());
  CHECK(r->listeners_of("sup700").empty());
  CHECK(w.service->sessions().empty());
}

TEST_CASE("lifecycle: a directory change that keeps the right keeps the session") {
  Acme w;
  w.external_call("c1", "744", "client", "agent744");
  const StartOutcome out = w.service->dial("sup700", "700", "*90744");  // listen
  REQUIRE(out.ok());
  w.directory.update_extension(supervisor("700", ModeSet{Mode::listen}));  // still enough to listen
  CHECK(w.info(out.session).state == SessionState::active);
  CHECK(w.info(out.session).allowed_modes == ModeSet{Mode::listen});
  // The lowered grant now refuses a switch without ending the session.
  const Decision d = w.service->switch_mode(out.session, Mode::whisper);
  CHECK_FALSE(d.allowed);
  CHECK(d.reason == Reason::mode_not_granted);
  CHECK(w.info(out.session).state == SessionState::active);
  // Unrelated changes do nothing either.
  w.directory.add_extension(agent("799"));
  ExtensionProfile other = agent("746");
  other.privacy = true;
  w.directory.update_extension(other);
  CHECK(w.info(out.session).state == SessionState::active);
  CHECK(w.events_of(EventKind::ended, out.session).empty());
}

TEST_CASE("lifecycle: armed sessions are re-checked on directory changes too") {
  Acme w;
  // Supervisor 700 loses "can supervise"; the armed session must end for that reason.
  auto revoke_and_expect_end = [&](SessionId session) {
    ExtensionProfile p = supervisor("700");
    p.can_supervise = false;
    w.directory.update_extension(p);
    CHECK(w.info(session).state == SessionState::ended);
    CHECK(w.info(session).end_reason == EndReason::permission_lost);
    CHECK(w.info(session).end_decision == Reason::not_a_supervisor);
  };
  SUBCASE("a pre-armed session whose supervisor loses can_supervise ends") {
    SessionOptions o;
    o.pre_arm = true;
    const StartOutcome out = w.service->dial("sup700", "700", "*90744", o);
    REQUIRE(out.status == StartOutcome::Status::armed);
    revoke_and_expect_end(out.session);
  }
  SUBCASE("an armed spy-all session whose supervisor loses can_supervise ends") {
    // DESIGN: "Decisions are re-checked ... when the directory changes; a session that
    // loses its right ends with that reason" — whether it is armed or active.
    SessionOptions o;
    o.exit_on_target_hangup = false;
    o.stop_when_none_left = false;
    const StartOutcome out = w.service->start({"sup700", "700", "", true, Mode::listen, o, {}});
    REQUIRE(out.status == StartOutcome::Status::armed);
    revoke_and_expect_end(out.session);
  }
}

TEST_CASE("lifecycle: a private on-net party joining the call ends the session") {
  Acme w;
  ExtensionProfile vip = agent("746");
  vip.privacy = true;
  w.directory.update_extension(vip);
  w.external_call("c1", "744", "client", "agent744");
  const StartOutcome out = w.service->dial("sup700", "700", "*90744");
  REQUIRE(out.ok());
  w.registry.add_leg("c1", Leg::on_net("agent746", "746", LegState::up));  // conferenced in
  CHECK(w.info(out.session).state == SessionState::ended);
  CHECK(w.info(out.session).end_reason == EndReason::permission_lost);
  CHECK(w.info(out.session).end_decision == Reason::privacy);
  const auto ended = w.events_of(EventKind::ended, out.session);
  REQUIRE(ended.size() == 1);
  CHECK(ended[0].reason == Reason::privacy);
  CHECK(ended[0].source == EventSource::registry);
  CHECK_FALSE(w.routes("c1")->hears("sup700", "agent746"));
  CHECK(w.routes("c1")->sources_of("sup700").empty());
}

TEST_CASE("lifecycle: the supervisor's own leg") {
  Acme w;
  w.external_call("c1", "744", "client", "agent744");
  w.supervisor_call();
  const StartOutcome out = w.service->dial("sup700", "700", "*92744");  // barge: routes both ways
  REQUIRE(out.ok());
  const SessionId id = out.session;
  CHECK(w.routes("c1")->hears("sup700", "client"));
  CHECK(w.routes("c1")->hears("client", "sup700"));

  SUBCASE("removed from the registry -> supervisor_left") {
    w.registry.remove_leg("sup700");
    CHECK(w.info(id).end_reason == EndReason::supervisor_left);
    CHECK(w.events_of(EventKind::ended, id).at(0).source == EventSource::registry);
    CHECK(w.routes("c1")->sources_of("sup700").empty());
    CHECK(w.routes("c1")->listeners_of("sup700").empty());
    CHECK(w.events->of_kind(EventKind::action_requested).empty());
  }
  SUBCASE("gone -> supervisor_left") {
    w.registry.set_state("sup700", LegState::gone);
    CHECK(w.info(id).end_reason == EndReason::supervisor_left);
  }
  SUBCASE("its call ended -> supervisor_left") {
    w.registry.end_call("sc");
    CHECK(w.info(id).end_reason == EndReason::supervisor_left);
    CHECK(w.routes("c1")->listeners_of("sup700").empty());
  }
  SUBCASE("held: out of the routes; unheld: back") {
    const auto before = w.routes("c1");
    w.registry.hold("sup700");
    CHECK(w.info(id).state == SessionState::active);
    auto r = w.routes("c1");
    CHECK(r->sources_of("sup700").empty());
    CHECK(r->listeners_of("sup700").empty());
    CHECK(r->hears("client", "agent744"));
    CHECK(r->version > before->version);
    w.registry.unhold("sup700");
    r = w.routes("c1");
    CHECK(r->hears("sup700", "client"));
    CHECK(r->hears("agent744", "sup700"));
    CHECK(r->same_routing(*before));
    CHECK(w.info(id).state == SessionState::active);
  }
  // The supervised call itself is untouched.
  CHECK(w.registry.find_call("c1"));
  CHECK(w.routes("c1")->hears("client", "agent744"));
}

TEST_CASE("lifecycle: the call ends -> call_ended, and the last RouteSet says ended") {
  Acme w;
  RouteLog log;
  auto subscription =
      w.service->add_route_observer([&log](const SupervisionService::OnRoutesParam& p) { log(p.routes); });
  w.external_call("c1", "744", "client", "agent744");
  const StartOutcome a = w.service->dial("s1", "700", "*90744");
  const StartOutcome b = w.service->dial("s2", "700", "*91744");
  REQUIRE(a.ok());
  REQUIRE(b.ok());

  SUBCASE("end_call") { w.registry.end_call("c1"); }
  SUBCASE("the customer hangs up, then the call ends") {
    w.registry.remove_leg("client");
    CHECK(w.info(a.session).end_reason == EndReason::call_ended);
    w.registry.end_call("c1");
  }

  for (SessionId id : {a.session, b.session}) {
    CAPTURE(id);
    CHECK(w.info(id).state == SessionState::ended);
    CHECK(w.info(id).end_reason == EndReason::call_ended);
    CHECK(w.events_of(EventKind::ended, id).size() == 1);
  }
  const auto sets = log.of("c1");
  REQUIRE_FALSE(sets.empty());
  CHECK(sets.back()->ended);
  CHECK(sets.back()->routes.empty());
  for (std::size_t i = 0; i + 1 < sets.size(); ++i) CHECK_FALSE(sets[i]->ended);
  check_route_log(sets);
  // routes() answers with the final set, as observers got it.
  REQUIRE(w.routes("c1") != nullptr);
  CHECK(w.routes("c1")->ended);
  CHECK(w.routes("c1")->version == sets.back()->version);
  CHECK(w.service->sessions_on_call("c1").empty());
}

TEST_CASE("lifecycle: route observers get increasing versions per call, and only on change") {
  Acme w;
  RouteLog log;
  auto subscription =
      w.service->add_route_observer([&log](const SupervisionService::OnRoutesParam& p) { log(p.routes); });
  w.external_call("c1", "744", "client", "agent744");
  w.external_call("c2", "745", "client2", "agent745");
  const auto c1_before = log.of("c1").size();
  const auto c2_before = log.of("c2").size();
  REQUIRE(c1_before >= 1);

  const StartOutcome out = w.service->dial("sup700", "700", "*90744");
  REQUIRE(out.ok());
  CHECK(log.of("c1").size() == c1_before + 1);
  CHECK(log.of("c1").back() == w.routes("c1"));

  // No change in routing: nothing published.
  auto count = log.of("c1").size();
  w.service->switch_mode(out.session, Mode::listen);  // already listening
  w.service->set_volume(out.session, 0);              // already 0
  w.service->dtmf(out.session, '0');                  // listen again
  w.registry.bridge("c1");                            // already bridged
  w.registry.bridge("c2", false);                     // another call
  CHECK(log.of("c1").size() == count);

  // Each real change: exactly one new set.
  w.service->switch_mode(out.session, Mode::whisper);
  CHECK(log.of("c1").size() == ++count);
  w.service->set_volume(out.session, 2);
  CHECK(log.of("c1").size() == ++count);
  w.service->dtmf(out.session, '2');
  CHECK(log.of("c1").size() == ++count);
  w.registry.hold("agent744");
  CHECK(log.of("c1").size() == ++count);
  w.registry.unhold("agent744");
  CHECK(log.of("c1").size() == ++count);
  w.service->stop(out.session);
  CHECK(log.of("c1").size() == ++count);

  CHECK(log.of("c2").size() == c2_before);  // c2's routing never changed
  check_route_log(log.of("c1"));
  check_route_log(log.of("c2"));
  CHECK(log.of("c1").back()->version == w.routes("c1")->version);
}

TEST_CASE("lifecycle: DTMF inter-digit timeout with a manual clock") {
  Acme w(tenant_settings("stratus"));  // *80 / *81 / *82, 2000 ms inter-digit timeout
  w.external_call("c1", "744", "client", "agent744");
  const StartOutcome out = w.service->dial("sup700", "700", "007744");
  REQUIRE(out.ok());
  const SessionId id = out.session;

  CHECK(w.service->dtmf(id, '*').kind == DtmfResult::Kind::pending);
  CHECK(w.service->dtmf(id, '8').kind == DtmfResult::Kind::pending);
  w.clock.advance(std::chrono::milliseconds(1999));
  CHECK(w.service->poll() == 0);
  w.clock.advance(std::chrono::milliseconds(1));
  CHECK(w.service->poll() == 1);
  CHECK(w.service->poll() == 0);  // already dropped
  // "1" alone is no code: the expired "*8" is not completed by it.
  CHECK(w.service->dtmf(id, '1').kind == DtmfResult::Kind::unrecognised);
  CHECK(w.info(id).mode == Mode::listen);

  // Stale digits are dropped by the next digit even without poll().
  w.service->dtmf(id, '*');
  w.service->dtmf(id, '8');
  w.clock.advance(std::chrono::milliseconds(2500));
  CHECK(w.service->dtmf(id, '1').kind == DtmfResult::Kind::unrecognised);
  CHECK(w.info(id).mode == Mode::listen);

  // Within the timeout, the code completes.
  w.service->dtmf(id, '*');
  w.clock.advance(std::chrono::milliseconds(1500));
  w.service->dtmf(id, '8');
  w.clock.advance(std::chrono::milliseconds(1500));
  const DtmfResult done = w.service->dtmf(id, '1');
  CHECK(done.kind == DtmfResult::Kind::command);
  CHECK(done.digits == "*81");
  CHECK(w.info(id).mode == Mode::whisper);
  CHECK(w.events_of(EventKind::mode_changed, id).size() == 1);
  CHECK(w.events_of(EventKind::mode_changed, id).at(0).source == EventSource::dtmf);
}

TEST_CASE("lifecycle: dtmf_from_leg finds the leg's session") {
  Acme w;
  w.external_call("c1", "744", "client", "agent744");
  w.external_call("c2", "745", "client2", "agent745");
  const StartOutcome a = w.service->dial("supA", "700", "*90744");
  const StartOutcome b = w.service->dial("supB", "700", "*90745");
  REQUIRE(a.ok());
  REQUIRE(b.ok());

  const auto r = w.service->dtmf_from_leg("supB", '2');
  REQUIRE(r.has_value());
  CHECK(r->kind == DtmfResult::Kind::command);
  CHECK(w.info(b.session).mode == Mode::barge);
  CHECK(w.info(a.session).mode == Mode::listen);

  CHECK_FALSE(w.service->dtmf_from_leg("agent744", '1').has_value());
  CHECK_FALSE(w.service->dtmf_from_leg("nobody", '1').has_value());
  CHECK(w.info(a.session).mode == Mode::listen);

  w.service->stop(b.session);
  CHECK_FALSE(w.service->dtmf_from_leg("supB", '1').has_value());  // the leg supervises nothing any more
}

TEST_CASE("lifecycle: the exit key ends the session with reason stopped") {
  Acme w;
  w.external_call("c1", "744", "client", "agent744");
  const StartOutcome out = w.service->dial("sup700", "700", "*91744");
  REQUIRE(out.ok());
  const DtmfResult r = w.service->dtmf(out.session, '#');
  CHECK(r.kind == DtmfResult::Kind::command);
  CHECK(r.command.action == DtmfCommand::Action::exit);
  CHECK(w.info(out.session).state == SessionState::ended);
  CHECK(w.info(out.session).end_reason == EndReason::stopped);
  const auto ended = w.events_of(EventKind::ended, out.session);
  REQUIRE(ended.size() == 1);
  CHECK(ended[0].source == EventSource::dtmf);
  CHECK(w.routes("c1")->listeners_of("sup700").empty());
}

TEST_CASE("lifecycle: next and stop") {
  Acme w;
  w.external_call("c1", "744", "client", "agent744");
  const StartOutcome out = w.service->dial("sup700", "700", "*90744");
  REQUIRE(out.ok());

  CHECK_FALSE(w.service->next(out.session));  // the target has a single call
  CHECK(w.info(out.session).call == "c1");
  CHECK(w.events_of(EventKind::target_changed, out.session).empty());

  // A second call of the same agent (the first on hold): next moves there.
  w.registry.hold("agent744");
  w.registry.add_call("c2", "acme");
  w.registry.add_leg("c2", Leg::off_net("client2", "+15550000002", LegState::up));
  w.registry.add_leg("c2", Leg::on_net("agent744b", "744", LegState::up));
  CHECK(w.service->next(out.session));
  CHECK(w.info(out.session).call == "c2");
  CHECK(w.info(out.session).target_leg == "agent744b");
  CHECK(w.events_of(EventKind::target_changed, out.session).size() == 1);
  CHECK(w.routes("c2")->hears("sup700", "client2"));
  CHECK(w.routes("c1")->sources_of("sup700").empty());

  CHECK(w.service->stop(out.session));
  CHECK_FALSE(w.service->stop(out.session));
  CHECK(w.events_of(EventKind::ended, out.session).size() == 1);
  CHECK(w.info(out.session).end_reason == EndReason::stopped);
}

TEST_CASE("lifecycle: audit sequence numbers increase by one; every record names tenant and supervisor") {
  Acme w;
  w.external_call("c1", "744", "client", "agent744");
  w.external_call("c2", "745", "client2", "agent745");
  const StartOutcome a = w.service->dial("s1", "700", "*90744");
  REQUIRE(a.ok());
  w.service->dtmf(a.session, '1');
  w.service->dtmf(a.session, '2');
  CHECK(w.service->dial("s2", "700", "*90746").status == StartOutcome::Status::denied);
  w.service->switch_mode(a.session, Mode::listen);
  SessionOptions follow;
  follow.follow_on_transfer = true;
  const StartOutcome b = w.service->dial("s3", "700", "*91745", follow);
  REQUIRE(b.ok());
  w.registry.transfer("c2", "agent745", Leg::on_net("agent744x", "744", LegState::up));
  w.registry.remove_leg("agent744");
  w.service->stop(b.session);

  const auto records = w.audit->records();
  REQUIRE(records.size() >= 10);
  CHECK(records.front().sequence == 1);
  for (std::size_t i = 0; i < records.size(); ++i) {
    CAPTURE(i);
    CAPTURE(to_string(records[i].kind));
    if (i > 0) CHECK(records[i].sequence == records[i - 1].sequence + 1);
    CHECK(records[i].tenant == "acme");
    CHECK(records[i].supervisor == "700");
    CHECK_FALSE(records[i].supervisor_leg.empty());
  }
  // The event sinks saw the same records, in the same order.
  const auto events = w.events->events();
  REQUIRE(events.size() == records.size());
  for (std::size_t i = 0; i < events.size(); ++i) CHECK(events[i].sequence == records[i].sequence);
}

TEST_CASE("lifecycle: event times come from ServiceConfig::wall_clock") {
  const auto fixed = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));
  int calls = 0;
  ServiceConfig config;
  config.wall_clock = [&] {
    ++calls;
    return fixed + std::chrono::seconds(calls);
  };
  Acme w(tenant_settings(), config);
  w.external_call("c1", "744", "client", "agent744");
  const StartOutcome out = w.service->dial("sup700", "700", "*90744");
  REQUIRE(out.ok());
  w.service->stop(out.session);
  const auto records = w.audit->records();
  REQUIRE(records.size() == 3);  // attempt, started, ended
  CHECK(calls == 3);
  for (std::size_t i = 0; i < records.size(); ++i)
    CHECK(records[i].time == fixed + std::chrono::seconds(static_cast<long>(i) + 1));

  SUBCASE("without wall_clock, the system clock") {
    Acme plain;
    plain.external_call("c1", "744", "client", "agent744");
    const auto before = std::chrono::system_clock::now();
    REQUIRE(plain.service->dial("sup700", "700", "*90744").ok());
    const auto after = std::chrono::system_clock::now();
    for (const auto& r : plain.audit->records()) {
      CHECK(r.time >= before);
      CHECK(r.time <= after);
    }
  }
}

TEST_CASE("lifecycle: ended sessions are still answered, up to ended_sessions_kept") {
  ServiceConfig config;
  config.ended_sessions_kept = 2;
  Acme w(tenant_settings(), config);
  w.external_call("c1", "744", "client", "agent744");
  std::vector<SessionId> ids;
  for (int i = 0; i < 3; ++i) {
    const StartOutcome out = w.service->dial("s" + std::to_string(i), "700", "*90744");
    REQUIRE(out.ok());
    w.service->stop(out.session);
    ids.push_back(out.session);
  }
  CHECK_FALSE(w.service->session(ids[0]).has_value());
  REQUIRE(w.service->session(ids[1]).has_value());
  CHECK(w.service->session(ids[1])->end_reason == EndReason::stopped);
  CHECK(w.service->session(ids[2])->state == SessionState::ended);
  CHECK_FALSE(w.service->stop(ids[2]));
}
