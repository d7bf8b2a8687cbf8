// callsup-pbx console: who is logged in (session cookie -> extension) and their CSRF tokens.
#pragma once

#include <chrono>
#include <map>
#include <string>

namespace callsup::pbx {

/// One console login.
struct WebLogin {
  std::string token;  ///< the session cookie's value (256 random bits); "" for a login loaded from the file
  std::string key;    ///< the token's SHA-256 (hex): how logins are stored and looked up
  std::string csrf;   ///< what X-CSRF-Token must say on a state-changing request
  std::string extension;
  std::chrono::steady_clock::time_point last_used;
};

/// The logins, on the control thread. A login unused for `idle` is forgotten. With a file, logins
/// survive a PBX restart (the page reconnects without asking for the password again): it holds
/// each login's token hash, never the token, so reading it does not let anyone in.
class WebLogins {
 public:
  /// Loads `file` when it exists ("" = in memory only). Throws naming the file when it is unreadable
  /// or malformed.
  WebLogins(std::chrono::minutes idle, std::string file = {});

  /// A new login of `extension` (its token and CSRF token fresh from the CSPRNG).
  const WebLogin& create(const std::string& extension);
  /// The login whose token is `token`, marked used; nullptr when unknown or idle too long.
  const WebLogin* find(const std::string& token);
  void remove(const std::string& token);
  std::size_t size() const { return logins_.size(); }

 private:
  void save() const;
  void save_or_log() const noexcept;

  std::chrono::minutes idle_;
  std::string file_;
  std::map<std::string, WebLogin> logins_;  ///< by key
};

}  // namespace callsup::pbx
