// callsup: compile_mix_plan — RouteSet to slot-indexed listeners.
#include "callsup/media/mix_plan.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <unordered_map>
#include <utility>

#include "callsup/error.hpp"

namespace callsup {

std::int32_t gain_to_q14(float gain) noexcept {
  // `!(gain > 0)` also catches NaN: a broken gain must not turn into noise.
  if (!(gain > 0.0f)) return 0;
  const double q = std::nearbyint(static_cast<double>(gain) * unity_gain_q);
  if (q >= max_gain_q) return max_gain_q;
  return static_cast<std::int32_t>(q);
}

namespace {

using SlotIndex = std::unordered_map<std::string_view, std::uint16_t>;

SlotIndex index_slots(std::span<const LegId> slots) {
  if (slots.size() > std::size_t{std::numeric_limits<std::uint16_t>::max()} + 1)
    throw Error(errc::invalid_argument,
                "compile_mix_plan: " + std::to_string(slots.size()) + " slots, at most 65536");
  SlotIndex index;
  index.reserve(slots.size());
  for (std::size_t i = 0; i < slots.size(); ++i) {
    if (slots[i].empty())
      throw Error(errc::invalid_argument,
                  "compile_mix_plan: slot " + std::to_string(i) + " has an empty leg id");
    if (!index.emplace(slots[i], static_cast<std::uint16_t>(i)).second)
      throw Error(errc::invalid_argument, "compile_mix_plan: leg " + quoted(slots[i]) + " has two slots");
  }
  return index;
}

void finish_listener(MixListener& listener) {
  std::sort(listener.sources.begin(), listener.sources.end(),
            [](const MixSource& a, const MixSource& b) { return a.slot < b.slot; });
  listener.stereo = std::any_of(listener.sources.begin(), listener.sources.end(),
                                [](const MixSource& s) { return s.channel != Channel::mono; });
  listener.unity_single = listener.sources.size() == 1 && listener.sources[0].gain == 1.0f &&
                          listener.sources[0].channel == Channel::mono;
}

}  // namespace

MixPlan compile_mix_plan(std::shared_ptr<const RouteSet> routes, std::span<const LegId> slots) {
  if (!routes) throw Error(errc::invalid_argument, "compile_mix_plan: routes must not be null");
  const SlotIndex index = index_slots(slots);

  MixPlan plan;
  plan.slots.assign(slots.begin(), slots.end());
  plan.needed_as_source.assign(slots.size(), 0);
  plan.hears_tone.assign(slots.size(), 0);

  auto find = [&](const LegId& leg) -> const std::uint16_t* {
    auto it = index.find(leg);
    return it == index.end() ? nullptr : &it->second;
  };

  if (!routes->ended) {
    // Gather per listener slot, then keep the listeners in slot order.
    std::vector<std::vector<MixSource>> heard(slots.size());
    for (const Route& route : routes->routes) {
      const std::uint16_t* from = find(route.from);
      const std::uint16_t* to = find(route.to);
      if (!from || !to) {
        ++plan.unattached_routes;
        continue;
      }
      heard[*to].push_back({*from, route.gain, gain_to_q14(route.gain), route.channel});
      plan.needed_as_source[*from] = 1;
    }
    for (std::size_t slot = 0; slot < heard.size(); ++slot) {
      if (heard[slot].empty()) continue;
      MixListener listener;
      listener.slot = static_cast<std::uint16_t>(slot);
      listener.sources = std::move(heard[slot]);
      finish_listener(listener);
      plan.listeners.push_back(std::move(listener));
    }
    for (const LegId& leg : routes->tone_listeners)
      if (const std::uint16_t* slot = find(leg)) plan.hears_tone[*slot] = 1;
  }

  plan.routes = std::move(routes);
  return plan;
}

}  // namespace callsup
