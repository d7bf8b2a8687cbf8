// callsup-pbx: SIP digest authentication (RFC 2617 / RFC 3261 §22) of REGISTER and INVITE.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <string>

#include "config.hpp"

struct sip_msg;

namespace callsup::pbx {

/// Issues nonces and checks Authorization / Proxy-Authorization answers with libre's httpauth
/// against the configured passwords. SIP thread only.
class DigestAuth {
 public:
  enum class Verdict {
    missing,     ///< no credentials for our realm: challenge (401/407)
    stale,       ///< right password, old or unknown nonce: challenge again with stale=true
    ok,          ///< the user is `extension`
    wrong_user,  ///< credentials of another account than the request's (403)
    forbidden,   ///< unknown user or wrong password (403, a security event)
  };

  DigestAuth(const PbxConfig& config) : config_(config) {}

  /// Checks `msg`'s credentials (Proxy-Authorization when `proxy`) for account `extension`.
  Verdict check(const sip_msg* msg, const std::string& extension, bool proxy);
  /// The challenge header line, "WWW-Authenticate: Digest ...\r\n" (Proxy-Authenticate when
  /// `proxy`), with a fresh nonce.
  std::string challenge(bool proxy, bool stale);

 private:
  struct Nonce {
    std::string value;
    std::chrono::steady_clock::time_point issued;
  };
  bool nonce_fresh(const std::string& nonce);

  const PbxConfig& config_;
  std::deque<Nonce> nonces_;  ///< newest last; bounded, so a flood of challenges costs no memory
};

}  // namespace callsup::pbx
