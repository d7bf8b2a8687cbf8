// callsup-demo: the built-in call centre's directory.
#include "default_directory.hpp"

namespace callsup::demo {

std::string default_directory_json() {
  return R"({
  "tenants": [{"name": "acme", "feature_code_plan": "portaswitch"}],
  "extensions": [
    {"extension": "744", "tenant": "acme", "display_name": "Agent Alice", "roles": ["agent"]},
    {"extension": "745", "tenant": "acme", "display_name": "Agent Bob", "roles": ["agent"]},
    {"extension": "746", "tenant": "acme", "display_name": "Dr. Grey", "roles": ["agent"], "privacy": true},
    {"extension": "700", "tenant": "acme", "display_name": "Supervisor Sam", "roles": ["supervisor"],
     "can_supervise": true, "granted_modes": "barge"}
  ],
  "groups": [{"name": "Support", "tenant": "acme", "members": ["744", "745", "746"], "supervisors": ["700"]}]
}
)";
}

}  // namespace callsup::demo
