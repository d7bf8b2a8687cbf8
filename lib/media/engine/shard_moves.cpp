// callsup (internal): Shard, legs and calls joining, leaving and moving between engine threads.
#include "media/engine/shard.hpp"

#include <pthread.h>
#include <time.h>

#include <algorithm>
#include <future>

namespace callsup::detail {

void Shard::attach(std::shared_ptr<LegMedia> leg, std::unique_ptr<DedicatedSocket> socket) {
  auto owned = std::make_shared<std::unique_ptr<DedicatedSocket>>(std::move(socket));
  asio::post(executor_, [this, leg = std::move(leg), owned] {
    if (!leg->attached.load()) {  // removed while it was on its way here
      if (leg->home.thread == index_) {
        unindex_leg(leg.get());
      } else {
        Shard& home = home_of(*leg);
        asio::post(home.executor_, [&home, leg] { home.unindex_leg(leg.get()); });
      }
      return;  // `owned` closes a dedicated socket
    }
    LegMedia* key = leg.get();
    LegSlot& slot = slots_[key];
    slot.media = leg;
    slot.socket = std::move(*owned);
    leg->use_socket(slot.socket.get(), slot.socket ? slot.socket->fd() : leg->home.shared_fd);
    index_leg(slot);
    order_.push_back(key);
    leg->serve_at_start();  // until the next placement
    leg->join_thread(period_index_ + 1);
    legs_at_[0].push_back(key);
    placement_stale_ = true;
    send_.reserve(order_.size() * 2 + receive_.capacity() + 16);
    relayed_arrivals_.reserve(order_.size() * 2 + receive_.capacity() + 16);
    if (relay_copies_.empty()) relay_copies_.resize(16 * ReceiveBatch::datagram_bytes);
    played_arrivals_.reserve(order_.size() * 4 + 16);
    backlog_.reserve(order_.size() + 16);
    leg_count_.set(order_.size());
    if (slot.socket) {
      try {
        watch_dedicated(slot.socket->fd(), key);
      } catch (...) {
        slot.socket->close();  // out of memory in the kernel: the leg cannot receive; its peer sees no answer
      }
    }
    mark_calls_of(leg->leg);
    if (leg->wanted_shard.load() != index_) move_away(slot);  // moved again while in flight
  });
}

void Shard::detach(std::shared_ptr<LegMedia> leg) {
  asio::post(executor_, [this, leg = std::move(leg)] {
    auto found = slots_.find(leg.get());
    if (found == slots_.end()) return;  // still on its way here: attach() drops it
    by_id_.erase(leg->leg);
    if (leg->home.thread == index_) {
      unindex_leg(leg.get());
    } else if (!found->second.socket) {
      Shard& home = home_of(*leg);
      asio::post(home.executor_, [&home, leg] { home.unindex_leg(leg.get()); });
    }
    if (found->second.socket) {
      unwatch_dedicated(found->second.socket->fd());
      found->second.socket->close();
    }
    forget_leg(leg.get());
    leg->use_socket(nullptr, leg->home.shared_fd);
    mark_calls_of(leg->leg);
    slots_.erase(found);
    leg_count_.set(order_.size());
  });
}

void Shard::hand_over(std::shared_ptr<LegMedia> leg) {
  asio::post(executor_, [this, leg = std::move(leg)] {
    auto found = slots_.find(leg.get());
    if (found == slots_.end()) return;  // on its way here: attach() passes it on
    if (leg->wanted_shard.load() != index_) move_away(found->second);
  });
}

void Shard::move_away(LegSlot& slot) {
  std::shared_ptr<LegMedia> leg = slot.media;
  Shard& to = *(*siblings_)[leg->wanted_shard.load()];
  std::unique_ptr<DedicatedSocket> socket = std::move(slot.socket);
  if (socket) {
    unwatch_dedicated(socket->fd());  // the socket goes with the leg: the new thread watches it
  } else if (leg->home.thread == index_) {
    set_away(leg, &to);
  } else {
    Shard& home = home_of(*leg);
    asio::post(home.executor_, [&home, leg, &to] { home.set_away(leg, &to); });
  }
  by_id_.erase(leg->leg);
  forget_leg(leg.get());
  leg->leave_thread(period_index_ + 1);
  leg->use_socket(nullptr, leg->home.shared_fd);
  mark_calls_of(leg->leg);
  slots_.erase(leg.get());  // `slot` is gone from here on
  leg_count_.set(order_.size());
  moved_legs_.add();
  to.attach(leg, std::move(socket));
}

void Shard::set_away(const std::shared_ptr<LegMedia>& leg, Shard* where) {
  auto found = home_legs_.find(leg.get());
  if (found != home_legs_.end()) mark_away(found->second, where == this ? nullptr : where);
}

void Shard::mark_away(HomeEntry& entry, Shard* where) noexcept {
  if ((entry.away == nullptr) != (where == nullptr)) away_legs_ += where != nullptr ? 1 : -1;
  entry.away = where;
}

void Shard::forget_leg(LegMedia* leg) {
  for (auto& call : calls_) call->forget(leg);
  leg->unlink_all_forwards();
  order_.erase(std::remove(order_.begin(), order_.end(), leg), order_.end());
  auto& at = legs_at_[leg->sub_tick()];
  at.erase(std::remove(at.begin(), at.end(), leg), at.end());
}

void Shard::add_call(std::shared_ptr<RouteMailbox> mailbox) {
  asio::post(executor_, [this, mailbox = std::move(mailbox)] {
    calls_.push_back(std::make_unique<CallMedia>(mailbox));
    calls_at_[0].push_back(calls_.back().get());  // until the next placement
    placement_stale_ = true;
    call_count_.set(calls_.size());
  });
}

void Shard::drop_call(CallMedia* call) noexcept {
  for (std::size_t i = 0; i < calls_.size(); ++i) {
    if (calls_[i].get() != call) continue;
    calls_[i] = std::move(calls_.back());
    calls_.pop_back();
    break;
  }
  call_count_.set(calls_.size());
}

}  // namespace callsup::detail
