// Error messages quote bad values; <iomanip> must not hijack callsup::quoted through
// argument-dependent lookup (std::quoted is a better template match for std::string).
#include <doctest/doctest.h>

#include <iomanip>
#include <string>

#include "callsup/model/call_registry.hpp"

TEST_CASE("quoted() stays callsup's with <iomanip> included, for every string kind") {
  std::string mutable_value = "c1";
  const std::string const_value = "c2";
  CHECK(callsup::quoted(mutable_value) == "'c1'");
  CHECK(callsup::quoted(const_value) == "'c2'");
  CHECK(callsup::quoted("c3") == "'c3'");
  CHECK(callsup::quoted(std::string_view("c4")) == "'c4'");

  callsup::CallRegistry registry;
  try {
    registry.end_call(mutable_value);
    FAIL("ending an unknown call did not throw");
  } catch (const callsup::Error& e) {
    CHECK(e.code() == callsup::errc::unknown_call);
    CHECK(std::string(e.what()) == "no call 'c1'");
    CHECK(e.error_code() == callsup::make_error_code(callsup::errc::unknown_call));
  }
}
