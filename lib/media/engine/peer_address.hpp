// callsup (internal): UDP peer addresses as the kernel gives them, and as map keys.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>

#include "callsup/media/socket_address.hpp"

namespace callsup::detail {

/// A sockaddr we send to or received from (IPv4 or IPv6).
struct PeerAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;

  bool empty() const noexcept { return length == 0; }
  const sockaddr* get() const noexcept { return reinterpret_cast<const sockaddr*>(&storage); }
  /// Parses "ip" + port; throws Error(invalid_argument) naming a bad address.
  static PeerAddress from(const SocketAddress& address);
  SocketAddress to_socket_address() const;
};

/// Address family + IP + port, comparable and hashable (the sockaddr padding is ignored).
struct PeerKey {
  std::array<std::uint8_t, 16> ip{};
  std::uint16_t port = 0;
  std::uint8_t family = 0;

  static PeerKey of(const sockaddr_storage& address) noexcept {
    PeerKey key;
    if (address.ss_family == AF_INET) {
      const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
      std::memcpy(key.ip.data(), &v4.sin_addr, 4);
      key.port = v4.sin_port;
      key.family = 4;
    } else if (address.ss_family == AF_INET6) {
      const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address);
      std::memcpy(key.ip.data(), &v6.sin6_addr, 16);
      key.port = v6.sin6_port;
      key.family = 6;
    }
    return key;
  }
  friend bool operator==(const PeerKey&, const PeerKey&) = default;
};

/// A peer and the SSRC it sends with: how legs sharing a socket are told apart.
struct StreamKey {
  PeerKey peer;
  std::uint32_t ssrc = 0;
  friend bool operator==(const StreamKey&, const StreamKey&) = default;
};

struct PeerKeyHash {
  std::size_t operator()(const PeerKey& key) const noexcept {
    std::uint64_t a = 0, b = 0;
    std::memcpy(&a, key.ip.data(), 8);
    std::memcpy(&b, key.ip.data() + 8, 8);
    std::uint64_t h = a * 0x9E3779B97F4A7C15ull ^ (b + 0x632BE59BD9B4E019ull + (h_mix(key.port, key.family)));
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ull;
    return static_cast<std::size_t>(h ^ (h >> 32));
  }
  static std::uint64_t h_mix(std::uint16_t port, std::uint8_t family) noexcept {
    return (static_cast<std::uint64_t>(port) << 8 | family) * 0x94D049BB133111EBull;
  }
};

struct StreamKeyHash {
  std::size_t operator()(const StreamKey& key) const noexcept {
    return PeerKeyHash{}(key.peer) ^ (static_cast<std::size_t>(key.ssrc) * 0x9E3779B97F4A7C15ull);
  }
};

}  // namespace callsup::detail
