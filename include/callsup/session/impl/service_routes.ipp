// callsup: SupervisionService, taps and routes: dirty calls, RouteSets without id clashes, ended sets kept.
// Included by callsup/session/supervision_service.hpp (the class and its documentation).
#pragma once

namespace callsup {

CALLSUP_DECL void SupervisionService::add_tap(const CallId& call, Tap tap) {
  std::unique_lock lock(mutex_);
  const auto found = registry_.find_call(call);
  if (!found) throw Error(errc::unknown_call, "no call " + quoted(call));
  if (tap.id.empty()) throw Error(errc::invalid_argument, "tap id must not be empty");
  if (id_in_use(*found, tap.id))
    throw Error(errc::duplicate_id, "tap " + quoted(tap.id) +
                                        " reuses the id of a leg, supervisor or tap of call " + quoted(call));
  taps_[call].push_back(std::move(tap));
  mark_dirty(call);
  finish(lock, 0);
}

CALLSUP_DECL void SupervisionService::remove_tap(const CallId& call, const LegId& tap_id) {
  std::unique_lock lock(mutex_);
  auto taps = taps_.find(call);
  auto it = taps == taps_.end() ? std::vector<Tap>::iterator()
                                : std::find_if(taps->second.begin(), taps->second.end(),
                                               [&](const Tap& t) { return t.id == tap_id; });
  if (taps == taps_.end() || it == taps->second.end())
    throw Error(errc::unknown_leg, "no tap " + quoted(tap_id) + " on call " + quoted(call));
  taps->second.erase(it);
  mark_dirty(call);
  finish(lock, 0);
}

CALLSUP_DECL std::uint64_t SupervisionService::route_conflicts() const {
  std::lock_guard lock(mutex_);
  return route_conflicts_;
}

CALLSUP_DECL void SupervisionService::mark_dirty(const CallId& call) {
  if (!call.empty() && std::find(dirty_.begin(), dirty_.end(), call) == dirty_.end()) dirty_.push_back(call);
}

CALLSUP_DECL void SupervisionService::publish_routes() {
  for (const CallId& id : dirty_) {
    auto call = registry_.find_call(id);
    auto previous = routes_.find(id);
    if (!call) {
      if (previous == routes_.end()) continue;
      auto ended = std::make_shared<RouteSet>();
      ended->call = id;
      ended->version = previous->second->version + 1;
      ended->ended = true;
      routes_.erase(previous);
      std::shared_ptr<const RouteSet> final_set = std::move(ended);
      keep_ended_routes(id, final_set);
      dispatcher_.enqueue(std::move(final_set));
      continue;
    }
    auto fresh = std::make_shared<RouteSet>(routes_without_conflicts(*call));
    if (previous != routes_.end() && previous->second->same_routing(*fresh)) continue;
    fresh->version = previous == routes_.end() ? 1 : previous->second->version + 1;
    routes_[id] = fresh;
    ended_routes_.erase(id);  // a call id the PBX used again
    dispatcher_.enqueue(std::shared_ptr<const RouteSet>(std::move(fresh)));
  }
  dirty_.clear();
}

CALLSUP_DECL void SupervisionService::keep_ended_routes(const CallId& id,
                                                        std::shared_ptr<const RouteSet> final_set) {
  if (config_.ended_calls_kept == 0) return;
  if (ended_routes_.insert_or_assign(id, std::move(final_set)).second) ended_routes_order_.push_back(id);
  while (ended_routes_order_.size() > config_.ended_calls_kept) {
    ended_routes_.erase(ended_routes_order_.front());
    ended_routes_order_.pop_front();
  }
}

CALLSUP_DECL RouteSet SupervisionService::routes_without_conflicts(const Call& call) {
  std::set<LegId> used;
  for (const Leg& leg : call.legs) used.insert(leg.id);
  std::vector<SupervisorRoute> supervisors;
  for (const auto& [sid, s] : sessions_) {
    if (s.info.state != SessionState::active || s.info.call != call.id) continue;
    if (used.insert(s.info.supervisor_leg).second) {
      supervisors.push_back(route_of(s.info));
    } else {
      ++route_conflicts_;
    }
  }
  std::vector<Tap> taps;
  if (auto found = taps_.find(call.id); found != taps_.end())
    for (const Tap& tap : found->second) {
      if (used.insert(tap.id).second) {
        taps.push_back(tap);
      } else {
        ++route_conflicts_;
      }
    }
  return compute_routes(call, supervisors, taps);
}

CALLSUP_DECL SupervisorRoute SupervisionService::route_of(const SessionInfo& info) const {
  SupervisorRoute r;
  r.supervisor_leg = info.supervisor_leg;
  if (auto own = registry_.find_call_of_leg(info.supervisor_leg))
    r.supervisor_up = leg_state(*own, info.supervisor_leg) == LegState::up;
  r.mode = info.mode;
  r.target_leg = info.target_leg;
  r.whisper_leg = info.whisper_leg;
  r.direction = info.options.listen_direction;
  r.stereo = info.options.stereo;
  r.private_whisper = info.options.private_whisper;
  r.gain = volume_gain(info.options.volume_step);
  r.monitoring_tone = info.options.monitoring_tone;
  return r;
}

}  // namespace callsup
