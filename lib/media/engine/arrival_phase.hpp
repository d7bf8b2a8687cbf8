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

/// As all_arrived_phase, but stays with `current` (the phase chosen last time) while the gap it
/// starts is within `tolerance_ns` of the largest. Two streams half a period apart leave two
/// equal gaps; their phases drift by a few microseconds, and without this the choice would flip
/// between them with every placement, each move of the call in the period costing a frame.
/// `current` is matched to the nearest of `phases` (they drift). Sorts `phases`.
inline std::optional<std::int64_t> all_arrived_phase_sticky(std::span<std::int64_t> phases,
                                                            std::int64_t period_ns,
                                                            std::optional<std::int64_t> current,
                                                            std::int64_t tolerance_ns) {
  const auto best = all_arrived_phase(phases, period_ns);  // sorts
  if (!best || !current || phases.size() < 2) return best;
  const auto circular = [&](std::int64_t a, std::int64_t b) {
    const std::int64_t d = ((a - b) % period_ns + period_ns) % period_ns;
    return std::min(d, period_ns - d);
  };
  const auto gap_after = [&](std::size_t i) {
    return (i + 1 < phases.size() ? phases[i + 1] : phases.front() + period_ns) - phases[i];
  };
  std::size_t nearest = 0, at_best = 0;
  for (std::size_t i = 0; i < phases.size(); ++i) {
    if (circular(phases[i], *current) < circular(phases[nearest], *current)) nearest = i;
    if (phases[i] == *best) at_best = i;
  }
  return gap_after(nearest) + tolerance_ns >= gap_after(at_best) ? phases[nearest] : *best;
}

/// The sub-tick (0..count-1) at or after `phase_ns` + `margin_ns`, going round the period.
inline std::size_t sub_tick_after(std::int64_t phase_ns, std::int64_t margin_ns, std::int64_t sub_period_ns,
                                  std::size_t count) noexcept {
  const std::int64_t ready = phase_ns + margin_ns;
  const auto index = static_cast<std::size_t>((ready + sub_period_ns - 1) / sub_period_ns);
  return index % count;
}

}  // namespace callsup::detail
