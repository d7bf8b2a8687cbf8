// Test support: a registry, directory, service and sinks wired together, with
// shorthands for building tenants, extensions and calls.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "callsup/audit/memory_audit_sink.hpp"
#include "callsup/dialplan/clock.hpp"
#include "callsup/session/supervision_service.hpp"

namespace callsup::testing {

/// Collects events as the service delivers them.
class RecordingEventSink final : public EventSink {
 public:
  void on_event(const Event& event) override {
    std::lock_guard lock(mutex_);
    events_.push_back(event);
  }
  std::vector<Event> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }
  std::vector<Event> of_kind(EventKind kind) const {
    std::vector<Event> out;
    for (const Event& e : events())
      if (e.kind == kind) out.push_back(e);
    return out;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<Event> events_;
};

inline ExtensionProfile agent(const std::string& ext, const std::string& tenant = "acme",
                              const std::string& site = {}) {
  ExtensionProfile p;
  p.extension = ext;
  p.tenant = tenant;
  p.site = site;
  p.roles = {Role::agent};
  return p;
}

inline ExtensionProfile supervisor(const std::string& ext, ModeSet modes = ModeSet::all(),
                                   const std::string& tenant = "acme") {
  ExtensionProfile p = agent(ext, tenant);
  p.roles = {Role::supervisor};
  p.can_supervise = true;
  p.granted_modes = modes;
  return p;
}

/// One tenant "acme" by default; add what a test needs.
inline TenantSettings tenant_settings(std::string plan = "portaswitch") {
  TenantSettings t;
  t.name = "acme";
  t.feature_code_plan = std::move(plan);
  return t;
}

struct World {
  explicit World(TenantSettings tenant = tenant_settings(), ServiceConfig config = {}) {
    directory.set_tenant(std::move(tenant));
    if (!config.clock) config.clock = &clock;
    service = std::make_unique<SupervisionService>(registry, directory, std::make_shared<StandardPolicy>(),
                                                   std::move(config));
    audit_subscription = service->add_audit_sink(audit);
    events_subscription = service->add_event_sink(events);
  }

  /// A call `id` between an external number and agent `ext`, both up and bridged.
  void external_call(const std::string& id, const std::string& ext, const std::string& customer_leg,
                     const std::string& agent_leg, const std::string& tenant = "acme") {
    registry.add_call(id, tenant);
    registry.add_leg(id, Leg::off_net(customer_leg, "+15551230000", LegState::up));
    registry.add_leg(id, Leg::on_net(agent_leg, ext, LegState::up));
    registry.bridge(id);
  }
  /// An internal call between two extensions, both up and bridged.
  void internal_call(const std::string& id, const std::string& a, const std::string& a_leg,
                     const std::string& b, const std::string& b_leg, const std::string& tenant = "acme") {
    registry.add_call(id, tenant);
    registry.add_leg(id, Leg::on_net(a_leg, a, LegState::up));
    registry.add_leg(id, Leg::on_net(b_leg, b, LegState::up));
    registry.bridge(id);
  }

  SessionInfo info(SessionId id) const {
    auto found = service->session(id);
    if (!found) throw Error(errc::unknown_session, "test: no session " + std::to_string(id));
    return *found;
  }
  std::shared_ptr<const RouteSet> routes(const CallId& call) const { return service->routes(call); }
  /// The events of one session of one kind, in order.
  std::vector<Event> events_of(EventKind kind, SessionId id) const {
    std::vector<Event> out;
    for (const Event& e : events->of_kind(kind))
      if (e.session == id) out.push_back(e);
    return out;
  }

  ManualClock clock;
  CallRegistry registry;
  Directory directory;
  Subscription audit_subscription;  // before the service: its shutdown events still arrive
  Subscription events_subscription;
  std::unique_ptr<SupervisionService> service;
  std::shared_ptr<MemoryAuditSink> audit = std::make_shared<MemoryAuditSink>();
  std::shared_ptr<RecordingEventSink> events = std::make_shared<RecordingEventSink>();
};

}  // namespace callsup::testing
