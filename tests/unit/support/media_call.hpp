// Test support: the two-party call (agent "agent", customer "cust") and supervisor routes that
// the mixer and mix-plan tests compile.
#pragma once

#include <vector>

#include "callsup/model/call.hpp"
#include "callsup/routing/supervisor_route.hpp"

namespace callsup::testing::media_call {

inline const LegId agent = "agent";
inline const LegId customer = "cust";

inline Call call_of(std::vector<Leg> legs) {
  Call call;
  call.id = "c1";
  call.tenant = "acme";
  call.bridged = true;
  call.legs = std::move(legs);
  return call;
}

inline Call two_party() {
  return call_of(
      {Leg::on_net(agent, "100", LegState::up), Leg::off_net(customer, "+15550001", LegState::up)});
}

/// `leg` supervises the agent in `mode`.
inline SupervisorRoute sup(const LegId& leg, Mode mode) {
  SupervisorRoute s;
  s.supervisor_leg = leg;
  s.mode = mode;
  s.target_leg = agent;
  return s;
}

}  // namespace callsup::testing::media_call
