// callsup (internal): one engine thread's dedicated sockets, watched by one epoll set of its own.
#pragma once

#include <sys/epoll.h>

#include <array>
#include <span>

#include "media/engine/asio.hpp"

namespace callsup::detail {

/// Why not an Asio wait per socket: every async_wait re-arms its descriptor with epoll_ctl, so a
/// leg paid a system call per wake-up on top of its receive and send, plus Asio's operation
/// bookkeeping. Here each socket is registered once (edge-triggered: a level-triggered socket is
/// polled again at the next wait) in an epoll set whose own descriptor Asio waits on: one re-arm
/// per wake-up, however many sockets it brings. The caller must read a reported socket until it
/// is empty, or remember it.
class SocketPoller {
 public:
  /// Throws Error(io_error) when no epoll set can be created.
  explicit SocketPoller(const asio::any_io_executor& executor);

  /// Watches `fd` for reading (ready() reports it by its number). Throws Error(io_error) naming it.
  void add(int fd);
  /// Stops watching `fd` (before it is closed or handed to another thread).
  void remove(int fd) noexcept;

  /// Calls `handler(error_code)` once some watched socket is readable.
  template <typename Handler>
  void wait(Handler&& handler) {
    set_.async_wait(asio::posix::stream_descriptor::wait_read, std::forward<Handler>(handler));
  }
  /// The sockets that received since they were last reported (`data.fd`, without blocking), at
  /// most a batch of them; the others are reported at the next wake-up.
  std::span<const epoll_event> ready() noexcept;
  void cancel() noexcept;

 private:
  asio::posix::stream_descriptor set_;  ///< owns the epoll descriptor
  std::array<epoll_event, 128> events_{};
};

}  // namespace callsup::detail
