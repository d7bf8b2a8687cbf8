// callsup (internal): a leg's own UDP socket (SocketMode::dedicated).
#pragma once

#include <cstdint>
#include <string>

#include "callsup/media/socket_address.hpp"
#include "media/engine/asio.hpp"

namespace callsup::detail {

/// Opens a non-blocking UDP socket bound to `ip`:`port` with large buffers; port 0 takes the
/// first free port of [port_min, port_max]. Throws Error(io_error) naming the address when
/// nothing can be bound, Error(invalid_argument) for a bad IP.
asio::ip::udp::socket open_udp_socket(const asio::any_io_executor& executor, const std::string& ip,
                                      std::uint16_t port, std::uint16_t port_min, std::uint16_t port_max,
                                      int buffer_bytes);

/// The local address a socket is bound to.
SocketAddress local_address_of(const asio::ip::udp::socket& socket);

class DedicatedSocket {
 public:
  explicit DedicatedSocket(asio::ip::udp::socket socket) : socket_(std::move(socket)) {}
  int fd() noexcept { return socket_.native_handle(); }
  asio::ip::udp::socket& socket() noexcept { return socket_; }

 private:
  asio::ip::udp::socket socket_;
};

}  // namespace callsup::detail
