// callsup internal: subscribers of a notifier (registry, directory, service sinks, engine digits).
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "callsup/subscription.hpp"

namespace callsup::detail {

/// Observers called one after the other. Exceptions are caught and counted (with the last
/// message), so one failing observer cannot hide a change from the others. add() returns the
/// Subscription that removes the observer: once its reset() returns the observer is not
/// called again (it waits for a call under way on another thread; from inside the observer
/// itself it returns at once). The list's state is shared with the Subscriptions, so either
/// may go first.
template <typename Event>
class ObserverList {
 public:
  using Observer = std::function<void(const Event&)>;

  ObserverList() : core_(std::make_shared<Core>()) {}
  ObserverList(const ObserverList&) = delete;
  ObserverList& operator=(const ObserverList&) = delete;

  Subscription add(Observer observer) {
    auto entry = std::make_shared<Entry>();
    entry->observer = std::move(observer);
    std::uint64_t id = 0;
    {
      std::lock_guard lock(core_->mutex);
      id = ++core_->next_id;
      core_->entries.emplace(id, std::move(entry));
    }
    return Subscription([weak = std::weak_ptr<Core>(core_), id] {
      if (auto core = weak.lock()) core->remove(id);
    });
  }

  void notify(const Event& event) {
    std::vector<std::shared_ptr<Entry>> targets;
    {
      std::lock_guard lock(core_->mutex);
      targets.reserve(core_->entries.size());
      for (const auto& [id, entry] : core_->entries) targets.push_back(entry);
    }
    for (const auto& entry : targets) {
      std::lock_guard calling(entry->calling);
      if (!entry->active) continue;
      try {
        entry->observer(event);
      } catch (const std::exception& ex) {
        core_->failed(ex.what());
      } catch (...) {
        core_->failed("unknown exception");
      }
    }
  }

  std::uint64_t failures() const {
    std::lock_guard lock(core_->mutex);
    return core_->failures;
  }
  std::string last_failure() const {
    std::lock_guard lock(core_->mutex);
    return core_->last_failure;
  }

 private:
  struct Entry {
    Observer observer;
    std::recursive_mutex calling;  // recursive: the observer may unsubscribe itself
    bool active = true;
  };
  struct Core {
    mutable std::mutex mutex;
    std::map<std::uint64_t, std::shared_ptr<Entry>> entries;
    std::uint64_t next_id = 0;
    std::uint64_t failures = 0;
    std::string last_failure;

    void remove(std::uint64_t id) {
      std::shared_ptr<Entry> entry;
      {
        std::lock_guard lock(mutex);
        auto it = entries.find(id);
        if (it == entries.end()) return;
        entry = std::move(it->second);
        entries.erase(it);
      }
      std::lock_guard calling(entry->calling);
      entry->active = false;
    }
    void failed(std::string what) {
      std::lock_guard lock(mutex);
      ++failures;
      last_failure = std::move(what);
    }
  };

  std::shared_ptr<Core> core_;
};

}  // namespace callsup::detail
