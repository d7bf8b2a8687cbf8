// callsup-pbx: the registrar: where each extension's phones are (several contacts each).
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "config.hpp"
#include "counters.hpp"
#include "digest_auth.hpp"
#include "security_reporter.hpp"

struct sip;
struct sip_msg;

namespace callsup::pbx {

/// One registered contact of an extension.
struct Binding {
  std::string contact_uri;  ///< "sip:744@127.0.0.1:5071" (what INVITEs are sent to)
  std::string source;       ///< where the REGISTER came from ("127.0.0.1:5071"), for the log
  std::string call_id;      ///< the registering UA's Call-ID (RFC 3261 §10.3: refresh vs new)
  std::chrono::steady_clock::time_point expires;
};

/// Handles REGISTER on the SIP thread: digest authentication (401, then 403 for bad
/// credentials: counted, logged and audited as a security incident), expiry and refresh, several contacts
/// per extension, unregister (Expires: 0, "Contact: *").
class Registrar {
 public:
  Registrar(const PbxConfig& config, DigestAuth& auth, Counters& counters, SecurityReporter& security)
      : config_(config), auth_(auth), counters_(counters), security_(security) {}

  /// Answers the REGISTER `msg`.
  void on_register(sip* stack, const sip_msg* msg);
  /// The live contacts of `extension` (expired ones are dropped first).
  std::vector<Binding> contacts(const std::string& extension);

 private:
  /// Applies the Contact headers; returns the SIP status to answer with and its reason.
  std::pair<int, std::string> update(const std::string& extension, const sip_msg* msg);

  const PbxConfig& config_;
  DigestAuth& auth_;
  Counters& counters_;
  SecurityReporter& security_;
  std::map<std::string, std::vector<Binding>> bindings_;
};

}  // namespace callsup::pbx
