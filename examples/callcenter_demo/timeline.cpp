// callsup-demo: the timeline and the words for service events.
#include "timeline.hpp"

#include <cstdio>

#include "callsup/end_reason.hpp"
#include "callsup/policy/reason.hpp"

namespace callsup::demo {

namespace {

class TimelineEventSink final : public EventSink {
 public:
  explicit TimelineEventSink(Timeline& timeline) : timeline_(timeline) {}
  void on_event(const Event& event) override { timeline_.add("event", describe(event)); }

 private:
  Timeline& timeline_;
};

std::string mode_name(const std::optional<Mode>& mode) { return mode ? std::string(to_string(*mode)) : "?"; }

std::string verb(const std::optional<Mode>& mode) {
  if (!mode) return "supervises";
  switch (*mode) {
  case Mode::listen: return "listens to";
  case Mode::whisper: return "whispers to";
  case Mode::barge: return "barges in on";
  }
  return "supervises";
}

}  // namespace

Timeline::Timeline(std::chrono::steady_clock::time_point start, std::ostream* live)
    : start_(start), live_(live) {}

double Timeline::now_s() const {
  std::lock_guard lock(mutex_);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void Timeline::restart(std::chrono::steady_clock::time_point start) {
  std::lock_guard lock(mutex_);
  start_ = start;
}

void Timeline::add(const std::string& kind, const std::string& text) {
  std::lock_guard lock(mutex_);
  const double at = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  entries_.push_back({at, kind, text});
  if (live_ && kind != "event")
    *live_ << format_entry(entries_.back()) << std::endl;  // flushed: this is the progress
}

std::vector<Timeline::Entry> Timeline::entries() const {
  std::lock_guard lock(mutex_);
  return entries_;
}

std::shared_ptr<EventSink> Timeline::event_sink() { return std::make_shared<TimelineEventSink>(*this); }

std::string describe(const Event& e) {
  const std::string session = "session " + std::to_string(e.session);
  const std::string why = std::string(to_string(e.reason)) +
                          (e.rule.empty() || e.rule == to_string(e.reason) ? "" : ", rule " + e.rule);
  const std::string via =
      " (" + std::string(to_string(e.source)) + (e.detail.empty() ? "" : " " + quoted(e.detail)) + ")";
  switch (e.kind) {
  case EventKind::attempt:
    return "attempt: " + e.supervisor + " asks to supervise " + (e.target.empty() ? "any call" : e.target) +
           via;
  case EventKind::denied: return "denied: " + e.supervisor + " may not supervise " + e.target + ": " + why;
  case EventKind::started:
    return session + " started: " + e.supervisor + " " + verb(e.mode) + " " + e.target + " on call " +
           e.call + " [" + why + "]";
  case EventKind::armed:
    return session + " armed: " + e.supervisor + " waits for " + e.target + "'s next call";
  case EventKind::mode_changed:
    return session + ": " + mode_name(e.from_mode) + " -> " + mode_name(e.mode) + via;
  case EventKind::target_changed: return session + ": now on call " + e.call + " (" + e.target + ")";
  case EventKind::ended: return session + " ended: " + std::string(to_string(e.end_reason));
  case EventKind::agent_notified: return "agent " + e.target + " told: " + mode_name(e.mode);
  case EventKind::action_requested: return "PBX asked to " + e.detail + " (" + session + ")";
  case EventKind::security: return "security: " + e.rule + " " + e.supervisor + via;
  }
  return std::string(to_string(e.kind));
}

std::string format_entry(const Timeline::Entry& entry) {
  char at[32];
  std::snprintf(at, sizeof at, "%7.3f s", entry.at_s);
  return std::string("  ") + at + "  " + (entry.kind == "event" ? "  service: " : "") + entry.text;
}

}  // namespace callsup::demo
