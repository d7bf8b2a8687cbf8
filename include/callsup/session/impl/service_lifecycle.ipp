// callsup: SupervisionService, construction (plans, subscriptions) and destruction (sessions end: shutdown).
// Included by callsup/session/supervision_service.hpp (the class and its documentation).
#pragma once

namespace callsup {

CALLSUP_DECL SupervisionService::SupervisionService(CallRegistry& registry, Directory& directory,
                                                    std::shared_ptr<const PermissionPolicy> policy,
                                                    ServiceConfig config)
    : registry_(registry),
      directory_(directory),
      policy_(std::move(policy)),
      config_(std::move(config)),
      clock_(config_.clock ? config_.clock : &default_clock_),
      dispatcher_([this](Delivery& item) { deliver(item); }) {
  if (!policy_) throw Error(errc::invalid_argument, "SupervisionService needs a policy");
  config_.default_options.validate();
  // Presets are checked against the reserved codes when a tenant first uses one, so
  // reserving a preset's code only matters to tenants that dial that preset.
  for (const auto& name : preset_names())
    plans_.insert_or_assign(name, PlanEntry{DialParser(preset(name)), false});
  for (const auto& plan : config_.plans) add_plan_locked(plan);
  if (!plans_.count(config_.default_plan))
    throw Error(errc::invalid_plan, "default plan " + quoted(config_.default_plan) + " is not a known plan");
  // reset() in the destructor waits for a callback under way on another thread.
  registry_subscription_ = registry_.subscribe([this](const RegistryEvent& e) { on_registry(e); });
  directory_subscription_ = directory_.subscribe([this](const DirectoryChange& c) { on_directory(c); });
}

CALLSUP_DECL SupervisionService::~SupervisionService() {
  registry_subscription_.reset();
  directory_subscription_.reset();
  std::unique_lock lock(mutex_);
  for (SessionId id : session_ids([](const Session&) { return true; }))
    end_session(sessions_.at(id), EndReason::shutdown, EventSource::api);
  finish(lock, 0);
}

}  // namespace callsup
