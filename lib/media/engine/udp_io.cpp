// callsup (internal): recvmmsg / sendmmsg batches.
#include "media/engine/udp_io.hpp"

#include <cerrno>

namespace callsup::detail {

ReceiveBatch::ReceiveBatch(std::size_t batch)
    : storage_(batch * datagram_bytes), sources_(batch), vectors_(batch), headers_(batch) {
  for (std::size_t i = 0; i < batch; ++i) {
    vectors_[i] = {storage_.data() + i * datagram_bytes, datagram_bytes};
    headers_[i].msg_hdr.msg_iov = &vectors_[i];
    headers_[i].msg_hdr.msg_iovlen = 1;
  }
}

std::size_t ReceiveBatch::read(int fd) noexcept {
  for (std::size_t i = 0; i < headers_.size(); ++i) {
    headers_[i].msg_hdr.msg_name = &sources_[i];
    headers_[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
    headers_[i].msg_hdr.msg_flags = 0;
    headers_[i].msg_len = 0;
  }
  int n;
  do {
    n = ::recvmmsg(fd, headers_.data(), static_cast<unsigned>(headers_.size()), MSG_DONTWAIT, nullptr);
  } while (n < 0 && errno == EINTR);
  return n < 0 ? 0 : static_cast<std::size_t>(n);
}

void SendBatch::reserve(std::size_t count) {
  if (fds_.size() >= count) return;
  fds_.resize(count);
  vectors_.resize(count);
  headers_.resize(count);
}

void SendBatch::add(int fd, std::span<const std::uint8_t> datagram, const PeerAddress& to) noexcept {
  if (count_ == fds_.size() || to.empty()) return;  // reserve() sizes for every leg's packets
  fds_[count_] = fd;
  vectors_[count_] = {const_cast<std::uint8_t*>(datagram.data()), datagram.size()};
  mmsghdr& h = headers_[count_];
  h = {};
  h.msg_hdr.msg_name = const_cast<sockaddr*>(to.get());
  h.msg_hdr.msg_namelen = to.length;
  h.msg_hdr.msg_iov = &vectors_[count_];
  h.msg_hdr.msg_iovlen = 1;
  ++count_;
}

SendBatch::Result SendBatch::flush() noexcept {
  Result result;
  std::size_t start = 0;
  while (start < count_) {
    std::size_t end = start + 1;
    while (end < count_ && fds_[end] == fds_[start] && end - start < 1024) ++end;
    std::size_t at = start;
    while (at < end) {
      const int n =
          ::sendmmsg(fds_[start], headers_.data() + at, static_cast<unsigned>(end - at), MSG_DONTWAIT);
      ++result.system_calls;
      if (n < 0) {
        if (errno == EINTR) continue;
        ++result.failed;  // this datagram is refused (e.g. buffer full, unreachable): skip it
        ++at;
        continue;
      }
      result.sent += static_cast<std::size_t>(n);
      at += static_cast<std::size_t>(n);
    }
    start = end;
  }
  count_ = 0;
  return result;
}

}  // namespace callsup::detail
