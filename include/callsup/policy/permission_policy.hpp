// callsup: the pluggable permission policy.
#pragma once

#include <memory>
#include <vector>

#include "callsup/error.hpp"
#include "callsup/model/call.hpp"
#include "callsup/model/directory.hpp"
#include "callsup/policy/decision.hpp"
#include "callsup/policy/request.hpp"

namespace callsup {

/// Decides who may supervise whom. decide() may be called from any thread, and
/// concurrently; it must not call back into the SupervisionService.
class PermissionPolicy {
 public:
  virtual ~PermissionPolicy() = default;
  /// Allows or denies `request` on `call`, looking the parties up in `directory`.
  virtual Decision decide(const SupervisionRequest& request, const Call& call,
                          const Directory& directory) const = 0;
};

/// Every policy must allow; the first denial wins and the allowed modes are the
/// intersection. Composes StandardPolicy with an integrator's own rules.
class AllOfPolicy final : public PermissionPolicy {
 public:
  /// Combines `policies` (at least one, none null; else Error(invalid_argument)).
  explicit AllOfPolicy(std::vector<std::shared_ptr<const PermissionPolicy>> policies)
      : policies_(std::move(policies)) {
    if (policies_.empty()) throw Error(errc::invalid_argument, "AllOfPolicy needs at least one policy");
    for (std::size_t i = 0; i < policies_.size(); ++i)
      if (!policies_[i])
        throw Error(errc::invalid_argument, "AllOfPolicy: policy #" + std::to_string(i) + " is null");
  }

  /// Asks each policy in order; the first denial wins, else the intersection of the modes.
  Decision decide(const SupervisionRequest& request, const Call& call,
                  const Directory& directory) const override {
    Decision combined = Decision::allow(ModeSet::all());
    for (const auto& policy : policies_) {
      Decision decision = policy->decide(request, call, directory);
      if (!decision.allowed) return decision;
      combined.modes = combined.modes & decision.modes;
      combined.rule = std::move(decision.rule);
    }
    if (!combined.modes.contains(request.mode))
      return Decision::deny(Reason::mode_not_granted, "all_of", combined.modes);
    return combined;
  }

 private:
  std::vector<std::shared_ptr<const PermissionPolicy>> policies_;
};

}  // namespace callsup
