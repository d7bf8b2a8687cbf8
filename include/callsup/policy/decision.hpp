// callsup: a policy's answer.
#pragma once

#include <string>

#include "callsup/mode.hpp"
#include "callsup/policy/reason.hpp"

namespace callsup {

/// Allowed or denied, the modes the supervisor may use on this call, the reason
/// (stable enum) and the name of the rule that decided.
struct Decision {
  /// True when the supervision may go ahead.
  bool allowed = false;
  /// The modes the supervisor may use on this call (may be non-empty on a denial).
  ModeSet modes;
  /// Why; Reason::allowed when allowed.
  Reason reason = Reason::allowed;
  /// The name of the rule that decided (rules::*, or an integrator's own).
  std::string rule;

  /// An allowing decision with these modes.
  static Decision allow(ModeSet modes, std::string rule = "allowed") {
    return {true, modes, Reason::allowed, std::move(rule)};
  }
  /// A denying decision.
  static Decision deny(Reason reason, std::string rule, ModeSet modes = ModeSet::none()) {
    return {false, modes, reason, std::move(rule)};
  }
  /// True when allowed.
  explicit operator bool() const noexcept { return allowed; }
};

}  // namespace callsup
