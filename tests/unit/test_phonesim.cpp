// Over 400 lines: the simulator's parts and their end-to-end checks share the loopback helpers.
// Tests of the phone simulator (tools/phonesim): signals, tone analysis, sequence
// accounting, batched UDP, and simulated phones exchanging RTP/SRTP and DTMF over loopback.
#include <doctest/doctest.h>

#include <poll.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "callsup/media/dtmf_receiver.hpp"
#include "callsup/media/g711.hpp"
#include "callsup/media/rtp_packet.hpp"
#include "callsup/media/srtp.hpp"
#include "callsup/media/telephone_event.hpp"
#include "phone_set.hpp"
#include "sequence_tracker.hpp"
#include "signals.hpp"
#include "support/checks.hpp"
#include "support/udp_peer.hpp"
#include "tone_analysis.hpp"
#include "udp_batch.hpp"

namespace {

using namespace callsup;
using namespace callsup::sim;
using namespace std::chrono_literals;

/// `frames` frames of `frame_size` samples of `signal`, as a phone would send them.
std::vector<std::int16_t> render(const SignalFn& signal, std::size_t frames, std::size_t frame_size = 160) {
  std::vector<std::int16_t> pcm(frames * frame_size);
  for (std::size_t f = 0; f < frames; ++f)
    signal(std::span<std::int16_t>(pcm).subspan(f * frame_size, frame_size), f);
  return pcm;
}

/// Through G.711 µ-law and back, as a PCMU leg carries it.
std::vector<std::int16_t> ulaw_round_trip(const std::vector<std::int16_t>& pcm) {
  std::vector<std::uint8_t> codes(pcm.size());
  std::vector<std::int16_t> out(pcm.size());
  encode_ulaw(pcm, codes);
  decode_ulaw(codes, out);
  return out;
}

/// A phone configuration with a name and a signal, the rest default.
PhoneConfig phone(std::string name, SignalFn signal = silence()) {
  PhoneConfig config;
  config.name = std::move(name);
  config.signal = std::move(signal);
  return config;
}

/// Lets the phone sets run for `ms` milliseconds, then stops them.
void run_for(std::initializer_list<PhoneSet*> sets, int ms) {
  for (PhoneSet* set : sets) set->start();
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
  for (PhoneSet* set : sets) set->stop();
}

/// Every datagram that reaches `socket` within `ms` milliseconds.
std::vector<std::vector<std::uint8_t>> collect(const UdpSocket& socket, int ms) {
  std::vector<std::vector<std::uint8_t>> out;
  RecvBatch batch(64);
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (std::chrono::steady_clock::now() < until) {
    pollfd p{socket.fd(), POLLIN, 0};
    ::poll(&p, 1, 5);
    const std::size_t n = batch.receive(socket.fd());
    for (std::size_t i = 0; i < n; ++i) {
      const auto data = batch.buffer(i).first(batch.length(i));
      out.emplace_back(data.begin(), data.end());
    }
  }
  return out;
}

/// Sends one datagram from `from` to `to`.
void send_datagram(const UdpSocket& from, const Address& to, std::span<const std::uint8_t> data) {
  const sockaddr_in dest = to_sockaddr(to);
  REQUIRE(::sendto(from.fd(), data.data(), data.size(), 0, reinterpret_cast<const sockaddr*>(&dest),
                   sizeof dest) == static_cast<ssize_t>(data.size()));
}

/// A PCMU RTP packet of 160 samples of `signal`'s frame `frame`.
std::vector<std::uint8_t> pcmu_packet(std::uint16_t seq, std::uint32_t ts, std::uint32_t ssrc,
                                      const SignalFn& signal, std::uint64_t frame) {
  std::vector<std::int16_t> pcm(160);
  signal(pcm, frame);
  std::vector<std::uint8_t> packet(12 + 160);
  write_rtp_fixed_header(false, 0, seq, ts, ssrc, std::span<std::uint8_t>(packet).first<12>());
  encode_ulaw(pcm, std::span<std::uint8_t>(packet).subspan(12));
  return packet;
}

/// SRTP keys made from a seed, so that each side's receive key is the other's send key.
SrtpKeyMaterial srtp_key(std::uint8_t seed) {
  SrtpKeyMaterial key;
  key.suite = SrtpSuite::aes_cm_128_hmac_sha1_80;
  for (std::uint8_t i = 0; i < 16; ++i) key.master_key.push_back(static_cast<std::uint8_t>(seed * 31 + i));
  for (std::uint8_t i = 0; i < 14; ++i)
    key.master_salt.push_back(static_cast<std::uint8_t>(seed * 17 + 3 * i));
  return key;
}

/// The frequencies a recording holds, out of `candidates`, as "500 1500" (readable in a
/// failed check); the first 100 ms are skipped, where the stream starts mid-way.
std::string tones_in(const std::vector<std::int16_t>& pcm, std::initializer_list<double> candidates) {
  std::string found;
  const auto steady = std::span<const std::int16_t>(pcm).subspan(std::min<std::size_t>(800, pcm.size()));
  for (const double hz : candidates)
    if (tone_present(steady, hz)) found += (found.empty() ? "" : " ") + std::to_string(static_cast<int>(hz));
  return found;
}

}  // namespace

TEST_CASE("phonesim: sine is phase-continuous across frames and has the asked peak") {
  // 20 ms frames of a 440 Hz sine (not a whole number of periods per frame): rendered frame
  // by frame it must equal the sine computed over the whole block at once.
  const std::vector<std::int16_t> pcm = render(sine(440, 10000), 10);
  double peak = 0;
  for (std::size_t i = 0; i < pcm.size(); ++i) {
    const double expected = 10000 * std::sin(2 * 3.141592653589793 * 440 * static_cast<double>(i) / 8000);
    REQUIRE(std::abs(pcm[i] - expected) <= 1.0);
    peak = std::max(peak, std::abs(static_cast<double>(pcm[i])));
  }
  CHECK(peak >= 9990);
  CHECK(peak <= 10000);
}

TEST_CASE("phonesim: silence, samples_loop and mix") {
  const std::vector<std::int16_t> quiet = render(silence(), 3);
  CHECK(std::all_of(quiet.begin(), quiet.end(), [](std::int16_t s) { return s == 0; }));

  // A 7-sample pattern looped over 160-sample frames continues across frames.
  const std::vector<std::int16_t> pattern{1, 2, 3, 4, 5, 6, 7};
  const std::vector<std::int16_t> looped = render(samples_loop(pattern), 3);
  for (std::size_t i = 0; i < looped.size(); ++i) REQUIRE(looped[i] == pattern[i % pattern.size()]);

  // Two loud sines saturate instead of wrapping around.
  const std::vector<std::int16_t> sum = render(mix({sine(1000, 30000), sine(1000, 30000)}), 2);
  CHECK(*std::max_element(sum.begin(), sum.end()) == 32767);
  CHECK(*std::min_element(sum.begin(), sum.end()) == -32768);

  CHECK_CALLSUP_ERROR(sine(4000), errc::invalid_argument, "4000");
  CHECK_CALLSUP_ERROR(sine(1000, 40000), errc::invalid_argument, "40000");
  CHECK_CALLSUP_ERROR(samples_loop({}), errc::invalid_argument, "empty");
  CHECK_CALLSUP_ERROR(mix({}), errc::invalid_argument, "no signal");
}

TEST_CASE("phonesim: tone_power is normalised to full scale") {
  const std::vector<std::int16_t> full = render(sine(1000, 32767), 1);
  CHECK(tone_power(full, 1000) == doctest::Approx(1.0).epsilon(0.01));
  const std::vector<std::int16_t> quarter = render(sine(1000, 8192), 1);
  CHECK(tone_power(quarter, 1000) == doctest::Approx(1.0 / 16).epsilon(0.01));
  CHECK(tone_power(full, 1500) < 1e-4);  // another frequency of the same block
  CHECK(tone_power(render(silence(), 1), 1000) == 0);
  CHECK_CALLSUP_ERROR(tone_power(full, 5000), errc::invalid_argument, "5000");
  CHECK_CALLSUP_ERROR(tone_present(full, 1000, 8000, 0), errc::invalid_argument, "threshold");
}

TEST_CASE("phonesim: tone_present finds each sine of a mix and not an absent one") {
  // 500 and 1500 Hz mixed; 1000 Hz absent. One 20 ms block and one second, linear and
  // after a G.711 round trip.
  const SignalFn two = mix({sine(500, 6000), sine(1500, 6000)});
  for (const std::size_t frames : {std::size_t{1}, std::size_t{50}}) {
    const std::vector<std::int16_t> linear = render(two, frames);
    for (const std::vector<std::int16_t>& pcm : {linear, ulaw_round_trip(linear)}) {
      CAPTURE(frames);
      CHECK(tone_present(pcm, 500));
      CHECK(tone_present(pcm, 1500));
      CHECK_FALSE(tone_present(pcm, 1000));
      CHECK_FALSE(tone_present(pcm, 2000));
      CHECK(tone_fraction(pcm, 500) == doctest::Approx(0.5).epsilon(0.05));
      CHECK(tone_fraction(pcm, 1000) < 0.01);
    }
  }
  // A quiet tone under a loud one is still found at 1/10 of the amplitude (1 % of the energy
  // would not pass the default threshold of 5 %, so use a lower one).
  const std::vector<std::int16_t> weak =
      ulaw_round_trip(render(mix({sine(500, 10000), sine(1000, 1000)}), 5));
  CHECK(tone_present(weak, 1000, 8000, 0.005));
  CHECK_FALSE(tone_present(weak, 1000));
  CHECK_FALSE(tone_present(weak, 1500, 8000, 0.005));
  // Silence holds no tone, even against a tiny threshold.
  CHECK_FALSE(tone_present(ulaw_round_trip(render(silence(), 5)), 1000, 8000, 1e-9));
}

TEST_CASE("phonesim: tone_present on a block that is not a whole number of periods") {
  // 700 and 1300 Hz over 123 samples: the window keeps the neighbours apart.
  const std::vector<std::int16_t> pcm = render(mix({sine(700, 8000), sine(1300, 8000)}), 1, 123);
  CHECK(tone_present(pcm, 700));
  CHECK(tone_present(pcm, 1300));
  CHECK_FALSE(tone_present(pcm, 2500));
}

TEST_CASE("phonesim: SequenceTracker counts loss, duplicates and reordering, across the wrap") {
  using V = SequenceTracker::Verdict;
  SequenceTracker t;
  CHECK(t.on_packet(65533) == V::first);
  CHECK(t.on_packet(65534) == V::next);
  CHECK(t.on_packet(65535) == V::next);
  CHECK(t.on_packet(0) == V::next);  // the wrap is not a jump
  CHECK(t.on_packet(3) == V::gap);   // 1 and 2 missing
  CHECK(t.lost() == 2);
  CHECK(t.on_packet(1) == V::reordered);  // late, no longer lost
  CHECK(t.lost() == 1);
  CHECK(t.reordered() == 1);
  CHECK(t.on_packet(1) == V::duplicate);
  CHECK(t.on_packet(3) == V::duplicate);
  CHECK(t.duplicates() == 2);
  CHECK(t.lost() == 1);
  CHECK(t.on_packet(65532) == V::late);  // before the stream's first packet: never counted lost
  CHECK(t.lost() == 1);
  CHECK(t.on_packet(20000) == V::restart);  // far ahead: a new sequence space, not 16,000 lost
  CHECK(t.lost() == 1);
  CHECK(t.restarts() == 1);
  CHECK(t.on_packet(20001) == V::next);
  // 70 behind: beyond the 64-packet window, cannot tell from a duplicate: stays lost.
  for (std::uint16_t s = 20002; s < 20100; ++s)
    if (s != 20010) t.on_packet(s);
  CHECK(t.lost() == 2);
  CHECK(t.on_packet(20010) == V::late);
  CHECK(t.lost() == 2);
}

TEST_CASE("phonesim: SendBatch and RecvBatch move a burst of datagrams") {
  const UdpSocket a(Address{"127.0.0.1", 0}), b(Address{"127.0.0.1", 0});
  CHECK(a.local_address().port != 0);
  SendBatch send(8, 64);  // smaller than the burst: flushed as it fills
  const sockaddr_in to = to_sockaddr(b.local_address());
  std::size_t failed = 0;
  for (std::uint8_t i = 0; i < 20; ++i) {
    if (send.full()) failed += send.flush(a.fd());
    const std::span<std::uint8_t> buffer = send.next_buffer();
    REQUIRE(buffer.size() == 64);
    std::fill_n(buffer.begin(), i + 1, i);
    send.commit(i + 1u, to);
  }
  failed += send.flush(a.fd());
  CHECK(failed == 0);
  CHECK(send.empty());
  const auto got = collect(b, 100);
  REQUIRE(got.size() == 20);
  for (std::uint8_t i = 0; i < 20; ++i) CHECK(got[i] == std::vector<std::uint8_t>(i + 1u, i));

  CHECK_CALLSUP_ERROR(to_sockaddr(Address{"localhost", 1}), errc::invalid_argument, "localhost");
  CHECK_CALLSUP_ERROR(UdpSocket(Address{"192.0.2.1", 0}), errc::io_error, "192.0.2.1");
}

TEST_CASE("phonesim: two phones exchange audio over loopback, each hears the other's tone") {
  PhoneSet set;
  PhoneConfig a_config = phone("a", sine(1000));
  a_config.record = true;
  PhoneConfig b_config = phone("b", sine(500));
  b_config.record = true;
  const std::size_t a = set.add(a_config), b = set.add(b_config);
  set.set_remote(a, set.local_address(b));
  set.set_remote(b, set.local_address(a));
  CHECK(set.local_address(a) != set.local_address(b));
  const auto started = std::chrono::steady_clock::now();
  run_for({&set}, 1000);
  const auto elapsed_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
          .count();
  // One tick every 20 ms from the start (the first at once), neither drifting nor racing ahead.
  CHECK(set.frames_sent() <= static_cast<std::uint64_t>(elapsed_ms / 20 + 1));
  CHECK(set.frames_sent() >= 45);

  for (const std::size_t phone : {a, b}) {
    const PhoneStats stats = set.stats(phone);
    CAPTURE(phone);
    CHECK(stats.sent == set.frames_sent());  // one packet per phone per tick
    CHECK(stats.received >= 45);
    CHECK(stats.received + 2 >= stats.sent);  // at most the last tick or two in flight
    CHECK(stats.lost == 0);
    CHECK(stats.duplicates == 0);
    CHECK(stats.malformed == 0);
    CHECK(set.recording(phone).size() == 160 * stats.received);
  }
  CHECK(tones_in(set.recording(b), {500, 1000, 1500}) == "1000");
  CHECK(tones_in(set.recording(a), {500, 1000, 1500}) == "500");
  CHECK(set.set_stats().ticks == set.frames_sent());
  CHECK(set.set_stats().unknown == 0);
  CHECK(set.total().received == set.stats(a).received + set.stats(b).received);
}

TEST_CASE("phonesim: phones with different ptimes share the set's tick (their gcd)") {
  PhoneSet set;
  PhoneConfig a_config = phone("a20", sine(1000));
  PhoneConfig b_config = phone("b30", sine(500));
  b_config.ptime_ms = 30;
  b_config.record = true;
  a_config.record = true;
  const std::size_t a = set.add(a_config), b = set.add(b_config);
  set.set_remote(a, set.local_address(b));
  set.set_remote(b, set.local_address(a));
  run_for({&set}, 600);
  const std::uint64_t ticks = set.frames_sent();  // 10 ms ticks
  CHECK(ticks >= 50);
  CHECK(set.stats(a).sent == (ticks + 1) / 2);
  CHECK(set.stats(b).sent == (ticks + 2) / 3);
  CHECK(set.stats(a).lost == 0);
  // 30 ms packets are 240 samples.
  CHECK(set.recording(a).size() == 240 * set.stats(a).received);
  CHECK(tones_in(set.recording(a), {500, 1000}) == "500");
}

TEST_CASE("phonesim: a phone's send offset places its packets within the period") {
  PhoneSet set;
  PhoneConfig a_config = phone("a", sine(1000)), b_config = phone("b", sine(500));
  b_config.send_offset_ms = 10;
  const std::size_t a = set.add(a_config), b = set.add(b_config);
  callsup::test::UdpPeer sink;
  const Address to{"127.0.0.1", sink.address().port};
  set.set_remote(a, to);
  set.set_remote(b, to);
  set.start();
  // Gaps from each of a's packets to the next of b's: half a period apart.
  std::vector<double> gaps;
  std::chrono::steady_clock::time_point last_a{};
  bool have_a = false;
  const auto deadline = std::chrono::steady_clock::now() + 2s;
  while (gaps.size() < 40 && std::chrono::steady_clock::now() < deadline) {
    auto packet = sink.receive(50ms);
    if (!packet) continue;
    const auto now = std::chrono::steady_clock::now();
    const RtpParseResult parsed = parse_rtp(*packet);
    REQUIRE(parsed);
    if (parsed.packet.header.ssrc == set.ssrc(a)) {
      last_a = now;
      have_a = true;
    } else if (have_a) {
      gaps.push_back(std::chrono::duration<double, std::milli>(now - last_a).count());
      have_a = false;
    }
  }
  set.stop();
  REQUIRE(gaps.size() >= 20);
  std::nth_element(gaps.begin(), gaps.begin() + static_cast<std::ptrdiff_t>(gaps.size() / 2), gaps.end());
  const double median = gaps[gaps.size() / 2];
  CHECK(median > 6.0);
  CHECK(median < 14.0);
  // The set ticks every 10 ms (gcd of ptime and offsets); each phone still sends every 20 ms.
  const std::uint64_t ticks = set.frames_sent();
  CHECK(set.stats(a).sent == (ticks + 1) / 2);
  CHECK(set.stats(b).sent == ticks / 2);

  PhoneConfig bad = phone("bad");
  bad.send_offset_ms = 20;
  CHECK_CALLSUP_ERROR(PhoneSet().add(bad), errc::invalid_argument, "send offset 20");
  bad.send_offset_ms = -1;
  CHECK_CALLSUP_ERROR(PhoneSet().add(bad), errc::invalid_argument, "send offset -1");
}

TEST_CASE("phonesim: SRTP phones exchange audio; a wrong key is counted, never heard") {
  PhoneSet set;
  const SrtpKeyMaterial key_a = srtp_key(1), key_b = srtp_key(2);
  PhoneConfig a_config = phone("a", sine(1000));
  a_config.srtp_send = key_a;
  a_config.srtp_receive = key_b;
  a_config.record = true;
  PhoneConfig b_config = phone("b", sine(1500));
  b_config.srtp_send = key_b;
  b_config.srtp_receive = key_a;
  b_config.record = true;
  // c listens to a with the wrong key.
  PhoneConfig c_config = phone("c", silence());
  c_config.srtp_receive = srtp_key(3);
  c_config.record = true;
  const std::size_t a = set.add(a_config), b = set.add(b_config);
  const std::size_t c = set.add(c_config);
  set.set_remote(a, set.local_address(b));
  set.set_remote(b, set.local_address(a));
  // A second sender of a's keys and signal towards c: same key material as a, but c's key differs.
  PhoneSet other;
  PhoneConfig to_c = phone("a-to-c", sine(1000));
  to_c.srtp_send = key_a;
  to_c.remote = set.local_address(c);
  other.add(to_c);
  run_for({&set, &other}, 1000);

  for (const std::size_t phone : {a, b}) {
    CAPTURE(phone);
    CHECK(set.stats(phone).received >= 45);
    CHECK(set.stats(phone).lost == 0);
    CHECK(set.stats(phone).auth_fail == 0);
  }
  CHECK(tones_in(set.recording(b), {500, 1000, 1500}) == "1000");
  CHECK(tones_in(set.recording(a), {500, 1000, 1500}) == "1500");
  CHECK(set.stats(c).received == 0);
  CHECK(set.stats(c).auth_fail >= 45);
  CHECK(set.recording(c).empty());
}

TEST_CASE("phonesim: a shared-socket set demultiplexes its phones by SSRC") {
  // Three shared-socket phones talk with three per-phone-socket phones, each pair its own
  // frequency; the shared set must hand each packet to the phone that expects its SSRC.
  PhoneSet shared(PhoneSet::Sockets::shared), single;
  const std::vector<double> hz{500, 1000, 1500};
  std::vector<std::size_t> s_idx, p_idx;
  for (std::size_t i = 0; i < hz.size(); ++i) {
    PhoneConfig p = phone("p" + std::to_string(i), sine(hz[i]));
    p.ssrc = 1000 + static_cast<std::uint32_t>(i);
    p.record = true;
    p_idx.push_back(single.add(p));
  }
  for (std::size_t i = 0; i < hz.size(); ++i) {
    PhoneConfig s = phone("s" + std::to_string(i), sine(hz[(i + 1) % hz.size()]));
    s.expected_remote_ssrc = 1000 + static_cast<std::uint32_t>(i);
    s.record = true;
    s.precompute = true;  // the load-test path
    s.remote = single.local_address(p_idx[i]);
    s_idx.push_back(shared.add(s));
    single.set_remote(p_idx[i], shared.local_address(s_idx[i]));
  }
  CHECK(shared.local_address(s_idx[0]) == shared.local_address(s_idx[2]));
  // A stray sender whose SSRC no shared phone expects.
  PhoneConfig stray = phone("stray", sine(2000));
  stray.ssrc = 999;
  stray.remote = shared.local_address(0);
  single.add(stray);
  run_for({&shared, &single}, 1000);

  for (std::size_t i = 0; i < hz.size(); ++i) {
    CAPTURE(i);
    const std::vector<std::int16_t> heard = shared.recording(s_idx[i]);
    CHECK(tones_in(heard, {500, 1000, 1500, 2000}) == std::to_string(static_cast<int>(hz[i])));
    CHECK(shared.stats(s_idx[i]).lost == 0);
    CHECK(shared.stats(s_idx[i]).received >= 45);
    CHECK(tones_in(single.recording(p_idx[i]), {500, 1000, 1500, 2000}) ==
          std::to_string(static_cast<int>(hz[(i + 1) % hz.size()])));
    CHECK(single.stats(p_idx[i]).lost == 0);
  }
  CHECK(shared.set_stats().unknown >= 45);  // the stray's packets
  CHECK(shared.set_stats().send_errors == 0);
  CHECK(shared.total().received ==
        shared.stats(0).received + shared.stats(1).received + shared.stats(2).received);
}

TEST_CASE("phonesim: DTMF goes out as RFC 4733 events on the audio's SSRC and sequence") {
  const UdpSocket sink(Address{"127.0.0.1", 0});
  PhoneSet set;
  PhoneConfig config = phone("a", sine(1000));
  config.remote = sink.local_address();
  const std::size_t a = set.add(config);
  set.send_dtmf(a, "1#9");  // queued before start: plays from the first tick
  set.start();
  const auto packets = collect(sink, 800);
  set.stop();

  REQUIRE(packets.size() >= 30);
  DtmfReceiver receiver;
  std::string digits;
  std::map<std::uint32_t, int> event_packets;  // by event timestamp
  std::uint16_t expected_seq = 0;
  bool first = true;
  std::size_t audio = 0;
  for (const auto& datagram : packets) {
    const RtpParseResult rtp = parse_rtp(datagram);
    REQUIRE(rtp);
    const RtpHeader& h = rtp.packet.header;
    CHECK(h.ssrc == set.ssrc(a));
    if (!first) CHECK(h.sequence == expected_seq);  // one sequence space, no gap
    expected_seq = static_cast<std::uint16_t>(h.sequence + 1);
    if (h.payload_type == 0) {
      ++audio;
      first = false;
      continue;
    }
    REQUIRE(h.payload_type == 101);
    const TelephoneEventParse te = parse_telephone_event(rtp.packet.payload);
    REQUIRE(te);
    // The marker on an event's first packet only.
    CHECK(h.marker == (event_packets[h.timestamp]++ == 0));
    if (const auto digit = receiver.on_packet(h.ssrc, h.timestamp, te.event)) digits += *digit;
    first = false;
  }
  CHECK(digits == "1#9");
  CHECK(event_packets.size() == 3);
  for (const auto& [ts, count] : event_packets) CHECK(count == 5 + 2);  // 100 ms in 20 ms + 2 end repeats
  CHECK(audio > 0);
  CHECK(set.stats(a).dtmf_sent == 3);
}

TEST_CASE("phonesim: a phone reports the DTMF digits it receives, and records around them") {
  PhoneSet set;
  PhoneConfig a_config = phone("a", sine(1000));
  PhoneConfig b_config = phone("b");
  b_config.record = true;
  const std::size_t a = set.add(a_config), b = set.add(b_config);
  set.set_remote(a, set.local_address(b));
  set.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  set.send_dtmf(a, "*5", 60, 40);  // while running
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  set.stop();
  CHECK(set.dtmf_received(b) == "*5");
  CHECK(set.stats(b).dtmf_received == 2);
  CHECK(set.stats(b).lost == 0);
  // Ticks that carried events instead of audio are silence in the recording: its length still
  // follows the timestamps (one frame per packet sent).
  CHECK(set.recording(b).size() == 160 * set.stats(b).received);
}

TEST_CASE("phonesim: recording fills lost packets with silence; stats see loss, reordering, bad input") {
  PhoneSet set;
  PhoneConfig config = phone("rx");
  config.record = true;
  config.expected_remote_ssrc = 77;
  const std::size_t rx = set.add(config);
  set.start();
  const UdpSocket tx(Address{"127.0.0.1", 0});
  const Address to = set.local_address(rx);
  const SignalFn tone = sine(1000, 8000);
  send_datagram(tx, to, pcmu_packet(10, 1000, 77, tone, 0));
  send_datagram(tx, to, pcmu_packet(11, 1160, 77, tone, 1));
  send_datagram(tx, to, pcmu_packet(13, 1480, 77, tone, 3));  // 12 lost (for now)
  send_datagram(tx, to, pcmu_packet(13, 1480, 77, tone, 3));  // duplicate
  send_datagram(tx, to, pcmu_packet(14, 1640, 78, tone, 4));  // another SSRC
  const std::vector<std::uint8_t> garbage{0x00, 0x01, 0x02};
  send_datagram(tx, to, garbage);
  std::vector<std::uint8_t> comfort_noise = pcmu_packet(14, 1640, 77, tone, 4);
  comfort_noise[1] = 13;  // payload type CN: neither the codec's nor telephone-event
  send_datagram(tx, to, comfort_noise);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));

  PhoneStats stats = set.stats(rx);
  CHECK(stats.received == 5);
  CHECK(stats.lost == 1);
  CHECK(stats.duplicates == 1);
  CHECK(stats.malformed == 1);
  CHECK(stats.wrong_payload_type == 1);
  CHECK(set.set_stats().unknown == 1);

  const std::vector<std::int16_t> rec = set.recording(rx);
  REQUIRE(rec.size() == 4 * 160);  // frames 0, 1, silence, 3
  std::vector<std::int16_t> expected(4 * 160);
  for (const std::uint64_t f : {0, 1, 3}) {
    std::vector<std::int16_t> pcm(160);
    tone(pcm, f);
    for (std::size_t i = 0; i < 160; ++i) expected[f * 160 + i] = ulaw_to_linear(linear_to_ulaw(pcm[i]));
  }
  CHECK(rec == expected);

  send_datagram(tx, to, pcmu_packet(12, 1320, 77, tone, 2));  // the lost one, late
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  set.stop();
  stats = set.stats(rx);
  CHECK(stats.lost == 0);
  CHECK(stats.reordered == 1);
  CHECK(set.recording(rx).size() == 5 * 160);  // appended in arrival order
  set.clear_recording(rx);
  CHECK(set.recording(rx).empty());
}

TEST_CASE("phonesim: a new sender SSRC restarts the loss accounting instead of counting a gap") {
  PhoneSet set;
  PhoneConfig config = phone("rx");
  config.record = true;  // no expected_remote_ssrc: any sender is taken
  const std::size_t rx = set.add(config);
  set.start();
  const UdpSocket tx(Address{"127.0.0.1", 0});
  const Address to = set.local_address(rx);
  const SignalFn tone = sine(1000);
  send_datagram(tx, to, pcmu_packet(100, 0, 1, tone, 0));
  send_datagram(tx, to, pcmu_packet(101, 160, 1, tone, 1));
  send_datagram(tx, to, pcmu_packet(900, 5000, 2, tone, 2));  // 800 ahead, but another sender
  send_datagram(tx, to, pcmu_packet(902, 5320, 2, tone, 4));  // 901 lost
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  set.stop();
  CHECK(set.stats(rx).received == 4);
  CHECK(set.stats(rx).lost == 1);
  // New sender: no silence for its timestamp jump; the lost packet is: 2 + 1 + (1 + 1) frames.
  CHECK(set.recording(rx).size() == 5 * 160);
}

TEST_CASE("phonesim: precompute replays exactly the signal's frames") {
  // 440 Hz is 8.8 periods per 20 ms frame: the cycle is 5 frames, so frames 5.. replay 0..
  const UdpSocket sink(Address{"127.0.0.1", 0});
  PhoneSet set;
  PhoneConfig config = phone("pre", sine(440, 12000));
  config.precompute = true;
  config.remote = sink.local_address();
  set.add(config);
  set.start();
  const auto packets = collect(sink, 300);
  set.stop();
  REQUIRE(packets.size() >= 10);
  const RtpParseResult first = parse_rtp(packets.front());
  REQUIRE(first);
  for (const auto& datagram : packets) {
    const RtpParseResult rtp = parse_rtp(datagram);
    REQUIRE(rtp);
    const auto frame = static_cast<std::uint16_t>(rtp.packet.header.sequence - first.packet.header.sequence);
    CHECK(rtp.packet.header.timestamp - first.packet.header.timestamp == 160u * frame);
    std::vector<std::int16_t> pcm(160);
    sine(440, 12000)(pcm, frame);
    std::vector<std::uint8_t> payload(160);
    encode_ulaw(pcm, payload);
    CHECK(std::equal(payload.begin(), payload.end(), rtp.packet.payload.begin(), rtp.packet.payload.end()));
  }
  CHECK(first.packet.header.marker);
}

TEST_CASE("phonesim: PhoneSet rejects bad configuration and misuse") {
  PhoneSet shared(PhoneSet::Sockets::shared);
  CHECK_CALLSUP_ERROR(shared.add(phone("x")), errc::invalid_argument, "expected_remote_ssrc");
  PhoneConfig ok = phone("ok");
  ok.expected_remote_ssrc = 5;
  ok.ssrc = 42;
  shared.add(ok);
  PhoneConfig same_expected = ok;
  same_expected.ssrc = 43;
  CHECK_CALLSUP_ERROR(shared.add(same_expected), errc::invalid_argument, "5");
  PhoneConfig same_ssrc = ok;
  same_ssrc.expected_remote_ssrc = 6;
  CHECK_CALLSUP_ERROR(shared.add(same_ssrc), errc::invalid_argument, "42");
  CHECK(shared.size() == 1);

  PhoneSet set;
  PhoneConfig bad = phone("bad");
  bad.codec = {"G729"};
  CHECK_CALLSUP_ERROR(set.add(bad), errc::invalid_argument, "G729");
  bad = phone("bad");
  bad.ptime_ms = 0;
  CHECK_CALLSUP_ERROR(set.add(bad), errc::invalid_argument, "ptime 0");
  bad = phone("bad");
  bad.remote = {"nowhere", 5};
  CHECK_CALLSUP_ERROR(set.add(bad), errc::invalid_argument, "nowhere");
  bad = phone("bad");
  bad.signal = nullptr;
  CHECK_CALLSUP_ERROR(set.add(bad), errc::invalid_argument, "signal");
  PhoneConfig no_dtmf = phone("nd");
  no_dtmf.telephone_event_pt = -1;
  const std::size_t nd = set.add(no_dtmf);
  CHECK_CALLSUP_ERROR(set.send_dtmf(nd, "1"), errc::invalid_argument, "nd");
  const std::size_t d = set.add(phone("d"));
  CHECK_CALLSUP_ERROR(set.send_dtmf(d, "1x"), errc::invalid_argument, "x");
  CHECK_CALLSUP_ERROR(set.stats(7), errc::invalid_argument, "7");
  CHECK_CALLSUP_ERROR(PhoneSet(PhoneSet::Sockets::per_phone, "::1"), errc::invalid_argument, "::1");
  set.start();
  CHECK(set.running());
  CHECK_CALLSUP_ERROR(set.add(phone("late")), errc::invalid_argument, "after start");
  CHECK_CALLSUP_ERROR(set.set_remote(d, {"127.0.0.1", 9}), errc::invalid_argument, "after start");
  CHECK_CALLSUP_ERROR(set.start(), errc::invalid_argument, "twice");
  set.stop();
  set.stop();  // idempotent
  CHECK_FALSE(set.running());
}
