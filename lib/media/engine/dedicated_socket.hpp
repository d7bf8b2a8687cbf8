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

/// A leg's own socket. Not an Asio socket: the thread running the leg watches it in its
/// SocketPoller, and it moves between threads as a plain descriptor.
class DedicatedSocket {
 public:
  /// Takes the descriptor out of `socket` (Asio no longer watches it). Throws Error(io_error).
  explicit DedicatedSocket(asio::ip::udp::socket socket);
  ~DedicatedSocket() { close(); }
  DedicatedSocket(const DedicatedSocket&) = delete;
  DedicatedSocket& operator=(const DedicatedSocket&) = delete;

  int fd() const noexcept { return fd_; }
  const SocketAddress& local() const noexcept { return local_; }
  void close() noexcept;

 private:
  int fd_ = -1;
  SocketAddress local_;
};

}  // namespace callsup::detail
