// Over 400 lines: the hand-driven scenarios sit beside the seeded stream they must agree with.
// Jitter buffer: deterministic push/pop scenarios driven by hand (one pop() per tick), and a
// seeded random stream checked against the accounting identity and a shadow of what was sent.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "callsup/media/jitter_buffer.hpp"
#include "support/checks.hpp"

using namespace callsup;
using Kind = JitterBuffer::Frame::Kind;

namespace callsup {
inline doctest::String toString(PushResult v) { return std::string(to_string(v)).c_str(); }
inline doctest::String toString(JitterBuffer::Frame::Kind v) { return std::string(to_string(v)).c_str(); }
}  // namespace callsup

namespace {

constexpr std::uint32_t spf = 160;
constexpr std::uint32_t stream_a_ssrc = 0x1234'5678;

/// Payload bytes that identify a packet: its length and content both depend on the sequence
/// number and timestamp, so a view of the wrong slot or a stale slot is caught.
std::vector<std::uint8_t> payload_of(std::uint16_t sequence, std::uint32_t timestamp) {
  std::vector<std::uint8_t> bytes(20 + sequence % 17);
  for (std::size_t i = 0; i < bytes.size(); ++i)
    bytes[i] = static_cast<std::uint8_t>((sequence >> (i % 2 * 8)) ^ (timestamp >> (i % 4 * 8)) ^ (i * 29));
  return bytes;
}

/// A sender whose packet n has sequence first_sequence + n and timestamp first_timestamp + n * step.
struct Sender {
  std::uint16_t first_sequence = 1000;
  std::uint32_t first_timestamp = 80'000;
  std::uint32_t step = spf;
  std::uint32_t ssrc = stream_a_ssrc;

  std::uint16_t sequence(int n) const { return static_cast<std::uint16_t>(first_sequence + n); }
  std::uint32_t timestamp(int n) const { return first_timestamp + static_cast<std::uint32_t>(n) * step; }
  PushResult push(JitterBuffer& buffer, int n, bool marker = false) const {
    const auto bytes = payload_of(sequence(n), timestamp(n));
    return buffer.push(sequence(n), timestamp(n), ssrc, marker, bytes);
  }
};

/// The frame is packet n of `sender`, with the bytes that were pushed for it.
void check_audio(const JitterBuffer::Frame& frame, const Sender& sender, int n) {
  INFO("expected packet " << n);
  REQUIRE(frame.kind == Kind::audio);
  CHECK(frame.sequence == sender.sequence(n));
  CHECK(frame.timestamp == sender.timestamp(n));
  const auto expected = payload_of(sender.sequence(n), sender.timestamp(n));
  CHECK(std::vector<std::uint8_t>(frame.payload.begin(), frame.payload.end()) == expected);
}

/// pushed == played + overflow_dropped + shrink_dropped + cleared + depth.
void check_accounting(const JitterBufferStats& s) {
  CHECK(s.pushed == s.played + s.overflow_dropped + s.shrink_dropped + s.cleared + s.depth);
}

JitterBufferConfig no_shrink() {
  JitterBufferConfig config;
  config.shrink_after = 0;
  return config;
}

}  // namespace

TEST_CASE("media: jitter buffer is idle until the first packet") {
  JitterBuffer buffer;
  for (int i = 0; i < 3; ++i) CHECK(buffer.pop().kind == Kind::idle);
  CHECK(buffer.stats().missing == 0);
  CHECK(buffer.stats().played == 0);
}

TEST_CASE("media: jitter buffer plays an in-order stream at the next tick with no added delay") {
  JitterBuffer buffer;
  const Sender sender;
  for (int n = 0; n < 200; ++n) {
    CHECK(sender.push(buffer, n) == PushResult::accepted);
    check_audio(buffer.pop(), sender, n);
    CHECK(buffer.stats().depth == 0);
  }
  const auto& s = buffer.stats();
  CHECK(s.played == 200);
  CHECK(s.missing == 0);
  CHECK(s.lost == 0);
  check_accounting(s);
}

TEST_CASE("media: jitter buffer reorders packets that arrive before their ticks") {
  JitterBuffer buffer(no_shrink());
  const Sender sender;
  sender.push(buffer, 1);
  check_audio(buffer.pop(), sender, 1);
  CHECK(sender.push(buffer, 3) == PushResult::accepted);
  CHECK(sender.push(buffer, 2) == PushResult::accepted);
  CHECK(sender.push(buffer, 4) == PushResult::accepted);
  CHECK(sender.push(buffer, 6) == PushResult::accepted);
  CHECK(sender.push(buffer, 5) == PushResult::accepted);
  for (int n = 2; n <= 6; ++n) check_audio(buffer.pop(), sender, n);
  CHECK(buffer.stats().lost == 0);
  CHECK(buffer.stats().missing == 0);
}

TEST_CASE("media: jitter buffer drops duplicates, queued or just played, and counts each") {
  JitterBuffer buffer;
  const Sender sender;
  CHECK(sender.push(buffer, 1) == PushResult::accepted);
  CHECK(sender.push(buffer, 2) == PushResult::accepted);
  CHECK(sender.push(buffer, 1) == PushResult::duplicate);
  CHECK(sender.push(buffer, 2) == PushResult::duplicate);
  check_audio(buffer.pop(), sender, 1);
  CHECK(sender.push(buffer, 1) == PushResult::duplicate);  // the frame just played
  check_audio(buffer.pop(), sender, 2);
  CHECK(buffer.pop().kind == Kind::missing);
  const auto& s = buffer.stats();
  CHECK(s.duplicates == 3);
  CHECK(s.pushed == 2);
  CHECK(s.played == 2);
  check_accounting(s);
}

TEST_CASE("media: jitter buffer counts a packet as late once its frame was given up") {
  JitterBuffer buffer;
  const Sender sender;
  sender.push(buffer, 1);
  check_audio(buffer.pop(), sender, 1);
  sender.push(buffer, 3);  // 2 not here, 3 is: 2 is lost
  const auto missing = buffer.pop();
  CHECK(missing.kind == Kind::missing);
  CHECK(missing.timestamp == sender.timestamp(2));
  CHECK(sender.push(buffer, 2) == PushResult::late);
  check_audio(buffer.pop(), sender, 3);
  CHECK(sender.push(buffer, 0) == PushResult::late);  // long before the playout point
  const auto& s = buffer.stats();
  CHECK(s.late == 2);
  CHECK(s.lost == 1);
  CHECK(s.missing == 1);
  CHECK(s.duplicates == 0);
}

TEST_CASE("media: jitter buffer reports a lost packet as one missing tick, then keeps time") {
  // Real time: packet n arrives just before tick n. Packet 5 never arrives.
  JitterBuffer buffer;
  const Sender sender;
  for (int n = 0; n < 10; ++n) {
    if (n != 5) sender.push(buffer, n);
    const auto frame = buffer.pop();
    if (n == 5) {
      CHECK(frame.kind == Kind::missing);
      CHECK(frame.timestamp == sender.timestamp(5));
    } else {
      check_audio(frame, sender, n);  // 6 still plays at its own tick: no delay added
    }
  }
  const auto& s = buffer.stats();
  CHECK(s.missing == 1);
  CHECK(s.lost == 1);
  CHECK(s.played == 9);
  CHECK(s.depth == 0);
}

TEST_CASE("media: jitter buffer waits for a frame that misses its tick instead of skipping it") {
  // Packet 2 arrives just after its tick; from then on playout runs one frame later.
  JitterBuffer buffer(no_shrink());
  const Sender sender;
  sender.push(buffer, 1);
  check_audio(buffer.pop(), sender, 1);
  const auto missing = buffer.pop();
  CHECK(missing.kind == Kind::missing);
  CHECK(missing.timestamp == sender.timestamp(2));
  CHECK(sender.push(buffer, 2) == PushResult::accepted);
  for (int n = 3; n < 20; ++n) {
    sender.push(buffer, n);
    check_audio(buffer.pop(), sender, n - 1);
    CHECK(buffer.stats().depth == 1);
  }
  CHECK(buffer.stats().lost == 0);
  CHECK(buffer.stats().missing == 1);
}

TEST_CASE("media: jitter buffer counts a frame lost after an underrun without a second missing tick") {
  // Packets 2 and 3 are both late at their ticks; 3 arrives first, so 2 is lost, and the
  // missing tick reported while waiting stood in for it.
  JitterBuffer buffer;
  const Sender sender;
  sender.push(buffer, 1);
  check_audio(buffer.pop(), sender, 1);
  CHECK(buffer.pop().kind == Kind::missing);
  sender.push(buffer, 3);
  check_audio(buffer.pop(), sender, 3);
  CHECK(sender.push(buffer, 2) == PushResult::late);
  sender.push(buffer, 4);
  check_audio(buffer.pop(), sender, 4);
  const auto& s = buffer.stats();
  CHECK(s.missing == 1);
  CHECK(s.lost == 1);
  CHECK(s.late == 1);
}

TEST_CASE("media: jitter buffer goes idle after max_depth missing ticks and restarts on the next packet") {
  JitterBufferConfig config;
  config.max_depth = 3;
  JitterBuffer buffer(config);
  const Sender sender;
  sender.push(buffer, 0);
  check_audio(buffer.pop(), sender, 0);
  for (int i = 0; i < 3; ++i) CHECK(buffer.pop().kind == Kind::missing);
  for (int i = 0; i < 10; ++i) CHECK(buffer.pop().kind == Kind::idle);
  CHECK(buffer.stats().missing == 3);
  // The stream comes back 14 frames later without a marker: it plays at once, the gap is lost.
  sender.push(buffer, 14);
  check_audio(buffer.pop(), sender, 14);
  CHECK(buffer.stats().lost == 13);
  sender.push(buffer, 15);
  check_audio(buffer.pop(), sender, 15);
}

TEST_CASE("media: jitter buffer keeps the depth bounded when the sender is faster than the ticks") {
  JitterBufferConfig config = no_shrink();
  config.max_depth = 4;
  JitterBuffer buffer(config);
  const Sender sender;
  int next = 0;
  std::uint32_t last_played = 0;
  for (int tick = 0; tick < 100; ++tick) {
    sender.push(buffer, next++);
    sender.push(buffer, next++);
    const auto frame = buffer.pop();
    REQUIRE(frame.kind == Kind::audio);
    if (tick > 0) CHECK(static_cast<std::int32_t>(frame.timestamp - last_played) > 0);
    last_played = frame.timestamp;
    CHECK(buffer.stats().depth <= config.max_depth);
  }
  const auto& s = buffer.stats();
  CHECK(s.played == 100);
  CHECK(s.overflow_dropped >= 90);  // 200 sent, 100 played, max_depth left
  CHECK(s.missing == 0);
  check_accounting(s);
}

TEST_CASE("media: jitter buffer absorbs a burst up to capacity, then drops the oldest") {
  JitterBufferConfig config = no_shrink();
  config.capacity = 8;
  config.max_depth = 2;
  JitterBuffer buffer(config);
  const Sender sender;
  sender.push(buffer, 0);
  check_audio(buffer.pop(), sender, 0);
  // Ten packets between two ticks, newest first: a full buffer drops its oldest packet,
  // and a packet older than everything in a full buffer is not kept.
  for (int n = 10; n >= 3; --n) CHECK(sender.push(buffer, n) == PushResult::accepted);
  CHECK(buffer.stats().depth == 8);
  CHECK(sender.push(buffer, 2) == PushResult::late);
  CHECK(sender.push(buffer, 11) == PushResult::accepted);  // drops 3
  CHECK(buffer.stats().overflow_dropped == 1);
  CHECK(buffer.stats().depth == 8);
  // The tick plays the oldest left, then max_depth keeps the newest two.
  check_audio(buffer.pop(), sender, 4);
  CHECK(buffer.stats().depth == 2);
  check_audio(buffer.pop(), sender, 10);
  check_audio(buffer.pop(), sender, 11);
  check_accounting(buffer.stats());
}

TEST_CASE("media: jitter buffer restarts on an SSRC change") {
  JitterBuffer buffer;
  const Sender first;
  Sender second;
  second.ssrc = 0xCAFE;
  second.first_sequence = 7;
  second.first_timestamp = 3'000'000'000u;
  for (int n = 0; n < 3; ++n) first.push(buffer, n);
  check_audio(buffer.pop(), first, 0);
  CHECK(second.push(buffer, 0) == PushResult::resync);
  const auto& s = buffer.stats();
  CHECK(s.resyncs == 1);
  CHECK(s.ssrc_changes == 1);
  CHECK(s.cleared == 2);
  check_audio(buffer.pop(), second, 0);
  CHECK(first.push(buffer, 3) == PushResult::resync);  // and back again
  CHECK(s.ssrc_changes == 2);
  check_audio(buffer.pop(), first, 3);
  check_accounting(s);
}

TEST_CASE("media: jitter buffer restarts on a timestamp jump beyond resync_after") {
  JitterBufferConfig config;
  config.resync_after = 8000;
  JitterBuffer buffer(config);
  const Sender sender;
  sender.push(buffer, 0);
  sender.push(buffer, 1);
  check_audio(buffer.pop(), sender, 0);

  SUBCASE("forward") {
    Sender jumped = sender;
    jumped.first_timestamp = sender.timestamp(0) + 8000 + 1;
    CHECK(jumped.push(buffer, 0) == PushResult::resync);
    CHECK(buffer.stats().cleared == 1);
    check_audio(buffer.pop(), jumped, 0);
  }
  SUBCASE("backward") {
    Sender jumped = sender;
    jumped.first_timestamp = sender.timestamp(0) - 8000 - 1;
    CHECK(jumped.push(buffer, 0) == PushResult::resync);
    check_audio(buffer.pop(), jumped, 0);
  }
  SUBCASE("half the circle away") {
    Sender jumped = sender;
    jumped.first_timestamp = sender.timestamp(0) + 0x8000'0000u;
    CHECK(jumped.push(buffer, 0) == PushResult::resync);
    check_audio(buffer.pop(), jumped, 0);
  }
  SUBCASE("backward within the limit is only late") {
    Sender earlier = sender;
    earlier.first_timestamp = sender.timestamp(0) - 8000;
    CHECK(earlier.push(buffer, 0) == PushResult::late);
    CHECK(buffer.stats().resyncs == 0);
    check_audio(buffer.pop(), sender, 1);
  }
  SUBCASE("forward within the limit is kept") {
    Sender later = sender;
    later.first_timestamp = sender.timestamp(0) + 8000;
    CHECK(later.push(buffer, 0) == PushResult::accepted);
    CHECK(buffer.stats().resyncs == 0);
    check_audio(buffer.pop(), sender, 1);
  }
  CHECK(buffer.stats().ssrc_changes == 0);
  check_accounting(buffer.stats());
}

TEST_CASE("media: jitter buffer is seamless across sequence and timestamp wrap") {
  JitterBuffer buffer;
  Sender sender;
  sender.first_sequence = 65530;
  sender.first_timestamp = 0xFFFF'FF60u - 5 * spf;
  // Crosses 65535 -> 0 and 0xFFFFFF60 -> 0 at n = 6; 6 arrives before 5, and 8 before 7.
  for (int n = 0; n < 12; ++n) {
    if (n == 5 || n == 7) {
      sender.push(buffer, n + 1);
      sender.push(buffer, n);
    } else if (n != 6 && n != 8) {
      sender.push(buffer, n);
    }
    check_audio(buffer.pop(), sender, n);
  }
  CHECK(sender.timestamp(6) == 0);
  CHECK(sender.sequence(6) == 0);
  const auto& s = buffer.stats();
  CHECK(s.played == 12);
  CHECK(s.lost == 0);
  CHECK(s.missing == 0);
  CHECK(s.resyncs == 0);
  CHECK(s.late == 0);
}

TEST_CASE("media: jitter buffer takes a marker after silence as a talkspurt, without loss") {
  JitterBuffer buffer;
  const Sender sender;
  SUBCASE("stream paused: the talkspurt plays at the next tick") {
    for (int n = 0; n < 5; ++n) {
      sender.push(buffer, n);
      check_audio(buffer.pop(), sender, n);
    }
    for (int i = 0; i < 30; ++i) CHECK(buffer.pop().kind != Kind::audio);  // silence suppressed
    CHECK(sender.push(buffer, 40, true) == PushResult::accepted);
    check_audio(buffer.pop(), sender, 40);
    sender.push(buffer, 41);
    check_audio(buffer.pop(), sender, 41);
  }
  SUBCASE("talkspurt queued behind the end of the previous one") {
    sender.push(buffer, 0);
    sender.push(buffer, 1);
    CHECK(sender.push(buffer, 30, true) == PushResult::accepted);
    check_audio(buffer.pop(), sender, 0);
    check_audio(buffer.pop(), sender, 1);
    check_audio(buffer.pop(), sender, 30);
    CHECK(buffer.stats().missing == 0);
  }
  SUBCASE("short silence: no missing ticks for the gap") {
    sender.push(buffer, 0);
    check_audio(buffer.pop(), sender, 0);
    CHECK(sender.push(buffer, 3, true) == PushResult::accepted);
    check_audio(buffer.pop(), sender, 3);
    CHECK(buffer.stats().missing == 0);
  }
  SUBCASE("silence longer than resync_after") {
    sender.push(buffer, 0);
    check_audio(buffer.pop(), sender, 0);
    CHECK(sender.push(buffer, 1000, true) == PushResult::accepted);
    check_audio(buffer.pop(), sender, 1000);
    CHECK(buffer.stats().resyncs == 0);
  }
  CHECK(buffer.stats().lost == 0);
  check_accounting(buffer.stats());
}

TEST_CASE("media: jitter buffer jumps to a packet far ahead without a marker, counting the gap") {
  JitterBuffer buffer(no_shrink());  // max_depth 4: more than 5 frames ahead is a jump
  const Sender sender;
  sender.push(buffer, 0);
  check_audio(buffer.pop(), sender, 0);
  sender.push(buffer, 20);
  check_audio(buffer.pop(), sender, 20);
  CHECK(buffer.stats().lost == 19);
  CHECK(buffer.stats().missing == 0);
  // Within max_depth + 1 frames the gap is stepped through, one missing tick per lost frame.
  sender.push(buffer, 23);
  CHECK(buffer.pop().kind == Kind::missing);
  CHECK(buffer.pop().kind == Kind::missing);
  check_audio(buffer.pop(), sender, 23);
  CHECK(buffer.stats().lost == 21);
  CHECK(buffer.stats().missing == 2);
}

TEST_CASE("media: jitter buffer plays a stream with another timestamp step in timestamp order") {
  SUBCASE("smaller step: one packet per tick") {
    JitterBuffer buffer(no_shrink());
    Sender sender;
    sender.step = spf / 2;
    for (int n = 0; n < 4; ++n) sender.push(buffer, n);
    for (int n = 0; n < 4; ++n) check_audio(buffer.pop(), sender, n);
    CHECK(buffer.stats().lost == 0);
  }
  SUBCASE("larger step: a missing tick between packets") {
    JitterBuffer buffer;
    Sender sender;
    sender.step = 2 * spf;
    for (int n = 0; n < 3; ++n) sender.push(buffer, n);
    check_audio(buffer.pop(), sender, 0);
    CHECK(buffer.pop().kind == Kind::missing);
    check_audio(buffer.pop(), sender, 1);
    CHECK(buffer.pop().kind == Kind::missing);
    check_audio(buffer.pop(), sender, 2);
    CHECK(buffer.stats().lost == 2);
  }
}

TEST_CASE("media: jitter buffer shrinks a lasting surplus one frame at a time") {
  JitterBufferConfig config;
  config.shrink_after = 10;
  JitterBuffer buffer(config);
  const Sender sender;
  // A burst leaves three frames queued after each tick while the sender keeps real time.
  for (int n = 0; n < 4; ++n) sender.push(buffer, n);
  int next = 4;
  std::vector<std::size_t> depth_after;
  for (int tick = 0; tick < 40; ++tick) {
    CHECK(buffer.pop().kind == Kind::audio);
    depth_after.push_back(buffer.stats().depth);
    sender.push(buffer, next++);
  }
  // Shrinks to one spare frame (two left after a tick plus the one that arrives), not below.
  CHECK(buffer.stats().shrink_dropped == 2);
  CHECK(depth_after.front() == 3);
  CHECK(depth_after.back() == 1);
  CHECK(buffer.stats().missing == 0);
  check_accounting(buffer.stats());

  JitterBuffer never(no_shrink());
  for (int n = 0; n < 4; ++n) sender.push(never, n);
  for (int tick = 0; tick < 100; ++tick) {
    never.pop();
    sender.push(never, tick + 4);
  }
  CHECK(never.stats().shrink_dropped == 0);
  CHECK(never.stats().depth == 4);
}

TEST_CASE("media: jitter buffer with keep_after_tick 0 undoes a slip: played at the first tick again") {
  JitterBufferConfig config;
  config.shrink_after = 10;
  config.keep_after_tick = 0;
  JitterBuffer buffer(config);
  const Sender sender;
  // Each packet arrives just before its tick ...
  sender.push(buffer, 0);
  check_audio(buffer.pop(), sender, 0);
  // ... until packet 1 is a little late: its tick reports missing and the playout point slips.
  CHECK(buffer.pop().kind == Kind::missing);
  sender.push(buffer, 1);
  int next = 2;
  std::vector<std::size_t> depth_after;
  for (int tick = 0; tick < 30; ++tick) {
    sender.push(buffer, next++);  // on time again: one frame waits a whole tick
    CHECK(buffer.pop().kind == Kind::audio);
    depth_after.push_back(buffer.stats().depth);
  }
  CHECK(depth_after.front() == 1);
  CHECK(buffer.stats().shrink_dropped == 1);  // once, after 10 ticks of one frame waiting
  CHECK(depth_after.back() == 0);             // the frame that arrives is played at its tick
  CHECK(buffer.stats().lost == 0);
  check_accounting(buffer.stats());
}

TEST_CASE("media: jitter buffer rejects payloads larger than max_payload") {
  JitterBufferConfig config;
  config.max_payload = 160;
  JitterBuffer buffer(config);
  const std::vector<std::uint8_t> big(161, 0x55);
  const std::vector<std::uint8_t> fits(160, 0xAA);
  CHECK(buffer.push(1, 160, stream_a_ssrc, false, big) == PushResult::too_large);
  CHECK(buffer.stats().too_large == 1);
  CHECK(buffer.stats().pushed == 0);
  CHECK(buffer.pop().kind == Kind::idle);  // a rejected packet does not start the stream
  CHECK(buffer.push(1, 160, stream_a_ssrc, false, fits) == PushResult::accepted);
  const auto frame = buffer.pop();
  REQUIRE(frame.kind == Kind::audio);
  CHECK(std::vector<std::uint8_t>(frame.payload.begin(), frame.payload.end()) == fits);
  CHECK(buffer.push(3, 480, stream_a_ssrc, false, {}) == PushResult::accepted);  // empty payloads are kept
  CHECK(buffer.pop().kind == Kind::missing);
  CHECK(buffer.pop().payload.empty());
}

TEST_CASE("media: jitter buffer reset discards the stream and keeps the counters") {
  JitterBuffer buffer;
  const Sender sender;
  for (int n = 0; n < 3; ++n) sender.push(buffer, n);
  check_audio(buffer.pop(), sender, 0);
  buffer.reset();
  CHECK(buffer.stats().cleared == 2);
  CHECK(buffer.stats().depth == 0);
  CHECK(buffer.pop().kind == Kind::idle);
  CHECK(sender.push(buffer, 1) == PushResult::accepted);  // a new stream: not late
  check_audio(buffer.pop(), sender, 1);
  CHECK(buffer.stats().resyncs == 0);
  check_accounting(buffer.stats());
}

TEST_CASE("media: jitter buffer config validation names the bad field and value") {
  const auto bad = [](auto change) {
    JitterBufferConfig config;
    change(config);
    return config;
  };
  CHECK_NOTHROW(validate(JitterBufferConfig{}));
  CHECK_CALLSUP_ERROR(JitterBuffer(bad([](auto& c) { c.samples_per_frame = 0; })), errc::invalid_argument,
                      "samples_per_frame '0'");
  CHECK_CALLSUP_ERROR(validate(bad([](auto& c) { c.capacity = 0; })), errc::invalid_argument, "capacity '0'");
  CHECK_CALLSUP_ERROR(validate(bad([](auto& c) { c.capacity = 5000; })), errc::invalid_argument,
                      "capacity '5000'");
  CHECK_CALLSUP_ERROR(validate(bad([](auto& c) { c.max_depth = 0; })), errc::invalid_argument,
                      "max_depth '0'");
  CHECK_CALLSUP_ERROR(validate(bad([](auto& c) { c.max_depth = 17; })), errc::invalid_argument,
                      "max_depth '17'");
  CHECK_CALLSUP_ERROR(validate(bad([](auto& c) { c.max_payload = 0; })), errc::invalid_argument,
                      "max_payload '0'");
  CHECK_CALLSUP_ERROR(validate(bad([](auto& c) { c.max_payload = 70000; })), errc::invalid_argument,
                      "max_payload '70000'");
  CHECK_CALLSUP_ERROR(validate(bad([](auto& c) { c.resync_after = 799; })), errc::invalid_argument,
                      "resync_after '799'");
  CHECK_CALLSUP_ERROR(validate(bad([](auto& c) { c.resync_after = 0x8000'0000u; })), errc::invalid_argument,
                      "resync_after '2147483648'");
  CHECK_NOTHROW(validate(bad([](auto& c) { c.resync_after = 800; })));  // (4 + 1) * 160
  CHECK_CALLSUP_ERROR(validate(bad([](auto& c) { c.keep_after_tick = 5; })), errc::invalid_argument,
                      "keep_after_tick '5'");
}

TEST_CASE("media: jitter buffer names push results and frame kinds") {
  CHECK(to_string(PushResult::accepted) == "accepted");
  CHECK(to_string(PushResult::duplicate) == "duplicate");
  CHECK(to_string(PushResult::late) == "late");
  CHECK(to_string(PushResult::too_large) == "too_large");
  CHECK(to_string(PushResult::resync) == "resync");
  CHECK(to_string(Kind::idle) == "idle");
  CHECK(to_string(Kind::audio) == "audio");
  CHECK(to_string(Kind::missing) == "missing");
}

namespace {

/// A random network: packets are delayed, reordered, lost, duplicated, sent in bursts, and the
/// sender occasionally jumps, switches SSRC or the stream is reset. Checks after every step.
class RandomStream {
 public:
  RandomStream(std::uint64_t seed, const JitterBufferConfig& config)
      : seed_(seed), rng_(seed), buffer_(config), config_(config) {
    ssrc_ = draw(1u, 0xFFFF'FFFFu);
    sequence_ = static_cast<std::uint16_t>(draw(0u, 65535u));
    timestamp_ = draw(0u, 0xFFFF'FFFFu);
  }

  void run(int ticks) {
    for (int tick = 0; tick < ticks; ++tick) {
      send(tick);
      deliver(tick);
      play();
    }
    CHECK_MESSAGE(buffer_.stats().played > 0, "seed " << seed_);
  }

  const JitterBufferStats& stats() const { return buffer_.stats(); }

 private:
  struct Packet {
    int arrival;
    std::uint16_t sequence;
    std::uint32_t timestamp;
    std::uint32_t ssrc;
    bool marker;
    std::vector<std::uint8_t> payload;
  };

  std::uint32_t draw(std::uint32_t low, std::uint32_t high) {
    return std::uniform_int_distribution<std::uint32_t>(low, high)(rng_);
  }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }

  void send(int tick) {
    bool marker = false;
    if (chance(0.01)) ssrc_ = draw(1u, 0xFFFF'FFFFu);
    if (chance(0.01)) timestamp_ += draw(0u, 0xFFFF'FFFFu);  // jump anywhere
    if (chance(0.03)) {                                      // silence, then a talkspurt
      timestamp_ += spf * draw(1u, 60u);
      marker = true;
    }
    const int copies = chance(0.05) ? static_cast<int>(draw(2u, 6u)) : 1;  // sender bursts
    for (int i = 0; i < copies; ++i) {
      const auto payload = payload_of(sequence_, timestamp_ ^ ssrc_);
      if (!chance(0.05)) {  // lost in the network
        const int delay = chance(0.2) ? static_cast<int>(draw(0u, 8u)) : static_cast<int>(draw(0u, 1u));
        in_flight_.push_back({tick + delay, sequence_, timestamp_, ssrc_, marker, payload});
        if (chance(0.04)) {  // duplicated in the network
          const int again = tick + static_cast<int>(draw(0u, 6u));
          in_flight_.push_back({again, sequence_, timestamp_, ssrc_, marker, payload});
        }
      }
      ++sequence_;
      timestamp_ += spf;
      marker = false;
    }
    if (chance(0.02)) {  // a packet too large for a slot
      std::vector<std::uint8_t> big(config_.max_payload + 1);
      in_flight_.push_back({tick, sequence_, timestamp_, ssrc_, false, big});
    }
  }

  void deliver(int tick) {
    std::shuffle(in_flight_.begin(), in_flight_.end(), rng_);
    auto due = std::stable_partition(in_flight_.begin(), in_flight_.end(),
                                     [&](const Packet& p) { return p.arrival <= tick; });
    for (auto it = in_flight_.begin(); it != due; ++it) {
      const auto result = buffer_.push(it->sequence, it->timestamp, it->ssrc, it->marker, it->payload);
      if (result == PushResult::accepted || result == PushResult::resync) {
        // Only the packet at a timestamp that the buffer accepted may play for it.
        shadow_[key(it->ssrc, it->timestamp)] = it->payload;
        last_accepted_ssrc_ = it->ssrc;
      }
      if (result == PushResult::too_large) CHECK(it->payload.size() > config_.max_payload);
      if (result == PushResult::resync) last_played_.reset();
      check_invariants();
    }
    in_flight_.erase(in_flight_.begin(), due);
    if (chance(0.002)) {
      buffer_.reset();
      last_played_.reset();
      check_invariants();
    }
  }

  void play() {
    const auto frame = buffer_.pop();
    check_invariants();
    CHECK_MESSAGE(buffer_.stats().depth <= config_.max_depth, "seed " << seed_);
    if (frame.kind != Kind::audio) return;
    // The view points into the buffer's own storage (not the sender's vector) and all views
    // ever handed out fit in one capacity * max_payload block: memory is bounded.
    const auto* begin = frame.payload.data();
    const auto* end = begin + frame.payload.size();
    lowest_ = lowest_ ? std::min(lowest_, begin) : begin;
    highest_ = std::max(highest_, end);
    CHECK_MESSAGE(static_cast<std::size_t>(highest_ - lowest_) <= config_.capacity * config_.max_payload,
                  "seed " << seed_);
    // The buffer holds one SSRC at a time: the one of the last accepted packet.
    const auto found = shadow_.find(key(last_accepted_ssrc_, frame.timestamp));
    REQUIRE_MESSAGE(found != shadow_.end(), "seed " << seed_ << " unknown timestamp " << frame.timestamp);
    CHECK_MESSAGE(std::vector<std::uint8_t>(frame.payload.begin(), frame.payload.end()) == found->second,
                  "seed " << seed_ << " payload of timestamp " << frame.timestamp);
    CHECK_MESSAGE(frame.payload.data() != found->second.data(), "seed " << seed_);
    if (last_played_) {
      // Within a stream, playout only moves forward.
      CHECK_MESSAGE(static_cast<std::int32_t>(frame.timestamp - *last_played_) > 0, "seed " << seed_);
    }
    last_played_ = frame.timestamp;
  }

  void check_invariants() {
    const auto& s = buffer_.stats();
    INFO("seed " << seed_);
    CHECK(s.pushed == s.played + s.overflow_dropped + s.shrink_dropped + s.cleared + s.depth);
    CHECK(s.depth <= config_.capacity);
  }

  static std::uint64_t key(std::uint32_t ssrc, std::uint32_t timestamp) {
    return (std::uint64_t{ssrc} << 32) | timestamp;
  }

  std::uint64_t seed_;
  std::mt19937_64 rng_;
  JitterBuffer buffer_;
  JitterBufferConfig config_;
  std::vector<Packet> in_flight_;
  std::map<std::uint64_t, std::vector<std::uint8_t>> shadow_;
  std::optional<std::uint32_t> last_played_;
  const std::uint8_t* lowest_ = nullptr;
  const std::uint8_t* highest_ = nullptr;
  std::uint32_t last_accepted_ssrc_ = 0;
  std::uint32_t ssrc_ = 0;
  std::uint16_t sequence_ = 0;
  std::uint32_t timestamp_ = 0;
};

}  // namespace

TEST_CASE("media: jitter buffer accounting and content hold over random streams") {
  JitterBufferStats total;
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    JitterBufferConfig config;
    std::mt19937_64 pick(seed * 7919);
    config.capacity = 1 + pick() % 24;
    config.max_depth = 1 + pick() % config.capacity;
    config.max_payload = 40 + pick() % 40;
    config.shrink_after = static_cast<std::uint32_t>(pick() % 3 * 20);
    config.resync_after = spf * 100;
    RandomStream stream(seed, config);
    stream.run(600);
    const auto& s = stream.stats();
    total.played += s.played;
    total.lost += s.lost;
    total.late += s.late;
    total.duplicates += s.duplicates;
    total.overflow_dropped += s.overflow_dropped;
    total.shrink_dropped += s.shrink_dropped;
    total.resyncs += s.resyncs;
    total.ssrc_changes += s.ssrc_changes;
    total.too_large += s.too_large;
    total.missing += s.missing;
  }
  // The scenarios must reach every path, or the checks above prove little.
  CHECK(total.played > 0);
  CHECK(total.lost > 0);
  CHECK(total.late > 0);
  CHECK(total.duplicates > 0);
  CHECK(total.overflow_dropped > 0);
  CHECK(total.shrink_dropped > 0);
  CHECK(total.resyncs > 0);
  CHECK(total.ssrc_changes > 0);
  CHECK(total.too_large > 0);
  CHECK(total.missing > 0);
}
