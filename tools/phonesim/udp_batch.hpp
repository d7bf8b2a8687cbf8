// callsup: non-blocking IPv4 UDP sockets with batched send and receive (sendmmsg/recvmmsg).
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "address.hpp"

namespace callsup::sim {

/// `address` as a sockaddr_in. Throws Error(invalid_argument) naming an ip that is not a
/// dotted-quad IPv4 address.
sockaddr_in to_sockaddr(const Address& address);

/// The Address of a sockaddr_in.
Address to_address(const sockaddr_in& address);

/// A non-blocking UDP socket bound to an IPv4 address. Move-only; closes on destruction.
class UdpSocket {
 public:
  /// Binds to `local` (port 0: an ephemeral port) and asks for `buffer_bytes` of send and
  /// receive buffer (forced past the system limit when running as root, so that a tick's
  /// burst of thousands of packets is not dropped). Throws Error(invalid_argument) for a bad
  /// ip and Error(io_error) naming the address when the socket cannot be created or bound.
  explicit UdpSocket(const Address& local, int buffer_bytes = 1 << 20);
  ~UdpSocket();
  UdpSocket(UdpSocket&& other) noexcept;
  UdpSocket& operator=(UdpSocket&& other) noexcept;
  UdpSocket(const UdpSocket&) = delete;
  UdpSocket& operator=(const UdpSocket&) = delete;

  int fd() const noexcept { return fd_; }
  /// The bound address (the real port when bound to port 0).
  const Address& local_address() const noexcept { return local_; }
  /// The receive buffer the kernel granted, in bytes (as reported by SO_RCVBUF).
  int receive_buffer_bytes() const noexcept;

 private:
  int fd_ = -1;
  Address local_;
};

/// Packets queued for one sendmmsg call. Buffers are allocated once: filling and flushing
/// a batch allocates nothing.
class SendBatch {
 public:
  /// Room for `capacity` packets of up to `max_packet` bytes each.
  explicit SendBatch(std::size_t capacity, std::size_t max_packet = 1500);

  /// The buffer of the next packet (max_packet bytes); write it, then commit(). Precondition:
  /// !full().
  std::span<std::uint8_t> next_buffer() noexcept;
  /// Queues the next buffer's first `length` bytes for `to`.
  void commit(std::size_t length, const sockaddr_in& to) noexcept;
  bool full() const noexcept { return count_ == capacity_; }
  bool empty() const noexcept { return count_ == 0; }
  std::size_t size() const noexcept { return count_; }

  /// Sends every queued packet on `fd` (as few sendmmsg calls as the kernel allows) and
  /// empties the batch. Returns how many packets could not be sent: a full send buffer is
  /// waited for (1 ms at a time, at most 5 ms per flush) before the rest is given up; other
  /// errors skip the packet.
  std::size_t flush(int fd) noexcept;

 private:
  std::size_t capacity_, max_packet_, count_ = 0;
  std::vector<std::uint8_t> storage_;
  std::vector<sockaddr_in> to_;
  std::vector<iovec> iov_;
  std::vector<mmsghdr> msgs_;
};

/// Buffers for one recvmmsg call, allocated once.
class RecvBatch {
 public:
  /// Room for `capacity` datagrams of up to `max_packet` bytes (larger ones are truncated
  /// and flagged).
  explicit RecvBatch(std::size_t capacity, std::size_t max_packet = 2048);

  /// Receives what is waiting on `fd`, up to capacity() datagrams, without blocking.
  /// Returns the number received: 0 when nothing is waiting (or on an error).
  std::size_t receive(int fd) noexcept;
  std::size_t capacity() const noexcept { return capacity_; }

  /// The i-th datagram of the last receive(), writable so that SRTP can decrypt in place;
  /// the whole buffer (max_packet bytes) is buffer(i), the datagram its first length(i).
  std::span<std::uint8_t> buffer(std::size_t i) noexcept;
  std::size_t length(std::size_t i) const noexcept { return msgs_[i].msg_len; }
  /// True when the datagram was longer than max_packet and was cut.
  bool truncated(std::size_t i) const noexcept { return (msgs_[i].msg_hdr.msg_flags & MSG_TRUNC) != 0; }
  const sockaddr_in& source(std::size_t i) const noexcept { return from_[i]; }

 private:
  std::size_t capacity_, max_packet_;
  std::vector<std::uint8_t> storage_;
  std::vector<sockaddr_in> from_;
  std::vector<iovec> iov_;
  std::vector<mmsghdr> msgs_;
};

}  // namespace callsup::sim
