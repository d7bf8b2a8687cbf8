// callsup (internal): one engine thread's dedicated sockets, watched by one epoll set of its own.
#include "media/engine/socket_poller.hpp"

#include <cerrno>
#include <cstring>
#include <string>

#include "callsup/error.hpp"

namespace callsup::detail {
namespace {

int create_epoll_set() {
  const int fd = ::epoll_create1(EPOLL_CLOEXEC);
  if (fd < 0)
    throw Error(errc::io_error,
                std::string("cannot create an epoll set for the dedicated sockets: ") + std::strerror(errno));
  return fd;
}

}  // namespace

SocketPoller::SocketPoller(const asio::any_io_executor& executor) : set_(executor, create_epoll_set()) {}

void SocketPoller::add(int fd) {
  epoll_event event{};
  event.events = EPOLLIN | EPOLLET;  // reported once per arrival, not re-polled at every wait
  event.data.fd = fd;
  if (::epoll_ctl(set_.native_handle(), EPOLL_CTL_ADD, fd, &event) != 0)
    throw Error(errc::io_error, "cannot watch socket " + std::to_string(fd) + ": " + std::strerror(errno));
}

void SocketPoller::remove(int fd) noexcept {
  epoll_event ignored{};
  ::epoll_ctl(set_.native_handle(), EPOLL_CTL_DEL, fd, &ignored);
}

std::span<const epoll_event> SocketPoller::ready() noexcept {
  int n = 0;
  do {
    n = ::epoll_wait(set_.native_handle(), events_.data(), static_cast<int>(events_.size()), 0);
  } while (n < 0 && errno == EINTR);
  return {events_.data(), n > 0 ? static_cast<std::size_t>(n) : 0};
}

void SocketPoller::cancel() noexcept {
  boost::system::error_code ignored;
  set_.cancel(ignored);
}

}  // namespace callsup::detail
