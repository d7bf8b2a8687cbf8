// callsup-pbx console: who is logged in (session cookie -> extension) and their CSRF tokens.
#pragma once

#include <chrono>
#include <map>
#include <string>

namespace callsup::pbx {

/// One console login.
struct WebLogin {
  std::string token;  ///< the session cookie's value (256 random bits)
  std::string csrf;   ///< what X-CSRF-Token must say on a state-changing request
  std::string extension;
  std::chrono::steady_clock::time_point last_used;
};

/// The logins, on the control thread. A login unused for `idle` is forgotten.
class WebLogins {
 public:
  explicit WebLogins(std::chrono::minutes idle) : idle_(idle) {}

  /// A new login of `extension` (its token and CSRF token fresh from the CSPRNG).
  const WebLogin& create(const std::string& extension);
  /// The login whose token is `token`, marked used; nullptr when unknown or idle too long.
  const WebLogin* find(const std::string& token);
  void remove(const std::string& token) { logins_.erase(token); }

 private:
  std::chrono::minutes idle_;
  std::map<std::string, WebLogin> logins_;
};

}  // namespace callsup::pbx
