// Over 400 lines: the document's four record kinds and their checks, one function each, read top to
// bottom as docs/policy.md's table.
// callsup: loading a Directory from a JSON document.
#include "callsup/json/directory_json.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "callsup/error.hpp"
#include "callsup/mode.hpp"
#include "callsup/model/profile.hpp"
#include "callsup/vendor/portaswitch.hpp"
#include "directory_json_terms.hpp"
#include "json_object_reader.hpp"

namespace callsup {
namespace {

using nlohmann::json;
using namespace detail::json_reader;

// --- parsing with duplicate-key detection ----------------------------------------------

// nlohmann keeps the last of two equal keys. In a directory that decides who may listen
// to whose calls, {"privacy": true, "privacy": false} must be an error, not a coin flip,
// so the parse callback tracks where it is and remembers the first duplicate.
class DuplicateKeyFinder {
 public:
  bool on_event(json::parse_event_t event, const json& parsed) {
    switch (event) {
    case json::parse_event_t::object_start: frames_.push_back({true}); break;
    case json::parse_event_t::array_start: frames_.push_back({false}); break;
    case json::parse_event_t::object_end:
    case json::parse_event_t::array_end:
      frames_.pop_back();
      finish_child();
      break;
    case json::parse_event_t::key: {
      auto& frame = frames_.back();
      frame.key = parsed.get<std::string>();
      if (!frame.keys.insert(frame.key).second && !duplicate_)
        duplicate_ = path_of(frames_.size() - 1) + ": duplicate key " + quoted(frame.key);
      break;
    }
    case json::parse_event_t::value: finish_child(); break;
    }
    return true;
  }
  const std::optional<std::string>& duplicate() const { return duplicate_; }

 private:
  struct Frame {
    bool object = false;
    std::string key{};             // objects: the key whose value is being read
    std::size_t count = 0;         // arrays: elements completed so far
    std::set<std::string> keys{};  // objects: keys seen so far
  };

  void finish_child() {
    if (!frames_.empty()) ++frames_.back().count;
  }
  // The path of frames_[depth]: each enclosing frame contributes its current key or index.
  std::string path_of(std::size_t depth) const {
    std::string path;
    for (std::size_t i = 0; i < depth; ++i) {
      if (frames_[i].object)
        path += (path.empty() ? "" : ".") + frames_[i].key;
      else
        path += "[" + std::to_string(frames_[i].count) + "]";
    }
    return path.empty() ? "document" : path;
  }

  std::vector<Frame> frames_;
  std::optional<std::string> duplicate_;
};

json parse_document(std::string_view text) {
  DuplicateKeyFinder finder;
  json document;
  try {
    document = json::parse(text.begin(), text.end(), [&](int, json::parse_event_t event, json& parsed) {
      return finder.on_event(event, parsed);
    });
  } catch (const json::exception& error) {
    // Syntax errors, and numbers out of range (found by the fuzzer: 8888.888E444444).
    // Drop nlohmann's "[json.exception.parse_error.101] " tag; keep line, column, cause.
    std::string message = error.what();
    if (auto tag_end = message.find("] ");
        message.rfind("[json.exception", 0) == 0 && tag_end != std::string::npos)
      message.erase(0, tag_end + 2);
    throw Error(errc::malformed_directory, "invalid JSON: " + message);
  }
  if (finder.duplicate()) throw Error(errc::malformed_directory, *finder.duplicate());
  return document;
}

// --- records ---------------------------------------------------------------------------

template <typename T>
struct Entry {
  std::string path;  // "extensions[3]": prefixes every error about this record
  T record;
};

struct Document {
  std::vector<Entry<TenantSettings>> tenants;
  std::vector<Entry<Site>> sites;
  std::vector<Entry<ExtensionProfile>> extensions;
  std::vector<Entry<Group>> groups;
};

TenantSettings read_tenant(const ObjectReader& in) {
  TenantSettings tenant;
  tenant.name = in.required_string("name");
  tenant.supervision_enabled = in.boolean("supervision_enabled", tenant.supervision_enabled);
  tenant.feature_code_plan = in.string("feature_code_plan", tenant.feature_code_plan);
  if (in.has("limits")) {
    const ObjectReader limits(in.value("limits"), in.at("limits"),
                              {"max_supervisors_per_call", "max_bargers_per_call"});
    tenant.limits.max_supervisors_per_call =
        limits.count("max_supervisors_per_call", tenant.limits.max_supervisors_per_call);
    tenant.limits.max_bargers_per_call =
        limits.count("max_bargers_per_call", tenant.limits.max_bargers_per_call);
  }
  tenant.bridged_only = in.boolean("bridged_only", tenant.bridged_only);
  tenant.whisper_topology_rule = in.boolean("whisper_topology_rule", tenant.whisper_topology_rule);
  tenant.session_defaults = read_session_defaults(in, "session_defaults");
  apply_tenant_vendor_terms(in, tenant);
  return tenant;
}

Site read_site(const ObjectReader& in) {
  Site site;
  site.name = in.required_string("name");
  site.tenant = in.required_string("tenant");
  return site;
}

Mode read_mode(const json& value, const std::string& path) {
  if (auto mode = mode_from_string(value.get<std::string>())) return *mode;
  malformed(path,
            "unknown mode " + quoted(value.get<std::string>()) + " (expected listen, whisper or barge)");
}

ModeSet read_granted_modes(const ObjectReader& in) {
  if (!in.has("granted_modes")) return ExtensionProfile{}.granted_modes;
  const json& value = in.value("granted_modes");
  const std::string path = in.at("granted_modes");
  if (value.is_string()) {
    // A single name is the hierarchical grant most PBXs configure ("SPY_PERMISSION").
    if (value.get<std::string>() == "none") return ModeSet::none();
    return ModeSet::up_to(read_mode(value, path));
  }
  expect_type(value, value.is_array(), path, "array of mode names or a single mode name");
  ModeSet modes;
  for (std::size_t i = 0; i < value.size(); ++i) {
    expect_type(value[i], value[i].is_string(), element(path, i), "string");
    modes.add(read_mode(value[i], element(path, i)));
  }
  return modes;
}

ExtensionProfile read_extension(const ObjectReader& in) {
  ExtensionProfile profile;
  profile.extension = in.required_string("extension");
  profile.tenant = in.required_string("tenant");
  profile.site = in.string("site", profile.site);
  profile.display_name = in.string("display_name", profile.display_name);
  const auto roles = in.strings("roles");
  for (std::size_t i = 0; i < roles.size(); ++i) {
    try {
      profile.roles.push_back(parse_role(roles[i]));
    } catch (const Error& error) {
      malformed(element(in.at("roles"), i), error.what());
    }
  }
  profile.can_supervise = in.boolean("can_supervise", profile.can_supervise);
  profile.granted_modes = read_granted_modes(in);
  profile.privacy = in.boolean("privacy", profile.privacy);
  profile.managed_sites = in.strings("managed_sites");
  profile.allow_list = in.strings("allow_list");
  profile.scope = read_scope(in);
  profile.channels = read_channels(in);
  profile.session_defaults = read_session_defaults(in, "session_defaults");
  apply_extension_vendor_terms(in, profile);  // a vendor's terms say the last word
  return profile;
}

Group read_group(const ObjectReader& in) {
  Group group;
  group.name = in.required_string("name");
  group.tenant = in.required_string("tenant");
  group.members = in.strings("members");
  group.supervisors = in.strings("supervisors");
  group.supervision_allowed = in.boolean("supervision_allowed", group.supervision_allowed);
  return group;
}

// PortaSwitch's "add to the hunt group's supervisors" also lets the extension supervise:
// its record must be in the same document, which gets what portaswitch gives it.
void make_portaswitch_supervisors(Document& document, const std::string& group_path,
                                  const std::vector<std::string>& supervisors) {
  for (const std::string& extension : supervisors) {
    auto found = std::find_if(
        document.extensions.begin(), document.extensions.end(),
        [&](const Entry<ExtensionProfile>& entry) { return entry.record.extension == extension; });
    if (found == document.extensions.end())
      malformed(
          group_path + ".portaswitch.supervisors",
          "extension " + quoted(extension) +
              " is not in this document (add its record here, or call portaswitch::add_group_supervisor)");
    vendor::portaswitch::make_group_supervisor(found->record);
  }
}

template <typename T, typename Read>
void read_section(const ObjectReader& root, const char* key, std::initializer_list<const char*> keys,
                  Read read, std::vector<Entry<T>>& out) {
  if (!root.has(key)) return;
  const json& list = root.value(key);
  expect_type(list, list.is_array(), root.at(key), "array");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const ObjectReader in(list[i], element(root.at(key), i), keys);
    out.push_back({in.path(), read(in)});
  }
}

Document read_document(const json& root_value) {
  const ObjectReader root(root_value, "document", {"tenants", "sites", "extensions", "groups"});
  Document document;
  read_section<TenantSettings>(root, "tenants",
                               {"name", "supervision_enabled", "feature_code_plan", "limits", "bridged_only",
                                "whisper_topology_rule", "session_defaults", "portaswitch", "stratus"},
                               read_tenant, document.tenants);
  read_section<Site>(root, "sites", {"name", "tenant"}, read_site, document.sites);
  read_section<ExtensionProfile>(
      root, "extensions",
      {"extension", "tenant", "site", "display_name", "roles", "can_supervise", "granted_modes", "privacy",
       "managed_sites", "allow_list", "scope", "channels", "session_defaults", "tronic", "asterisk_spy",
       "stratus", "lead_center"},
      read_extension, document.extensions);
  std::vector<std::pair<std::string, std::vector<std::string>>> portaswitch_supervisors;
  read_section<Group>(
      root, "groups", {"name", "tenant", "members", "supervisors", "supervision_allowed", "portaswitch"},
      [&](const ObjectReader& in) {
        Group group = read_group(in);
        auto listed = apply_group_vendor_terms(in, group);
        if (!listed.empty()) portaswitch_supervisors.emplace_back(in.path(), std::move(listed));
        return group;
      },
      document.groups);
  for (const auto& [path, supervisors] : portaswitch_supervisors)
    make_portaswitch_supervisors(document, path, supervisors);
  return document;
}

// --- validation and application --------------------------------------------------------

// Runs one Directory operation for the record at `path`; its errors keep their code and
// gain the path, so the integrator can find the record in the file.
template <typename Fn>
void at_path(const std::string& path, Fn&& operation) {
  try {
    operation();
  } catch (const Error& error) {
    throw Error(error.code(), path + ": " + error.what());
  }
}

[[noreturn]] void already_exists(const std::string& path, const char* what, const std::string& name) {
  throw Error(errc::duplicate_id,
              path + ": " + what + " " + quoted(name) + " already exists in the directory");
}

// The scratch directory must see what the document may refer to in `target`: tenants,
// sites and the extensions its groups name. Directory cannot say which tenant a site
// belongs to, but its extensions can (each one's site and managed sites were checked
// against its tenant), so the first lookup builds that map from them.
class TargetSites {
 public:
  explicit TargetSites(const Directory& target) : target_(target) {}

  bool has(const std::string& site) const { return target_.has_site(site); }
  std::shared_ptr<const TenantSettings> find_tenant(const std::string& name) const {
    return target_.find_tenant(name);
  }

  /// The tenant of a site of the target; nullopt when no extension of it tells.
  std::optional<std::string> tenant_of(const std::string& site) {
    if (!tenant_of_) {
      tenant_of_.emplace();
      for (const auto& ext : target_.extensions()) {
        const auto profile = target_.find_extension(ext);
        if (!profile) continue;  // removed meanwhile
        if (!profile->site.empty()) tenant_of_->emplace(profile->site, profile->tenant);
        for (const auto& managed : profile->managed_sites) tenant_of_->emplace(managed, profile->tenant);
      }
    }
    auto it = tenant_of_->find(site);
    if (it == tenant_of_->end()) return std::nullopt;
    return it->second;
  }

 private:
  const Directory& target_;
  std::optional<std::map<std::string, std::string>> tenant_of_;
};

// Copies a site of the target into the scratch, under its real tenant when the target's
// extensions tell it, else under the tenant of the extension naming it (a site nobody
// uses yet: if that guess is wrong, only the final apply step finds out).
void seed_site(Directory& scratch, TargetSites& target_sites, const std::string& site,
               const std::string& naming_tenant) {
  if (site.empty() || scratch.has_site(site) || !target_sites.has(site)) return;
  const auto known = target_sites.tenant_of(site);
  const std::string tenant = known.value_or(naming_tenant);
  if (!scratch.find_tenant(tenant)) {
    // A site of another tenant: bring that tenant along, so the scratch says "site of
    // another tenant" rather than "unknown site". An unknown naming tenant is left for
    // the scratch to report.
    auto settings = known ? target_sites.find_tenant(tenant) : nullptr;
    if (!settings) return;
    scratch.set_tenant(*settings);
  }
  scratch.add_site({site, tenant});
}

void seed_sites_of(Directory& scratch, TargetSites& target_sites, const ExtensionProfile& profile) {
  seed_site(scratch, target_sites, profile.site, profile.tenant);
  for (const auto& site : profile.managed_sites) seed_site(scratch, target_sites, site, profile.tenant);
}

void validate(const Document& document, const Directory& target) {
  Directory scratch;
  TargetSites target_sites(target);

  std::map<std::string, std::string> tenant_paths;  // name -> path of its definition
  for (const auto& [path, tenant] : document.tenants)
    if (auto [it, inserted] = tenant_paths.emplace(tenant.name, path); !inserted)
      throw Error(errc::duplicate_id,
                  path + ": tenant " + quoted(tenant.name) + " is already defined at " + it->second);
  std::set<std::string> document_extensions;
  for (const auto& entry : document.extensions) document_extensions.insert(entry.record.extension);

  // Extensions of the target that the document's groups name.
  std::map<std::string, std::shared_ptr<const ExtensionProfile>> seed_extensions;
  for (const auto& entry : document.groups)
    for (const auto* list : {&entry.record.members, &entry.record.supervisors})
      for (const auto& ext : *list)
        if (!document_extensions.count(ext) && !seed_extensions.count(ext))
          if (auto profile = target.find_extension(ext)) seed_extensions.emplace(ext, std::move(profile));

  // Tenants the document names without defining them.
  std::set<std::string> named_tenants;
  for (const auto& entry : document.sites) named_tenants.insert(entry.record.tenant);
  for (const auto& entry : document.extensions) named_tenants.insert(entry.record.tenant);
  for (const auto& entry : document.groups) named_tenants.insert(entry.record.tenant);
  for (const auto& [ext, profile] : seed_extensions) named_tenants.insert(profile->tenant);
  for (const auto& name : named_tenants)
    if (!tenant_paths.count(name))
      if (auto settings = target.find_tenant(name)) scratch.set_tenant(*settings);

  // Loop variables are plain references, not structured bindings: lambdas capturing
  // bindings need clang 16.
  for (const auto& entry : document.tenants) at_path(entry.path, [&] { scratch.set_tenant(entry.record); });
  for (const auto& entry : document.sites) {
    if (target.has_site(entry.record.name)) already_exists(entry.path, "site", entry.record.name);
    at_path(entry.path, [&] { scratch.add_site(entry.record); });
  }
  for (const auto& seed : seed_extensions) {
    const ExtensionProfile& profile = *seed.second;
    seed_sites_of(scratch, target_sites, profile);
    at_path("extension " + quoted(seed.first) + " of the directory", [&] { scratch.add_extension(profile); });
  }
  for (const auto& entry : document.extensions) {
    const std::string& ext = entry.record.extension;
    if (target.find_extension(ext)) already_exists(entry.path, "extension", ext);
    seed_sites_of(scratch, target_sites, entry.record);
    at_path(entry.path, [&] { scratch.add_extension(entry.record); });
  }
  for (const auto& entry : document.groups) {
    if (target.find_group(entry.record.name)) already_exists(entry.path, "group", entry.record.name);
    at_path(entry.path, [&] { scratch.add_group(entry.record); });
  }
}

void apply(const Document& document, Directory& target) {
  for (const auto& entry : document.tenants) at_path(entry.path, [&] { target.set_tenant(entry.record); });
  for (const auto& entry : document.sites) at_path(entry.path, [&] { target.add_site(entry.record); });
  for (const auto& entry : document.extensions)
    at_path(entry.path, [&] { target.add_extension(entry.record); });
  for (const auto& entry : document.groups) at_path(entry.path, [&] { target.add_group(entry.record); });
}

std::string read_file(const std::string& path) {
  auto fail = [&](const char* what, int error) -> Error {
    return Error(errc::io_error, "directory file " + quoted(path) + ": " + what + ": " +
                                     std::system_category().message(error));
  };
  int fd = -1;
  do {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) throw fail("cannot open", errno);
  std::string text;
  char buffer[65536];
  for (;;) {
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got < 0) {
      if (errno == EINTR) continue;
      const int error = errno;  // EISDIR for a directory: open() succeeds, read() does not
      ::close(fd);
      throw fail("cannot read", error);
    }
    if (got == 0) break;
    text.append(buffer, static_cast<std::size_t>(got));
  }
  ::close(fd);
  return text;
}

}  // namespace

void load_directory_json(Directory& directory, std::string_view json_text) {
  const Document document = read_document(parse_document(json_text));
  validate(document, directory);
  apply(document, directory);
}

void load_directory_file(Directory& directory, const std::string& path) {
  const std::string text = read_file(path);
  try {
    load_directory_json(directory, text);
  } catch (const Error& error) {
    throw Error(error.code(), quoted(path) + ": " + error.what());
  }
}

}  // namespace callsup
