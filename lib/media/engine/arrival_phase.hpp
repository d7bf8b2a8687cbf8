// callsup (internal): when in the tick period a leg's packets arrive, and when a call's frames
// are all in, so that each call is mixed right after its packets arrive rather than at one
// tick for the whole thread.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>

namespace callsup::detail {

/// Tracks the late edge of a stream's arrival phase (arrival time modulo the period): it follows
/// later arrivals at once (half the difference per packet) and earlier ones slowly (1/64 per
/// packet, about a second), so a frame is rarely waited for in vain after a late packet, and the
/// phone's clock drift is followed.
class ArrivalPhase {
 public:
  /// `phase_ns` in [0, period_ns).
  void note(std::int64_t phase_ns, std::int64_t period_ns, std::int64_t now_ns) noexcept {
    last_seen_ns_ = now_ns;
    if (edge_ns_ < 0) {
      edge_ns_ = phase_ns;
      return;
    }
    std::int64_t d = phase_ns - edge_ns_;  // shortest way round the circle
    if (d >= period_ns / 2) d -= period_ns;
    if (d < -period_ns / 2) d += period_ns;
    edge_ns_ += d > 0 ? (d + 1) / 2 : d / 64;
    edge_ns_ = ((edge_ns_ % period_ns) + period_ns) % period_ns;
  }
  /// The late edge, if a packet came since `since_ns`.
  std::optional<std::int64_t> edge(std::int64_t since_ns) const noexcept {
    if (edge_ns_ < 0 || last_seen_ns_ < since_ns) return std::nullopt;
    return edge_ns_;
  }

 private:
  std::int64_t edge_ns_ = -1;
  std::int64_t last_seen_ns_ = 0;
};

/// The phase in [0, period_ns) after which every stream of `phases` (each in [0, period_ns)) has
/// arrived: the start of the largest gap between them going round the circle. nullopt when empty.
/// Sorts `phases`.
inline std::optional<std::int64_t> all_arrived_phase(std::span<std::int64_t> phases, std::int64_t period_ns) {
  if (phases.empty()) return std::nullopt;
  std::sort(phases.begin(), phases.end());
  std::int64_t best_gap = -1, edge = phases.back();
  for (std::size_t i = 0; i < phases.size(); ++i) {
    const std::int64_t from = phases[i];
    const std::int64_t to = i + 1 < phases.size() ? phases[i + 1] : phases.front() + period_ns;
    if (to - from > best_gap) {
      best_gap = to - from;
      edge = from;
    }
  }
  return edge;
}

/// The sub-tick (0..count-1) at or after `phase_ns` + `margin_ns`, going round the period.
inline std::size_t sub_tick_after(std::int64_t phase_ns, std::int64_t margin_ns, std::int64_t sub_period_ns,
                                  std::size_t count) noexcept {
  const std::int64_t ready = phase_ns + margin_ns;
  const auto index = static_cast<std::size_t>((ready + sub_period_ns - 1) / sub_period_ns);
  return index % count;
}

}  // namespace callsup::detail
