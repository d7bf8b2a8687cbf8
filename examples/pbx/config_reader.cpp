// callsup-pbx: typed reads from the configuration's JSON objects.
#include "config_reader.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>

#include "callsup/error.hpp"

namespace callsup::pbx {

namespace {

const char* type_name(nlohmann::json::value_t type) {
  switch (type) {
  case nlohmann::json::value_t::object: return "an object";
  case nlohmann::json::value_t::array: return "an array";
  case nlohmann::json::value_t::string: return "a string";
  case nlohmann::json::value_t::boolean: return "true or false";
  case nlohmann::json::value_t::number_unsigned:
  case nlohmann::json::value_t::number_integer: return "a whole number";
  default: return "a value";
  }
}

bool has_type(const nlohmann::json& value, nlohmann::json::value_t type) {
  if (type == nlohmann::json::value_t::number_unsigned) return value.is_number_unsigned();
  return value.type() == type;
}

}  // namespace

std::optional<SocketAddress> parse_host_port(const std::string& text) {
  std::string host;
  std::string port;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':') return std::nullopt;
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || text.find(':') != colon) return std::nullopt;
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (host.empty() || ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535)
    return std::nullopt;
  return SocketAddress{host, static_cast<std::uint16_t>(value)};
}

ObjectReader::ObjectReader(const nlohmann::json& object, std::string path, std::vector<std::string>& problems)
    : object_(object), path_(std::move(path)), problems_(problems) {
  if (!object_.is_object()) {
    problems_.push_back((path_.empty() ? std::string("the document") : path_) + ": must be an object");
    valid_ = false;
  }
}

std::string ObjectReader::path_of(const std::string& key) const {
  return path_.empty() ? key : path_ + "." + key;
}

void ObjectReader::problem(const std::string& key, const std::string& what) const {
  problems_.push_back(path_of(key) + ": " + what);
}

const nlohmann::json* ObjectReader::member(const std::string& key, nlohmann::json::value_t type,
                                           bool required) {
  known_.push_back(key);
  if (!valid_) return nullptr;
  const auto it = object_.find(key);
  if (it == object_.end()) {
    if (required) problem(key, "missing (required)");
    return nullptr;
  }
  if (!has_type(*it, type)) {
    problem(key, std::string("must be ") + type_name(type) + ", not " + it->dump());
    return nullptr;
  }
  return &*it;
}

std::optional<std::string> ObjectReader::string(const std::string& key, bool required) {
  const auto* value = member(key, nlohmann::json::value_t::string, required);
  if (!value) return std::nullopt;
  return value->get<std::string>();
}

std::optional<std::uint64_t> ObjectReader::integer(const std::string& key, std::uint64_t min,
                                                   std::uint64_t max) {
  known_.push_back(key);
  if (!valid_) return std::nullopt;
  const auto it = object_.find(key);
  if (it == object_.end()) return std::nullopt;
  if (!it->is_number_integer() || (it->is_number_integer() && !it->is_number_unsigned()) ||
      it->get<std::uint64_t>() < min || it->get<std::uint64_t>() > max) {
    problem(key,
            it->dump() + " is not a whole number in " + std::to_string(min) + ".." + std::to_string(max));
    return std::nullopt;
  }
  return it->get<std::uint64_t>();
}

std::optional<bool> ObjectReader::boolean(const std::string& key) {
  const auto* value = member(key, nlohmann::json::value_t::boolean, false);
  if (!value) return std::nullopt;
  return value->get<bool>();
}

std::optional<SocketAddress> ObjectReader::address(const std::string& key, bool required) {
  const auto text = string(key, required);
  if (!text) return std::nullopt;
  auto parsed = parse_host_port(*text);
  if (!parsed) {
    problem(key, quoted(*text) + " is not host:port (\"127.0.0.1:5060\", \"[::1]:5060\")");
  } else if (!is_ip_address(parsed->ip)) {
    problem(key, quoted(*text) + ": the host must be an IP address (the PBX resolves no names)");
    parsed.reset();
  }
  return parsed;
}

bool is_ip_address(const std::string& text) {
  in6_addr scratch{};
  return inet_pton(AF_INET, text.c_str(), &scratch) == 1 || inet_pton(AF_INET6, text.c_str(), &scratch) == 1;
}

std::optional<std::string> ObjectReader::choice(const std::string& key,
                                                std::initializer_list<const char*> choices) {
  const auto text = string(key, false);
  if (!text) return std::nullopt;
  for (const char* choice : choices)
    if (*text == choice) return text;
  std::string list;
  for (const char* choice : choices) list += std::string(list.empty() ? "" : ", ") + choice;
  problem(key, quoted(*text) + " is not one of " + list);
  return std::nullopt;
}

void ObjectReader::reject_unknown_keys() {
  if (!valid_) return;
  for (const auto& [key, value] : object_.items())
    if (std::find(known_.begin(), known_.end(), key) == known_.end()) problem(key, "unknown key");
}

}  // namespace callsup::pbx
