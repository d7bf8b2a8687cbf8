// callsup (internal): small helpers the Shard's files share (time, byte order, index maps).
#pragma once

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdint>

namespace callsup::detail {

class LegMedia;

/// The steady clock in nanoseconds (arrival phases, latency, tick lateness).
inline std::int64_t steady_ns() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

/// A big-endian 32-bit field (an RTP SSRC) at `p`.
inline std::uint32_t read_u32(const std::uint8_t* p) noexcept {
  return static_cast<std::uint32_t>(p[0]) << 24 | static_cast<std::uint32_t>(p[1]) << 16 |
         static_cast<std::uint32_t>(p[2]) << 8 | p[3];
}

/// CPU seconds of a thread's clock (0 when it cannot be read).
inline double cpu_seconds_of(clockid_t clock) noexcept {
  timespec ts{};
  if (::clock_gettime(clock, &ts) != 0) return 0;
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

/// Removes `leg` from the list a key maps to, and the key when its list becomes empty.
template <typename Map, typename Key>
void erase_from(Map& map, const Key& key, LegMedia* leg) {
  auto found = map.find(key);
  if (found == map.end()) return;
  auto& legs = found->second;
  legs.erase(std::remove(legs.begin(), legs.end(), leg), legs.end());
  if (legs.empty()) map.erase(found);
}

}  // namespace callsup::detail
