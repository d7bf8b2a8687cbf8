// callsup: a policy's answer.
#pragma once

#include <string>

#include "callsup/mode.hpp"
#include "callsup/policy/reason.hpp"

namespace callsup {

/// Allowed or denied, the modes the supervisor may use on this call, the reason
/// (stable enum) and the name of the rule that decided.
struct Decision {
  bool allowed = false;
  ModeSet modes;
  Reason reason = Reason::allowed;
  std::string rule;

  static Decision allow(ModeSet modes, std::string rule = "allowed") {
    return {true, modes, Reason::allowed, std::move(rule)};
  }
  static Decision deny(Reason reason, std::string rule, ModeSet modes = ModeSet::none()) {
    return {false, modes, reason, std::move(rule)};
  }
  explicit operator bool() const noexcept { return allowed; }
};

}  // namespace callsup
