// callsup-pbx: parsing and checking the configuration file.
#include "config.hpp"

#include <fstream>
#include <set>
#include <sstream>

#include "callsup/json/directory_json.hpp"
#include "config_reader.hpp"

namespace callsup::pbx {

namespace {

using value_t = nlohmann::json::value_t;

void read_sip(ObjectReader& sip, PbxConfig& config) {
  if (auto listen = sip.address("listen", true)) config.sip_listen = *listen;
  if (auto realm = sip.string("realm", false)) {
    if (realm->empty() || realm->find_first_of("\"\\\r\n") != std::string::npos)
      sip.problem("realm", quoted(*realm) + " must be non-empty, without quotes, backslashes or line breaks");
    else
      config.realm = *realm;
  }
  if (auto v = sip.integer("max_expires", 60, 86400)) config.max_expires = static_cast<std::uint32_t>(*v);
  if (auto v = sip.integer("default_expires", 60, 86400))
    config.default_expires = static_cast<std::uint32_t>(*v);
  if (auto v = sip.integer("max_calls", 1, 100000)) config.max_calls = static_cast<std::size_t>(*v);
  sip.reject_unknown_keys();
}

void read_rtp(ObjectReader& rtp, PbxConfig& config) {
  if (auto address = rtp.string("address", true)) {
    if (is_ip_address(*address))
      config.rtp_address = *address;
    else
      rtp.problem("address", quoted(*address) + " is not an IP address");
  }
  const auto min = rtp.integer("port_min", 1024, 65534);
  const auto max = rtp.integer("port_max", 1025, 65535);
  if (min) config.rtp_port_min = static_cast<std::uint16_t>(*min);
  if (max) config.rtp_port_max = static_cast<std::uint16_t>(*max);
  if (config.rtp_port_max < config.rtp_port_min + 3)
    rtp.problem("port_max", std::to_string(config.rtp_port_max) +
                                " leaves fewer than 2 even ports above port_min " +
                                std::to_string(config.rtp_port_min));
  rtp.reject_unknown_keys();
}

void read_accounts(const nlohmann::json& list, std::vector<std::string>& problems, PbxConfig& config) {
  std::set<std::string> seen;
  for (std::size_t i = 0; i < list.size(); ++i) {
    ObjectReader account(list[i], "accounts[" + std::to_string(i) + "]", problems);
    Account a;
    if (auto ext = account.string("extension", true)) a.extension = *ext;
    if (auto password = account.string("password", true)) {
      if (password->empty()) account.problem("password", "must not be empty");
      a.password = *password;
    }
    if (auto srtp = account.choice("srtp", {"off", "optional", "mandatory"}))
      a.srtp = *srtp == "off"        ? SrtpPolicy::off
               : *srtp == "optional" ? SrtpPolicy::optional
                                     : SrtpPolicy::mandatory;
    if (auto hash = account.string("web_password_hash", false)) {
      if (hash->rfind("$argon2id$", 0) != 0 && hash->rfind("$argon2i$", 0) != 0)
        account.problem("web_password_hash", quoted(*hash) +
                                                 " is not a crypto_pwhash_str hash (\"$argon2id$...\"; "
                                                 "make one with callsup-pbx --hash-password)");
      else
        a.web_password_hash = *hash;
    }
    account.reject_unknown_keys();
    if (!a.extension.empty() && !seen.insert(a.extension).second)
      account.problem("extension", quoted(a.extension) + " has an account already");
    config.accounts.push_back(std::move(a));
  }
}

void read_hunt_groups(const nlohmann::json& list, std::vector<std::string>& problems, PbxConfig& config) {
  for (std::size_t i = 0; i < list.size(); ++i) {
    ObjectReader group(list[i], "hunt_groups[" + std::to_string(i) + "]", problems);
    HuntGroup g;
    if (auto number = group.string("number", true)) g.number = *number;
    if (auto name = group.string("group", true)) g.group = *name;
    group.reject_unknown_keys();
    config.hunt_groups.push_back(std::move(g));
  }
}

void read_tenants(const nlohmann::json& object, std::vector<std::string>& problems, PbxConfig& config) {
  for (const auto& [name, value] : object.items()) {
    ObjectReader tenant(value, "tenants." + name, problems);
    TenantPbx t;
    if (auto notify = tenant.choice("notify_agent", {"none", "info", "beep", "beep_and_info"}))
      t.notify_agent = *notify;
    if (auto sees = tenant.boolean("agent_sees_listening")) t.agent_sees_listening = *sees;
    tenant.reject_unknown_keys();
    config.tenants[name] = t;
  }
}

void read_console(ObjectReader& reader, PbxConfig& config) {
  ConsoleConfig console;
  if (auto listen = reader.address("listen", true)) console.listen = *listen;
  if (auto root = reader.string("web_root", false)) console.web_root = *root;
  if (auto file = reader.string("logins_file", false)) console.logins_file = *file;
  if (auto v = reader.integer("login_attempts", 1, 1000))
    console.login_attempts = static_cast<std::uint32_t>(*v);
  if (auto v = reader.integer("login_window_seconds", 1, 86400))
    console.login_window_seconds = static_cast<std::uint32_t>(*v);
  if (auto v = reader.integer("session_idle_minutes", 1, 525600))
    console.session_idle_minutes = static_cast<std::uint32_t>(*v);
  reader.reject_unknown_keys();
  config.console = console;
}

bool is_digits(const std::string& text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
}

/// Cross-checks against the directory: accounts are extensions, hunt groups are groups.
void check_against_directory(const Directory& directory, std::vector<std::string>& problems,
                             const PbxConfig& config) {
  for (std::size_t i = 0; i < config.accounts.size(); ++i) {
    const auto& ext = config.accounts[i].extension;
    if (!ext.empty() && !directory.find_extension(ext))
      problems.push_back("accounts[" + std::to_string(i) + "].extension: " + quoted(ext) +
                         " is not in directory.extensions");
  }
  for (std::size_t i = 0; i < config.hunt_groups.size(); ++i) {
    const auto& g = config.hunt_groups[i];
    const std::string at = "hunt_groups[" + std::to_string(i) + "]";
    if (!g.number.empty() && !is_digits(g.number))
      problems.push_back(at + ".number: " + quoted(g.number) + " must be digits only");
    if (!g.number.empty() && config.account(g.number))
      problems.push_back(at + ".number: " + quoted(g.number) + " is an account's extension too");
    if (!g.group.empty() && !directory.find_group(g.group))
      problems.push_back(at + ".group: " + quoted(g.group) + " is not in directory.groups");
  }
  if (config.trunk && !config.trunk->tenant.empty() && !directory.find_tenant(config.trunk->tenant))
    problems.push_back("trunk.tenant: " + quoted(config.trunk->tenant) + " is not in directory.tenants");
  for (const auto& [name, settings] : config.tenants)
    if (!directory.find_tenant(name)) problems.push_back("tenants." + name + ": not in directory.tenants");
}

}  // namespace

const Account* PbxConfig::account(const std::string& extension) const {
  for (const auto& a : accounts)
    if (a.extension == extension) return &a;
  return nullptr;
}

const HuntGroup* PbxConfig::hunt_group(const std::string& number) const {
  for (const auto& g : hunt_groups)
    if (g.number == number) return &g;
  return nullptr;
}

const TenantPbx& PbxConfig::tenant(const std::string& name) const {
  static const TenantPbx defaults;
  const auto it = tenants.find(name);
  return it == tenants.end() ? defaults : it->second;
}

ConfigResult parse_config(const std::string& json_text) {
  ConfigResult result;
  auto& problems = result.problems;
  auto& config = result.config;
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(json_text);
  } catch (const nlohmann::json::parse_error& e) {
    problems.push_back(std::string("not valid JSON: ") + e.what());
    return result;
  }
  ObjectReader top(doc, "", problems);
  if (const auto* sip = top.member("sip", value_t::object, true)) {
    ObjectReader reader(*sip, "sip", problems);
    read_sip(reader, config);
  }
  if (const auto* rtp = top.member("rtp", value_t::object, true)) {
    ObjectReader reader(*rtp, "rtp", problems);
    read_rtp(reader, config);
  }
  if (const auto* trunk = top.member("trunk", value_t::object, false)) {
    ObjectReader reader(*trunk, "trunk", problems);
    Trunk t;
    t.name = reader.string("name", false).value_or("trunk");
    if (auto address = reader.address("address", true)) t.address = *address;
    if (auto tenant = reader.string("tenant", true)) t.tenant = *tenant;
    reader.reject_unknown_keys();
    config.trunk = t;
  }
  if (const auto* accounts = top.member("accounts", value_t::array, true))
    read_accounts(*accounts, problems, config);
  if (const auto* groups = top.member("hunt_groups", value_t::array, false))
    read_hunt_groups(*groups, problems, config);
  if (const auto* tenants = top.member("tenants", value_t::object, false))
    read_tenants(*tenants, problems, config);
  if (auto audit = top.string("audit_log", false)) config.audit_log = *audit;
  if (const auto* admin = top.member("admin", value_t::object, false)) {
    ObjectReader reader(*admin, "admin", problems);
    config.admin_listen = reader.address("listen", true);
    reader.reject_unknown_keys();
  }
  if (const auto* console = top.member("console", value_t::object, false)) {
    ObjectReader reader(*console, "console", problems);
    read_console(reader, config);
  }
  if (const auto* directory_doc = top.member("directory", value_t::object, true)) {
    config.directory_json = directory_doc->dump();
    Directory scratch;
    try {
      load_directory_json(scratch, config.directory_json);
      check_against_directory(scratch, problems, config);
    } catch (const Error& e) {
      problems.push_back(std::string("directory.") + e.what());
    }
  }
  top.reject_unknown_keys();
  return result;
}

ConfigResult load_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ConfigResult result;
    result.problems.push_back(path + ": cannot be read");
    return result;
  }
  std::ostringstream text;
  text << in.rdbuf();
  auto result = parse_config(text.str());
  for (auto& problem : result.problems) problem = path + ": " + problem;
  return result;
}

/// The sample's console passwords web-700, web-744, web-745 and web-790, hashed once with
/// callsup-pbx --hash-password (fixed here so that --print-config prints the same file each time).
constexpr const char* sample_web_hashes[] = {
    "$argon2id$v=19$m=65536,t=2,p=1$Yz+nlw9KaNQaPG5UoG/cjQ$xZ1Emzod7FaM7aMY/qAr9Xibv0BwZ6Oli65HhSP8mWg",
    "$argon2id$v=19$m=65536,t=2,p=1$kMaHDaJmkkQFtNaR4XNqbg$DHh+mDh4aIwN2I+BCteUT4qT9wwdH4JdC/Bg0M+ENrw",
    "$argon2id$v=19$m=65536,t=2,p=1$JlDlhv2mAvo/cvy8AHcdeg$cAjg9d06sbKtuQrdctgNKJG1YspMcMnCPaHB87oCIgo",
    "$argon2id$v=19$m=65536,t=2,p=1$XsxJslh8K7zRcDuNw76WhQ$Bhvh5+1WVbb0ItQ3fFZ/l4o1Atb4dPCYj2vqzdgsMTo"};

std::string sample_config_json() {
  const nlohmann::ordered_json sample = {
      {"sip", {{"listen", "127.0.0.1:5060"}, {"realm", "callsup"}}},
      {"rtp", {{"address", "127.0.0.1"}, {"port_min", 30000}, {"port_max", 30999}}},
      {"trunk", {{"name", "carrier"}, {"address", "127.0.0.1:5080"}, {"tenant", "acme"}}},
      {"accounts",
       {{{"extension", "700"},
         {"password", "secret-700"},
         {"srtp", "optional"},
         {"web_password_hash", sample_web_hashes[0]}},
        {{"extension", "744"},
         {"password", "secret-744"},
         {"srtp", "optional"},
         {"web_password_hash", sample_web_hashes[1]}},
        {{"extension", "745"},
         {"password", "secret-745"},
         {"srtp", "optional"},
         {"web_password_hash", sample_web_hashes[2]}},
        {{"extension", "790"},
         {"password", "secret-790"},
         {"srtp", "optional"},
         {"web_password_hash", sample_web_hashes[3]}}}},
      {"hunt_groups", {{{"number", "600"}, {"group", "Support"}}}},
      {"tenants", {{"acme", {{"notify_agent", "beep_and_info"}}}}},
      {"audit_log", "pbx-audit.jsonl"},
      {"admin", {{"listen", "127.0.0.1:8089"}}},
      {"console", {{"listen", "127.0.0.1:8080"}, {"logins_file", "pbx-console-logins.json"}}},
      {"directory",
       {{"tenants",
         {{{"name", "acme"}, {"supervision_enabled", true}, {"feature_code_plan", "portaswitch"}}}},
        {"extensions",
         {{{"extension", "700"},
           {"tenant", "acme"},
           {"display_name", "Sam Supervisor"},
           {"roles", {"supervisor"}},
           {"can_supervise", true},
           {"granted_modes", "barge"}},
          {{"extension", "744"}, {"tenant", "acme"}, {"display_name", "Alice"}, {"roles", {"agent"}}},
          {{"extension", "745"}, {"tenant", "acme"}, {"display_name", "Bert"}, {"roles", {"agent"}}},
          {{"extension", "790"},
           {"tenant", "acme"},
           {"display_name", "Ada Admin"},
           {"roles", {"tenant_admin"}},
           {"can_supervise", true},
           {"granted_modes", "barge"}}}},
        {"groups",
         {{{"name", "Support"},
           {"tenant", "acme"},
           {"members", {"744", "745"}},
           {"supervisors", {"700"}}}}}}}};
  return sample.dump(2) + "\n";
}

}  // namespace callsup::pbx
