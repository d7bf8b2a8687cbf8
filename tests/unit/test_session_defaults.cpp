// Session defaults in layers: ServiceConfig < plan < tenant < extension; a request's own
// options replace them all.
#include <doctest/doctest.h>

#include "support/acme.hpp"

using namespace callsup;
using namespace callsup::testing;

TEST_CASE("session defaults: each layer overrides the one below, field by field") {
  ServiceConfig config;
  config.default_options.monitoring_tone = true;  // a jurisdiction's tone, service-wide
  config.default_options.volume_step = 1;
  FeatureCodePlan plan = portaswitch_plan();
  plan.name = "house";
  plan.session_defaults.stereo = true;
  plan.session_defaults.volume_step = 2;
  config.plans = {plan};
  TenantSettings tenant = tenant_settings("house");
  tenant.session_defaults.announce = true;
  tenant.session_defaults.volume_step = 3;
  Acme w(tenant, config);
  ExtensionProfile sup = supervisor("701");
  sup.session_defaults.volume_step = -2;
  sup.session_defaults.exit_on_target_hangup = false;
  w.directory.add_extension(sup);
  w.directory.update_group({"Support", "acme", {"744", "745"}, {"700", "701"}});
  w.external_call("c1", "744", "client", "agent744");

  const SessionOptions o701 = w.info(w.service->dial("s1", "701", "*90744").session).options;
  CHECK(o701.monitoring_tone);    // service
  CHECK(o701.stereo);             // plan
  CHECK(o701.announce);           // tenant
  CHECK(o701.volume_step == -2);  // extension over tenant over plan over service
  CHECK_FALSE(o701.exit_on_target_hangup);

  const SessionOptions o700 = w.info(w.service->dial("s2", "700", "*90744").session).options;
  CHECK(o700.volume_step == 3);  // tenant
  CHECK(o700.exit_on_target_hangup);

  SessionOptions own;
  own.volume_step = 4;
  const SessionOptions explicit_options = w.info(w.service->dial("s3", "701", "*90744", own).session).options;
  CHECK(explicit_options.volume_step == 4);
  CHECK_FALSE(explicit_options.monitoring_tone);  // the request's options are whole
  CHECK_FALSE(explicit_options.stereo);
}

TEST_CASE(
    "session defaults: chanspy_defaults sets what the letters control, absent letters as ChanSpy's "
    "defaults") {
  const SessionDefaults none = chanspy_defaults("");
  CHECK(none.exit_on_target_hangup == false);
  CHECK(none.stop_when_none_left == false);
  CHECK(none.announce == true);
  CHECK(none.bridged_only == false);
  CHECK_FALSE(none.stereo.has_value());  // ChanSpy has no letter for it
  const SessionDefaults letters = chanspy_defaults("ESqov(-3)");
  CHECK(letters.exit_on_target_hangup == true);
  CHECK(letters.stop_when_none_left == true);
  CHECK(letters.announce == false);
  CHECK(letters.listen_direction == ListenDirection::agent_only);
  CHECK(letters.volume_step == -3);
  CHECK(SessionOptions{}.with(letters).volume_step == -3);
  CHECK_THROWS_AS(chanspy_defaults("v(9)"), Error);
}

TEST_CASE("session defaults: out-of-range values are refused where they are set") {
  Acme w;
  ExtensionProfile bad = supervisor("701");
  bad.session_defaults.volume_step = 7;
  CHECK_THROWS_WITH_AS(w.directory.add_extension(bad), doctest::Contains("'7'"), Error);
  TenantSettings tenant = tenant_settings();
  tenant.session_defaults.volume_step = -5;
  CHECK_THROWS_WITH_AS(w.directory.set_tenant(tenant), doctest::Contains("'-5'"), Error);
  FeatureCodePlan plan = portaswitch_plan();
  plan.name = "loud";
  plan.session_defaults.volume_step = 5;
  CHECK_THROWS_WITH_AS(w.service->add_plan(plan), doctest::Contains("'5'"), Error);
}

TEST_CASE("session defaults: SessionDefaults::over and empty") {
  SessionDefaults below;
  below.announce = true;
  below.stereo = true;
  SessionDefaults above;
  above.stereo = false;
  const SessionDefaults merged = above.over(below);
  CHECK(merged.announce == true);
  CHECK(merged.stereo == false);
  CHECK(SessionDefaults{}.empty());
  CHECK_FALSE(merged.empty());
}
