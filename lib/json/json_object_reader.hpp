// callsup (internal): reading a JSON object with paths in every error ("extensions[2].roles[0]:
// ..."), unknown keys refused up front. Used by the directory loader.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "callsup/error.hpp"

namespace callsup::detail::json_reader {

using nlohmann::json;

[[noreturn]] inline void malformed(const std::string& path, const std::string& problem) {
  throw Error(errc::malformed_directory, path + ": " + problem);
}

// --- typed access with paths -----------------------------------------------------------

inline std::string child(const std::string& path, std::string_view key) {
  return path == "document" ? std::string(key) : path + "." + std::string(key);
}
inline std::string element(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

inline void expect_type(const json& value, bool ok, const std::string& path, const char* expected) {
  if (!ok) malformed(path, std::string("expected ") + expected + ", got " + value.type_name());
}

/// An object being read: rejects unknown keys up front, then hands out typed fields.
class ObjectReader {
 public:
  ObjectReader(const json& object, std::string path, std::initializer_list<const char*> keys)
      : object_(object), path_(std::move(path)) {
    expect_type(object_, object_.is_object(), path_, "object");
    for (const auto& [key, value] : object_.items()) {
      bool known = false;
      std::string expected;
      for (const char* allowed : keys) {
        known = known || key == allowed;
        expected += (expected.empty() ? "" : ", ") + std::string(allowed);
      }
      if (!known) malformed(path_, "unknown key " + quoted(key) + " (expected one of " + expected + ")");
    }
  }

  const std::string& path() const { return path_; }
  bool has(const char* key) const { return object_.contains(key); }
  std::string at(const char* key) const { return child(path_, key); }

  std::string required_string(const char* key) const {
    if (!has(key)) malformed(path_, "missing key " + quoted(key));
    return string(key, "");
  }
  std::string string(const char* key, std::string fallback) const {
    if (!has(key)) return fallback;
    const json& value = object_.at(key);
    expect_type(value, value.is_string(), at(key), "string");
    return value.get<std::string>();
  }
  bool boolean(const char* key, bool fallback) const {
    if (!has(key)) return fallback;
    const json& value = object_.at(key);
    expect_type(value, value.is_boolean(), at(key), "boolean");
    return value.get<bool>();
  }
  std::uint32_t count(const char* key, std::uint32_t fallback) const {
    if (!has(key)) return fallback;
    const json& value = object_.at(key);
    // nlohmann reads "-1" as number_integer and "2.0" as number_float: both refused, as
    // is anything a uint32 cannot hold (it would silently wrap).
    if (!value.is_number_unsigned() || value.get<std::uint64_t>() > std::numeric_limits<std::uint32_t>::max())
      malformed(at(key), "expected an integer from 0 to " +
                             std::to_string(std::numeric_limits<std::uint32_t>::max()) + ", got " +
                             (value.is_number() ? value.dump() : std::string(value.type_name())));
    return static_cast<std::uint32_t>(value.get<std::uint64_t>());
  }
  std::vector<std::string> strings(const char* key) const {
    std::vector<std::string> out;
    if (!has(key)) return out;
    const json& list = object_.at(key);
    expect_type(list, list.is_array(), at(key), "array of strings");
    for (std::size_t i = 0; i < list.size(); ++i) {
      expect_type(list[i], list[i].is_string(), element(at(key), i), "string");
      out.push_back(list[i].get<std::string>());
    }
    return out;
  }
  const json& value(const char* key) const { return object_.at(key); }

 private:
  const json& object_;
  std::string path_;
};

}  // namespace callsup::detail::json_reader
