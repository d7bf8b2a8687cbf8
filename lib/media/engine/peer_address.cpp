// callsup (internal): text <-> sockaddr for endpoint peers.
#include "media/engine/peer_address.hpp"

#include <arpa/inet.h>

#include "callsup/error.hpp"

namespace callsup::detail {

PeerAddress PeerAddress::from(const SocketAddress& address) {
  PeerAddress out;
  if (address.port == 0)
    throw Error(errc::invalid_argument, "peer address " + quoted(address.to_string()) + " has no port");
  auto* v4 = reinterpret_cast<sockaddr_in*>(&out.storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&out.storage);
  if (inet_pton(AF_INET, address.ip.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(address.port);
    out.length = sizeof(sockaddr_in);
  } else if (inet_pton(AF_INET6, address.ip.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(address.port);
    out.length = sizeof(sockaddr_in6);
  } else {
    throw Error(errc::invalid_argument, "bad IP address " + quoted(address.ip));
  }
  return out;
}

SocketAddress PeerAddress::to_socket_address() const {
  char text[INET6_ADDRSTRLEN] = {};
  if (storage.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(storage);
    inet_ntop(AF_INET, &v4.sin_addr, text, sizeof text);
    return {text, ntohs(v4.sin_port)};
  }
  if (storage.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(storage);
    inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof text);
    return {text, ntohs(v6.sin6_port)};
  }
  return {};
}

}  // namespace callsup::detail
