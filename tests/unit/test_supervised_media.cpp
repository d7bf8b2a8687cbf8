// The bridge (callsup/supervised_media.hpp): a service's route sets reach the engine, the
// engine's digits reach the service, and the connection undoes both when it goes.
#include <doctest/doctest.h>

#include <chrono>

#include "callsup/media/route_recorder.hpp"
#include "callsup/supervised_media.hpp"
#include "support/acme.hpp"
#include "support/checks.hpp"
#include "support/engine_phone.hpp"

using namespace callsup;
using namespace std::chrono_literals;
using callsup::test::eventually;
using callsup::test::Phone;
using callsup::testing::Acme;

namespace {

MediaEngineConfig recording_engine(std::shared_ptr<RouteRecorder> recorder) {
  MediaEngineConfig config;
  config.threads = 1;
  config.mixer = std::move(recorder);
  return config;
}

/// Sends one RFC 4733 digit (three end packets, as phones do) with a fresh timestamp.
void press(Phone& phone, std::uint8_t event, std::uint32_t timestamp) {
  for (int i = 0; i < 3; ++i) phone.send_event(timestamp, {event, true, 10, 800});
}

bool recorded_version(const RouteRecorder& recorder, const CallId& call, std::uint64_t version) {
  const auto latest = recorder.latest(call);
  return latest && latest->version == version;
}

/// Hands the engine a set of its own and waits until the backend has it: whatever reached the
/// engine before has been applied by then too (one thread, sets applied in arrival order).
void settle(MediaEngine& engine, const RouteRecorder& recorder, std::uint64_t version) {
  auto probe = std::make_shared<RouteSet>();
  probe->call = "probe";
  probe->version = version;
  engine.update_routes(probe);
  REQUIRE(eventually([&] { return recorded_version(recorder, "probe", version); }));
}

}  // namespace

TEST_CASE("supervised media: routes drive the engine and digits switch modes until disconnected") {
  Acme w;
  auto recorder = std::make_shared<RouteRecorder>();
  MediaEngine engine(recording_engine(recorder));
  SupervisedMedia media = connect_media(*w.service, engine);
  CHECK(media.connected());

  w.external_call("c1", "744", "client", "agent744");
  w.supervisor_call();
  Phone supervisor(engine, "sup700", 0x700, "c1");
  const StartOutcome started = w.service->dial("sup700", "700", "*90744");
  REQUIRE(started.ok());
  const auto listen_version = w.routes("c1")->version;
  CHECK(eventually([&] { return recorded_version(*recorder, "c1", listen_version); }));

  press(supervisor, 1, 8000);  // '1': whisper, through the engine's digit handler
  CHECK(eventually([&] { return w.info(started.session).mode == Mode::whisper; }));
  const auto whisper_version = w.routes("c1")->version;
  CHECK(whisper_version > listen_version);
  CHECK(eventually([&] { return recorded_version(*recorder, "c1", whisper_version); }));

  media.disconnect();
  CHECK_FALSE(media.connected());
  media.disconnect();  // twice: harmless

  // No route set reaches the engine any more ...
  w.service->switch_mode(started.session, Mode::barge);
  CHECK(w.routes("c1")->version > whisper_version);
  settle(engine, *recorder, 1);
  CHECK(recorder->latest("c1")->version == whisper_version);
  // ... and no digit reaches the service: '1' would go back to whisper.
  press(supervisor, 1, 9600);
  CHECK(eventually([&] { return supervisor.endpoint->stats().dtmf_digits_in == 2; }));
  engine.flush_control();
  CHECK(w.info(started.session).mode == Mode::barge);
}

TEST_CASE("supervised media: destroying the connection disconnects; release() keeps it") {
  Acme w;
  auto recorder = std::make_shared<RouteRecorder>();
  MediaEngine engine(recording_engine(recorder));
  {
    SupervisedMedia scoped = connect_media(*w.service, engine);
    w.external_call("c1", "744", "client", "agent744");
    CHECK(eventually([&] { return recorded_version(*recorder, "c1", w.routes("c1")->version); }));
  }
  const auto connected_version = w.routes("c1")->version;
  w.registry.hold("agent744");
  CHECK(w.routes("c1")->version > connected_version);
  settle(engine, *recorder, 1);
  CHECK(recorder->latest("c1")->version == connected_version);

  connect_media(*w.service, engine).release();  // for the lives of both
  w.registry.unhold("agent744");
  CHECK(eventually([&] { return recorded_version(*recorder, "c1", w.routes("c1")->version); }));
}
