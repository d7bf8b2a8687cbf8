// callsup-demo: the timeline: what the scenario did and what the service reported, in order.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <vector>

#include "callsup/audit/event.hpp"
#include "callsup/session/event_sink.hpp"

namespace callsup::demo {

/// Thread-safe: the service reports events from the caller's thread and from the media
/// engine's control thread (digits), the scenario from the main thread.
class Timeline {
 public:
  struct Entry {
    double at_s = 0;   ///< seconds since start
    std::string kind;  ///< "step", "event", "note"
    std::string text;
  };

  /// `live`: where steps and notes are also printed as they happen (progress; service events
  /// wait for the final listing); null for none.
  explicit Timeline(std::chrono::steady_clock::time_point start, std::ostream* live = nullptr);

  void add(const std::string& kind, const std::string& text);
  /// Moves time zero (to when the phones start); entries already added keep their times.
  void restart(std::chrono::steady_clock::time_point start);
  std::vector<Entry> entries() const;
  double now_s() const;

  /// An EventSink that adds every service event to this timeline (keep the Timeline alive).
  std::shared_ptr<EventSink> event_sink();

 private:
  std::chrono::steady_clock::time_point start_;  // guarded by mutex_
  std::ostream* live_;
  mutable std::mutex mutex_;
  std::vector<Entry> entries_;
};

/// One service event in words: "session 1 started: 700 listens to 744 on call c1 (dial)".
std::string describe(const Event& event);

/// "  12.345 s  [kind]  text", the form used live and in the final listing.
std::string format_entry(const Timeline::Entry& entry);

}  // namespace callsup::demo
