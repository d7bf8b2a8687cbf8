// callsup internal: subscribers of a notifier (registry, directory).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

namespace callsup::detail {

/// Observers called one after the other. Exceptions are caught and counted, so one
/// failing observer cannot hide a change from the others. Once remove() returns, the
/// observer is not called again: remove() waits for a call under way on another
/// thread, and from inside the observer itself it returns at once.
template <typename Event>
class ObserverList {
 public:
  using Observer = std::function<void(const Event&)>;
  using Id = std::uint64_t;

  Id add(Observer observer) {
    auto entry = std::make_shared<Entry>();
    entry->observer = std::move(observer);
    std::lock_guard lock(mutex_);
    entries_.emplace(++next_id_, std::move(entry));
    return next_id_;
  }

  void remove(Id id) {
    std::shared_ptr<Entry> entry;
    {
      std::lock_guard lock(mutex_);
      auto it = entries_.find(id);
      if (it == entries_.end()) return;
      entry = std::move(it->second);
      entries_.erase(it);
    }
    std::lock_guard calling(entry->calling);  // recursive: the observer may remove itself
    entry->active = false;
  }

  void notify(const Event& event) {
    std::vector<std::shared_ptr<Entry>> targets;
    {
      std::lock_guard lock(mutex_);
      targets.reserve(entries_.size());
      for (const auto& [id, entry] : entries_) targets.push_back(entry);
    }
    for (const auto& entry : targets) {
      std::lock_guard calling(entry->calling);
      if (!entry->active) continue;
      try {
        entry->observer(event);
      } catch (...) {
        std::lock_guard lock(mutex_);
        ++failures_;
      }
    }
  }

  std::uint64_t failures() const {
    std::lock_guard lock(mutex_);
    return failures_;
  }

 private:
  struct Entry {
    Observer observer;
    std::recursive_mutex calling;
    bool active = true;
  };

  mutable std::mutex mutex_;
  std::map<Id, std::shared_ptr<Entry>> entries_;
  Id next_id_ = 0;
  std::uint64_t failures_ = 0;
};

}  // namespace callsup::detail
