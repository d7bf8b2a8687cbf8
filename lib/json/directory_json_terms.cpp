// callsup: reading vendor terms and session defaults from directory records.
#include "directory_json_terms.hpp"

#include <optional>
#include <string>
#include <utility>

#include "callsup/session/session_options.hpp"
#include "callsup/vendor/terms.hpp"

namespace callsup::detail::json_reader {
namespace {

// A term's value as the term functions take it: strings as written, booleans as yes/no.
std::string term_value(const json& value, const std::string& path) {
  if (value.is_boolean()) return value.get<bool>() ? "yes" : "no";
  expect_type(value, value.is_string(), path, "string or boolean");
  return value.get<std::string>();
}

// Runs a term function; its invalid_argument becomes malformed_directory at `path`.
template <typename Fn>
void at(const std::string& path, Fn&& apply) {
  try {
    apply();
  } catch (const Error& error) {
    if (error.code() != errc::invalid_argument) throw;
    malformed(path, error.what());
  }
}

template <std::size_t N, typename Apply>
void each_vendor(const ObjectReader& in, const char* const (&vendors)[N], Apply&& apply) {
  for (const char* vendor : vendors) {
    if (!in.has(vendor)) continue;
    const json& object = in.value(vendor);
    const std::string path = in.at(vendor);
    expect_type(object, object.is_object(), path, "object of vendor terms");
    apply(vendor, object, path);
  }
}

vendor::TermValues term_values(const json& object, const std::string& path, const char* skip = nullptr) {
  vendor::TermValues values;
  for (const auto& [term, value] : object.items())
    if (!skip || term != skip) values.emplace_back(term, term_value(value, child(path, term)));
  return values;
}

template <typename T, typename Parse>
std::optional<T> named(const ObjectReader& in, const char* key, Parse parse) {
  if (!in.has(key)) return std::nullopt;
  const std::string text = in.string(key, "");
  std::optional<T> out;
  at(in.at(key), [&] { out = parse(text); });
  return out;
}

std::optional<bool> flag(const ObjectReader& in, const char* key) {
  if (!in.has(key)) return std::nullopt;
  return in.boolean(key, false);
}

}  // namespace

SessionDefaults read_session_defaults(const ObjectReader& record, const char* key) {
  if (!record.has(key)) return {};
  const ObjectReader in(
      record.value(key), record.at(key),
      {"chanspy", "exit_on_target_hangup", "stop_when_none_left", "bridged_only", "announce",
       "private_whisper", "listen_direction", "stereo", "volume_step", "agent_leaves_in_barge",
       "notify_agent", "monitoring_tone", "follow_on_transfer", "pre_arm", "whisper_to"});
  SessionDefaults out;
  if (in.has("chanspy")) {
    const std::string letters = in.string("chanspy", "");
    at(in.at("chanspy"), [&] { out = chanspy_defaults(letters); });
  }
  auto take = [](auto& to, const auto& from) {
    if (from) to = from;
  };
  take(out.exit_on_target_hangup, flag(in, "exit_on_target_hangup"));
  take(out.stop_when_none_left, flag(in, "stop_when_none_left"));
  take(out.bridged_only, flag(in, "bridged_only"));
  take(out.announce, flag(in, "announce"));
  take(out.private_whisper, flag(in, "private_whisper"));
  take(out.stereo, flag(in, "stereo"));
  take(out.notify_agent, flag(in, "notify_agent"));
  take(out.monitoring_tone, flag(in, "monitoring_tone"));
  take(out.follow_on_transfer, flag(in, "follow_on_transfer"));
  take(out.pre_arm, flag(in, "pre_arm"));
  take(out.listen_direction, named<ListenDirection>(in, "listen_direction", [](const std::string& text) {
         for (auto value :
              {ListenDirection::both, ListenDirection::agent_only, ListenDirection::customer_only})
           if (to_string(value) == text) return value;
         throw Error(errc::invalid_argument, "unknown listen direction " + quoted(text) +
                                                 " (expected both, agent_only or customer_only)");
       }));
  take(out.whisper_to, named<WhisperTo>(in, "whisper_to", [](const std::string& text) {
         for (auto value : {WhisperTo::target, WhisperTo::other_party})
           if (to_string(value) == text) return value;
         throw Error(errc::invalid_argument,
                     "unknown whisper_to " + quoted(text) + " (expected target or other_party)");
       }));
  take(out.agent_leaves_in_barge,
       named<AgentLeavesInBarge>(in, "agent_leaves_in_barge", [](const std::string& text) {
         for (auto value : {AgentLeavesInBarge::end_call, AgentLeavesInBarge::supervisor_takes_over})
           if (to_string(value) == text) return value;
         throw Error(errc::invalid_argument, "unknown agent_leaves_in_barge " + quoted(text) +
                                                 " (expected end_call or supervisor_takes_over)");
       }));
  if (in.has("volume_step")) {
    const json& value = in.value("volume_step");
    if (!value.is_number_integer() || value.get<std::int64_t>() < -4 || value.get<std::int64_t>() > 4)
      malformed(in.at("volume_step"), "expected an integer from -4 to 4, got " + value.dump());
    out.volume_step = static_cast<int>(value.get<std::int64_t>());
  }
  return out;
}

void apply_extension_vendor_terms(const ObjectReader& in, ExtensionProfile& profile) {
  each_vendor(in, extension_vendor_keys,
              [&](const char* vendor, const json& object, const std::string& path) {
                const auto values = term_values(object, path);
                at(path, [&] { vendor::apply_extension_terms(profile, vendor, values); });
              });
}

void apply_tenant_vendor_terms(const ObjectReader& in, TenantSettings& tenant) {
  each_vendor(in, tenant_vendor_keys, [&](const char* vendor, const json& object, const std::string& path) {
    const auto values = term_values(object, path);
    at(path, [&] { vendor::apply_tenant_terms(tenant, vendor, values); });
  });
}

std::vector<std::string> apply_group_vendor_terms(const ObjectReader& in, Group& group) {
  std::vector<std::string> supervisors;
  each_vendor(in, group_vendor_keys, [&](const char* vendor, const json& object, const std::string& path) {
    if (object.contains("supervisors")) {
      const ObjectReader terms(object, path, {"supervision_allowed", "supervisors"});
      supervisors = terms.strings("supervisors");
    }
    const auto values = term_values(object, path, "supervisors");
    at(path, [&] { vendor::apply_group_terms(group, vendor, values); });
  });
  for (const auto& extension : supervisors)
    if (std::find(group.supervisors.begin(), group.supervisors.end(), extension) == group.supervisors.end())
      group.supervisors.push_back(extension);
  return supervisors;
}

SupervisionScope read_scope(const ObjectReader& in) {
  return named<SupervisionScope>(in, "scope", parse_supervision_scope).value_or(SupervisionScope::assigned);
}

ChannelSet read_channels(const ObjectReader& in) {
  if (!in.has("channels")) return ChannelSet::all();
  const auto names = in.strings("channels");
  ChannelSet out;
  for (std::size_t i = 0; i < names.size(); ++i)
    at(element(in.at("channels"), i), [&] { out.add(parse_request_channel(names[i])); });
  return out;
}

}  // namespace callsup::detail::json_reader
