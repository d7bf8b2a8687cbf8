// callsup-pbx: reads typed values out of a JSON object, collecting every problem with its path.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "callsup/media/socket_address.hpp"

namespace callsup::pbx {

/// One JSON object at `path`: typed getters that report (not throw) a missing key or a wrong
/// type, and a check for keys nobody asked for.
class ObjectReader {
 public:
  ObjectReader(const nlohmann::json& object, std::string path, std::vector<std::string>& problems);

  bool valid() const { return valid_; }
  std::string path_of(const std::string& key) const;
  void problem(const std::string& key, const std::string& what) const;

  std::optional<std::string> string(const std::string& key, bool required);
  std::optional<std::uint64_t> integer(const std::string& key, std::uint64_t min, std::uint64_t max);
  std::optional<bool> boolean(const std::string& key);
  /// "ip:port" (IPv4 or [IPv6]), port 1..65535.
  std::optional<SocketAddress> address(const std::string& key, bool required);
  /// One of `choices`.
  std::optional<std::string> choice(const std::string& key, std::initializer_list<const char*> choices);
  const nlohmann::json* member(const std::string& key, nlohmann::json::value_t type, bool required);
  /// Reports every key that no getter asked for (typos).
  void reject_unknown_keys();

 private:
  const nlohmann::json& object_;
  std::string path_;
  std::vector<std::string>& problems_;
  std::vector<std::string> known_;
  bool valid_ = true;
};

/// True for an IPv4 or IPv6 address literal ("127.0.0.1", "::1").
bool is_ip_address(const std::string& text);

/// Parses "127.0.0.1:5060" / "[::1]:5060"; nullopt when malformed.
std::optional<SocketAddress> parse_host_port(const std::string& text);

}  // namespace callsup::pbx
