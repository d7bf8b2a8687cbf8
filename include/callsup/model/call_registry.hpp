// callsup: the live calls, fed by the PBX's signalling.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "callsup/detail/observer_list.hpp"
#include "callsup/detail/ordered_dispatcher.hpp"
#include "callsup/error.hpp"
#include "callsup/model/registry_event.hpp"

namespace callsup {

/// Thread-safe store of live calls, indexed by call, leg and extension.
///
/// Calls are immutable snapshots (`shared_ptr<const Call>`) replaced on every change,
/// so readers never see a half-made change and can keep a snapshot as long as they like.
/// Observers are called after the data lock is released, one change at a time, in the
/// order the changes were made, and a mutator returns once its changes were delivered.
/// An observer may read the registry and may change it: a change made from inside a
/// callback reaches every observer after the change being delivered. An observer must
/// not block on another thread that changes the registry. Observer exceptions are
/// caught and counted (observer_failures()); once its Subscription is reset, the
/// observer is not called again.
class CallRegistry {
 public:
  /// Called with each change, after it was made (see the class comment).
  using Observer = std::function<void(const RegistryEvent&)>;

  CallRegistry() : dispatcher_([this](RegistryEvent& event) { observers_.notify(event); }) {}
  CallRegistry(const CallRegistry&) = delete;
  CallRegistry& operator=(const CallRegistry&) = delete;

  // --- fed by the PBX -------------------------------------------------------------

  /// A new call of `tenant` (through queue or hunt group `group`, if any), without legs. Throws
  /// Error(duplicate_id) if the id exists, Error(invalid_argument) for an empty id or tenant.
  void add_call(const CallId& id, const std::string& tenant, const std::string& group = {}) {
    if (id.empty()) throw Error(errc::invalid_argument, "call id must not be empty");
    if (tenant.empty()) throw Error(errc::invalid_argument, "call " + quoted(id) + " needs a tenant");
    mutate([&](Changes& out) {
      if (calls_.count(id)) throw Error(errc::duplicate_id, "call " + quoted(id) + " already exists");
      auto call = std::make_shared<Call>();
      call->id = id;
      call->tenant = tenant;
      call->group = group;
      call->sequence = ++next_sequence_;
      calls_.emplace(id, call);
      out.push_back({RegistryEventKind::call_added, call, {}, {}, {}, {}});
    });
  }

  /// Adds a party to the call. Throws Error(unknown_call), Error(duplicate_id) if the leg id exists,
  /// Error(invalid_argument) for an invalid leg.
  void add_leg(const CallId& call_id, Leg leg) {
    validate_leg(leg);
    mutate([&](Changes& out) {
      auto copy = copy_of(call_id);
      if (leg_to_call_.count(leg.id))
        throw Error(errc::duplicate_id, "leg " + quoted(leg.id) + " already exists");
      copy->legs.push_back(leg);
      index_leg(call_id, leg);
      out.push_back({RegistryEventKind::leg_added, publish(copy), leg.id, {}, {}, {}});
    });
  }

  /// The leg was answered: its state becomes `up`.
  void answer(const LegId& leg_id) { set_state(leg_id, LegState::up); }
  /// The leg was put on hold: its state becomes `held`.
  void hold(const LegId& leg_id) { set_state(leg_id, LegState::held); }
  /// The leg was taken off hold: its state becomes `up`.
  void unhold(const LegId& leg_id) { set_state(leg_id, LegState::up); }

  /// Sets the leg's state (nothing is reported if it has it already). Throws Error(unknown_leg).
  void set_state(const LegId& leg_id, LegState state) {
    mutate([&](Changes& out) {
      auto copy = copy_of(call_of_leg_locked(leg_id));
      Leg& leg = leg_in(*copy, leg_id);
      if (leg.state == state) return;
      LegState old = leg.state;
      leg.state = state;
      out.push_back({RegistryEventKind::leg_state_changed, publish(copy), leg_id, {}, {}, old});
    });
  }

  /// Media of the call is bridged (or unbridged) between its parties.
  void bridge(const CallId& call_id, bool bridged = true) {
    mutate([&](Changes& out) {
      auto copy = copy_of(call_id);
      if (copy->bridged == bridged) return;
      copy->bridged = bridged;
      out.push_back({RegistryEventKind::bridge_changed, publish(copy), {}, {}, {}, {}});
    });
  }

  /// Transfer: `to` takes the place of leg `from` in the same call (the customer stays,
  /// the agent changes). The leg that left is reported in the event.
  void transfer(const CallId& call_id, const LegId& from, Leg to) {
    validate_leg(to);
    mutate([&](Changes& out) {
      auto copy = copy_of(call_id);
      Leg& slot = leg_in(*copy, from);
      if (leg_to_call_.count(to.id))
        throw Error(errc::duplicate_id, "leg " + quoted(to.id) + " already exists");
      Leg old = slot;
      slot = to;
      unindex_leg(call_id, old);
      index_leg(call_id, to);
      out.push_back({RegistryEventKind::leg_transferred, publish(copy), from, to.id, old, {}});
    });
  }

  /// The leg hung up and leaves its call.
  void remove_leg(const LegId& leg_id) {
    mutate([&](Changes& out) {
      const CallId call_id = call_of_leg_locked(leg_id);
      auto copy = copy_of(call_id);
      auto it =
          std::find_if(copy->legs.begin(), copy->legs.end(), [&](const Leg& l) { return l.id == leg_id; });
      Leg old = *it;
      copy->legs.erase(it);
      unindex_leg(call_id, old);
      out.push_back({RegistryEventKind::leg_removed, publish(copy), leg_id, {}, old, {}});
    });
  }

  /// The call ended: it leaves the registry with all its legs. Throws Error(unknown_call).
  void end_call(const CallId& call_id) {
    mutate([&](Changes& out) {
      auto found = calls_.find(call_id);
      if (found == calls_.end()) throw Error(errc::unknown_call, "no call " + quoted(call_id));
      auto last = found->second;
      for (const Leg& leg : last->legs) unindex_leg(call_id, leg);
      calls_.erase(found);
      out.push_back({RegistryEventKind::call_ended, last, {}, {}, {}, {}});
    });
  }

  // --- queries --------------------------------------------------------------------

  /// The call, or nullptr.
  std::shared_ptr<const Call> find_call(const CallId& id) const {
    std::shared_lock lock(data_mutex_);
    auto it = calls_.find(id);
    return it == calls_.end() ? nullptr : it->second;
  }
  /// The call, or Error(unknown_call).
  std::shared_ptr<const Call> call(const CallId& id) const {
    if (auto found = find_call(id)) return found;
    throw Error(errc::unknown_call, "no call " + quoted(id));
  }
  /// The call the leg belongs to, or nullptr.
  std::shared_ptr<const Call> find_call_of_leg(const LegId& leg_id) const {
    std::shared_lock lock(data_mutex_);
    auto it = leg_to_call_.find(leg_id);
    return it == leg_to_call_.end() ? nullptr : calls_.at(it->second);
  }
  /// Calls in which this extension has a leg, oldest first.
  std::vector<std::shared_ptr<const Call>> calls_of_extension(const std::string& extension) const {
    std::shared_lock lock(data_mutex_);
    std::vector<std::shared_ptr<const Call>> out;
    if (auto it = by_extension_.find(extension); it != by_extension_.end())
      for (const auto& [call_id, count] : it->second) out.push_back(calls_.at(call_id));
    sort_by_age(out);
    return out;
  }
  /// Every live call, oldest first.
  std::vector<std::shared_ptr<const Call>> all_calls() const {
    std::shared_lock lock(data_mutex_);
    std::vector<std::shared_ptr<const Call>> out;
    out.reserve(calls_.size());
    for (const auto& [id, call] : calls_) out.push_back(call);
    sort_by_age(out);
    return out;
  }
  /// The number of live calls.
  std::size_t size() const {
    std::shared_lock lock(data_mutex_);
    return calls_.size();
  }

  // --- observers ------------------------------------------------------------------

  /// Adds an observer; the returned Subscription removes it (callsup/subscription.hpp).
  Subscription subscribe(Observer observer) { return observers_.add(std::move(observer)); }
  /// Exceptions thrown by observers (caught so that the others still get the event).
  std::uint64_t observer_failures() const { return observers_.failures(); }

 private:
  using Changes = std::vector<RegistryEvent>;

  static void validate_leg(const Leg& leg) {
    if (leg.id.empty()) throw Error(errc::invalid_argument, "leg id must not be empty");
    if (leg.network == Network::on_net && leg.extension.empty())
      throw Error(errc::invalid_argument, "on-net leg " + quoted(leg.id) + " needs an extension");
  }
  static void sort_by_age(std::vector<std::shared_ptr<const Call>>& calls) {
    std::sort(calls.begin(), calls.end(),
              [](const auto& a, const auto& b) { return a->sequence < b->sequence; });
  }

  // Events are queued under the data lock, so queue order is change order, and
  // delivered after it is released, so observers may read (or change) the registry.
  template <typename Fn>
  void mutate(Fn&& change) {
    detail::OrderedDispatcher<RegistryEvent>::Ticket ticket = 0;
    {
      std::unique_lock lock(data_mutex_);
      Changes events;
      change(events);
      for (auto& event : events) ticket = dispatcher_.enqueue(std::move(event));
    }
    if (ticket) dispatcher_.deliver_until(ticket);
  }

  std::shared_ptr<Call> copy_of(const CallId& call_id) const {
    auto it = calls_.find(call_id);
    if (it == calls_.end()) throw Error(errc::unknown_call, "no call " + quoted(call_id));
    return std::make_shared<Call>(*it->second);
  }
  std::shared_ptr<const Call> publish(const std::shared_ptr<Call>& copy) {
    calls_[copy->id] = copy;
    return copy;
  }
  const CallId& call_of_leg_locked(const LegId& leg_id) const {
    auto it = leg_to_call_.find(leg_id);
    if (it == leg_to_call_.end()) throw Error(errc::unknown_leg, "no leg " + quoted(leg_id));
    return it->second;
  }
  static Leg& leg_in(Call& call, const LegId& leg_id) {
    for (Leg& leg : call.legs)
      if (leg.id == leg_id) return leg;
    throw Error(errc::unknown_leg, "no leg " + quoted(leg_id) + " in call " + quoted(call.id));
  }
  void index_leg(const CallId& call_id, const Leg& leg) {
    leg_to_call_[leg.id] = call_id;
    if (leg.network == Network::on_net) ++by_extension_[leg.extension][call_id];
  }
  void unindex_leg(const CallId& call_id, const Leg& leg) {
    leg_to_call_.erase(leg.id);
    if (leg.network != Network::on_net) return;
    auto ext = by_extension_.find(leg.extension);
    if (ext == by_extension_.end()) return;
    if (--ext->second[call_id] == 0) ext->second.erase(call_id);
    if (ext->second.empty()) by_extension_.erase(ext);
  }

  mutable std::shared_mutex data_mutex_;
  std::unordered_map<CallId, std::shared_ptr<const Call>> calls_;
  std::unordered_map<LegId, CallId> leg_to_call_;
  std::unordered_map<std::string, std::map<CallId, int>> by_extension_;  // ext -> call -> legs
  std::uint64_t next_sequence_ = 0;
  detail::ObserverList<RegistryEvent> observers_;
  detail::OrderedDispatcher<RegistryEvent> dispatcher_;  // last: built after what it reads
};

}  // namespace callsup
