// SupervisionService under concurrency: supervisors working in parallel while the PBX
// churns unrelated calls and the directory changes, with sinks that call back into the
// service. No deadlock (watchdog), no lost event, an audit trail without gaps. Meant to
// be run under ThreadSanitizer too.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support/world.hpp"

using namespace callsup;
using namespace callsup::testing;

namespace {

constexpr int workers = 8;
constexpr int iterations = 200;
constexpr int auto_every = 10;      // every 10th iteration also starts a session the sink stops
constexpr int recreate_every = 50;  // every 50th iteration the worker's call is replaced
constexpr auto watchdog_limit = std::chrono::seconds(60);

/// Aborts the process (failing the test run) unless disarmed within the limit: a
/// deadlocked thread cannot be joined, so there is no gentler way out.
class Watchdog {
 public:
  explicit Watchdog(std::chrono::seconds limit)
      : thread_([this, limit] {
          std::unique_lock lock(mutex_);
          if (!cv_.wait_for(lock, limit, [this] { return done_; })) {
            std::fprintf(stderr, "threads test: no progress after %lld s, probably a deadlock\n",
                         static_cast<long long>(limit.count()));
            std::fflush(stderr);
            std::abort();
          }
        }) {}
  ~Watchdog() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

/// Problems seen on worker threads, checked on the test's thread.
class Failures {
 public:
  void add(std::string what) {
    std::lock_guard lock(mutex_);
    if (list_.size() < 50) list_.push_back(std::move(what));
    ++count_;
  }
  std::vector<std::string> list() const {
    std::lock_guard lock(mutex_);
    return list_;
  }
  std::size_t count() const {
    std::lock_guard lock(mutex_);
    return count_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> list_;
  std::size_t count_ = 0;
};

bool starts_with(const std::string& text, const char* prefix) { return text.rfind(prefix, 0) == 0; }

std::string ext_of(const char* base, int i) { return base + std::to_string(i); }

}  // namespace

TEST_CASE("threads: parallel supervisors, registry churn, directory toggles, re-entrant sinks") {
  ServiceConfig config;
  config.ended_sessions_kept = 100000;  // every session stays answerable by session()
  World w(tenant_settings(), config);
  for (int i = 0; i < workers; ++i) {
    w.directory.add_extension(supervisor(ext_of("70", i)));
    w.directory.add_extension(agent(ext_of("80", i)));
    w.directory.add_group({"G" + std::to_string(i), "acme", {ext_of("80", i)}, {ext_of("70", i)}});
  }
  w.directory.add_extension(agent("900"));
  w.directory.add_extension(agent("901"));
  w.directory.add_extension(agent("950"));  // toggled by the directory thread

  Failures failures;
  std::atomic<int> worker_started{0}, worker_ended{0}, auto_started{0}, auto_ended{0},
      auto_stopped_by_sink{0};
  std::atomic<int> reads{0};

  // A sink that reads the service on every event.
  auto subscription = w.service->add_event_sink(std::make_shared<FunctionEventSink>([&](const Event& e) {
    ++reads;
    for (const SessionInfo& s : w.service->sessions())
      if (s.state == SessionState::ended)
        failures.add("sessions() listed ended session " + std::to_string(s.id));
    if (e.session != 0 && !w.service->session(e.session))
      failures.add("event for session " + std::to_string(e.session) + " that session() does not know");
    const bool is_worker = starts_with(e.supervisor_leg, "w");
    const bool is_auto = starts_with(e.supervisor_leg, "auto");
    if (e.kind == EventKind::started) {
      if (is_worker) ++worker_started;
      if (is_auto) ++auto_started;
    } else if (e.kind == EventKind::ended) {
      if (is_worker) ++worker_ended;
      if (is_auto) ++auto_ended;
    } else if (e.kind == EventKind::denied && (is_worker || is_auto)) {
      failures.add("denied: " + e.supervisor_leg + " reason " + std::string(to_string(e.reason)));
    }
  }));
  // A sink that stops the session it is told about (the "auto" ones) as soon as it starts.
  auto subscription2 = w.service->add_event_sink(std::make_shared<FunctionEventSink>([&](const Event& e) {
    if (e.kind != EventKind::started || !starts_with(e.supervisor_leg, "auto")) return;
    try {
      if (w.service->stop(e.session))
        ++auto_stopped_by_sink;
      else
        failures.add("sink: stop(" + std::to_string(e.session) + ") found it already ended");
    } catch (const std::exception& ex) {
      failures.add(std::string("sink: stop threw: ") + ex.what());
    }
  }));
  // Route versions must increase by one per call, in delivery order.
  std::mutex versions_mutex;
  std::map<CallId, std::uint64_t> versions;
  auto subscription3 = w.service->add_route_observer([&](const SupervisionService::OnRoutesParam& p) {
    const auto& set = p.routes;
    std::lock_guard lock(versions_mutex);
    auto [it, fresh] = versions.try_emplace(set->call, 0);
    if (set->version != it->second + 1)
      failures.add("routes of " + set->call + ": version " + std::to_string(set->version) + " after " +
                   std::to_string(it->second));
    it->second = set->ended ? 0 : set->version;  // a call id may come back after it ended
  });

  // The workers' first calls, after the observers are in place.
  for (int i = 0; i < workers; ++i)
    w.external_call("wc" + std::to_string(i) + "-0", ext_of("80", i), "wcust" + std::to_string(i) + "-0",
                    "wag" + std::to_string(i) + "-0");

  std::atomic<bool> workers_done{false};
  std::atomic<int> churned{0}, toggled{0};
  {
    Watchdog watchdog(watchdog_limit);
    std::vector<std::thread> threads;

    for (int i = 0; i < workers; ++i) {
      threads.emplace_back([&, i] {
        const std::string sup = ext_of("70", i);
        const std::string ag = ext_of("80", i);
        const std::string n_str = std::to_string(i);
        auto expect_mode = [&](SessionId id, Mode mode, const char* step) {
          const auto info = w.service->session(id);
          if (!info || info->state != SessionState::active || info->mode != mode)
            failures.add("worker " + n_str + " " + step + ": session " + std::to_string(id) +
                         " not active in " + std::string(to_string(mode)));
        };
        try {
          int generation = 0;
          for (int n = 0; n < iterations; ++n) {
            if (n > 0 && n % recreate_every == 0) {
              const std::string old = std::to_string(generation);
              w.registry.end_call("wc" + n_str + "-" + old);
              ++generation;
              const std::string g = std::to_string(generation);
              w.external_call("wc" + n_str + "-" + g, ag, "wcust" + n_str + "-" + g, "wag" + n_str + "-" + g);
            }
            const std::string leg = "w" + n_str + "-" + std::to_string(n);
            const StartOutcome out = w.service->dial(leg, sup, "*90" + ag);
            if (out.status != StartOutcome::Status::started) {
              failures.add("worker " + n_str + ": dial " + std::string(to_string(out.status)) + " " +
                           std::string(to_string(out.decision.reason)));
              continue;
            }
            if (n % auto_every == 0) {
              const StartOutcome a = w.service->start(
                  {"auto" + n_str + "-" + std::to_string(n), sup, ag, false, Mode::listen, {}, {}});
              const auto info = a.ok() ? w.service->session(a.session) : std::nullopt;
              // Events are delivered before start() returns, so the sink has stopped it.
              if (!info || info->state != SessionState::ended || info->end_reason != EndReason::stopped)
                failures.add("worker " + n_str +
                             ": auto session not stopped by the sink when start() returned");
            }
            w.service->dtmf(out.session, '1');
            expect_mode(out.session, Mode::whisper, "after 1");
            w.service->dtmf(out.session, '2');
            expect_mode(out.session, Mode::barge, "after 2");
            w.service->dtmf(out.session, '0');
            expect_mode(out.session, Mode::listen, "after 0");
            if (!w.service->stop(out.session)) failures.add("worker " + n_str + ": stop returned false");
            const auto info = w.service->session(out.session);
            if (!info || info->end_reason != EndReason::stopped)
              failures.add("worker " + n_str + ": session not stopped after stop()");
          }
        } catch (const std::exception& ex) {
          failures.add("worker " + n_str + " threw: " + ex.what());
        }
      });
    }

    for (int t = 0; t < 2; ++t) {
      threads.emplace_back([&, t] {
        try {
          const std::string ext = ext_of("90", t);
          for (int k = 0; k < 100 || !workers_done.load(); ++k) {
            const std::string id = "ch" + std::to_string(t) + "-" + std::to_string(k);
            w.registry.add_call(id, "acme");
            w.registry.add_leg(id, Leg::off_net(id + "-cust", "+15550001111", LegState::up));
            w.registry.add_leg(id, Leg::on_net(id + "-ag", ext, LegState::ringing));
            w.registry.answer(id + "-ag");
            w.registry.bridge(id);
            w.registry.hold(id + "-ag");
            w.registry.unhold(id + "-ag");
            w.registry.remove_leg(id + "-cust");
            w.registry.end_call(id);
            ++churned;
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
          }
        } catch (const std::exception& ex) {
          failures.add(std::string("churn threw: ") + ex.what());
        }
      });
    }

    threads.emplace_back([&] {
      try {
        for (int k = 0; k < 100 || !workers_done.load(); ++k) {
          ExtensionProfile p = agent("950");
          p.privacy = (k % 2) == 0;
          w.directory.update_extension(p);
          ++toggled;
          std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
      } catch (const std::exception& ex) {
        failures.add(std::string("directory thread threw: ") + ex.what());
      }
    });

    for (int i = 0; i < workers; ++i) threads[static_cast<std::size_t>(i)].join();
    workers_done = true;
    for (std::size_t i = workers; i < threads.size(); ++i) threads[i].join();
  }

  CHECK(failures.count() == 0);
  for (const auto& f : failures.list()) MESSAGE(f);

  MESSAGE("churned calls: " << churned.load() << ", directory toggles: " << toggled.load()
                            << ", sink reads: " << reads.load());
  CHECK(churned.load() >= 200);
  CHECK(toggled.load() >= 100);
  CHECK(worker_started.load() == workers * iterations);
  CHECK(worker_ended.load() == worker_started.load());
  CHECK(auto_started.load() == workers * (iterations / auto_every));
  CHECK(auto_ended.load() == auto_started.load());
  CHECK(auto_stopped_by_sink.load() == auto_started.load());
  CHECK(w.service->sessions().empty());
  CHECK(w.service->sink_failures() == 0);

  // The audit trail: strictly increasing by one from 1, with nothing missing, and the
  // event sink saw exactly the same sequence.
  const auto records = w.audit->records();
  REQUIRE_FALSE(records.empty());
  std::size_t gaps = 0;
  for (std::size_t i = 0; i < records.size(); ++i)
    if (records[i].sequence != i + 1) ++gaps;
  CHECK(gaps == 0);
  const auto events = w.events->events();
  REQUIRE(events.size() == records.size());
  std::size_t mismatched = 0;
  for (std::size_t i = 0; i < events.size(); ++i)
    if (events[i].sequence != records[i].sequence) ++mismatched;
  CHECK(mismatched == 0);
  // Each worker session: attempt, started, 3 mode changes, 2 agent notifications, ended.
  std::size_t worker_records = 0;
  for (const auto& r : records)
    if (starts_with(r.supervisor_leg, "w")) ++worker_records;
  CHECK(worker_records == static_cast<std::size_t>(workers * iterations * 8));
}
