// callsup: SupervisionService, events: stamping, the sinks, and ordered delivery after the lock is released.
// Included by callsup/session/supervision_service.hpp (the class and its documentation).
#pragma once

namespace callsup {

CALLSUP_DECL void SupervisionService::record_security(const SecurityIncident& incident) {
  if (incident.what.empty()) throw Error(errc::invalid_argument, "a security incident needs a `what`");
  std::unique_lock lock(mutex_);
  Event e;
  e.kind = EventKind::security;
  e.supervisor = incident.extension;
  if (auto profile = directory_.find_extension(incident.extension)) e.tenant = profile->tenant;
  e.allowed = false;
  e.reason = Reason::custom;
  e.rule = incident.what;
  e.detail = incident.detail;
  emit(std::move(e));
  finish(lock, 0);
}

CALLSUP_DECL Subscription SupervisionService::add_event_sink(std::shared_ptr<EventSink> sink) {
  if (!sink) throw Error(errc::invalid_argument, "event sink must not be null");
  return event_sinks_.add(
      [this, sink = std::move(sink)](const Event& e) { guard_sink([&] { sink->on_event(e); }); });
}

CALLSUP_DECL Subscription SupervisionService::add_audit_sink(std::shared_ptr<AuditSink> sink) {
  if (!sink) throw Error(errc::invalid_argument, "audit sink must not be null");
  return audit_sinks_.add(
      [this, sink = std::move(sink)](const Event& e) { guard_sink([&] { sink->write(e); }); });
}

CALLSUP_DECL Subscription SupervisionService::add_route_observer(RouteObserver observer) {
  if (!observer) throw Error(errc::invalid_argument, "route observer must be callable");
  return route_observers_.add(
      [this, observer = std::move(observer)](const OnRoutesParam& p) { guard_sink([&] { observer(p); }); });
}

CALLSUP_DECL std::uint64_t SupervisionService::sink_failures() const {
  std::lock_guard lock(sinks_mutex_);
  return sink_failures_;
}

CALLSUP_DECL std::string SupervisionService::last_sink_failure() const {
  std::lock_guard lock(sinks_mutex_);
  return last_sink_failure_;
}

CALLSUP_DECL Event SupervisionService::event_of(const SessionInfo& info, EventKind kind, EventSource source,
                                                std::string detail) const {
  Event e;
  e.kind = kind;
  e.session = info.id;
  e.tenant = info.tenant;
  e.call = info.call;
  e.supervisor = info.supervisor;
  e.supervisor_leg = info.supervisor_leg;
  e.target = info.target;
  e.target_leg = info.target_leg;
  e.mode = info.mode;
  e.source = source;
  e.channel = info.channel;
  e.detail = std::move(detail);
  return e;
}

CALLSUP_DECL void SupervisionService::emit(Event e) {
  e.sequence = ++sequence_;
  e.time = config_.wall_clock ? config_.wall_clock() : std::chrono::system_clock::now();
  dispatcher_.enqueue(std::move(e));
}

template <typename T>
inline T SupervisionService::finish(std::unique_lock<std::mutex>& lock, T result,
                                    bool wait_for_other_drainer) {
  publish_routes();
  const auto ticket = dispatcher_.last_ticket();
  lock.unlock();
  dispatcher_.deliver_until(ticket, wait_for_other_drainer);
  return result;
}

// Sink exceptions are counted with the last message: a sink must not break the control plane.
template <typename Fn>
void SupervisionService::guard_sink(Fn&& fn) noexcept {
  try {
    fn();
  } catch (const std::exception& ex) {
    std::lock_guard lock(sinks_mutex_);
    ++sink_failures_;
    last_sink_failure_ = ex.what();
  } catch (...) {
    std::lock_guard lock(sinks_mutex_);
    ++sink_failures_;
    last_sink_failure_ = "unknown exception";
  }
}

CALLSUP_DECL void SupervisionService::deliver(Delivery& item) {
  if (auto* event = std::get_if<Event>(&item)) {
    audit_sinks_.notify(*event);
    event_sinks_.notify(*event);
  } else {
    route_observers_.notify(OnRoutesParam{std::get<std::shared_ptr<const RouteSet>>(item)});
  }
}

}  // namespace callsup
