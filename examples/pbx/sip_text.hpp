// callsup-pbx: small conversions between libre's pointer-length strings and std::string.
#pragma once

#include <string>

#include "libre.hpp"

namespace callsup::pbx {

inline std::string to_string(const pl& text) { return text.p ? std::string(text.p, text.l) : std::string(); }

/// "127.0.0.1:5060" ("[::1]:5060").
inline std::string to_string(const sa& address) {
  char ip[64] = {};
  if (sa_ntop(&address, ip, sizeof ip) != 0) return "?";
  const bool v6 = sa_af(&address) == AF_INET6;
  return (v6 ? "[" + std::string(ip) + "]" : std::string(ip)) + ":" + std::to_string(sa_port(&address));
}

/// The IP of `address` alone.
inline std::string ip_of(const sa& address) {
  char ip[64] = {};
  if (sa_ntop(&address, ip, sizeof ip) != 0) return {};
  return ip;
}

}  // namespace callsup::pbx
