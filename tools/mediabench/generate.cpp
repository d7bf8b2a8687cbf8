// callsup-mediabench generate: the neutral RTP load generator. One UDP socket per leg; every leg
// sends a PCMU frame (160 bytes, 20 ms) per period, call i at i/N of the period; every frame's
// payload carries its stream, index and send time (payload_tag.hpp). Runs warm-up + window, then
// drains 300 ms, and prints one result line. Protocol lines: generator_legs.hpp; while running it
// prints {"event":"window_start"} and {"event":"window_end"} as the window opens and closes, so the
// orchestrator can read the relay's CPU time at the same instants.
// It wakes once per send slot (plan "send_slot_us", 250 by default), sends what is due and reads
// what came back: waking for every packet would cost it more CPU than the relays it measures, and
// each packet's latency comes from the kernel's receive timestamp, not from when it was read.
#include <sys/epoll.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cmath>
#include <fstream>
#include <iostream>

#include "callsup/error.hpp"
#include "callsup/media/rtp_packet.hpp"
#include "generator_legs.hpp"
#include "owned_fd.hpp"
#include "payload_tag.hpp"
#include "stream_accounting.hpp"
#include "subcommands.hpp"
#include "timestamped_batch.hpp"

namespace callsup::mediabench {

namespace {

constexpr std::int64_t period_ns = 20'000'000;
constexpr std::size_t payload_bytes = 160;
constexpr std::int64_t drain_ns = 300'000'000;
constexpr std::int64_t late_send_ns = 5'000'000;  // a send this late means the generator is the bottleneck

struct Counters {
  std::uint64_t send_failures = 0, late_sends = 0, srtp_failures = 0, malformed = 0, rtcp = 0, untagged = 0,
                misrouted = 0, untagged_in_window = 0;
};

json read_plan(const Args& args) {
  if (args.empty()) return read_json_line(std::cin, "plan");
  if (args.size() > 1)
    throw Error(errc::invalid_argument,
                "generate takes at most one argument (the plan file), got " + std::to_string(args.size()));
  std::ifstream file(args[0]);
  if (!file) throw Error(errc::invalid_argument, "cannot read the plan file " + quoted(args[0]));
  return read_json_line(file, "plan in " + args[0]);
}

void send_frame(GeneratorLeg& leg, std::uint32_t stream, std::uint32_t frame, std::int64_t sent_ns,
                Counters& counters) {
  std::array<std::uint8_t, rtp_fixed_header_size + payload_bytes + srtp_max_trailer> packet{};
  write_rtp_fixed_header(
      false, 0, static_cast<std::uint16_t>(leg.sequence + frame), leg.timestamp + frame * 160u, leg.ssrc,
      std::span<std::uint8_t, rtp_fixed_header_size>(packet.data(), rtp_fixed_header_size));
  const std::span<std::uint8_t> payload(packet.data() + rtp_fixed_header_size, payload_bytes);
  std::fill(payload.begin(), payload.end(), std::uint8_t{0xFF});  // PCMU silence after the tag
  write_payload_tag(payload, {stream, frame, sent_ns});
  std::size_t length = rtp_fixed_header_size + payload_bytes;
  if (leg.protect && leg.protect->protect(packet, length) != SrtpStatus::ok) {
    ++counters.send_failures;
    return;
  }
  const ssize_t sent = ::sendto(leg.socket.fd(), packet.data(), length, 0,
                                reinterpret_cast<const sockaddr*>(&leg.target), sizeof leg.target);
  if (sent < 0) ++counters.send_failures;
}

/// CLOCK_REALTIME in ns: the clock of the kernel's receive timestamps, and so of the payload's send time.
std::int64_t realtime_ns() noexcept {
  timespec t{};
  clock_gettime(CLOCK_REALTIME, &t);
  return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

void receive_all(std::size_t index, std::vector<GeneratorLeg>& legs, TimestampedBatch& batch,
                 StreamAccounting& accounting, Counters& counters) {
  GeneratorLeg& leg = legs[index];
  for (int round = 0; round < 64; ++round) {  // bounded: other sockets get their turn
    const std::size_t got = batch.receive(leg.socket.fd());
    const std::int64_t read_at = realtime_ns();
    for (std::size_t i = 0; i < got; ++i) {
      const std::int64_t stamped = batch.received_ns(i);
      const std::int64_t received = stamped != 0 ? stamped : read_at;
      std::size_t length = batch.length(i);
      const std::span<std::uint8_t> buffer = batch.buffer(i);
      if (batch.truncated(i) || looks_like_rtcp(buffer.first(length))) {
        ++counters.rtcp;
        continue;
      }
      if (leg.unprotect && leg.unprotect->unprotect(buffer, length) != SrtpStatus::ok) {
        ++counters.srtp_failures;
        continue;
      }
      const RtpParseResult parsed = parse_rtp(buffer.first(length));
      if (!parsed) {
        ++counters.malformed;
        continue;
      }
      const auto tag = read_payload_tag(parsed.packet.payload);
      if (!tag || tag->stream >= legs.size()) {
        ++counters.untagged;  // e.g. a relay's silence before the first frame arrived
        if (accounting.in_window(received)) ++counters.untagged_in_window;
        continue;
      }
      if (peer_of(tag->stream) != index) ++counters.misrouted;
      accounting.on_received(tag->stream, tag->frame, tag->sent_ns, received);
    }
    if (got < TimestampedBatch::capacity) return;
  }
}

}  // namespace

int run_generate(const Args& args) {
  raise_fd_limit();
  install_stop_signals();
  const Plan plan = parse_plan(read_plan(args));
  std::vector<GeneratorLeg> legs = bind_legs(plan, period_ns);
  print_json_line(addresses_of(legs));
  apply_targets(read_json_line(std::cin, "targets"), legs);

  sim::OwnedFd epoll(::epoll_create1(EPOLL_CLOEXEC));
  if (epoll.get() < 0) throw Error(errc::io_error, "epoll_create1 failed");
  for (std::size_t i = 0; i < legs.size(); ++i) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = i;
    if (::epoll_ctl(epoll.get(), EPOLL_CTL_ADD, legs[i].socket.fd(), &event) != 0)
      throw Error(errc::io_error, "epoll_ctl failed for leg " + quoted(legs[i].id));
    if (!enable_receive_timestamps(legs[i].socket.fd()))
      throw Error(errc::io_error, "SO_TIMESTAMPNS failed for leg " + quoted(legs[i].id));
  }

  const std::int64_t slot_ns = static_cast<std::int64_t>(plan.send_slot_us) * 1000;
  const std::int64_t start = now_ns() + period_ns;
  const std::int64_t window_begin = start + static_cast<std::int64_t>(plan.warmup_seconds * 1e9);
  const std::int64_t window_end = window_begin + static_cast<std::int64_t>(plan.window_seconds * 1e9);
  const auto frames = static_cast<std::size_t>((window_end - start) / period_ns + 2);
  // Send and receive times are kept in CLOCK_REALTIME (the kernel's timestamps), the schedule in
  // CLOCK_MONOTONIC; `to_real` converts (the clocks do not drift apart in a run's seconds).
  const std::int64_t to_real = realtime_ns() - now_ns();
  StreamAccounting accounting(legs.size(), frames, window_begin + to_real, window_end + to_real);
  Counters counters;
  TimestampedBatch batch;
  std::array<epoll_event, 256> events{};

  std::size_t next_leg = 0;
  std::uint32_t round = 0;
  bool sending = true, announced_begin = false, announced_end = false;
  // Bounded: the loop ends at window_end + drain, or on SIGTERM.
  while (!stop_requested()) {
    std::int64_t now = now_ns();
    if (!announced_begin && now >= window_begin) {
      announced_begin = true;
      print_json_line({{"event", "window_start"}});
    }
    if (!announced_end && now >= window_end) {
      announced_end = true;
      print_json_line({{"event", "window_end"}});
    }
    if (now >= window_end + drain_ns) break;
    std::int64_t due = start + round * period_ns + legs[next_leg].offset_ns;
    // Bounded: at most 2 ms of sending at a time, so that a generator behind schedule still reads
    // what comes back and announces the window on time.
    const std::int64_t send_until = now + 2'000'000;
    while (sending && due <= now && now < send_until) {
      if (due >= window_end) {
        sending = false;
        break;
      }
      if (now - due > late_send_ns && accounting.in_window(now + to_real)) ++counters.late_sends;
      accounting.on_sent(static_cast<std::uint32_t>(next_leg), now + to_real);
      send_frame(legs[next_leg], static_cast<std::uint32_t>(next_leg), round, now + to_real, counters);
      if (++next_leg == legs.size()) {
        next_leg = 0;
        ++round;
      }
      due = start + round * period_ns + legs[next_leg].offset_ns;
      now = now_ns();
    }
    // Read everything that came back (bounded rounds), then sleep to the next slot.
    for (int rounds = 0; rounds < 16; ++rounds) {
      const int ready = ::epoll_wait(epoll.get(), events.data(), static_cast<int>(events.size()), 0);
      for (int i = 0; i < ready; ++i)
        receive_all(static_cast<std::size_t>(events[static_cast<std::size_t>(i)].data.u64), legs, batch,
                    accounting, counters);
      if (ready < static_cast<int>(events.size())) break;
    }
    const std::int64_t after = now_ns();
    if (sending && due <= after) continue;  // behind schedule: no sleep
    const std::int64_t wake =
        std::clamp<std::int64_t>(sending ? due : after + slot_ns, after + slot_ns, after + 10'000'000);
    const timespec until{static_cast<time_t>(wake / 1'000'000'000), static_cast<long>(wake % 1'000'000'000)};
    ::clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, nullptr);
  }

  json result = accounting.result();
  result["event"] = "result";
  result["legs"] = legs.size();
  result["window_seconds"] = plan.window_seconds;
  result["send_slot_us"] = plan.send_slot_us;
  result["send_failures"] = counters.send_failures;
  result["late_sends"] = counters.late_sends;
  result["srtp_failures"] = counters.srtp_failures;
  result["malformed"] = counters.malformed;
  result["rtcp_or_truncated"] = counters.rtcp;
  result["untagged"] = counters.untagged;
  result["untagged_in_window"] = counters.untagged_in_window;
  result["misrouted"] = counters.misrouted;
  result["stopped_early"] = stop_requested();
  print_json_line(result);
  return 0;
}

}  // namespace callsup::mediabench
