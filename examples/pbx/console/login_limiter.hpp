// callsup-pbx console: failed logins, counted per key (source address, extension), in a window.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>

namespace callsup::pbx {

/// A key with `attempts` failures inside the last `window` is blocked until the oldest of them
/// leaves the window. A success clears the key. Keys are strings so that one limiter covers
/// both "addr:127.0.0.1" and "ext:700": guessing one extension's password from many addresses
/// and many extensions' from one address are both slowed down.
class LoginLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  LoginLimiter(std::uint32_t attempts, std::chrono::seconds window) : attempts_(attempts), window_(window) {}

  /// How long `key` must still wait; nullopt when it may try now.
  std::optional<std::chrono::seconds> blocked(const std::string& key, Clock::time_point now);
  void failed(const std::string& key, Clock::time_point now);
  void succeeded(const std::string& key) { failures_.erase(key); }

 private:
  void expire(std::deque<Clock::time_point>& times, Clock::time_point now) const;

  std::uint32_t attempts_;
  std::chrono::seconds window_;
  std::map<std::string, std::deque<Clock::time_point>> failures_;
};

}  // namespace callsup::pbx
