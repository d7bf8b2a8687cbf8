// callsup-pbx: the configuration file (one JSON document; docs/pbx.md lists every key).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "callsup/media/socket_address.hpp"

namespace callsup::pbx {

/// Whether an extension's media is SRTP (SDES): never, when its phone offers it, always.
enum class SrtpPolicy : std::uint8_t { off, optional, mandatory };

struct Account {
  std::string extension;
  std::string password;  ///< SIP digest password (REGISTER and INVITE are challenged)
  SrtpPolicy srtp = SrtpPolicy::optional;
  /// The console login's password, as libsodium's crypto_pwhash_str wrote it ("$argon2id$...");
  /// "" = this extension cannot log in to the console.
  std::string web_password_hash;
};

/// A number that rings every member of a directory group at once (ring-all).
struct HuntGroup {
  std::string number;
  std::string group;
};

/// The external peer: its INVITEs are off-net calls, and numbers that are neither an
/// extension nor a hunt group are sent to it.
struct Trunk {
  std::string name;
  SocketAddress address;
  std::string tenant;  ///< whose calls the trunk's calls are
};

/// PBX settings per tenant (the directory holds the supervision settings).
struct TenantPbx {
  /// How the agent learns it is whispered to or barged on: "none", "info" (a SIP INFO its phone
  /// can show), "beep" (a beep in what it hears) or "beep_and_info".
  std::string notify_agent = "none";
  bool notifies_by_info() const { return notify_agent == "info" || notify_agent == "beep_and_info"; }
  bool notifies_by_beep() const { return notify_agent == "beep" || notify_agent == "beep_and_info"; }
  /// Whether the agent's console page says that a supervisor is listening (whisper and barge
  /// are shown whenever the SDK notifies the agent).
  bool agent_sees_listening = false;
};

/// The browser console (docs/console.md).
struct ConsoleConfig {
  SocketAddress listen;
  std::string web_root;              ///< "" = the installed share/callsup/console, else the source tree's
  std::uint32_t login_attempts = 5;  ///< failed logins per window, per address and per extension
  std::uint32_t login_window_seconds = 60;   ///< ... after which a blocked client may try again
  std::uint32_t session_idle_minutes = 480;  ///< a login unused this long is forgotten
  std::string logins_file;  ///< "" = logins live in memory only (a PBX restart logs everyone out)
};

struct PbxConfig {
  SocketAddress sip_listen{"127.0.0.1", 5060};
  std::string realm = "callsup";
  std::string rtp_address = "127.0.0.1";
  std::uint16_t rtp_port_min = 30000;
  std::uint16_t rtp_port_max = 30999;
  std::optional<Trunk> trunk;
  std::vector<Account> accounts;
  std::vector<HuntGroup> hunt_groups;
  std::map<std::string, TenantPbx> tenants;
  std::string audit_log;  ///< "" = no audit file
  std::optional<SocketAddress> admin_listen;
  std::optional<ConsoleConfig> console;
  std::string directory_json;           ///< the "directory" member, as the SDK's directory document
  std::uint32_t max_expires = 3600;     ///< REGISTER expiry is capped at this (seconds)
  std::uint32_t default_expires = 600;  ///< when a REGISTER names none
  std::size_t max_calls = 500;          ///< INVITEs beyond this get 503 (and are counted)

  const Account* account(const std::string& extension) const;
  const HuntGroup* hunt_group(const std::string& number) const;
  const TenantPbx& tenant(const std::string& name) const;
};

/// A parsed configuration, or every problem found, each naming its JSON path
/// ("accounts[1].srtp: 'maybe' is not one of off, optional, mandatory").
struct ConfigResult {
  PbxConfig config;
  std::vector<std::string> problems;
  bool ok() const { return problems.empty(); }
};

ConfigResult parse_config(const std::string& json_text);
/// Reads and parses the file; an unreadable file is one problem.
ConfigResult load_config(const std::string& path);

/// A working configuration on 127.0.0.1 (--print-config): tenant acme on the portaswitch plan,
/// agents 744 and 745, supervisor 700 over group Support, hunt group 600, a trunk.
std::string sample_config_json();

}  // namespace callsup::pbx
