// callsup (internal): batched UDP reads and writes on a raw socket (recvmmsg / sendmmsg).
#pragma once

#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "media/engine/peer_address.hpp"

namespace callsup::detail {

/// Receives up to `batch` datagrams per system call into fixed buffers.
class ReceiveBatch {
 public:
  static constexpr std::size_t datagram_bytes = 4096;
  explicit ReceiveBatch(std::size_t batch = 64);
  /// Non-blocking read of up to a batch from `fd`: the number received (0 when none waits).
  std::size_t read(int fd) noexcept;
  std::span<std::uint8_t> buffer(std::size_t i) noexcept {
    return {storage_.data() + i * datagram_bytes, datagram_bytes};
  }
  std::size_t length(std::size_t i) const noexcept { return headers_[i].msg_len; }
  bool truncated(std::size_t i) const noexcept { return (headers_[i].msg_hdr.msg_flags & MSG_TRUNC) != 0; }
  const sockaddr_storage& source(std::size_t i) const noexcept { return sources_[i]; }
  std::size_t capacity() const noexcept { return headers_.size(); }

 private:
  std::vector<std::uint8_t> storage_;
  std::vector<sockaddr_storage> sources_;
  std::vector<iovec> vectors_;
  std::vector<mmsghdr> headers_;
};

/// Collects a tick's outgoing datagrams and sends them with as few system calls as the sockets
/// allow (one sendmmsg per run of datagrams on the same socket). Buffers are the callers'; they
/// must stay valid until flush().
class SendBatch {
 public:
  /// Makes room for `count` datagrams (control path: called when legs are added).
  void reserve(std::size_t count);
  void add(int fd, std::span<const std::uint8_t> datagram, const PeerAddress& to) noexcept;
  struct Result {
    std::size_t sent = 0;
    std::size_t failed = 0;
    std::size_t system_calls = 0;
  };
  /// Sends everything added since the last flush.
  Result flush() noexcept;
  std::size_t size() const noexcept { return count_; }
  /// No room for another datagram until flush().
  bool full() const noexcept { return count_ == fds_.size(); }

 private:
  std::vector<int> fds_;
  std::vector<iovec> vectors_;
  std::vector<mmsghdr> headers_;
  std::size_t count_ = 0;
};

}  // namespace callsup::detail
