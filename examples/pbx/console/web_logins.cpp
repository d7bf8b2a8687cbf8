// callsup-pbx console: the logins.
#include "web_logins.hpp"

#include "web_password.hpp"

namespace callsup::pbx {

const WebLogin& WebLogins::create(const std::string& extension) {
  const auto now = std::chrono::steady_clock::now();
  for (auto it = logins_.begin(); it != logins_.end();)  // the idle ones go now, so the map stays small
    it = now - it->second.last_used > idle_ ? logins_.erase(it) : std::next(it);
  WebLogin login{random_token(), random_token(), extension, now};
  const std::string token = login.token;
  return logins_.emplace(token, std::move(login)).first->second;
}

const WebLogin* WebLogins::find(const std::string& token) {
  const auto it = logins_.find(token);
  if (it == logins_.end()) return nullptr;
  const auto now = std::chrono::steady_clock::now();
  if (now - it->second.last_used > idle_) {
    logins_.erase(it);
    return nullptr;
  }
  it->second.last_used = now;
  return &it->second;
}

}  // namespace callsup::pbx
