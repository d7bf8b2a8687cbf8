// Over 400 lines: one case per key and error of the document format (docs/policy.md's table).
#include <doctest/doctest.h>

#include <initializer_list>
#include <set>
#include <string>
#include <vector>

#include "callsup/error.hpp"
#include "callsup/json/directory_json.hpp"
#include "callsup/model/directory.hpp"

#ifndef CALLSUP_TEST_DATA_DIR
#error "CALLSUP_TEST_DATA_DIR must name tests/data"
#endif

using namespace callsup;

namespace {

std::string data_file(const std::string& name) { return std::string(CALLSUP_TEST_DATA_DIR) + "/" + name; }

// Loading `text` into a fresh directory throws Error(code) whose message contains every
// fragment, and leaves the directory as it was.
void check_load_error(const std::string& text, errc code, std::initializer_list<std::string> fragments) {
  INFO("document: " << text);
  Directory directory;
  int notified = 0;
  auto subscription = directory.subscribe([&](const DirectoryChange&) { ++notified; });
  try {
    load_directory_json(directory, text);
    FAIL("document accepted");
  } catch (const Error& error) {
    CHECK_MESSAGE(error.code() == code, "got " << to_string(error.code()) << ": " << error.what());
    const std::string message = error.what();
    for (const auto& fragment : fragments)
      CHECK_MESSAGE(message.find(fragment) != std::string::npos, message);
  }
  CHECK(directory.version() == 0);
  CHECK(directory.extension_count() == 0);
  CHECK(notified == 0);
}

// A minimal valid prefix for documents that test one extension or group.
const std::string acme = R"("tenants": [{"name": "acme"}], "sites": [{"name": "berlin", "tenant": "acme"}])";

std::string with_extension(const std::string& fields) {
  return "{" + acme + R"(, "extensions": [{"extension": "744", "tenant": "acme", )" + fields + "}]}";
}

}  // namespace

TEST_SUITE_BEGIN("directory_json");

TEST_CASE("directory_json: a realistic document loads every record") {
  Directory directory;
  std::vector<DirectoryChange> changes;
  auto subscription = directory.subscribe([&](const DirectoryChange& change) { changes.push_back(change); });
  load_directory_file(directory, data_file("directory_acme.json"));

  SUBCASE("tenants") {
    const auto acme_settings = directory.tenant("acme");
    CHECK(acme_settings->supervision_enabled);
    CHECK(acme_settings->feature_code_plan == "portaswitch");
    CHECK(acme_settings->limits.max_supervisors_per_call == 3);
    CHECK(acme_settings->limits.max_bargers_per_call == 1);
    CHECK_FALSE(acme_settings->bridged_only);
    CHECK_FALSE(acme_settings->whisper_topology_rule);
    const auto globex = directory.tenant("globex");
    CHECK_FALSE(globex->supervision_enabled);
    CHECK(globex->feature_code_plan == "stratus");
    CHECK(globex->limits.max_supervisors_per_call == 1);
    CHECK(globex->limits.max_bargers_per_call == 0);
    CHECK(globex->bridged_only);
    CHECK(globex->whisper_topology_rule);
  }
  SUBCASE("sites and extensions") {
    CHECK(directory.has_site("berlin"));
    CHECK(directory.has_site("munich"));
    CHECK(directory.extension_count() == 12);
    CHECK(directory.extensions() == std::vector<std::string>{"1001", "200", "700", "701", "710", "744", "745",
                                                             "746", "747", "748", "750", "799"});
    CHECK(directory.extension_lengths() == std::set<std::size_t>{3, 4});

    const auto sam = directory.extension("700");
    CHECK(sam->tenant == "acme");
    CHECK(sam->site == "berlin");
    CHECK(sam->display_name == "Sam Supervisor");
    CHECK(sam->roles == std::vector<Role>{Role::supervisor});
    CHECK(sam->can_supervise);
    CHECK(sam->granted_modes == ModeSet::all());  // "barge" = up to barge

    CHECK(directory.extension("701")->granted_modes == ModeSet{Mode::listen, Mode::whisper});
    const auto mia = directory.extension("710");
    CHECK(mia->has_role(Role::site_manager));
    CHECK(mia->granted_modes == ModeSet::up_to(Mode::whisper));
    CHECK(mia->manages_site("munich"));
    CHECK_FALSE(mia->manages_site("berlin"));
    const auto ada = directory.extension("799");
    CHECK(ada->roles == std::vector<Role>{Role::tenant_admin, Role::supervisor});
    CHECK(ada->managed_sites == std::vector<std::string>{"berlin", "munich"});

    const auto alice = directory.extension("744");
    CHECK_FALSE(alice->can_supervise);
    CHECK(alice->granted_modes == ModeSet{Mode::listen, Mode::whisper});
    CHECK_FALSE(alice->privacy);
    CHECK(alice->managed_sites.empty());
    CHECK(alice->allow_list.empty());
    CHECK(directory.extension("746")->privacy);
    CHECK(directory.extension("748")->granted_modes == ModeSet::none());
    const auto qa = directory.extension("750");
    CHECK(qa->granted_modes == ModeSet{Mode::listen});
    CHECK(qa->allows("744"));
    CHECK(qa->allows("745"));
    CHECK_FALSE(qa->allows("746"));

    const auto reception = directory.extension("1001");  // only required keys + []
    CHECK(reception->site.empty());
    CHECK(reception->roles.empty());
    CHECK_FALSE(reception->can_supervise);
    CHECK(reception->granted_modes == ModeSet::none());
    CHECK(directory.extension("200")->tenant == "globex");
  }
  SUBCASE("groups and their indexes") {
    const auto support = directory.find_group("Support");
    REQUIRE(support);
    CHECK(support->tenant == "acme");
    CHECK(support->members == std::vector<std::string>{"744", "745", "748"});
    CHECK(support->supervisors == std::vector<std::string>{"700"});
    CHECK(directory.supervises_group("700", "Support"));
    CHECK(directory.supervises_group("701", "Sales"));
    CHECK(directory.supervises_group("710", "Sales"));
    CHECK_FALSE(directory.supervises_group("700", "Sales"));
    CHECK(directory.supervises_member("700", "744"));
    CHECK(directory.supervises_member("701", "744"));  // 744 is in both groups
    CHECK(directory.supervises_member("701", "746"));
    CHECK_FALSE(directory.supervises_member("700", "746"));
    CHECK_FALSE(directory.supervises_member("744", "745"));
  }
  SUBCASE("applied in order tenants, sites, extensions, groups, one change each") {
    CHECK(directory.version() == 18);
    REQUIRE(changes.size() == 18);
    using Kind = DirectoryChange::Kind;
    const std::vector<Kind> expected_kinds = {
        Kind::tenant,    Kind::tenant,    Kind::site,      Kind::site,      Kind::extension, Kind::extension,
        Kind::extension, Kind::extension, Kind::extension, Kind::extension, Kind::extension, Kind::extension,
        Kind::extension, Kind::extension, Kind::extension, Kind::extension, Kind::group,     Kind::group};
    for (std::size_t i = 0; i < changes.size(); ++i) {
      CHECK(changes[i].kind == expected_kinds[i]);
      CHECK(changes[i].version == i + 1);
      CHECK_FALSE(changes[i].removed);
    }
    CHECK(changes.front().name == "acme");
    CHECK(changes.back().name == "Sales");
  }
}

TEST_CASE("directory_json: granted_modes: array, 'up to' string, none, default") {
  auto grants_of = [](const std::string& fields) {
    Directory directory;
    load_directory_json(directory, with_extension(fields));
    return directory.extension("744")->granted_modes;
  };
  CHECK(grants_of(R"("granted_modes": "listen")") == ModeSet{Mode::listen});
  CHECK(grants_of(R"("granted_modes": "whisper")") == ModeSet{Mode::listen, Mode::whisper});
  CHECK(grants_of(R"("granted_modes": "barge")") == ModeSet::all());
  CHECK(grants_of(R"("granted_modes": "none")") == ModeSet::none());
  CHECK(grants_of(R"("granted_modes": [])") == ModeSet::none());
  CHECK(grants_of(R"("granted_modes": ["barge"])") == ModeSet{Mode::barge});  // separate grants are possible
  CHECK(grants_of(R"("granted_modes": ["listen", "barge"])") == ModeSet{Mode::listen, Mode::barge});
  CHECK(grants_of(R"("display_name": "x")") == ExtensionProfile{}.granted_modes);
}

TEST_CASE("directory_json: absent optional keys take the struct defaults") {
  Directory directory;
  load_directory_json(directory,
                      R"({"tenants": [{"name": "t"}], "extensions": [{"extension": "1", "tenant": "t"}],
                                     "groups": [{"name": "g", "tenant": "t"}]})");
  const TenantSettings defaults;
  const auto tenant = directory.tenant("t");
  CHECK(tenant->supervision_enabled == defaults.supervision_enabled);
  CHECK(tenant->feature_code_plan == defaults.feature_code_plan);
  CHECK(tenant->limits.max_supervisors_per_call == defaults.limits.max_supervisors_per_call);
  CHECK(tenant->limits.max_bargers_per_call == defaults.limits.max_bargers_per_call);
  CHECK(tenant->bridged_only == defaults.bridged_only);
  CHECK(tenant->whisper_topology_rule == defaults.whisper_topology_rule);
  const ExtensionProfile profile_defaults;
  const auto ext = directory.extension("1");
  CHECK(ext->site == profile_defaults.site);
  CHECK(ext->display_name == profile_defaults.display_name);
  CHECK(ext->roles.empty());
  CHECK(ext->can_supervise == profile_defaults.can_supervise);
  CHECK(ext->granted_modes == profile_defaults.granted_modes);
  CHECK(ext->privacy == profile_defaults.privacy);
  const auto group = directory.find_group("g");
  REQUIRE(group);
  CHECK(group->members.empty());
  CHECK(group->supervisors.empty());

  // A partial limits object keeps the other default.
  Directory partial;
  load_directory_json(partial, R"({"tenants": [{"name": "t", "limits": {"max_bargers_per_call": 0}}]})");
  CHECK(partial.tenant("t")->limits.max_bargers_per_call == 0);
  CHECK(partial.tenant("t")->limits.max_supervisors_per_call == defaults.limits.max_supervisors_per_call);
}

TEST_CASE("directory_json: an empty document or empty sections change nothing") {
  for (const char* text :
       {"{}", R"({"tenants": [], "sites": [], "extensions": [], "groups": []})", " {}\n"}) {
    Directory directory;
    load_directory_json(directory, text);
    CHECK(directory.version() == 0);
  }
}

TEST_CASE("directory_json: unknown keys are rejected with their path") {
  const auto mal = errc::malformed_directory;
  check_load_error(R"({"tenant": []})", mal, {"document: unknown key 'tenant'"});
  check_load_error(R"({"tenants": [{"name": "a", "supervison_enabled": true}]})", mal,
                   {"tenants[0]: unknown key 'supervison_enabled'"});
  check_load_error(R"({"tenants": [{"name": "a", "limits": {"max_supervisors": 2}}]})", mal,
                   {"tenants[0].limits: unknown key 'max_supervisors'"});
  check_load_error(R"({"sites": [{"name": "s", "tenant": "a", "city": "Berlin"}]})", mal,
                   {"sites[0]: unknown key 'city'"});
  check_load_error(R"({"tenants": [{"name": "acme"}], "extensions": [
                        {"extension": "744", "tenant": "acme"}, {"extension": "745", "tenant": "acme"},
                        {"extension": "746", "tenant": "acme", "privcy": true}]})",
                   mal, {"extensions[2]: unknown key 'privcy'", "privacy"});
  check_load_error(R"({"groups": [{"name": "g", "tenant": "a", "member": []}]})", mal,
                   {"groups[0]: unknown key 'member'"});
}

TEST_CASE("directory_json: wrong types are rejected with path and expected type") {
  const auto mal = errc::malformed_directory;
  check_load_error(with_extension(R"("privacy": "yes")"), mal,
                   {"extensions[0].privacy: expected boolean, got string"});
  check_load_error(with_extension(R"("can_supervise": 1)"), mal,
                   {"extensions[0].can_supervise: expected boolean, got number"});
  check_load_error(with_extension(R"("display_name": null)"), mal,
                   {"extensions[0].display_name: expected string, got null"});
  check_load_error(with_extension(R"("roles": "agent")"), mal,
                   {"extensions[0].roles: expected array of strings, got string"});
  check_load_error(with_extension(R"("roles": ["agent", 7])"), mal,
                   {"extensions[0].roles[1]: expected string, got number"});
  check_load_error(with_extension(R"("managed_sites": {"berlin": true})"), mal,
                   {"extensions[0].managed_sites: expected array of strings, got object"});
  check_load_error(with_extension(R"("allow_list": [744])"), mal,
                   {"extensions[0].allow_list[0]: expected string, got number"});
  check_load_error(
      with_extension(R"("granted_modes": 2)"), mal,
      {"extensions[0].granted_modes: expected array of mode names or a single mode name, got number"});
  check_load_error(with_extension(R"("granted_modes": [true])"), mal,
                   {"extensions[0].granted_modes[0]: expected string, got boolean"});
  check_load_error(R"({"tenants": [{"name": 5}]})", mal, {"tenants[0].name: expected string, got number"});
  check_load_error(R"({"tenants": [{"name": "a", "limits": [3, 1]}]})", mal,
                   {"tenants[0].limits: expected object, got array"});
  check_load_error(R"({"groups": [{"name": "g", "tenant": "a", "members": "744"}]})", mal,
                   {"groups[0].members: expected array of strings, got string"});
  check_load_error(R"({"tenants": {"name": "a"}})", mal, {"tenants: expected array, got object"});
  check_load_error(R"({"sites": ["berlin"]})", mal, {"sites[0]: expected object, got string"});
  check_load_error(R"([{"name": "a"}])", mal, {"document: expected object, got array"});
  check_load_error("null", mal, {"document: expected object, got null"});
}

TEST_CASE("directory_json: limits must be integers a uint32 can hold") {
  const auto mal = errc::malformed_directory;
  auto limits = [](const std::string& value) {
    return R"({"tenants": [{"name": "a", "limits": {"max_supervisors_per_call": )" + value + "}}]}";
  };
  check_load_error(limits("-1"), mal, {"tenants[0].limits.max_supervisors_per_call", "got -1"});
  check_load_error(limits("2.5"), mal, {"tenants[0].limits.max_supervisors_per_call", "got 2.5"});
  check_load_error(limits("3.0"), mal, {"tenants[0].limits.max_supervisors_per_call", "got 3.0"});
  check_load_error(limits("4294967296"), mal,
                   {"tenants[0].limits.max_supervisors_per_call", "got 4294967296"});
  check_load_error(limits("\"3\""), mal, {"tenants[0].limits.max_supervisors_per_call", "got string"});
  Directory directory;
  load_directory_json(directory, limits("4294967295"));
  CHECK(directory.tenant("a")->limits.max_supervisors_per_call == 4294967295u);
}

TEST_CASE("directory_json: unknown roles and modes are rejected naming the value") {
  const auto mal = errc::malformed_directory;
  check_load_error(with_extension(R"("roles": ["agent", "boss"])"), mal,
                   {"extensions[0].roles[1]", "unknown role 'boss'"});
  check_load_error(with_extension(R"("granted_modes": "shout")"), mal,
                   {"extensions[0].granted_modes", "unknown mode 'shout'"});
  check_load_error(with_extension(R"("granted_modes": ["listen", "Whisper"])"), mal,
                   {"extensions[0].granted_modes[1]", "unknown mode 'Whisper'"});
  check_load_error(with_extension(R"("granted_modes": ["none"])"), mal,
                   {"extensions[0].granted_modes[0]", "unknown mode 'none'"});
}

TEST_CASE("directory_json: missing required keys are rejected") {
  const auto mal = errc::malformed_directory;
  check_load_error(R"({"tenants": [{"supervision_enabled": true}]})", mal,
                   {"tenants[0]: missing key 'name'"});
  check_load_error(R"({"tenants": [{"name": "a"}], "sites": [{"name": "s"}]})", mal,
                   {"sites[0]: missing key 'tenant'"});
  check_load_error(R"({"tenants": [{"name": "a"}], "extensions": [{"tenant": "a"}]})", mal,
                   {"extensions[0]: missing key 'extension'"});
  check_load_error(R"({"tenants": [{"name": "a"}], "extensions": [{"extension": "1"}]})", mal,
                   {"extensions[0]: missing key 'tenant'"});
  check_load_error(R"({"tenants": [{"name": "a"}], "groups": [{"tenant": "a"}]})", mal,
                   {"groups[0]: missing key 'name'"});
}

TEST_CASE("directory_json: invalid JSON is rejected with the parser's position") {
  const auto mal = errc::malformed_directory;
  check_load_error("", mal, {"invalid JSON"});
  check_load_error("{\"tenants\": [\n  {\"name\": \"a\",}\n]}", mal, {"invalid JSON", "line 2"});
  check_load_error(R"({"tenants": [{"name": 'a'}]})", mal, {"invalid JSON", "column"});
  check_load_error(R"({"tenants": []} trailing)", mal, {"invalid JSON"});
  // Found by fuzz_directory_json: a number beyond double's range is nlohmann's
  // out_of_range, not a parse_error; it must still come out as a callsup::Error.
  check_load_error("8888.888E444444\"nam", mal, {"invalid JSON", "number overflow"});
  check_load_error(R"({"tenants": [{"name": "a", "limits": {"max_bargers_per_call": 1E999}}]})", mal,
                   {"invalid JSON"});
}

TEST_CASE("directory_json: duplicate keys are rejected with their path, not resolved silently") {
  const auto mal = errc::malformed_directory;
  check_load_error(with_extension(R"("privacy": true, "privacy": false)"), mal,
                   {"extensions[0]: duplicate key 'privacy'"});
  check_load_error(R"({"tenants": [], "tenants": []})", mal, {"document: duplicate key 'tenants'"});
  check_load_error(R"({"tenants": [{"name": "a"}, {"name": "b", "limits": {"max_bargers_per_call": 1,
                                                   "max_bargers_per_call": 2}}]})",
                   mal, {"tenants[1].limits: duplicate key 'max_bargers_per_call'"});
  // The same key in sibling objects is fine.
  Directory directory;
  load_directory_json(directory, R"({"tenants": [{"name": "a"}, {"name": "b"}]})");
  CHECK(directory.find_tenant("b"));
}

TEST_CASE("directory_json: a tenant defined twice in one document is rejected") {
  check_load_error(R"({"tenants": [{"name": "a"}, {"name": "b"}, {"name": "a", "bridged_only": true}]})",
                   errc::duplicate_id, {"tenants[2]: tenant 'a' is already defined at tenants[0]"});
}

TEST_CASE("directory_json: the Directory's own errors keep their code and gain the record's path") {
  check_load_error("{" + acme + R"(, "extensions": [{"extension": "744", "tenant": "acme"},
                        {"extension": "745", "tenant": "acme"}, {"extension": "746", "tenant": "acme"},
                        {"extension": "74a", "tenant": "acme"}]})",
                   errc::invalid_argument, {"extensions[3]: extension '74a' must be digits only"});
  check_load_error(R"({"sites": [{"name": "berlin", "tenant": "nope"}]})", errc::unknown_tenant,
                   {"sites[0]: site 'berlin' names unknown tenant 'nope'"});
  check_load_error("{" + acme + R"(, "sites": [{"name": "berlin", "tenant": "acme"}]})",
                   errc::malformed_directory, {"duplicate key 'sites'"});
  check_load_error(R"({"tenants": [{"name": "acme"}], "sites": [{"name": "berlin", "tenant": "acme"},
                                                          {"name": "berlin", "tenant": "acme"}]})",
                   errc::duplicate_id, {"sites[1]: site 'berlin' already exists"});
  check_load_error(R"({"tenants": [{"name": ""}]})", errc::invalid_argument,
                   {"tenants[0]: tenant name must not be empty"});
  check_load_error(with_extension(R"("site": "paris")"), errc::invalid_argument,
                   {"extensions[0]: extension '744' names unknown site 'paris'"});
  check_load_error(with_extension(R"("managed_sites": ["berlin", "rome"])"), errc::invalid_argument,
                   {"extensions[0]: extension '744' names unknown site 'rome'"});
  check_load_error(
      R"({"tenants": [{"name": "acme"}, {"name": "globex"}], "sites": [{"name": "hq", "tenant": "globex"}],
                       "extensions": [{"extension": "744", "tenant": "acme", "site": "hq"}]})",
      errc::invalid_argument, {"extensions[0]: extension '744' names site 'hq' of another tenant"});
  check_load_error(R"({"tenants": [{"name": "acme"}], "extensions": [{"extension": "744", "tenant": "acme"},
                                                               {"extension": "744", "tenant": "acme"}]})",
                   errc::duplicate_id, {"extensions[1]: extension '744' already exists"});
  check_load_error(
      R"({"tenants": [{"name": "acme"}], "extensions": [{"extension": "744", "tenant": "acmee"}]})",
      errc::unknown_tenant, {"extensions[0]: extension '744' names unknown tenant 'acmee'"});
  check_load_error(
      R"({"tenants": [{"name": "acme"}], "extensions": [{"extension": "744", "tenant": "acme"}],
                       "groups": [{"name": "Support", "tenant": "acme", "members": ["744"], "supervisors": ["700"]}]})",
      errc::unknown_extension, {"groups[0]: group 'Support' names unknown extension '700'"});
  check_load_error(R"({"tenants": [{"name": "acme"}, {"name": "globex"}],
                       "extensions": [{"extension": "744", "tenant": "acme"}, {"extension": "200", "tenant": "globex"}],
                       "groups": [{"name": "Support", "tenant": "acme", "members": ["744", "200"]}]})",
                   errc::invalid_argument,
                   {"groups[0]: group 'Support' names extension '200' of another tenant"});
  check_load_error(R"({"tenants": [{"name": "acme"}], "groups": [{"name": "", "tenant": "acme"}]})",
                   errc::invalid_argument, {"groups[0]: group name must not be empty"});
  check_load_error(R"({"tenants": [{"name": "acme"}], "groups": [{"name": "G", "tenant": "acme"},
                                                           {"name": "G", "tenant": "acme"}]})",
                   errc::duplicate_id, {"groups[1]: group 'G' already exists"});
}

TEST_CASE("directory_json: all or nothing: an invalid last group leaves an empty directory empty") {
  Directory directory;
  int notified = 0;
  auto subscription = directory.subscribe([&](const DirectoryChange&) { ++notified; });
  CHECK_THROWS_AS(load_directory_file(directory, data_file("directory_invalid_last_group.json")), Error);
  CHECK(directory.version() == 0);
  CHECK_FALSE(directory.find_tenant("initech"));
  CHECK_FALSE(directory.has_site("austin"));
  CHECK(directory.extension_count() == 0);
  CHECK_FALSE(directory.find_group("Helpdesk"));
  CHECK(notified == 0);
}

TEST_CASE("directory_json: all or nothing: an invalid last group leaves a loaded directory unchanged") {
  Directory directory;
  load_directory_file(directory, data_file("directory_acme.json"));
  const auto version = directory.version();
  const auto extensions = directory.extensions();
  int notified = 0;
  auto subscription = directory.subscribe([&](const DirectoryChange&) { ++notified; });
  try {
    load_directory_file(directory, data_file("directory_invalid_last_group.json"));
    FAIL("loaded");
  } catch (const Error& error) {
    CHECK(error.code() == errc::unknown_extension);
    const std::string message = error.what();
    CHECK_MESSAGE(message.find("directory_invalid_last_group.json") != std::string::npos, message);
    CHECK_MESSAGE(
        message.find("groups[1]: group 'Billing' names unknown extension '399'") != std::string::npos,
        message);
  }
  CHECK(directory.version() == version);
  CHECK(directory.extensions() == extensions);
  CHECK_FALSE(directory.find_tenant("initech"));
  CHECK_FALSE(directory.has_site("austin"));
  CHECK_FALSE(directory.find_group("Helpdesk"));
  CHECK(notified == 0);
}

TEST_CASE("directory_json: a document may refer to what the directory already holds") {
  Directory directory;
  load_directory_file(directory, data_file("directory_acme.json"));
  const auto version = directory.version();
  // A new agent on an existing site, in a new group supervised by an existing extension
  // whose own site (berlin) and tenant come from the directory.
  load_directory_json(directory, R"({
    "extensions": [{"extension": "749", "tenant": "acme", "site": "munich", "roles": ["agent"]},
                   {"extension": "751", "tenant": "acme", "managed_sites": ["berlin"]}],
    "groups": [{"name": "Escalations", "tenant": "acme", "members": ["749", "744"], "supervisors": ["700", "799"]}]})");
  CHECK(directory.version() == version + 3);
  CHECK(directory.extension("749")->site == "munich");
  CHECK(directory.supervises_member("700", "749"));
  CHECK(directory.supervises_member("799", "744"));
  CHECK(directory.supervises_group("799", "Escalations"));
}

TEST_CASE(
    "directory_json: a site the directory holds for another tenant is rejected before anything is applied") {
  Directory directory;
  load_directory_file(directory, data_file("directory_acme.json"));
  load_directory_json(directory, R"({"sites": [{"name": "hq", "tenant": "globex"}],
                                     "extensions": [{"extension": "201", "tenant": "globex", "site": "hq"}]})");
  const auto version = directory.version();
  int notified = 0;
  auto subscription = directory.subscribe([&](const DirectoryChange&) { ++notified; });
  // The document names neither globex nor hq's tenant: the loader must learn it from
  // the directory, or the apply step would fail after the tenant and 760 went in.
  try {
    load_directory_json(directory, R"({"tenants": [{"name": "acme", "bridged_only": true}],
                                       "extensions": [{"extension": "760", "tenant": "acme"},
                                                      {"extension": "761", "tenant": "acme", "site": "hq"}]})");
    FAIL("loaded");
  } catch (const Error& error) {
    CHECK(error.code() == errc::invalid_argument);
    CHECK_MESSAGE(
        std::string(error.what()).find("extensions[1]: extension '761' names site 'hq' of another tenant") !=
            std::string::npos,
        error.what());
  }
  CHECK(directory.version() == version);
  CHECK(notified == 0);
  CHECK_FALSE(directory.find_extension("760"));
  CHECK_FALSE(directory.tenant("acme")->bridged_only);

  // The same through managed_sites.
  CHECK_THROWS_WITH_AS(
      load_directory_json(
          directory, R"({"extensions": [{"extension": "762", "tenant": "acme", "managed_sites": ["hq"]}]})"),
      doctest::Contains("names site 'hq' of another tenant"), Error);
  CHECK(directory.version() == version);
}

TEST_CASE("directory_json: records the directory already holds are duplicates; tenants are replaced") {
  Directory directory;
  load_directory_file(directory, data_file("directory_acme.json"));
  const auto version = directory.version();
  auto check_duplicate = [&](const std::string& text, const std::string& fragment) {
    try {
      load_directory_json(directory, text);
      FAIL("loaded: " << text);
    } catch (const Error& error) {
      CHECK(error.code() == errc::duplicate_id);
      CHECK_MESSAGE(std::string(error.what()).find(fragment) != std::string::npos, error.what());
    }
    CHECK(directory.version() == version);
  };
  check_duplicate(
      R"({"tenants": [{"name": "acme", "bridged_only": true}], "sites": [{"name": "berlin", "tenant": "acme"}]})",
      "sites[0]: site 'berlin' already exists");
  check_duplicate(
      R"({"extensions": [{"extension": "749", "tenant": "acme"}, {"extension": "744", "tenant": "acme"}]})",
      "extensions[1]: extension '744' already exists");
  check_duplicate(R"({"groups": [{"name": "Support", "tenant": "acme"}]})",
                  "groups[0]: group 'Support' already exists");
  CHECK_FALSE(directory.tenant("acme")->bridged_only);  // the failed loads changed nothing

  load_directory_json(directory, R"({"tenants": [{"name": "acme", "bridged_only": true}]})");
  CHECK(directory.tenant("acme")->bridged_only);
  CHECK(directory.tenant("acme")->limits.max_supervisors_per_call == 3);
  CHECK(directory.version() == version + 1);
}

TEST_CASE("directory_json: load_directory_file: unreadable paths are io_error naming the path") {
  const std::string missing = data_file("directory_does_not_exist.json");
  try {
    Directory directory;
    load_directory_file(directory, missing);
    FAIL("loaded");
  } catch (const Error& error) {
    CHECK(error.code() == errc::io_error);
    const std::string message = error.what();
    CHECK_MESSAGE(message.find("'" + missing + "'") != std::string::npos, message);
    CHECK_MESSAGE(message.find("No such file or directory") != std::string::npos, message);
  }
  try {
    Directory directory;
    load_directory_file(directory, CALLSUP_TEST_DATA_DIR);
    FAIL("loaded a directory");
  } catch (const Error& error) {
    CHECK(error.code() == errc::io_error);
    CHECK_MESSAGE(std::string(error.what()).find("Is a directory") != std::string::npos, error.what());
  }
}

TEST_CASE("directory_json: load_directory_file: document errors keep their code and name the file") {
  Directory directory;
  try {
    load_directory_file(directory, data_file("directory_malformed.json"));
    FAIL("loaded");
  } catch (const Error& error) {
    CHECK(error.code() == errc::malformed_directory);
    const std::string message = error.what();
    CHECK_MESSAGE(message.find("directory_malformed.json") != std::string::npos, message);
    CHECK_MESSAGE(message.find("extensions[2]: unknown key 'privcy'") != std::string::npos, message);
  }
  CHECK(directory.version() == 0);
}

TEST_SUITE_END();
