// callsup-loadgen: the report and the progress line.
#include "report.hpp"

#include <cstdio>

#include "callsup/media/srtp.hpp"

namespace callsup::loadgen {

nlohmann::json report(const Options& options, const Snapshot& start, const Snapshot& end,
                      std::uint64_t rss_before_calls) {
  const double seconds = end.wall_seconds - start.wall_seconds;
  const double cpu = end.engine.total.cpu_seconds - start.engine.total.cpu_seconds;
  const std::uint64_t lost_to_phones = end.phones.lost - start.phones.lost;
  const std::uint64_t lost_to_engine = end.endpoints.lost - start.endpoints.lost;
  nlohmann::json j;
  j["calls"] = options.calls;
  j["seconds"] = seconds;
  j["threads"] = options.threads;
  j["srtp"] = options.srtp;
  j["sockets"] = options.dedicated_sockets ? "dedicated" : "shared";
  j["phone_threads"] = options.phone_threads;
  j["phone_sockets"] = options.phone_socket_per_leg ? "per-leg" : "shared";
  j["phones_in_phase"] = options.phones_in_phase;
  j["engine_cpu_seconds"] = cpu;
  auto per_thread = nlohmann::json::array();
  for (std::size_t t = 0; t < end.engine.threads.size() && t < start.engine.threads.size(); ++t)
    per_thread.push_back(end.engine.threads[t].cpu_seconds - start.engine.threads[t].cpu_seconds);
  j["engine_thread_cpu_seconds"] = per_thread;
  // Supervised calls one fully busy engine core would carry in real time at this cost.
  j["calls_per_core"] = cpu > 0 ? static_cast<double>(options.calls) * seconds / cpu : 0.0;
  j["engine_cpu_percent"] = seconds > 0 ? 100.0 * cpu / seconds : 0.0;
  // Memory: the process's RSS (engine, control plane and simulated phones) before the calls were
  // set up, after the warm-up (every call set up, media flowing) and at the end of the window.
  j["rss_bytes_before_calls"] = rss_before_calls;
  j["rss_bytes_with_calls"] = start.rss_bytes;
  j["rss_bytes_end_of_window"] = end.rss_bytes;
  j["memory_per_call_bytes"] =
      (static_cast<std::int64_t>(start.rss_bytes) - static_cast<std::int64_t>(rss_before_calls)) /
      static_cast<std::int64_t>(options.calls);
  j["packets_in"] = end.engine.total.packets_in - start.engine.total.packets_in;
  j["packets_out"] = end.engine.total.packets_out - start.engine.total.packets_out;
  j["packets_lost"] = lost_to_phones + lost_to_engine;
  j["packets_lost_engine_to_phones"] = lost_to_phones;
  j["packets_lost_phones_to_engine"] = lost_to_engine;
  // End to end, from the frames' own tags (the engine renumbers what it sends, so packets_lost
  // cannot see a frame it drops): the customer's and the agent's streams to each other.
  j["frames_received"] = end.phones.frames_tagged - start.phones.frames_tagged;
  j["frames_lost"] = end.phones.frames_lost - start.phones.frames_lost;
  j["frames_replaced_by_mix"] = end.phones.frames_replaced - start.phones.frames_replaced;
  j["frames_mixed_or_concealed"] = end.phones.frames_untagged - start.phones.frames_untagged;
  j["missed_ticks"] = end.engine.total.missed_ticks - start.engine.total.missed_ticks;
  j["tick_lateness_p99_ms"] = end.engine.total.tick_lateness_p99_ms;
  // Added one-way latency inside the engine, received -> sent: mixed path (at the call's tick)
  // and forwarded path (on arrival).
  j["engine_latency_p99_ms"] = end.engine.total.latency_p99_ms;
  j["mixed_latency_p99_ms"] = end.engine.total.latency_p99_ms;
  j["forwarded_latency_p99_ms"] = end.engine.total.relay_latency_p99_ms;
  j["packets_forwarded_on_arrival"] =
      end.engine.total.relayed_on_arrival - start.engine.total.relayed_on_arrival;
  j["late_packets"] = end.endpoints.late - start.endpoints.late;
  j["concealed_frames"] = end.endpoints.concealed - start.endpoints.concealed;
  j["auth_fail"] = end.endpoints.auth_fail - start.endpoints.auth_fail;
  j["unknown_source"] = end.engine.total.unknown_source - start.engine.total.unknown_source;
  j["dtmf_digits"] = end.endpoints.dtmf_digits_in - start.endpoints.dtmf_digits_in;
  j["mode_changes"] = end.mode_changes - start.mode_changes;
  j["sessions_active"] = end.sessions_active;
  j["phone_cpu_seconds"] = end.phone_cpu_seconds - start.phone_cpu_seconds;
  // With several engine threads: supervisors' legs handed to their call's thread, and the packets
  // their home thread read for them and passed on (a cost one thread does not have).
  j["legs_moved_between_threads"] = end.engine.total.moved_legs;
  j["packets_passed_between_threads"] =
      end.engine.total.forwarded_packets - start.engine.total.forwarded_packets;
  j["receive_batches"] = end.engine.total.receive_batches - start.engine.total.receive_batches;
  j["send_batches"] = end.engine.total.send_batches - start.engine.total.send_batches;
  const SrtpBackend backend = srtp_backend();
  j["srtp_backend"] = backend.library + " / " + backend.crypto;
  return j;
}

std::string progress_line(const Options& options, const Snapshot& start, const Snapshot& now,
                          const Snapshot& previous) {
  const double dt = now.wall_seconds - previous.wall_seconds;
  const double rate_in =
      dt > 0 ? static_cast<double>(now.engine.total.packets_in - previous.engine.total.packets_in) / dt : 0;
  const double rate_out =
      dt > 0 ? static_cast<double>(now.engine.total.packets_out - previous.engine.total.packets_out) / dt : 0;
  const double cpu =
      dt > 0 ? 100.0 * (now.engine.total.cpu_seconds - previous.engine.total.cpu_seconds) / dt : 0;
  char line[256];
  std::snprintf(
      line, sizeof line,
      "[%5.1f/%.0f s] %zu calls  in %.0f pkt/s  out %.0f pkt/s  lost %llu  missed ticks %llu  "
      "engine cpu %.0f%%  modes %llu",
      now.wall_seconds - start.wall_seconds, options.seconds, options.calls, rate_in, rate_out,
      static_cast<unsigned long long>((now.phones.lost - start.phones.lost) +
                                      (now.endpoints.lost - start.endpoints.lost)),
      static_cast<unsigned long long>(now.engine.total.missed_ticks - start.engine.total.missed_ticks), cpu,
      static_cast<unsigned long long>(now.mode_changes - start.mode_changes));
  return line;
}

}  // namespace callsup::loadgen
