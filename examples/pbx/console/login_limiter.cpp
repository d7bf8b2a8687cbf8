// callsup-pbx console: the failed-login limiter.
#include "login_limiter.hpp"

namespace callsup::pbx {

void LoginLimiter::expire(std::deque<Clock::time_point>& times, Clock::time_point now) const {
  while (!times.empty() && now - times.front() >= window_) times.pop_front();
}

std::optional<std::chrono::seconds> LoginLimiter::blocked(const std::string& key, Clock::time_point now) {
  const auto it = failures_.find(key);
  if (it == failures_.end()) return std::nullopt;
  expire(it->second, now);
  if (it->second.size() < attempts_) {
    if (it->second.empty()) failures_.erase(it);
    return std::nullopt;
  }
  const auto left = it->second.front() + window_ - now;
  // Rounded up: "retry in 0 s" would invite an immediate, still refused, retry.
  return std::chrono::ceil<std::chrono::seconds>(left);
}

void LoginLimiter::failed(const std::string& key, Clock::time_point now) {
  auto& times = failures_[key];
  expire(times, now);
  times.push_back(now);
  // Bounded: only the newest `attempts_` failures decide anything.
  while (times.size() > attempts_) times.pop_front();
}

}  // namespace callsup::pbx
