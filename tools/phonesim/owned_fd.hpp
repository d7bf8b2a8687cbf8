// callsup phonesim (internal): a file descriptor that closes itself.
#pragma once

#include <unistd.h>

namespace callsup::sim {

/// A file descriptor closed on destruction (eventfd, timerfd, epoll).
class OwnedFd {
 public:
  explicit OwnedFd(int fd = -1) noexcept : fd_(fd) {}
  ~OwnedFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  OwnedFd(const OwnedFd&) = delete;
  OwnedFd& operator=(const OwnedFd&) = delete;
  int get() const noexcept { return fd_; }

 private:
  int fd_;
};

}  // namespace callsup::sim
