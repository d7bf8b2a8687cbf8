// Over 400 lines: one short case per row of docs/policy.md's vendor table.
// Each vendor term is one setting: the sentence of the vendor's help page, said with one
// callsup call, gives the behaviour that page describes (docs/policy.md's vendor table).
#include <doctest/doctest.h>

#include <string>

#include "callsup/json/directory_json.hpp"
#include "callsup/vendor/terms.hpp"
#include "support/world.hpp"

using namespace callsup;
using namespace callsup::testing;

namespace {

// A plain extension that says nothing about supervision (what a migrated PBX has).
ExtensionProfile plain(const std::string& ext, const std::string& site = {}) {
  return agent(ext, "acme", site);
}

StartOutcome web_start(World& w, const std::string& leg, const std::string& sup, const std::string& target,
                       Mode mode = Mode::listen) {
  StartRequest request;
  request.supervisor_leg = leg;
  request.supervisor = sup;
  request.target = target;
  request.mode = mode;
  request.channel = RequestChannel::web;
  return w.service->start(request);
}

}  // namespace

TEST_CASE("vendor tronic: 'Can Call Spy' alone lets an extension spy on any call, in every mode") {
  World w(tenant_settings("tronic"));
  w.directory.add_extension(plain("744"));
  ExtensionProfile spy = plain("700");
  vendor::tronic::can_call_spy(spy);
  w.directory.add_extension(spy);
  w.external_call("c1", "744", "client", "agent744");

  const StartOutcome out = w.service->dial("s1", "700", "*95744");
  REQUIRE(out.status == StartOutcome::Status::started);
  w.service->dtmf(out.session, '5');
  CHECK(w.info(out.session).mode == Mode::whisper);
  w.service->dtmf(out.session, '6');
  CHECK(w.info(out.session).mode == Mode::barge);

  SUBCASE("switched off again, it may not") {
    vendor::tronic::can_call_spy(spy, false);
    w.directory.update_extension(spy);
    CHECK(w.info(out.session).end_reason == EndReason::permission_lost);
    CHECK(w.service->dial("s2", "700", "*95744").decision.reason == Reason::not_a_supervisor);
  }
  SUBCASE("'Call Spy Privacy' on the agent: nobody may spy on its calls") {
    ExtensionProfile agent744 = plain("744");
    vendor::tronic::call_spy_privacy(agent744);
    w.directory.update_extension(agent744);
    CHECK(w.info(out.session).end_reason == EndReason::permission_lost);
    CHECK(w.service->dial("s2", "700", "*95744").decision.reason == Reason::privacy);
  }
}

TEST_CASE(
    "vendor tronic: *95 spy-all moves to the next call when the spied call ends, and stops when none is "
    "left") {
  World w(tenant_settings("tronic"));
  w.directory.add_extension(plain("744"));
  w.directory.add_extension(plain("745"));
  ExtensionProfile spy = plain("700");
  vendor::tronic::can_call_spy(spy);
  w.directory.add_extension(spy);
  w.external_call("c1", "744", "client1", "agent744");
  w.external_call("c2", "745", "client2", "agent745");

  const StartOutcome out = w.service->dial("s1", "700", "*95");
  REQUIRE(out.status == StartOutcome::Status::started);
  CHECK_FALSE(w.info(out.session).options.exit_on_target_hangup);  // the tronic plan's default
  REQUIRE(w.info(out.session).call == "c1");
  w.registry.end_call("c1");
  CHECK(w.info(out.session).state == SessionState::active);
  CHECK(w.info(out.session).call == "c2");
  w.registry.end_call("c2");
  CHECK(w.info(out.session).state == SessionState::ended);
  CHECK(w.info(out.session).end_reason == EndReason::no_calls_left);

  SUBCASE("told to exit (options with E), it ends with the spied call") {
    w.external_call("c3", "744", "client3", "agent744c");
    w.external_call("c4", "745", "client4", "agent745d");
    const StartOutcome exits = w.service->dial("s2", "700", "*95", parse_chanspy_options("E").options);
    REQUIRE(exits.ok());
    w.registry.end_call(w.info(exits.session).call);
    CHECK(w.info(exits.session).end_reason == EndReason::call_ended);
  }
}

TEST_CASE("vendor asterisk ChanSpy: 555 + ext without options keeps waiting for the target's next call") {
  World w(tenant_settings("asterisk_chanspy"));
  w.directory.add_extension(plain("744"));
  ExtensionProfile user = plain("700");
  vendor::asterisk_spy::spy_permission(user, "barge");
  w.directory.add_extension(user);
  w.external_call("c1", "744", "client", "agent744");
  const StartOutcome out = w.service->dial("s1", "700", "555744");
  REQUIRE(out.ok());
  CHECK(w.info(out.session).options.announce);
  w.registry.end_call("c1");
  CHECK(w.info(out.session).state == SessionState::armed);
  w.external_call("c2", "744", "client2", "agent744b");
  CHECK(w.info(out.session).call == "c2");
}

TEST_CASE("vendor asterisk_spy: SPY_PERMISSION=listen alone lets a user listen to anyone, and no more") {
  World w(tenant_settings("star91"));
  w.directory.add_extension(plain("744"));
  ExtensionProfile user = plain("700");
  vendor::asterisk_spy::spy_permission(user, "listen");
  w.directory.add_extension(user);
  w.external_call("c1", "744", "client", "agent744");

  const StartOutcome listen = w.service->dial("s1", "700", "*91744");
  REQUIRE(listen.status == StartOutcome::Status::started);
  const Decision whisper = w.service->switch_mode(listen.session, Mode::whisper);
  CHECK(whisper.reason == Reason::mode_not_granted);
  CHECK(w.info(listen.session).mode == Mode::listen);
  w.service->stop(listen.session);
  CHECK(w.service->dial("s2", "700", "*93744").decision.reason == Reason::mode_not_granted);

  vendor::asterisk_spy::spy_permission(user, "barge");
  w.directory.update_extension(user);
  CHECK(w.service->dial("s3", "700", "*93744").status == StartOutcome::Status::started);

  vendor::asterisk_spy::spy_permission(user, "no");
  CHECK_FALSE(user.can_supervise);
  CHECK_THROWS_WITH_AS(vendor::asterisk_spy::spy_permission(user, "lisen"), doctest::Contains("'lisen'"),
                       Error);
}

TEST_CASE(
    "vendor asterisk_spy: DISABLE_SPY=yes means 'cannot be monitored', or 'may not monitor' when told") {
  World w(tenant_settings("star91"));
  ExtensionProfile target = plain("744");
  ExtensionProfile user = plain("700");
  vendor::asterisk_spy::spy_permission(user, "barge");
  w.external_call("c1", "744", "client", "agent744");

  SUBCASE("default reading: nobody may spy on the user") {
    vendor::asterisk_spy::disable_spy(target, true);
    w.directory.add_extension(target);
    w.directory.add_extension(user);
    CHECK(w.service->dial("s1", "700", "*91744").decision.reason == Reason::privacy);
  }
  SUBCASE("other reading: the user may not spy, and may still be spied on") {
    ExtensionProfile other = plain("745");
    vendor::asterisk_spy::spy_permission(other, "listen");
    vendor::asterisk_spy::disable_spy(user, true, vendor::asterisk_spy::DisableSpyReading::may_not_monitor);
    w.directory.add_extension(target);
    w.directory.add_extension(user);
    w.directory.add_extension(other);
    CHECK(w.service->dial("s1", "700", "*91744").decision.reason == Reason::not_a_supervisor);
    w.external_call("c2", "700", "client2", "agent700");
    CHECK(w.service->dial("s2", "745", "*91700").status == StartOutcome::Status::started);
  }
}

TEST_CASE("vendor asterisk_spy: SPY_PARAMS=Ssb is the user's own session defaults") {
  World w(tenant_settings("star91"));
  w.directory.add_extension(plain("744"));
  ExtensionProfile user = plain("700");
  vendor::asterisk_spy::spy_permission(user, "barge");
  vendor::asterisk_spy::spy_params(user, "Ssb");
  w.directory.add_extension(user);
  w.external_call("c1", "744", "client", "agent744");

  const StartOutcome out = w.service->dial("s1", "700", "*91744");  // no options passed
  REQUIRE(out.ok());
  const SessionOptions& o = w.info(out.session).options;
  CHECK_FALSE(o.exit_on_target_hangup);
  CHECK(o.stop_when_none_left);
  CHECK(o.bridged_only);
  CHECK_FALSE(o.announce);
  w.registry.end_call("c1");
  CHECK(w.info(out.session).end_reason == EndReason::no_calls_left);

  CHECK_THROWS_AS(vendor::asterisk_spy::spy_params(user, "Z"), Error);
}

TEST_CASE("vendor portaswitch: 'add Adam to the hunt group's supervisors' with the tenant toggle is enough") {
  TenantSettings tenant = tenant_settings("portaswitch");
  vendor::portaswitch::call_supervision(tenant, true);
  World w(tenant);
  w.directory.add_extension(plain("744"));
  w.directory.add_extension(plain("700"));  // Adam: a plain extension
  Group support{"Support", "acme", {"744"}, {}};
  vendor::portaswitch::supervision_allowed(support, true);
  w.directory.add_group(support);
  w.external_call("c1", "744", "client", "agent744");

  vendor::portaswitch::add_group_supervisor(w.directory, "Support", "700");
  const StartOutcome out = w.service->dial("s1", "700", "*92744");  // barge, the highest code
  CHECK(out.status == StartOutcome::Status::started);

  SUBCASE("the hunt group without 'Supervision allowed': its supervisors may not") {
    Group closed = *w.directory.find_group("Support");
    vendor::portaswitch::supervision_allowed(closed, false);
    w.directory.update_group(closed);
    CHECK(w.info(out.session).end_reason == EndReason::permission_lost);
    CHECK(w.service->dial("s2", "700", "*90744").decision.reason == Reason::out_of_scope);
  }
  SUBCASE("the customer's Call Supervision switched off") {
    TenantSettings off = *w.directory.find_tenant("acme");
    vendor::portaswitch::call_supervision(off, false);
    w.directory.set_tenant(off);
    CHECK(w.service->dial("s2", "700", "*90744").decision.reason == Reason::supervision_disabled);
  }
  SUBCASE("unknown group or extension: named") {
    CHECK_THROWS_WITH_AS(vendor::portaswitch::add_group_supervisor(w.directory, "Sales", "700"),
                         doctest::Contains("'Sales'"), Error);
    CHECK_THROWS_WITH_AS(vendor::portaswitch::add_group_supervisor(w.directory, "Support", "799"),
                         doctest::Contains("'799'"), Error);
  }
}

TEST_CASE("vendor stratus: basic users use the 007 phone code; the web tool is for supervisors and above") {
  World w(tenant_settings("stratus"));
  w.directory.add_site({"berlin", "acme"});
  w.directory.add_extension(plain("744", "berlin"));
  w.directory.add_extension(plain("745"));
  ExtensionProfile basic = plain("710");
  basic.allow_list = {"744"};
  vendor::stratus::role(basic, vendor::stratus::UserRole::basic_user);
  w.directory.add_extension(basic);
  ExtensionProfile supervisor700 = plain("700");
  vendor::stratus::role(supervisor700, vendor::stratus::UserRole::call_centre_supervisor);
  w.directory.add_extension(supervisor700);
  ExtensionProfile manager = plain("720", "berlin");
  vendor::stratus::role(manager, vendor::stratus::UserRole::office_manager);
  w.directory.add_extension(manager);
  w.directory.add_group({"Queue", "acme", {"744"}, {"700"}});
  w.external_call("c1", "744", "client", "agent744");
  w.external_call("c2", "745", "client2", "agent745");

  const StartOutcome phone = w.service->dial("s1", "710", "007744");
  REQUIRE(phone.status == StartOutcome::Status::started);
  w.service->dtmf(phone.session, "*81");  // the keys are the phone too
  CHECK(w.info(phone.session).mode == Mode::whisper);
  w.service->stop(phone.session);
  const StartOutcome web = web_start(w, "s2", "710", "744");
  CHECK(web.decision.reason == Reason::channel_not_allowed);
  CHECK(web.decision.rule == "channel");
  CHECK(w.service->dial("s3", "710", "007745").decision.reason == Reason::out_of_scope);

  CHECK(web_start(w, "s4", "700", "744").status == StartOutcome::Status::started);
  CHECK(web_start(w, "s5", "720", "744").status == StartOutcome::Status::started);  // its office
  CHECK(web_start(w, "s6", "720", "745").decision.reason == Reason::out_of_scope);  // not its office
}

TEST_CASE(
    "vendor stratus: *81 'speak with the caller' whispers to the agent; the tenant may aim it at the "
    "caller") {
  TenantSettings tenant = tenant_settings("stratus");
  SUBCASE("default: the agent hears the supervisor, the caller does not") {
    World w(tenant);
    w.directory.add_extension(plain("744"));
    w.directory.add_extension(supervisor("700"));
    w.directory.add_group({"Queue", "acme", {"744"}, {"700"}});
    w.external_call("c1", "744", "client", "agent744");
    const StartOutcome out = w.service->dial("s1", "700", "007744");
    w.service->dtmf(out.session, "*81");
    CHECK(w.routes("c1")->hears("agent744", "s1"));
    CHECK_FALSE(w.routes("c1")->hears("client", "s1"));
  }
  SUBCASE("speak_with_caller = caller: the caller hears the supervisor, the agent does not") {
    vendor::stratus::speak_with_caller(tenant, vendor::stratus::SpeakWith::caller);
    World w(tenant);
    w.directory.add_extension(plain("744"));
    w.directory.add_extension(supervisor("700"));
    w.directory.add_group({"Queue", "acme", {"744"}, {"700"}});
    w.external_call("c1", "744", "client", "agent744");
    const StartOutcome out = w.service->dial("s1", "700", "007744");
    w.service->dtmf(out.session, "*81");
    CHECK(w.info(out.session).mode == Mode::whisper);
    CHECK(w.routes("c1")->hears("client", "s1"));
    CHECK_FALSE(w.routes("c1")->hears("agent744", "s1"));
  }
}

TEST_CASE(
    "vendor lead_center: the administrator monitors any call; an agent given 'monitor any call' uses its "
    "softphone") {
  World w;
  w.directory.add_extension(plain("744"));
  w.directory.add_extension(plain("745"));
  ExtensionProfile admin = plain("790");
  vendor::lead_center::administrator(admin);
  w.directory.add_extension(admin);
  ExtensionProfile agent750 = plain("750");
  vendor::lead_center::monitor_any_call(agent750);
  w.directory.add_extension(agent750);
  w.external_call("c1", "744", "client", "agent744");
  w.external_call("c2", "745", "client2", "agent745");

  CHECK(web_start(w, "s1", "790", "744", Mode::barge).status == StartOutcome::Status::started);
  CHECK(w.service->dial("s2", "750", "*92745").status == StartOutcome::Status::started);
  CHECK(web_start(w, "s3", "750", "744").decision.reason == Reason::channel_not_allowed);
}

TEST_CASE("vendor terms: the table names each term once, and apply_*_terms applies it by name") {
  std::set<std::string> seen;
  for (const vendor::TermInfo& row : vendor::terms()) {
    CHECK(seen.insert(std::string(row.vendor) + "/" + std::string(row.record) + "/" + std::string(row.term))
              .second);
    CHECK_FALSE(row.setting.empty());
  }
  CHECK(seen.size() == vendor::terms().size());

  ExtensionProfile by_name = plain("700");
  // Whatever order a record lists them in (JSON objects have none), DISABLE_SPY read as
  // 'may not monitor' overrules SPY_PERMISSION.
  vendor::apply_extension_terms(
      by_name, "asterisk_spy",
      {{"DISABLE_SPY", "yes"}, {"disable_spy_means", "may_not_monitor"}, {"SPY_PERMISSION", "whisper"}});
  CHECK_FALSE(by_name.can_supervise);
  CHECK(by_name.granted_modes == ModeSet::up_to(Mode::whisper));
  CHECK_FALSE(by_name.privacy);
  ExtensionProfile admin = plain("790");
  vendor::apply_extension_terms(admin, "lead_center", {{"role", "admin"}, {"monitor_any_call", "yes"}});
  CHECK(admin.has_role(Role::tenant_admin));
  CHECK(admin.channels == ChannelSet::all());  // the admin's web access is not narrowed

  // All or nothing: a bad term leaves the profile as it was.
  ExtensionProfile untouched = plain("701");
  CHECK_THROWS_AS(
      vendor::apply_extension_terms(untouched, "tronic", {{"can_call_spy", "yes"}, {"bogus", "1"}}), Error);
  CHECK_FALSE(untouched.can_supervise);

  CHECK_THROWS_WITH_AS(vendor::apply_extension_terms(by_name, "tronic", {{"can_call_spi", "yes"}}),
                       doctest::Contains("'can_call_spi'"), Error);
  CHECK_THROWS_WITH_AS(vendor::apply_extension_terms(by_name, "tronic", {{"can_call_spy", "maybe"}}),
                       doctest::Contains("'maybe'"), Error);
  CHECK_THROWS_WITH_AS(vendor::apply_extension_terms(by_name, "avaya", {{"x", "y"}}),
                       doctest::Contains("avaya"), Error);
  TenantSettings tenant = tenant_settings();
  vendor::apply_tenant_terms(tenant, "stratus", {{"speak_with_caller", "caller"}});
  CHECK(tenant.session_defaults.whisper_to == WhisperTo::other_party);
  Group group{"Support", "acme", {}, {}};
  vendor::apply_group_terms(group, "portaswitch", {{"supervision_allowed", "no"}});
  CHECK_FALSE(group.supervision_allowed);
}

TEST_CASE("vendor terms in the directory JSON: one key per term") {
  World w(tenant_settings("stratus"));
  load_directory_json(w.directory, R"({
    "tenants": [{"name": "acme", "feature_code_plan": "stratus", "stratus": {"speak_with_caller": "caller"}}],
    "extensions": [
      {"extension": "744", "tenant": "acme"},
      {"extension": "700", "tenant": "acme"},
      {"extension": "710", "tenant": "acme", "allow_list": ["744"], "stratus": {"role": "basic_user"}},
      {"extension": "750", "tenant": "acme", "lead_center": {"monitor_any_call": true}},
      {"extension": "760", "tenant": "acme", "tronic": {"can_call_spy": true, "call_spy_privacy": false}},
      {"extension": "770", "tenant": "acme", "asterisk_spy": {"SPY_PERMISSION": "listen", "SPY_PARAMS": "Ssb"}}
    ],
    "groups": [{"name": "Support", "tenant": "acme", "members": ["744"],
                "portaswitch": {"supervision_allowed": true, "supervisors": ["700"]}}]
  })");
  const auto p700 = w.directory.extension("700");
  CHECK(p700->can_supervise);
  CHECK(p700->granted_modes == ModeSet::all());
  CHECK(w.directory.find_group("Support")->supervisors == std::vector<std::string>{"700"});
  CHECK(w.directory.extension("710")->channels == ChannelSet::phone());
  CHECK(w.directory.extension("750")->scope == SupervisionScope::tenant);
  CHECK(w.directory.extension("760")->granted_modes == ModeSet::all());
  CHECK(w.directory.extension("770")->session_defaults.stop_when_none_left == true);
  CHECK(w.directory.find_tenant("acme")->session_defaults.whisper_to == WhisperTo::other_party);

  w.external_call("c1", "744", "client", "agent744");
  CHECK(w.service->dial("s1", "700", "007744").status == StartOutcome::Status::started);
  CHECK(w.service->dial("s2", "710", "007744").status == StartOutcome::Status::started);
}

TEST_CASE("vendor terms in the directory JSON: bad terms are named with their path") {
  auto refused = [](const std::string& text, const std::string& fragment) {
    Directory directory;
    try {
      load_directory_json(directory, text);
      FAIL("accepted: " << text);
    } catch (const Error& error) {
      CHECK(error.code() == errc::malformed_directory);
      CHECK_MESSAGE(std::string(error.what()).find(fragment) != std::string::npos, error.what());
    }
    CHECK(directory.extension_count() == 0);
  };
  const std::string tenant = R"({"tenants": [{"name": "acme"}], )";
  refused(
      tenant + R"("extensions": [{"extension": "7", "tenant": "acme", "tronic": {"can_call_spi": true}}]})",
      "extensions[0].tronic: unknown tronic extension term 'can_call_spi'");
  refused(
      tenant +
          R"("extensions": [{"extension": "7", "tenant": "acme", "asterisk_spy": {"SPY_PERMISSION": 3}}]})",
      "extensions[0].asterisk_spy.SPY_PERMISSION: expected string or boolean");
  refused(tenant + R"("extensions": [{"extension": "7", "tenant": "acme", "stratus": {"role": "boss"}}]})",
          "'boss'");
  refused(tenant + R"("extensions": [{"extension": "7", "tenant": "acme", "channels": ["fax"]}]})",
          "extensions[0].channels[0]: unknown request channel 'fax'");
  refused(tenant + R"("extensions": [{"extension": "7", "tenant": "acme", "scope": "world"}]})", "'world'");
  refused(
      tenant +
          R"("extensions": [{"extension": "7", "tenant": "acme", "session_defaults": {"volume_step": 9}}]})",
      "extensions[0].session_defaults.volume_step");
  refused(
      tenant +
          R"("extensions": [{"extension": "7", "tenant": "acme", "session_defaults": {"chanspy": "Z"}}]})",
      "extensions[0].session_defaults.chanspy");
  refused(tenant + R"("groups": [{"name": "g", "tenant": "acme", "portaswitch": {"supervisors": ["700"]}}]})",
          "groups[0].portaswitch.supervisors: extension '700' is not in this document");
}
