// Edge cases found in review: spy-all targets it may not supervise, pre-arming on
// oneself, armed mode switches, and a sink changing the directory concurrently.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "support/world.hpp"

using namespace callsup;
using namespace callsup::testing;

TEST_CASE("edge: spy-all skips calls outside the supervisor's scope instead of refusing") {
  World w;
  for (const char* ext : {"744", "810"}) w.directory.add_extension(agent(ext));
  w.directory.add_extension(supervisor("700"));
  w.directory.add_group({"Support", "acme", {"744"}, {"700"}});
  w.external_call("old", "810", "x1", "agent810");  // oldest call: agent outside the group
  w.external_call("new", "744", "x2", "agent744");
  const StartOutcome outcome = w.service->start({"sup", "700", "", true, Mode::listen, std::nullopt, {}});
  REQUIRE(outcome.status == StartOutcome::Status::started);
  CHECK(w.info(outcome.session).call == "new");
  CHECK_FALSE(w.service->next(outcome.session));  // "old" stays out of reach
}

TEST_CASE("edge: spy-all by someone who may not supervise is refused even with calls around") {
  World w;
  w.directory.add_extension(agent("744"));
  w.directory.add_extension(agent("700"));
  w.external_call("c1", "744", "x", "agent744");
  const StartOutcome outcome = w.service->start({"sup", "700", "", true, Mode::listen, std::nullopt, {}});
  CHECK(outcome.status == StartOutcome::Status::denied);
  CHECK(outcome.decision.reason == Reason::not_a_supervisor);
}

TEST_CASE("edge: pre-arming on one's own extension, a private one or another tenant's is refused up front") {
  World w;
  ExtensionProfile sup = supervisor("700");
  sup.roles = {Role::tenant_admin};
  w.directory.add_extension(sup);
  ExtensionProfile hidden = agent("745");
  hidden.privacy = true;
  w.directory.add_extension(hidden);
  TenantSettings other;
  other.name = "globex";
  w.directory.set_tenant(other);
  w.directory.add_extension(agent("900", "globex"));
  SessionOptions options;
  options.pre_arm = true;
  const std::pair<const char*, Reason> cases[] = {
      {"700", Reason::self_supervision}, {"745", Reason::privacy}, {"900", Reason::cross_tenant}};
  for (const auto& [target, reason] : cases) {
    CAPTURE(target);
    const StartOutcome outcome =
        w.service->start({std::string("sup-") + target, "700", target, false, Mode::listen, options, {}});
    CHECK(outcome.status == StartOutcome::Status::denied);
    CHECK(outcome.decision.reason == reason);
  }
  CHECK(w.service->sessions().empty());
}

TEST_CASE("edge: an armed session's mode switch is recorded, notifies nobody, and keeps whisper_to") {
  World w;
  w.directory.add_extension(agent("744"));
  w.directory.add_extension(supervisor("700"));
  w.directory.add_group({"Support", "acme", {"744"}, {"700"}});
  SessionOptions options;
  options.pre_arm = true;
  const StartOutcome outcome = w.service->start({"sup", "700", "744", false, Mode::whisper, options, {}});
  REQUIRE(outcome.status == StartOutcome::Status::armed);
  w.service->switch_mode(outcome.session, Mode::whisper, WhisperTo::other_party);
  CHECK(w.info(outcome.session).options.whisper_to == WhisperTo::other_party);
  w.service->switch_mode(outcome.session, Mode::barge);
  CHECK(w.info(outcome.session).mode == Mode::barge);
  CHECK(w.audit->of_kind(EventKind::mode_changed).size() == 2);
  CHECK(w.audit->of_kind(EventKind::agent_notified).empty());
  w.external_call("c1", "744", "client", "agent744");
  CHECK(w.info(outcome.session).state == SessionState::active);
  CHECK(w.audit->of_kind(EventKind::agent_notified).size() == 1);
}

TEST_CASE("edge: a sink changing the directory while another thread changes it does not deadlock") {
  World w;
  w.directory.add_extension(agent("744"));
  w.directory.add_extension(agent("745"));
  w.directory.add_extension(supervisor("700"));
  w.directory.add_group({"Support", "acme", {"744"}, {"700"}});
  w.external_call("c1", "744", "client", "agent744");

  std::atomic<bool> go{false};
  std::thread b([&] {
    while (!go) std::this_thread::yield();
    w.directory.update_extension(agent("745"));
  });
  auto subscription = w.service->add_event_sink(std::make_shared<FunctionEventSink>([&](const Event& e) {
    if (e.kind != EventKind::started) return;
    go = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // B is inside the service now
    ExtensionProfile renamed = agent("745");
    renamed.display_name = "changed by a sink";
    w.directory.update_extension(renamed);
  }));
  std::atomic<bool> finished{false};
  std::thread watchdog([&] {
    for (int i = 0; i < 1500 && !finished; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (!finished) {
      std::fprintf(stderr, "DEADLOCK: sink/directory interplay\n");
      std::_Exit(3);
    }
  });
  CHECK(w.service->dial("sup", "700", "*90744").ok());
  b.join();
  finished = true;
  watchdog.join();
  CHECK(w.directory.version() == 7);  // 5 to set up, one by B, one by the sink
}
