// callsup: batched UDP I/O for the phone simulator (Linux: sendmmsg/recvmmsg).
#include "udp_batch.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#include "callsup/error.hpp"

namespace callsup::sim {
namespace {

/// One datagram of a batch: its peer address and its single buffer.
void point_header(mmsghdr& message, sockaddr_in& peer, iovec& buffer) noexcept {
  message = mmsghdr{};
  message.msg_hdr.msg_name = &peer;
  message.msg_hdr.msg_namelen = sizeof(sockaddr_in);
  message.msg_hdr.msg_iov = &buffer;
  message.msg_hdr.msg_iovlen = 1;
}

}  // namespace

sockaddr_in to_sockaddr(const Address& address) {
  sockaddr_in out{};
  out.sin_family = AF_INET;
  out.sin_port = htons(address.port);
  if (inet_pton(AF_INET, address.ip.c_str(), &out.sin_addr) != 1)
    throw Error(errc::invalid_argument, "IPv4 address " + quoted(address.ip) + " is not a dotted quad");
  return out;
}

Address to_address(const sockaddr_in& address) {
  char text[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, &address.sin_addr, text, sizeof text);
  return Address{text, ntohs(address.sin_port)};
}

namespace {

[[noreturn]] void throw_io(const std::string& what, const Address& address, int error) {
  throw Error(errc::io_error, what + " " + quoted(address.to_string()) + ": " + std::strerror(error));
}

void set_buffer(int fd, int option, int force_option, int bytes) {
  // FORCE ignores net.core.{r,w}mem_max but needs CAP_NET_ADMIN; fall back quietly.
  if (setsockopt(fd, SOL_SOCKET, force_option, &bytes, sizeof bytes) != 0)
    setsockopt(fd, SOL_SOCKET, option, &bytes, sizeof bytes);
}

}  // namespace

UdpSocket::UdpSocket(const Address& local, int buffer_bytes) : local_(local) {
  const sockaddr_in bind_to = to_sockaddr(local);
  fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw_io("cannot create a UDP socket for", local, errno);
  set_buffer(fd_, SO_RCVBUF, SO_RCVBUFFORCE, buffer_bytes);
  set_buffer(fd_, SO_SNDBUF, SO_SNDBUFFORCE, buffer_bytes);
  sockaddr_in bound{};
  socklen_t size = sizeof bound;
  if (::bind(fd_, reinterpret_cast<const sockaddr*>(&bind_to), sizeof bind_to) != 0 ||
      ::getsockname(fd_, reinterpret_cast<sockaddr*>(&bound), &size) != 0) {
    const int error = errno;
    ::close(fd_);
    fd_ = -1;
    throw_io("cannot bind a UDP socket to", local, error);
  }
  local_ = to_address(bound);
}

UdpSocket::~UdpSocket() {
  if (fd_ >= 0) ::close(fd_);
}

UdpSocket::UdpSocket(UdpSocket&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), local_(std::move(other.local_)) {}

UdpSocket& UdpSocket::operator=(UdpSocket&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    local_ = std::move(other.local_);
  }
  return *this;
}

int UdpSocket::receive_buffer_bytes() const noexcept {
  int bytes = 0;
  socklen_t size = sizeof bytes;
  if (getsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &bytes, &size) != 0) return 0;
  return bytes;
}

// --- SendBatch ----------------------------------------------------------------------------

namespace {
constexpr int max_waits = 5;  // 1 ms each
}  // namespace

SendBatch::SendBatch(std::size_t capacity, std::size_t max_packet)
    : capacity_(capacity),
      max_packet_(max_packet),
      storage_(capacity * max_packet),
      to_(capacity),
      iov_(capacity),
      msgs_(capacity) {}

std::span<std::uint8_t> SendBatch::next_buffer() noexcept {
  return {storage_.data() + count_ * max_packet_, max_packet_};
}

void SendBatch::commit(std::size_t length, const sockaddr_in& to) noexcept {
  to_[count_] = to;
  iov_[count_] = iovec{storage_.data() + count_ * max_packet_, length};
  point_header(msgs_[count_], to_[count_], iov_[count_]);
  ++count_;
}

std::size_t SendBatch::flush(int fd) noexcept {
  std::size_t done = 0, failed = 0;
  int waits_left = max_waits;
  while (done < count_) {
    const int sent = ::sendmmsg(fd, &msgs_[done], static_cast<unsigned>(count_ - done), 0);
    if (sent > 0) {
      done += static_cast<std::size_t>(sent);
      continue;
    }
    if (sent < 0 && errno == EINTR) continue;
    if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && waits_left-- > 0) {
      // Send buffer full (on loopback it holds what the receiver has not read yet): give
      // the kernel a moment, a bounded number of times per flush so a tick cannot stall.
      pollfd p{fd, POLLOUT, 0};
      ::poll(&p, 1, 1);
      continue;
    }
    if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      failed += count_ - done;
      break;
    }
    // The packet at `done` failed (e.g. unreachable): skip it and send the rest.
    ++failed;
    ++done;
  }
  count_ = 0;
  return failed;
}

// --- RecvBatch ----------------------------------------------------------------------------

RecvBatch::RecvBatch(std::size_t capacity, std::size_t max_packet)
    : capacity_(capacity),
      max_packet_(max_packet),
      storage_(capacity * max_packet),
      from_(capacity),
      iov_(capacity),
      msgs_(capacity) {}

std::size_t RecvBatch::receive(int fd) noexcept {
  for (std::size_t i = 0; i < capacity_; ++i) {
    iov_[i] = iovec{storage_.data() + i * max_packet_, max_packet_};
    point_header(msgs_[i], from_[i], iov_[i]);
  }
  for (;;) {
    const int got = ::recvmmsg(fd, msgs_.data(), static_cast<unsigned>(capacity_), MSG_DONTWAIT, nullptr);
    if (got >= 0) return static_cast<std::size_t>(got);
    if (errno != EINTR) return 0;
  }
}

std::span<std::uint8_t> RecvBatch::buffer(std::size_t i) noexcept {
  return {storage_.data() + i * max_packet_, max_packet_};
}

}  // namespace callsup::sim
