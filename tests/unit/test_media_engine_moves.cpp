// A supervisor's leg follows its session to a call on another engine thread (spy-all's next
// target, a transfer): the engine moves the leg, and the leg's home thread forwards what the
// phone keeps sending to the shared socket it was told about.
#include <doctest/doctest.h>

#include <atomic>
#include <functional>
#include <string>
#include <thread>

#include "callsup/media/media_engine.hpp"
#include "callsup/media/rtp_packet.hpp"
#include "support/engine_phone.hpp"

using namespace callsup;
using namespace std::chrono_literals;
using callsup::test::Phone;
using callsup::test::routes;

namespace {

/// Two call ids that the engine puts on different threads of two (it shards by std::hash; the
/// moved_legs checks below fail if that ever changes and both land on one thread).
std::pair<CallId, CallId> calls_on_two_threads() {
  const CallId first = "call-0";
  const auto thread_of = [](const CallId& id) { return std::hash<std::string>{}(id) % 2; };
  for (int i = 1;; ++i) {
    CallId other = "call-" + std::to_string(i);
    if (thread_of(other) != thread_of(first)) return {first, other};
  }
}

bool all_bytes(const std::vector<std::uint8_t>& packet, std::uint8_t code) {
  const RtpParseResult parsed = parse_rtp(packet);
  return parsed && !parsed.packet.payload.empty() &&
         std::all_of(parsed.packet.payload.begin(), parsed.packet.payload.end(),
                     [code](std::uint8_t c) { return c == code; });
}

/// Waits (sanitizer builds on a busy machine are slow) until `phone` receives a frame of `code`.
bool hears(Phone& phone, std::uint8_t code) {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < deadline)
    if (auto packet = phone.socket.receive(5ms); packet && all_bytes(*packet, code)) return true;
  return false;
}

/// After the switch, nothing but `code` reaches `phone` (frames already queued are drained first).
bool hears_only(Phone& phone, std::uint8_t code) {
  (void)phone.drain(60ms);
  const auto packets = phone.drain(200ms);
  return !packets.empty() && std::all_of(packets.begin(), packets.end(),
                                         [code](const auto& packet) { return all_bytes(packet, code); });
}

/// Phones that send their code every 20 ms until destroyed.
class Talkers {
 public:
  explicit Talkers(std::vector<std::pair<Phone*, std::uint8_t>> talkers)
      : thread_([this, talkers] {
          while (!stop_.load()) {
            for (auto& [phone, code] : talkers) phone->send_pcmu(code);
            std::this_thread::sleep_for(20ms);
          }
        }) {}
  ~Talkers() {
    stop_.store(true);
    thread_.join();
  }

 private:
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

void supervisor_moves_between_threads(SocketMode mode) {
  MediaEngineConfig config;
  config.threads = 2;
  config.silence_to_idle_legs = false;
  MediaEngine engine(config);
  const auto [call_a, call_b] = calls_on_two_threads();
  Phone a1(engine, "a1", 0xA1, call_a, mode), a2(engine, "a2", 0xA2, call_a, mode);
  Phone b1(engine, "b1", 0xB1, call_b, mode), b2(engine, "b2", 0xB2, call_b, mode);
  Phone sup(engine, "sup", 0x5, call_a, mode);
  const std::uint8_t a_code = 0x11, b_code = 0x22, sup_code = 0x33;
  Talkers talkers({{&a1, a_code}, {&b1, b_code}, {&sup, sup_code}});

  engine.update_routes(routes(1, {{"a1", "a2"}, {"a2", "a1"}, {"a1", "sup"}}, call_a));
  engine.update_routes(routes(1, {{"b1", "b2"}, {"b2", "b1"}}, call_b));
  REQUIRE(hears(sup, a_code));

  // The new call names the supervisor while the old one still does: the leg waits.
  engine.update_routes(routes(2, {{"b2", "b1"}, {"b1", "sup"}, {"sup", "b2"}}, call_b));
  CHECK(hears_only(sup, a_code));
  CHECK(engine.stats().total.moved_legs == 0);

  // The old call lets it go: the leg moves, hears b1, and b2 hears it.
  engine.update_routes(routes(2, {{"a1", "a2"}, {"a2", "a1"}}, call_a));
  CHECK(hears(sup, b_code));
  CHECK(hears(b2, sup_code));
  CHECK(hears_only(sup, b_code));
  CHECK(hears_only(b2, sup_code));
  const EngineStats moved = engine.stats();
  CHECK(moved.total.moved_legs == 1);
  if (mode == SocketMode::shared) {
    CHECK(moved.total.forwarded_packets > 0);  // the phone still sends to its home thread
  } else {
    CHECK(moved.total.forwarded_packets == 0);  // its own socket moved with it
  }

  // And back (the order of the two updates reversed: released first, then claimed).
  engine.update_routes(routes(3, {{"b1", "b2"}, {"b2", "b1"}}, call_b));
  engine.update_routes(routes(3, {{"a2", "a1"}, {"a1", "sup"}, {"sup", "a2"}}, call_a));
  CHECK(hears(sup, a_code));
  CHECK(hears_only(sup, a_code));
  CHECK(hears(a2, sup_code));
  CHECK(engine.stats().total.moved_legs == 2);
  CHECK(sup.endpoint->stats().auth_fail == 0);
  CHECK(sup.endpoint->stats().unexpected_source == 0);

  // Removing the leg while it is away from home leaves nothing behind on either thread.
  engine.update_routes(routes(4, {{"b1", "sup"}}, call_b));
  engine.update_routes(routes(4, {{"a1", "a2"}}, call_a));
  CHECK(hears(sup, b_code));
  engine.remove_endpoint("sup");
  const auto in_before = engine.stats().total.unknown_source;
  std::this_thread::sleep_for(100ms);
  if (mode == SocketMode::shared) CHECK(engine.stats().total.unknown_source > in_before);
  CHECK(engine.stats().total.legs == 4);
}

}  // namespace

TEST_CASE("media: a supervisor's leg on the shared socket follows its session to another thread") {
  supervisor_moves_between_threads(SocketMode::shared);
}

TEST_CASE("media: a supervisor's leg with its own socket takes the socket to another thread") {
  supervisor_moves_between_threads(SocketMode::dedicated);
}
