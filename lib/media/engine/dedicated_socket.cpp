// callsup (internal): opening the engine's UDP sockets.
#include "media/engine/dedicated_socket.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <atomic>

#include "callsup/error.hpp"

namespace callsup::detail {
namespace {

void enlarge_buffers(int fd, int bytes) {
  // As root the *FORCE options pass net.core.[rw]mem_max; otherwise the kernel caps the size.
  if (::setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes) != 0)
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
  if (::setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &bytes, sizeof bytes) != 0)
    ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bytes, sizeof bytes);
}

}  // namespace

asio::ip::udp::socket open_udp_socket(const asio::any_io_executor& executor, const std::string& ip,
                                      std::uint16_t port, std::uint16_t port_min, std::uint16_t port_max,
                                      int buffer_bytes) {
  boost::system::error_code ec;
  const asio::ip::address address = asio::ip::make_address(ip, ec);
  if (ec) throw Error(errc::invalid_argument, "bad IP address " + quoted(ip));
  asio::ip::udp::socket socket(executor);
  auto try_bind = [&](std::uint16_t candidate) {
    boost::system::error_code error;
    if (socket.is_open()) socket.close(error);
    socket.open(address.is_v6() ? asio::ip::udp::v6() : asio::ip::udp::v4(), error);
    if (error) return false;
    socket.bind({address, candidate}, error);
    return !error;
  };
  bool bound = false;
  if (port != 0 || port_min == 0) {
    bound = try_bind(port);
  } else {
    // Start where the last search stopped, so that closed ports are not reused at once.
    static std::atomic<std::uint32_t> cursor{0};
    const std::uint32_t span = static_cast<std::uint32_t>(port_max - port_min) + 1;
    const std::uint32_t start = cursor.fetch_add(1, std::memory_order_relaxed);
    for (std::uint32_t i = 0; i < span && !bound; ++i) {
      const auto candidate = static_cast<std::uint16_t>(port_min + (start + i) % span);
      if ((bound = try_bind(candidate))) cursor.store(start + i + 1, std::memory_order_relaxed);
    }
  }
  if (!bound) {
    const std::string what = port != 0 || port_min == 0 ? quoted(SocketAddress{ip, port}.to_string())
                                                        : quoted(ip) + " ports " + std::to_string(port_min) +
                                                              "-" + std::to_string(port_max);
    throw Error(errc::io_error, "cannot bind a UDP socket to " + what);
  }
  socket.non_blocking(true);
  enlarge_buffers(socket.native_handle(), buffer_bytes);
  return socket;
}

SocketAddress local_address_of(const asio::ip::udp::socket& socket) {
  boost::system::error_code ec;
  const auto local = socket.local_endpoint(ec);
  if (ec) return {};
  return {local.address().to_string(), local.port()};
}

DedicatedSocket::DedicatedSocket(asio::ip::udp::socket socket) : local_(local_address_of(socket)) {
  boost::system::error_code error;
  fd_ = socket.release(error);
  if (error || fd_ < 0)
    throw Error(errc::io_error, "cannot take the socket of " + quoted(local_.to_string()));
}

void DedicatedSocket::close() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

}  // namespace callsup::detail
