// callsup-demo: DESIGN.md's who-hears-whom table as the demo applies it, and where parties
// stand as read from a real registry and service.
#include <doctest/doctest.h>

#include "expected.hpp"
#include "support/acme.hpp"

using namespace callsup;
using namespace callsup::demo;

namespace {

Positions supervised(Mode mode, const std::string& whisper_leg = "agent") {
  return {{"customer", {"c1", "", Mode::listen, ""}},
          {"agent", {"c1", "", Mode::listen, ""}},
          {"supervisor", {"sc", "c1", mode, whisper_leg}}};
}

}  // namespace

TEST_CASE("demo: expected hearing follows DESIGN.md's table in every mode") {
  Matrix m = expected_hearing(supervised(Mode::listen));
  CHECK(m["customer"]["agent"]);
  CHECK(m["agent"]["customer"]);
  CHECK(m["supervisor"]["customer"]);
  CHECK(m["supervisor"]["agent"]);
  CHECK_FALSE(m["customer"]["supervisor"]);
  CHECK_FALSE(m["agent"]["supervisor"]);

  m = expected_hearing(supervised(Mode::whisper));
  CHECK(m["agent"]["supervisor"]);
  CHECK_FALSE(m["customer"]["supervisor"]);
  CHECK(m["supervisor"]["customer"]);

  m = expected_hearing(supervised(Mode::whisper, "customer"));  // whisper aimed at the other party
  CHECK(m["customer"]["supervisor"]);
  CHECK_FALSE(m["agent"]["supervisor"]);

  m = expected_hearing(supervised(Mode::barge));
  for (const auto& [listener, sources] : m)
    for (const auto& [source, yes] : sources) CHECK_MESSAGE(yes, listener << " should hear " << source);
}

TEST_CASE("demo: expected hearing: two supervisors, separate calls, nobody in a call") {
  Positions p = supervised(Mode::listen);
  p["second"] = {"sc2", "c1", Mode::barge, ""};
  p["other"] = {"c2", "", Mode::listen, ""};
  p["idle"] = {"", "", Mode::listen, ""};
  const Matrix m = expected_hearing(p);
  CHECK(m.at("supervisor").at("second"));        // a barger is heard by the other supervisor
  CHECK_FALSE(m.at("second").at("supervisor"));  // a listener by nobody
  CHECK(m.at("customer").at("second"));
  CHECK(m.at("second").at("agent"));
  for (const char* name : {"customer", "agent", "supervisor", "second", "idle"}) {
    CHECK_FALSE(m.at("other").at(name));  // routes never cross calls
    CHECK_FALSE(m.at(name).at("other"));
  }
  for (const auto& [source, yes] : m.at("idle")) CHECK_FALSE(yes);
  CHECK(m.at("idle").size() == 5);  // nobody hears themselves: no diagonal
}

TEST_CASE("demo: positions are read from the registry and the service's sessions") {
  testing::Acme world;
  world.external_call("c1", "744", "customer", "agent");
  world.supervisor_call("sc", "supervisor", "700");
  const std::vector<std::string> names{"customer", "agent", "supervisor", "absent"};
  Positions p = positions_now(world.registry, *world.service, names);
  CHECK(p["customer"].call == "c1");
  CHECK(p["supervisor"].call == "sc");
  CHECK(p["supervisor"].supervised_call.empty());
  CHECK(p["absent"].call.empty());

  const StartOutcome started = world.service->dial("supervisor", "700", "*91744");
  REQUIRE(started.status == StartOutcome::Status::started);
  p = positions_now(world.registry, *world.service, names);
  CHECK(p["supervisor"].supervised_call == "c1");
  CHECK(p["supervisor"].mode == Mode::whisper);
  CHECK(p["supervisor"].whisper_leg == "agent");
  CHECK(describe("supervisor", p["supervisor"]) ==
        "supervisor: in call sc, supervises c1 (whisper to agent)");

  world.registry.hold("customer");  // a held leg is neither source nor listener
  p = positions_now(world.registry, *world.service, names);
  CHECK(p["customer"].call.empty());
}
