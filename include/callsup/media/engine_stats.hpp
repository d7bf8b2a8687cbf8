// callsup: what a media engine did, summed over its threads.
#pragma once

#include <cstdint>
#include <vector>

namespace callsup {

/// One engine thread's figures.
struct EngineThreadStats {
  std::uint64_t calls = 0;           ///< calls with routes on this thread
  std::uint64_t legs = 0;            ///< endpoints on this thread
  std::uint64_t ticks = 0;           ///< ticks run
  std::uint64_t missed_ticks = 0;    ///< ticks that started after the next one was due
  std::uint64_t packets_in = 0;      ///< datagrams read (all sockets of the thread)
  std::uint64_t packets_out = 0;     ///< datagrams sent
  std::uint64_t unknown_source = 0;  ///< datagrams on the shared socket that matched no leg
  /// Routes (counted each time a call's routes were applied) naming a leg that has no endpoint on
  /// the call's thread: not attached yet, or attached with another media group (see docs/media.md).
  std::uint64_t unattached_routes = 0;
  /// Legs this thread handed to another because the call they serve runs there (a supervisor
  /// whose session moved to a call on another thread).
  std::uint64_t moved_legs = 0;
  /// Datagrams read on this thread's shared socket for a leg that runs on another thread, passed
  /// on to it (the peer keeps sending where it was told to).
  std::uint64_t forwarded_packets = 0;
  std::uint64_t receive_batches = 0;  ///< recvmmsg calls that returned data
  std::uint64_t send_batches = 0;     ///< sendmmsg calls
  double cpu_seconds = 0;           ///< user + system time of this thread (0 on an executor it does not own)
  double tick_lateness_p99_ms = 0;  ///< how late ticks start after their due time, 99th percentile
  /// Mixed path: a packet received -> the mix containing it sent (at the call's tick), 99th
  /// percentile.
  double latency_p99_ms = 0;
  /// Datagrams sent as their source's packet arrived (forward on arrival: a listener hearing one
  /// source unchanged), not at a tick.
  std::uint64_t relayed_on_arrival = 0;
  /// Forwarded path: a packet received -> its forwarded copy handed to the kernel, 99th
  /// percentile.
  double relay_latency_p99_ms = 0;
};

/// Totals over the engine's threads (percentiles: the worst thread).
struct EngineStats {
  /// The sums over all threads (for the percentiles: the worst thread's).
  EngineThreadStats total;
  /// Each thread's own numbers, one entry per engine thread.
  std::vector<EngineThreadStats> threads;
};

}  // namespace callsup
