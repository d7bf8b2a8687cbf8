// callsup-mediabench: recvmmsg with the kernel's receive time of each datagram (SO_TIMESTAMPNS).
// The generator sleeps between its send slots instead of waking for every packet; the kernel's
// timestamp keeps the latency exact however long a datagram waited in the socket for it.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <span>

namespace callsup::mediabench {

/// Asks the kernel to stamp every datagram `fd` receives (CLOCK_REALTIME). False on failure.
inline bool enable_receive_timestamps(int fd) noexcept {
  const int on = 1;
  return ::setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on) == 0;
}

class TimestampedBatch {
 public:
  static constexpr std::size_t capacity = 64;
  static constexpr std::size_t max_datagram = 2048;

  /// Reads what is waiting on `fd` (up to capacity), without blocking; returns the count.
  std::size_t receive(int fd) noexcept {
    for (std::size_t i = 0; i < capacity; ++i) {
      iov_[i] = iovec{data_[i].data(), max_datagram};
      msgs_[i] = mmsghdr{};
      msgs_[i].msg_hdr.msg_iov = &iov_[i];
      msgs_[i].msg_hdr.msg_iovlen = 1;
      msgs_[i].msg_hdr.msg_control = control_[i].data();
      msgs_[i].msg_hdr.msg_controllen = control_[i].size();
    }
    const int got = ::recvmmsg(fd, msgs_.data(), capacity, MSG_DONTWAIT, nullptr);
    return got > 0 ? static_cast<std::size_t>(got) : 0;
  }
  std::span<std::uint8_t> buffer(std::size_t i) noexcept { return data_[i]; }
  std::size_t length(std::size_t i) const noexcept { return msgs_[i].msg_len; }
  bool truncated(std::size_t i) const noexcept { return (msgs_[i].msg_hdr.msg_flags & MSG_TRUNC) != 0; }
  /// The kernel's receive time of datagram i in ns of CLOCK_REALTIME; 0 when it gave none.
  std::int64_t received_ns(std::size_t i) const noexcept {
    const msghdr& header = msgs_[i].msg_hdr;
    for (cmsghdr* c = CMSG_FIRSTHDR(&header); c != nullptr;
         c = CMSG_NXTHDR(const_cast<msghdr*>(&header), c)) {
      if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_TIMESTAMPNS) continue;
      timespec t{};
      std::memcpy(&t, CMSG_DATA(c), sizeof t);
      return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
    }
    return 0;
  }

 private:
  std::array<std::array<std::uint8_t, max_datagram>, capacity> data_{};
  std::array<std::array<std::uint8_t, CMSG_SPACE(sizeof(timespec))>, capacity> control_{};
  std::array<iovec, capacity> iov_{};
  std::array<mmsghdr, capacity> msgs_{};
};

}  // namespace callsup::mediabench
