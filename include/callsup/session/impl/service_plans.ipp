// callsup: SupervisionService, the feature-code plans: presets and added plans, checked on first use, per
// tenant. Included by callsup/session/supervision_service.hpp (the class and its documentation).
#pragma once

namespace callsup {

CALLSUP_DECL void SupervisionService::add_plan(const FeatureCodePlan& plan) {
  std::lock_guard lock(mutex_);
  add_plan_locked(plan);
}

CALLSUP_DECL FeatureCodePlan SupervisionService::plan(const std::string& name) {
  std::lock_guard lock(mutex_);
  return plan_locked(name).parser.plan();
}

CALLSUP_DECL FeatureCodePlan SupervisionService::plan_for_supervisor(const std::string& supervisor) {
  std::lock_guard lock(mutex_);
  return plan_locked(plan_name_of(supervisor)).parser.plan();
}

CALLSUP_DECL void SupervisionService::add_plan_locked(const FeatureCodePlan& plan) {
  check_plan(plan);
  plans_.insert_or_assign(plan.name, PlanEntry{DialParser(plan), true});
}

CALLSUP_DECL void SupervisionService::check_plan(const FeatureCodePlan& plan) const {
  callsup::validate(plan, PlanContext{directory_.extension_lengths(), config_.reserved_codes});
}

CALLSUP_DECL const SupervisionService::PlanEntry& SupervisionService::plan_locked(const std::string& name) {
  auto it = plans_.find(name);
  if (it == plans_.end()) throw Error(errc::invalid_plan, "unknown feature-code plan " + quoted(name));
  if (!it->second.checked) {
    check_plan(it->second.parser.plan());
    it->second.checked = true;
  }
  return it->second;
}

CALLSUP_DECL std::string SupervisionService::plan_name_of(const std::string& supervisor) const {
  if (auto profile = directory_.find_extension(supervisor))
    if (auto tenant = directory_.find_tenant(profile->tenant)) return tenant->feature_code_plan;
  return config_.default_plan;
}

}  // namespace callsup
