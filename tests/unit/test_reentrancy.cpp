// A sink that changes the registry (or directory) while another thread changes it must
// not deadlock: the thread delivering the registry's events is inside the service, and
// the service must not make it wait for a delivery that the sink's thread is blocked in.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "support/world.hpp"

using namespace callsup;
using namespace callsup::testing;

namespace {

/// Aborts the process with a message if `done` is not set within `limit`: a deadlocked
/// thread cannot be joined, so failing loudly is the only honest outcome.
class Watchdog {
 public:
  Watchdog(const char* what, std::chrono::seconds limit)
      : thread_([this, what, limit] {
          const auto deadline = std::chrono::steady_clock::now() + limit;
          while (!done_ && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
          if (!done_) {
            std::fprintf(stderr, "DEADLOCK: %s did not finish in time\n", what);
            std::_Exit(3);
          }
        }) {}
  ~Watchdog() {
    done_ = true;
    thread_.join();
  }

 private:
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace

TEST_CASE("a sink changing the registry while another thread changes it does not deadlock") {
  // Thread A delivers `started` to the sink; inside it, thread B starts a registry
  // change (B holds the registry's notification lock and enters the service), then the
  // sink changes the registry too (A needs that lock). B must not wait for A.
  World w;
  w.directory.add_extension(agent("744"));
  w.directory.add_extension(supervisor("700"));
  w.directory.add_group({"Support", "acme", {"744"}, {"700"}});
  w.external_call("c1", "744", "client", "agent744");

  std::atomic<bool> go{false};
  std::atomic<bool> b_done{false};
  std::thread b([&] {
    while (!go) std::this_thread::yield();
    w.registry.add_call("from-b", "acme");
    b_done = true;
  });
  auto subscription = w.service->add_event_sink(std::make_shared<FunctionEventSink>([&](const Event& e) {
    if (e.kind != EventKind::started) return;
    go = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // B is inside the service now
    w.registry.add_call("from-sink", "acme");
  }));

  Watchdog watchdog("sink/registry interplay", std::chrono::seconds(30));
  const StartOutcome outcome = w.service->dial("sup", "700", "*90744");
  CHECK(outcome.status == StartOutcome::Status::started);
  b.join();
  CHECK(b_done.load());
  CHECK(w.registry.find_call("from-sink") != nullptr);
  CHECK(w.registry.find_call("from-b") != nullptr);
}

TEST_CASE("destroying the service ends its sessions with reason shutdown, audited") {
  auto audit = std::make_shared<MemoryAuditSink>();
  CallRegistry registry;
  Directory directory;
  TenantSettings tenant;
  tenant.name = "acme";
  directory.set_tenant(tenant);
  directory.add_extension(agent("744"));
  directory.add_extension(supervisor("700"));
  directory.add_group({"Support", "acme", {"744"}, {"700"}});
  registry.add_call("c1", "acme");
  registry.add_leg("c1", Leg::off_net("client", "+1555", LegState::up));
  registry.add_leg("c1", Leg::on_net("agent744", "744", LegState::up));
  Subscription audit_trail;  // outlives the service: its destructor's records still arrive
  {
    SupervisionService service(registry, directory);
    audit_trail = service.add_audit_sink(audit);
    REQUIRE(service.dial("sup", "700", "*90744").ok());
  }
  const auto ended = audit->of_kind(EventKind::ended);
  REQUIRE(ended.size() == 1);
  CHECK(ended[0].end_reason == EndReason::shutdown);
  registry.end_call("c1");  // no service listens any more: must not crash
}
