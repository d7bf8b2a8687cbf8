// callsup-demo: the command line.
#include <doctest/doctest.h>

#include "callsup/error.hpp"
#include "options.hpp"

using namespace callsup;
using namespace callsup::demo;

TEST_CASE("demo: options: defaults, every flag, and errors naming the option") {
  const Options defaults = parse_options({});
  CHECK(defaults.out == "demo-out");
  CHECK(defaults.srtp);
  CHECK(defaults.plan.empty());
  const Options o =
      parse_options({"--out", "x", "--plan", "stratus", "--config", "d.json", "--scenario", "s.json",
                     "--voices", "v", "--no-srtp", "--print-scenario", "--print-config"});
  CHECK(o.out == "x");
  CHECK(o.plan == "stratus");
  CHECK(o.config == "d.json");
  CHECK(o.scenario == "s.json");
  CHECK(o.voices == "v");
  CHECK_FALSE(o.srtp);
  CHECK(o.print_scenario);
  CHECK(o.print_config);
  CHECK(parse_options({"--help"}).help);
  CHECK_THROWS_WITH_AS(parse_options({"--frobnicate"}), doctest::Contains("'--frobnicate'"), Error);
  CHECK_THROWS_WITH_AS(parse_options({"--out"}), doctest::Contains("--out needs a value"), Error);
  CHECK(usage().find("--no-srtp") != std::string::npos);
}
