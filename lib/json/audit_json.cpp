// callsup: audit records to and from one line of JSON.
#include "callsup/json/audit_json.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "callsup/error.hpp"

namespace callsup {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

// The keys in the order they are written: the documented order reads best in a log.
constexpr std::array<const char*, 19> all_keys{
    "seq",    "time",       "kind",  "tenant",    "session",  "call",   "supervisor", "supervisor_leg",
    "target", "target_leg", "mode",  "from_mode", "decision", "reason", "rule",       "end_reason",
    "source", "channel",    "detail"};
// Records written by earlier versions have no "channel" (they read as "api").
constexpr const char* optional_key = "channel";

// --- time ---------------------------------------------------------------------------

std::string format_time(std::chrono::system_clock::time_point time) {
  using namespace std::chrono;
  // floor, not duration_cast: before 1970 the millisecond part must still count upwards.
  const auto ms = floor<milliseconds>(time);
  const auto day = floor<days>(ms);
  const year_month_day date{day};
  const hh_mm_ss clock{ms - day};
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()), static_cast<int>(clock.subseconds().count()));
  return text;
}

// Reads `count` digits at `pos`; false when any of them is not a digit.
bool read_digits(std::string_view text, std::size_t pos, std::size_t count, int& out) {
  out = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

std::optional<std::chrono::system_clock::time_point> parse_time(std::string_view text) {
  using namespace std::chrono;
  // Exactly the form format_time writes: YYYY-MM-DDTHH:MM:SS.mmmZ (24 characters).
  if (text.size() != 24 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':' || text[19] != '.' || text[23] != 'Z')
    return std::nullopt;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, ms = 0;
  if (!read_digits(text, 0, 4, y) || !read_digits(text, 5, 2, mo) || !read_digits(text, 8, 2, d) ||
      !read_digits(text, 11, 2, h) || !read_digits(text, 14, 2, mi) || !read_digits(text, 17, 2, s) ||
      !read_digits(text, 20, 3, ms))
    return std::nullopt;
  const year_month_day date{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  // system_clock has no leap seconds, so :60 is as invalid as 25:00.
  if (!date.ok() || h > 23 || mi > 59 || s > 59) return std::nullopt;
  const auto since_epoch =
      sys_days{date}.time_since_epoch() + hours{h} + minutes{mi} + seconds{s} + milliseconds{ms};
  // system_clock counts nanoseconds in 64 bits (years 1677..2262); refuse what it cannot hold
  // rather than wrap around to another date.
  constexpr auto lowest = duration_cast<milliseconds>(system_clock::duration::min());
  constexpr auto highest = duration_cast<milliseconds>(system_clock::duration::max());
  if (since_epoch < lowest || since_epoch > highest) return std::nullopt;
  return system_clock::time_point{duration_cast<system_clock::duration>(since_epoch)};
}

// --- parsing helpers ----------------------------------------------------------------

// Bounds the value echoed in an error message: the line may be huge or hostile.
std::string shown(const json& value) {
  std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  if (text.size() > 80) text = text.substr(0, 77) + "...";
  return text;
}

[[noreturn]] void bad_field(std::string_view key, const std::string& problem) {
  throw Error(errc::invalid_argument, "audit line: field " + quoted(key) + " " + problem);
}

const std::string& get_string(const json& object, const char* key) {
  const json& value = object.at(key);
  if (!value.is_string()) bad_field(key, "must be a string, got " + shown(value));
  return value.get_ref<const std::string&>();
}

std::uint64_t get_unsigned(const json& object, const char* key) {
  const json& value = object.at(key);
  // nlohmann keeps "-1" as number_integer and "1.0" as number_float: both refused.
  if (!value.is_number_unsigned()) bad_field(key, "must be a non-negative integer, got " + shown(value));
  return value.get<std::uint64_t>();
}

template <typename T, typename Parse>
T get_enum(const json& object, const char* key, Parse parse) {
  const std::string& text = get_string(object, key);
  if (auto parsed = parse(text)) return *parsed;
  bad_field(key, "has unknown value " + quoted(text));
}

std::optional<Mode> get_optional_mode(const json& object, const char* key) {
  const json& value = object.at(key);
  if (value.is_null()) return std::nullopt;
  if (!value.is_string()) bad_field(key, "must be a mode name or null, got " + shown(value));
  return get_enum<Mode>(object, key, mode_from_string);
}

json parse_object(std::string_view line) {
  // nlohmann keeps the last of two equal keys; in an audit trail a line with two
  // different "decision"s is tampering or a bug, never something to resolve silently.
  std::set<std::string> seen;
  std::string duplicate;
  auto on_event = [&](int depth, json::parse_event_t event, json& parsed) {
    if (depth == 1 && event == json::parse_event_t::key && duplicate.empty() &&
        !seen.insert(parsed.get<std::string>()).second)
      duplicate = parsed.get<std::string>();
    return true;
  };
  json object;
  try {
    object = json::parse(line.begin(), line.end(), on_event);
  } catch (const json::exception& error) {  // syntax, and numbers out of range
    throw Error(errc::invalid_argument, std::string("audit line: invalid JSON: ") + error.what());
  }
  if (!object.is_object())
    throw Error(errc::invalid_argument, "audit line: expected a JSON object, got " + shown(object));
  if (!duplicate.empty())
    throw Error(errc::invalid_argument, "audit line: duplicate key " + quoted(duplicate));
  for (const auto& [key, value] : object.items()) {
    bool known = false;
    for (const char* expected : all_keys) known = known || key == expected;
    if (!known) throw Error(errc::invalid_argument, "audit line: unknown key " + quoted(key));
  }
  for (const char* key : all_keys)
    if (key != std::string_view(optional_key) && !object.contains(key))
      throw Error(errc::invalid_argument, "audit line: missing key " + quoted(key));
  return object;
}

}  // namespace

std::string to_json_line(const AuditRecord& record) {
  auto mode_or_null = [](const std::optional<Mode>& mode) {
    return mode ? ordered_json(std::string(to_string(*mode))) : ordered_json(nullptr);
  };
  ordered_json line;
  line["seq"] = record.sequence;
  line["time"] = format_time(record.time);
  line["kind"] = std::string(to_string(record.kind));
  line["tenant"] = record.tenant;
  line["session"] = record.session;
  line["call"] = record.call;
  line["supervisor"] = record.supervisor;
  line["supervisor_leg"] = record.supervisor_leg;
  line["target"] = record.target;
  line["target_leg"] = record.target_leg;
  line["mode"] = mode_or_null(record.mode);
  line["from_mode"] = mode_or_null(record.from_mode);
  line["decision"] = record.allowed ? "allowed" : "denied";
  line["reason"] = std::string(to_string(record.reason));
  line["rule"] = record.rule;
  line["end_reason"] = std::string(to_string(record.end_reason));
  line["source"] = std::string(to_string(record.source));
  line["channel"] = std::string(to_string(record.channel));
  line["detail"] = record.detail;
  // Invalid UTF-8 (a display name from a misconfigured PBX) becomes U+FFFD rather than
  // an exception: losing the audit record would be worse than losing the bad bytes.
  // Control characters are escaped by dump(), so the record stays on one line.
  return line.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

AuditRecord parse_audit_line(std::string_view line) {
  const json object = parse_object(line);
  AuditRecord record;
  record.sequence = get_unsigned(object, "seq");
  const std::string& time = get_string(object, "time");
  auto parsed_time = parse_time(time);
  if (!parsed_time)
    bad_field("time", "is " + quoted(time) + ", expected UTC like '2026-11-21T10:15:02.123Z'");
  record.time = *parsed_time;
  record.kind = get_enum<EventKind>(object, "kind", event_kind_from_string);
  record.tenant = get_string(object, "tenant");
  record.session = get_unsigned(object, "session");
  record.call = get_string(object, "call");
  record.supervisor = get_string(object, "supervisor");
  record.supervisor_leg = get_string(object, "supervisor_leg");
  record.target = get_string(object, "target");
  record.target_leg = get_string(object, "target_leg");
  record.mode = get_optional_mode(object, "mode");
  record.from_mode = get_optional_mode(object, "from_mode");
  const std::string& decision = get_string(object, "decision");
  if (decision != "allowed" && decision != "denied")
    bad_field("decision", "is " + quoted(decision) + ", expected 'allowed' or 'denied'");
  record.allowed = decision == "allowed";
  record.reason = get_enum<Reason>(object, "reason", reason_from_string);
  record.rule = get_string(object, "rule");
  record.end_reason = get_enum<EndReason>(object, "end_reason", end_reason_from_string);
  record.source = get_enum<EventSource>(object, "source", event_source_from_string);
  if (object.contains("channel"))
    record.channel = get_enum<RequestChannel>(object, "channel", request_channel_from_string);
  record.detail = get_string(object, "detail");
  return record;
}

}  // namespace callsup
