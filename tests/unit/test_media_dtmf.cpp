// Tests of DtmfReceiver (RFC 4733 packets -> digits, each once) and DtmfSender (digits -> packets).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "callsup/media/dtmf_receiver.hpp"
#include "callsup/media/dtmf_sender.hpp"
#include "callsup/media/telephone_event.hpp"

#include "support/checks.hpp"

using namespace callsup;

namespace {

constexpr std::uint32_t ssrc_a = 0x11111111;
constexpr std::uint32_t ssrc_b = 0x22222222;

TelephoneEvent ev(std::uint8_t event, std::uint16_t duration, bool end = false) {
  return TelephoneEvent{event, end, 10, duration};
}

/// Feeds the packets of one complete key press as a typical sender emits them: a first
/// packet, `continuations` growing by 160, then the end packet three times.
/// Returns the digits the receiver reported, in order.
std::string press(DtmfReceiver& rx, std::uint32_t ssrc, std::uint32_t ts, std::uint8_t event,
                  int continuations = 4) {
  std::string out;
  auto take = [&](std::optional<char> d) {
    if (d) out += *d;
  };
  std::uint16_t duration = 160;
  take(rx.on_packet(ssrc, ts, ev(event, duration)));
  for (int i = 0; i < continuations; ++i) take(rx.on_packet(ssrc, ts, ev(event, duration += 160)));
  for (int i = 0; i < 3; ++i) take(rx.on_packet(ssrc, ts, ev(event, duration, true)));
  return out;
}

}  // namespace

TEST_CASE("media: dtmf receiver counts one digit with continuations and repeated ends once") {
  DtmfReceiver rx;
  const std::uint32_t ts = 8000;
  // The first packet reports the digit at once (before the end: fast mode switching).
  CHECK(rx.on_packet(ssrc_a, ts, ev(7, 160)) == std::optional<char>('7'));
  std::uint16_t duration = 160;
  for (int i = 0; i < 10; ++i) CHECK_FALSE(rx.on_packet(ssrc_a, ts, ev(7, duration += 160)));
  // The end packet three times: RTP sequence numbers (same on a retransmission by a
  // relay, new from the sender) do not reach the receiver; the key is (ssrc, timestamp).
  for (int i = 0; i < 3; ++i) CHECK_FALSE(rx.on_packet(ssrc_a, ts, ev(7, duration, true)));
  CHECK(rx.digits() == 1);
  CHECK(rx.ignored() == 13);
}

TEST_CASE("media: dtmf receiver accepts a first packet with duration 0") {
  DtmfReceiver rx;
  CHECK(rx.on_packet(ssrc_a, 1000, ev(10, 0)) == std::optional<char>('*'));
  CHECK_FALSE(rx.on_packet(ssrc_a, 1000, ev(10, 160)));
  CHECK_FALSE(rx.on_packet(ssrc_a, 1000, ev(10, 320, true)));
  CHECK(rx.digits() == 1);
  CHECK(rx.ignored() == 2);
}

TEST_CASE("media: dtmf receiver counts a press whose first packets were lost") {
  DtmfReceiver rx;
  // Only the end packets arrive: the press still happened, once.
  CHECK(rx.on_packet(ssrc_a, 5000, ev(3, 800, true)) == std::optional<char>('3'));
  CHECK_FALSE(rx.on_packet(ssrc_a, 5000, ev(3, 800, true)));
  CHECK(rx.digits() == 1);
}

TEST_CASE("media: dtmf receiver counts two presses of the same digit twice") {
  DtmfReceiver rx;
  CHECK(press(rx, ssrc_a, 16000, 5) == "5");
  // Next press: a new timestamp (after the first one's 800 units and a gap).
  CHECK(press(rx, ssrc_a, 16000 + 800 + 480, 5) == "5");
  CHECK(rx.digits() == 2);
  // A press that starts right where the ended one stopped is still a new press (the first ended).
  CHECK(press(rx, ssrc_a, 16000 + 800 + 480 + 800, 5) == "5");
  CHECK(rx.digits() == 3);
}

TEST_CASE("media: dtmf receiver keeps interleaved SSRCs apart") {
  DtmfReceiver rx;
  std::string got;
  auto feed = [&](std::uint32_t ssrc, std::uint32_t ts, TelephoneEvent e) {
    if (auto d = rx.on_packet(ssrc, ts, e)) got += *d;
  };
  // Two senders (an event SSRC and an audio SSRC) at the same time, same timestamps too.
  feed(ssrc_a, 4000, ev(1, 160));
  feed(ssrc_b, 4000, ev(2, 160));
  feed(ssrc_a, 4000, ev(1, 320));
  feed(ssrc_b, 4000, ev(2, 320));
  feed(ssrc_b, 4000, ev(2, 480, true));
  feed(ssrc_a, 4000, ev(1, 480, true));
  feed(ssrc_b, 9000, ev(4, 160));
  feed(ssrc_a, 4000, ev(1, 480, true));
  feed(ssrc_b, 4000, ev(2, 480, true));
  feed(ssrc_a, 7000, ev(3, 0));
  feed(ssrc_b, 9000, ev(4, 320, true));
  feed(ssrc_a, 7000, ev(3, 160, true));
  CHECK(got == "1243");
  CHECK(rx.digits() == 4);
  CHECK(rx.ignored() == 8);
}

TEST_CASE("media: dtmf receiver ignores a reordered late packet of the previous event") {
  DtmfReceiver rx;
  CHECK(rx.on_packet(ssrc_a, 1000, ev(1, 160)) == std::optional<char>('1'));
  CHECK(rx.on_packet(ssrc_a, 3000, ev(2, 160)) == std::optional<char>('2'));
  // Late packets of event 1 (a continuation and an end) arrive after event 2 began.
  CHECK_FALSE(rx.on_packet(ssrc_a, 1000, ev(1, 320)));
  CHECK_FALSE(rx.on_packet(ssrc_a, 1000, ev(1, 480, true)));
  CHECK_FALSE(rx.on_packet(ssrc_a, 3000, ev(2, 320, true)));
  CHECK(rx.digits() == 2);
  CHECK(rx.ignored() == 3);
}

TEST_CASE("media: dtmf receiver ignores a late packet of an event it no longer remembers") {
  DtmfReceiver rx;
  std::uint32_t ts = 100000;
  const std::uint32_t first = ts;
  for (std::size_t i = 0; i < DtmfReceiver::history_size + 4; ++i, ts += 1280) press(rx, ssrc_a, ts, 9);
  CHECK(rx.digits() == DtmfReceiver::history_size + 4);
  // The first event's key has been overwritten; its timestamp is still recognisably old.
  const auto before = rx.digits();
  CHECK_FALSE(rx.on_packet(ssrc_a, first, ev(9, 800, true)));
  CHECK(rx.digits() == before);
  // A backward step larger than the late window is a timestamp jump: a new event.
  CHECK(rx.on_packet(ssrc_a, ts - DtmfReceiver::late_window - 5000, ev(9, 0)) == std::optional<char>('9'));
  // ... after which the stream goes on from there.
  CHECK(rx.on_packet(ssrc_a, ts - DtmfReceiver::late_window - 3000, ev(8, 0)) == std::optional<char>('8'));
}

TEST_CASE("media: dtmf receiver works across the RTP timestamp wrap") {
  DtmfReceiver rx;
  const std::uint32_t before_wrap = 0xFFFFFE00u;
  const std::uint32_t after_wrap = before_wrap + 800 + 480;  // wraps to 0x00000300
  REQUIRE(after_wrap < before_wrap);
  CHECK(press(rx, ssrc_a, before_wrap, 6) == "6");
  CHECK(press(rx, ssrc_a, after_wrap, 6) == "6");
  CHECK_FALSE(rx.on_packet(ssrc_a, before_wrap, ev(6, 800, true)));  // late, remembered

  // After the first key is forgotten, the wrap-safe comparison still sees it as older.
  std::uint32_t ts = after_wrap;
  for (std::size_t i = 0; i < DtmfReceiver::history_size; ++i) press(rx, ssrc_a, ts += 1280, 1);
  const auto digits = rx.digits();
  CHECK(digits == 2 + DtmfReceiver::history_size);
  CHECK_FALSE(rx.on_packet(ssrc_a, before_wrap, ev(6, 800, true)));
  CHECK(rx.digits() == digits);
}

TEST_CASE("media: dtmf receiver joins long-duration segments into one digit") {
  DtmfReceiver rx;
  // RFC 4733 §2.5.1.3: the first segment reaches 0xFFFF without E, the next one starts at
  // timestamp + 0xFFFF; across the timestamp wrap here.
  const std::uint32_t start = 0xFFFF0000u;
  CHECK(rx.on_packet(ssrc_a, start, ev(0, 160)) == std::optional<char>('0'));
  CHECK_FALSE(rx.on_packet(ssrc_a, start, ev(0, 65440)));
  CHECK_FALSE(rx.on_packet(ssrc_a, start, ev(0, 0xFFFF)));
  const std::uint32_t second = start + 0xFFFF;
  CHECK_FALSE(rx.on_packet(ssrc_a, second, ev(0, 95)));
  CHECK_FALSE(rx.on_packet(ssrc_a, second, ev(0, 255)));
  // Third segment, where the packet reporting 0xFFFF for the second one was lost.
  CHECK_FALSE(rx.on_packet(ssrc_a, second, ev(0, 65375)));
  const std::uint32_t third = second + 0xFFFF;
  CHECK_FALSE(rx.on_packet(ssrc_a, third, ev(0, 160)));
  CHECK_FALSE(rx.on_packet(ssrc_a, third, ev(0, 320, true)));
  CHECK(rx.digits() == 1);

  // A segment that starts exactly at previous timestamp + previous duration also continues.
  CHECK(rx.on_packet(ssrc_b, 500, ev(4, 1000)) == std::optional<char>('4'));
  CHECK_FALSE(rx.on_packet(ssrc_b, 1500, ev(4, 160, true)));
  CHECK(rx.digits() == 2);
}

TEST_CASE("media: dtmf receiver does not mistake other events for segments") {
  DtmfReceiver rx;
  CHECK(rx.on_packet(ssrc_a, 0, ev(2, 0xFFFF)) == std::optional<char>('2'));
  // Same place, another event: a new digit.
  CHECK(rx.on_packet(ssrc_a, 0xFFFF, ev(3, 160)) == std::optional<char>('3'));
  // Previous (3) ended: a same-event packet at its end is a new press.
  CHECK_FALSE(rx.on_packet(ssrc_a, 0xFFFF, ev(3, 320, true)));
  CHECK(rx.on_packet(ssrc_a, 0xFFFF + 320, ev(3, 160)) == std::optional<char>('3'));
  // Another SSRC never continues this one's segment.
  CHECK(rx.on_packet(ssrc_b, 0xFFFF + 320 + 160, ev(3, 160)) == std::optional<char>('3'));
  CHECK(rx.digits() == 4);
}

TEST_CASE("media: dtmf receiver ignores flash and other non-digit events") {
  DtmfReceiver rx;
  CHECK_FALSE(rx.on_packet(ssrc_a, 100, ev(16, 0)));
  CHECK_FALSE(rx.on_packet(ssrc_a, 100, ev(16, 160)));
  CHECK_FALSE(rx.on_packet(ssrc_a, 100, ev(16, 160, true)));
  CHECK_FALSE(rx.on_packet(ssrc_a, 2000, ev(255, 160)));
  CHECK(rx.digits() == 0);
  CHECK(rx.ignored() == 4);
  // A digit after a flash still counts.
  CHECK(press(rx, ssrc_a, 4000, 15) == "D");
  CHECK(rx.digits() == 1);
}

TEST_CASE("media: dtmf receiver reset forgets events and counters") {
  DtmfReceiver rx;
  CHECK(press(rx, ssrc_a, 1000, 1) == "1");
  rx.reset();
  CHECK(rx.digits() == 0);
  CHECK(rx.ignored() == 0);
  // The same key is new again.
  CHECK(rx.on_packet(ssrc_a, 1000, ev(1, 800, true)) == std::optional<char>('1'));
}

TEST_CASE("media: dtmf sender packets of one digit at 8 kHz / 20 ms") {
  DtmfSender tx;  // 8000 Hz, 20 ms, volume 10
  CHECK(tx.samples_per_frame() == 160);
  CHECK(tx.clock_rate() == 8000);
  CHECK_FALSE(tx.busy());
  CHECK_FALSE(tx.next());
  tx.send("1");
  CHECK(tx.busy());

  // 100 ms = 800 units: five packets growing by 160, the fifth with E, then two repeats.
  for (std::uint32_t tick = 0; tick < 7; ++tick) {
    CAPTURE(tick);
    const auto packet = tx.next();
    REQUIRE(packet);
    CHECK(packet->event.event == 1);
    CHECK(packet->event.volume == 10);
    CHECK(packet->marker == (tick == 0));
    CHECK(packet->timestamp_offset == tick * 160);
    CHECK(packet->event.duration == std::min<std::uint32_t>((tick + 1) * 160, 800));
    CHECK(packet->event.end == (tick >= 4));
  }
  CHECK_FALSE(tx.busy());
  // 60 ms gap = 3 ptimes, two of which carried the end repeats: one silent ptime.
  tx.send("2");
  CHECK_FALSE(tx.next());
  const auto next = tx.next();
  REQUIRE(next);
  CHECK(next->marker);
  CHECK(next->event.event == 2);
  CHECK(next->event.duration == 160);
}

TEST_CASE("media: dtmf sender spaces queued digits by the gap") {
  DtmfSender tx;
  tx.send("4#", 40, 100);   // 2 tone ptimes, 5 gap ptimes
  std::vector<int> events;  // -1 for silence
  for (int i = 0; i < 16; ++i) {
    const auto packet = tx.next();
    events.push_back(packet ? packet->event.event : -1);
  }
  const std::vector<int> expected = {4, 4, 4, 4, -1, -1, -1, 11, 11, 11, 11, -1, -1, -1, -1, -1};
  CHECK(events == expected);
}

TEST_CASE("media: dtmf sender keeps two ptimes for the end repeats even with gap 0") {
  DtmfSender tx;
  tx.send("99", 20, 0);
  std::vector<std::string> seen;
  for (int i = 0; i < 7; ++i) {
    const auto p = tx.next();
    seen.push_back(p ? std::to_string(p->event.duration) + (p->event.end ? "E" : "") + (p->marker ? "M" : "")
                     : "-");
  }
  CHECK(seen == std::vector<std::string>{"160EM", "160E", "160E", "160EM", "160E", "160E", "-"});
}

TEST_CASE("media: dtmf sender rounds durations up to whole ptimes but reports the exact duration") {
  DtmfSender tx;
  tx.send("0", 90);  // 720 units: ticks at 160, 320, 480, 640, then 720 with E
  std::vector<int> durations;
  for (int i = 0; i < 7; ++i) durations.push_back(tx.next()->event.duration);
  CHECK(durations == std::vector<int>{160, 320, 480, 640, 720, 720, 720});
}

TEST_CASE("media: dtmf sender rejects bad digits and values") {
  DtmfSender tx;
  CHECK_CALLSUP_ERROR(tx.send("12x4"), errc::invalid_argument, "'x'");
  CHECK_CALLSUP_ERROR(tx.send("E"), errc::invalid_argument, "'E'");
  CHECK_CALLSUP_ERROR(tx.send(std::string("1\x07", 2)), errc::invalid_argument, "\\x07");
  CHECK_FALSE(tx.busy());  // nothing was queued from the bad strings
  CHECK_CALLSUP_ERROR(tx.send("1", 0), errc::invalid_argument, "0 ms");
  CHECK_CALLSUP_ERROR(tx.send("1", -5), errc::invalid_argument, "-5");
  CHECK_CALLSUP_ERROR(tx.send("1", 8200), errc::invalid_argument, "8200");  // 65600 units
  CHECK_CALLSUP_ERROR(tx.send("1", 100, -1), errc::invalid_argument, "-1");
  CHECK_FALSE(tx.busy());
  tx.send("abcd");  // lower case accepted
  CHECK(tx.busy());
  tx.send("");
  CHECK(tx.next()->event.event == 12);

  CHECK_CALLSUP_ERROR(DtmfSender(0), errc::invalid_argument, "0");
  CHECK_CALLSUP_ERROR(DtmfSender(-8000), errc::invalid_argument, "-8000");
  CHECK_CALLSUP_ERROR(DtmfSender(8000, 0), errc::invalid_argument, "ptime 0");
  CHECK_CALLSUP_ERROR(DtmfSender(8000, -20), errc::invalid_argument, "-20");
  CHECK_CALLSUP_ERROR(DtmfSender(44100, 15), errc::invalid_argument, "15 ms");   // 661.5 units
  CHECK_CALLSUP_ERROR(DtmfSender(48000, 2000), errc::invalid_argument, "2000");  // 96000 units
  CHECK_CALLSUP_ERROR(DtmfSender(8000, 20, 64), errc::invalid_argument, "64");
  CHECK(DtmfSender(48000, 10, 63).samples_per_frame() == 480);
}

TEST_CASE("media: dtmf sender cancel_queued lets the current digit end") {
  DtmfSender tx;
  tx.send("123", 40);
  REQUIRE(tx.next()->event.event == 1);
  tx.cancel_queued();
  CHECK(tx.busy());
  int ends = 0;
  while (tx.busy()) {
    const auto p = tx.next();
    REQUIRE(p);
    CHECK(p->event.event == 1);
    ends += p->event.end ? 1 : 0;
  }
  CHECK(ends == 3);
  for (int i = 0; i < 10; ++i) CHECK_FALSE(tx.next());
}

namespace {

/// Runs `tx` as an endpoint would (media timestamp advancing by one frame per ptime from
/// `media_ts`), feeds every packet to a DtmfReceiver and returns the digits it reports.
std::string loop_back(DtmfSender& tx, std::uint32_t media_ts, std::uint32_t ssrc, DtmfReceiver& rx) {
  std::string got;
  std::uint32_t latched = 0;
  for (int tick = 0; tick < 1000 && tx.busy(); ++tick, media_ts += tx.samples_per_frame()) {
    const auto packet = tx.next();
    if (!packet) continue;
    if (packet->marker) latched = media_ts;
    const std::uint32_t rtp_ts = media_ts - packet->timestamp_offset;
    CHECK(rtp_ts == latched);  // both documented ways give the event start
    if (auto digit = rx.on_packet(ssrc, rtp_ts, packet->event)) got += *digit;
  }
  return got;
}

}  // namespace

TEST_CASE("media: dtmf sender output fed to a receiver yields exactly the digits sent") {
  SUBCASE("8 kHz, 20 ms, across the timestamp wrap") {
    DtmfSender tx;
    DtmfReceiver rx;
    tx.send("*81#");
    CHECK(loop_back(tx, 0xFFFFF000u, ssrc_a, rx) == "*81#");
    CHECK(rx.digits() == 4);
  }
  SUBCASE("repeated digits, short tones, no gap") {
    DtmfSender tx;
    DtmfReceiver rx;
    tx.send("5500", 20, 0);
    CHECK(loop_back(tx, 1234, ssrc_a, rx) == "5500");
  }
  SUBCASE("48 kHz, 10 ms, all sixteen digits") {
    DtmfSender tx(48000, 10, 0);
    DtmfReceiver rx;
    tx.send("0123456789*#ABCD", 60, 40);
    CHECK(loop_back(tx, 0, ssrc_b, rx) == "0123456789*#ABCD");
    CHECK(rx.digits() == 16);
  }
}
