// callsup: the routing rule — who hears whom in one call. A pure function.
#pragma once

#include <algorithm>
#include <span>
#include <unordered_set>
#include <vector>

#include "callsup/error.hpp"
#include "callsup/model/call.hpp"
#include "callsup/routing/route_set.hpp"
#include "callsup/routing/supervisor_route.hpp"

namespace callsup {

namespace detail {

inline void check_route_inputs(const Call& call, std::span<const SupervisorRoute> supervisors,
                               std::span<const Tap> taps) {
  std::unordered_set<std::string_view> seen;
  for (const Leg& leg : call.legs) seen.insert(leg.id);
  for (const SupervisorRoute& s : supervisors) {
    if (s.supervisor_leg.empty()) throw Error(errc::invalid_argument, "supervisor leg id must not be empty");
    if (!seen.insert(s.supervisor_leg).second)
      throw Error(errc::duplicate_id, "supervisor leg " + quoted(s.supervisor_leg) +
                                          " is already a leg of call " + quoted(call.id) +
                                          " or another supervisor");
  }
  for (const Tap& tap : taps) {
    if (tap.id.empty()) throw Error(errc::invalid_argument, "tap id must not be empty");
    if (!seen.insert(tap.id).second)
      throw Error(errc::duplicate_id, "tap " + quoted(tap.id) + " reuses the id of a leg, supervisor or tap");
  }
}

inline bool direction_includes(const SupervisorRoute& s, const Leg& party) {
  switch (s.direction) {
  case ListenDirection::both: return true;
  case ListenDirection::agent_only: return party.id == s.target_leg;
  case ListenDirection::customer_only: return party.id != s.target_leg;
  }
  return true;
}

inline bool hears_anything(const SupervisorRoute& s) {
  return !(s.mode == Mode::whisper && s.private_whisper);
}

}  // namespace detail

/// Computes the routes of `call` for its parties (legs that are up), the supervisors
/// of its sessions and its taps, exactly as DESIGN.md's table says:
///
/// | listener \ source | party | listening sup. | whispering sup. | barging sup. |
/// | agent (whisper target) | yes | no | yes | yes |
/// | customer side          | yes | no | no  | yes |
/// | supervisor             | yes | no | no  | yes |
/// | tap                    | yes | no | if configured | yes |
///
/// Nobody hears themselves; held and gone legs (and supervisors whose leg is not up)
/// are neither source nor listener. Listen direction applies to listen and whisper
/// (barge is a full conference). Throws Error when a supervisor or tap reuses an id.
inline RouteSet compute_routes(const Call& call, std::span<const SupervisorRoute> supervisors,
                               std::span<const Tap> taps = {}) {
  detail::check_route_inputs(call, supervisors, taps);
  RouteSet set;
  set.call = call.id;
  auto add = [&](const LegId& from, const LegId& to, float gain = 1.0f, Channel channel = Channel::mono) {
    set.routes.push_back({from, to, gain, channel});
  };

  std::vector<const Leg*> parties;
  for (const Leg& leg : call.legs)
    if (leg.carries_audio()) parties.push_back(&leg);
  std::vector<const SupervisorRoute*> active;
  for (const SupervisorRoute& s : supervisors)
    if (s.supervisor_up) active.push_back(&s);

  for (const Leg* listener : parties)
    for (const Leg* source : parties)
      if (listener != source) add(source->id, listener->id);

  for (const SupervisorRoute* s : active) {
    const bool conference = s->mode == Mode::barge;
    if (detail::hears_anything(*s)) {
      for (const Leg* party : parties) {
        if (!conference && !detail::direction_includes(*s, *party)) continue;
        const Channel channel = !s->stereo                   ? Channel::mono
                                : party->id == s->target_leg ? Channel::left
                                                             : Channel::right;
        add(party->id, s->supervisor_leg, s->gain, channel);
      }
      for (const SupervisorRoute* other : active)
        if (other != s && other->mode == Mode::barge)
          add(other->supervisor_leg, s->supervisor_leg, s->gain, s->stereo ? Channel::right : Channel::mono);
    }
    if (conference) {
      for (const Leg* party : parties) add(s->supervisor_leg, party->id);
      for (const Tap& tap : taps) add(s->supervisor_leg, tap.id);
    } else if (s->mode == Mode::whisper) {
      const LegId& whisper_target = s->whisper_target();
      for (const Leg* party : parties)
        if (party->id == whisper_target) add(s->supervisor_leg, party->id);
      for (const Tap& tap : taps)
        if (tap.hears_whisper) add(s->supervisor_leg, tap.id);
    }
  }

  for (const Tap& tap : taps)
    for (const Leg* party : parties) add(party->id, tap.id);

  if (std::any_of(active.begin(), active.end(), [](const SupervisorRoute* s) { return s->monitoring_tone; }))
    for (const Leg* party : parties) set.tone_listeners.push_back(party->id);

  std::sort(set.routes.begin(), set.routes.end(),
            [](const Route& a, const Route& b) { return a.to != b.to ? a.to < b.to : a.from < b.from; });
  return set;
}

/// compute_routes over vectors (the common case). \overload
inline RouteSet compute_routes(const Call& call, const std::vector<SupervisorRoute>& supervisors,
                               const std::vector<Tap>& taps = {}) {
  return compute_routes(call, std::span<const SupervisorRoute>(supervisors), std::span<const Tap>(taps));
}

}  // namespace callsup
