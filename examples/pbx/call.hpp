// callsup-pbx: one B2BUA call as the SIP thread holds it: the caller's leg and the legs it rings.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "port_pool.hpp"
#include "sdp_leg.hpp"

struct sipsess;
struct mbuf;

namespace callsup::pbx {

class CallTable;
struct Call;

/// One SIP dialog of a call (caller, a ringing fork, the callee, or a supervisor's phone).
/// Owns its libre session: destroying the leg sends what the dialog's state needs (BYE, CANCEL).
struct SipLeg {
  SipLeg(CallTable& owner, Call& of_call, std::string leg_id)
      : table(owner), call(&of_call), id(std::move(leg_id)) {}
  ~SipLeg();
  SipLeg(const SipLeg&) = delete;
  SipLeg& operator=(const SipLeg&) = delete;

  CallTable& table;
  Call* call;             ///< the call it belongs to (a supervisor's leg moves into the call it takes over)
  std::string id;         ///< the registry's leg id ("call-3-a")
  std::string extension;  ///< on-net party ("" for the trunk side)
  std::string number;     ///< off-net party's number
  sipsess* session = nullptr;
  std::unique_ptr<SdpLeg> sdp;
  mbuf* answer = nullptr;  ///< our SDP answer to the caller's offer, sent with the 200
  bool held = false;
  /// Set when the leg is dropped: libre may still call back until it is destroyed (later, on the
  /// SIP loop), and those calls must not touch the call any more.
  bool detached = false;
  PortPool* ports = nullptr;  ///< gets the leg's RTP port back
};

/// What the caller dialled turned out to be.
/// (console: the PBX calls a supervisor's phone for the browser console; the phone is the callee.)
enum class CallKind { extension, hunt_group, trunk, supervision, console };

struct Call {
  std::string id;  ///< "call-3" (the registry's call id)
  std::string tenant;
  std::string group;  ///< the hunt group's directory group, "" otherwise
  std::string dialled;
  std::string from;  ///< the caller's extension or number (kept after its leg is gone)
  CallKind kind = CallKind::extension;
  std::unique_ptr<SipLeg> caller;
  std::vector<std::unique_ptr<SipLeg>> forks;  ///< INVITEs out, none answered yet
  std::unique_ptr<SipLeg> callee;              ///< the fork that answered
  std::uint64_t console_request = 0;           ///< CallKind::console: the console's request it serves
  bool in_registry = false;
  bool answered = false;
  bool ending = false;
  int fork_counter = 0;
  /// The best failure the forks reported (486 wins over 480 and the others).
  int failure_status = 480;
  std::string failure_reason = "Temporarily Unavailable";

  std::string who() const;  ///< "744 -> 745 (call-3)" for the log
};

}  // namespace callsup::pbx
