// The ring that hands datagrams from one engine thread to another: order, contents, room for
// the SRTP trailer, wrapping at the end, refusing when full, one wake-up per batch, and two
// threads at once.
#include <doctest/doctest.h>

#include <cstdint>
#include <thread>
#include <vector>

#include "media/engine/handoff_ring.hpp"

using callsup::detail::HandoffRing;
using callsup::detail::LegMedia;

namespace {

std::vector<std::uint8_t> datagram(std::uint32_t n, std::size_t size) {
  std::vector<std::uint8_t> data(size);
  for (std::size_t i = 0; i < size; ++i) data[i] = static_cast<std::uint8_t>(n + i);
  return data;
}

HandoffRing::Record record_of(std::uint32_t n) {
  HandoffRing::Record record;
  record.leg = reinterpret_cast<LegMedia*>(std::uintptr_t{0x1000} + n * 8);
  record.leg_serial = n;
  record.arrival_ns = n * 1000;
  return record;
}

/// Takes every record, checks each against what datagram(n) and record_of(n) made, in order.
std::uint32_t take_checked(HandoffRing& ring, std::uint32_t next, std::size_t room, bool& all_good) {
  bool done_called = false;
  ring.take_all(
      [&](const HandoffRing::Record& record, std::span<std::uint8_t> buffer) {
        const std::uint32_t n = static_cast<std::uint32_t>(record.leg_serial);
        const auto expected = datagram(n, record.length);
        all_good = all_good && n == next && record.leg == record_of(n).leg &&
                   record.arrival_ns == record_of(n).arrival_ns && buffer.size() >= record.length + room &&
                   std::equal(expected.begin(), expected.end(), buffer.begin());
        buffer[record.length + room - 1] = 0xee;  // the room is ours to write (an SRTP trailer)
        ++next;
      },
      [&] { done_called = true; });
  all_good = all_good && done_called;
  return next;
}

}  // namespace

TEST_CASE("unit: media: handoff ring keeps order, contents and room, and wraps at its end") {
  HandoffRing ring(64 * 1024);
  bool good = true;
  std::uint32_t pushed = 0, taken = 0;
  for (int round = 0; round < 200; ++round) {  // 200 rounds of 0..9 datagrams: wraps many times
    const int count = round % 10;
    for (int i = 0; i < count; ++i, ++pushed)
      REQUIRE(ring.push(record_of(pushed), datagram(pushed, 100 + (pushed * 37) % 1300), 30));
    taken = take_checked(ring, taken, 30, good);
    CHECK(taken == pushed);
  }
  CHECK(good);
  CHECK(pushed > 64 * 1024 / 200);
}

TEST_CASE("unit: media: a full handoff ring refuses a datagram and takes more once emptied") {
  HandoffRing ring(64 * 1024);
  std::uint32_t pushed = 0;
  while (ring.push(record_of(pushed), datagram(pushed, 1400), 30)) {
    ++pushed;
    REQUIRE(pushed < 1000);  // 64 KiB cannot hold a thousand 1,400-byte datagrams
  }
  CHECK(pushed >= 35);  // about 40 records of 1.6 KB
  bool good = true;
  CHECK(take_checked(ring, 0, 30, good) == pushed);
  CHECK(good);
  CHECK(ring.push(record_of(pushed), datagram(pushed, 1400), 30));
}

TEST_CASE("unit: media: a handoff ring asks for one wake-up until its consumer starts taking") {
  HandoffRing ring(64 * 1024);
  CHECK(ring.claim_wake_up());
  CHECK_FALSE(ring.claim_wake_up());
  bool good = true;
  take_checked(ring, 0, 0, good);
  CHECK(ring.claim_wake_up());
  ring.cancel_wake_up();  // the post failed: the next batch claims again
  CHECK(ring.claim_wake_up());
}

TEST_CASE("unit: media: a handoff ring between two threads loses and reorders nothing") {
  HandoffRing ring(64 * 1024);
  constexpr std::uint32_t total = 100'000;
  std::thread producer([&] {
    for (std::uint32_t n = 0; n < total;) {
      if (ring.push(record_of(n), datagram(n, 60 + n % 200), 16))
        ++n;
      else
        std::this_thread::yield();  // full: the consumer frees room
    }
  });
  bool good = true;
  std::uint32_t taken = 0;
  while (taken < total && good) taken = take_checked(ring, taken, 16, good);
  producer.join();
  CHECK(good);
  CHECK(taken == total);
}
