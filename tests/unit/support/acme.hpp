// Test support: tenant "acme" with agents 744 and 745 in group Support (supervised by
// 700, all modes) and 746 in no group.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "support/world.hpp"

namespace callsup::testing {

struct Acme : World {
  explicit Acme(TenantSettings tenant = tenant_settings(), ServiceConfig config = {})
      : World(std::move(tenant), std::move(config)) {
    directory.add_extension(agent("744"));
    directory.add_extension(agent("745"));
    directory.add_extension(agent("746"));
    directory.add_extension(supervisor("700"));
    directory.add_group({"Support", "acme", {"744", "745"}, {"700"}});
  }

  /// `sup` dials the portaswitch listen code for `target`.
  StartOutcome listen(const std::string& leg = "sup700", std::optional<SessionOptions> options = std::nullopt,
                      const std::string& sup = "700", const std::string& target = "744") {
    return service->dial(leg, sup, "*90" + target, std::move(options));
  }

  /// The supervisor's phone call, as the PBX reports it: its leg alone in call "sc".
  void supervisor_call(const std::string& call = "sc", const std::string& leg = "sup700",
                       const std::string& ext = "700") {
    registry.add_call(call, "acme");
    registry.add_leg(call, Leg::on_net(leg, ext, LegState::up));
  }
};

}  // namespace callsup::testing
