// callsup: an IP address and UDP port, as text (IPv4 or IPv6).
#pragma once

#include <cstdint>
#include <string>

namespace callsup {

/// Where a UDP endpoint is: "127.0.0.1" / "::1" and a port (0 = not set / any).
struct SocketAddress {
  /// IPv4 or IPv6 address in text form; empty = not set.
  std::string ip;
  /// UDP port; 0 = not set / any.
  std::uint16_t port = 0;

  /// True when neither address nor port is set.
  bool empty() const noexcept { return ip.empty() && port == 0; }
  /// "127.0.0.1:4000", "[::1]:4000".
  std::string to_string() const {
    const bool v6 = ip.find(':') != std::string::npos;
    return (v6 ? "[" + ip + "]" : ip) + ":" + std::to_string(port);
  }
  /// Member-wise equality.
  friend bool operator==(const SocketAddress&, const SocketAddress&) = default;
};

}  // namespace callsup
