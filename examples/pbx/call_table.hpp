// callsup-pbx: the B2BUA: INVITEs in, forks out, and every SIP event reported to the SDK.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "call.hpp"
#include "config.hpp"
#include "console_link.hpp"
#include "counters.hpp"
#include "digest_auth.hpp"
#include "port_pool.hpp"
#include "registrar.hpp"
#include "security_reporter.hpp"
#include "takeovers.hpp"

struct sip;
struct sip_msg;
struct sipsess_sock;

namespace callsup::pbx {

class Control;
class SipThread;

/// The calls, on the SIP thread. Each SIP event becomes one registry call, posted to the
/// control thread in order (docs/pbx.md has the table); answers that need the SDK (a dialled
/// feature code) come back through SipThread::post and find their call by id.
class CallTable {
 public:
  CallTable(const PbxConfig& config, Counters& counters, Control& control, SipThread& thread,
            Registrar& registrar, DigestAuth& auth, SecurityReporter& security, Takeovers& takeovers,
            ConsoleLink& console);
  ~CallTable();

  /// Starts listening for INVITEs on `stack`.
  void listen(sip* stack);
  /// Hangs up every call (shutdown).
  void close_all();

  // --- called back by the control thread (through SipThread::post) ----------------------
  void supervision_answered(const std::string& call_id, bool started, const std::string& why);
  void supervision_refused(const std::string& call_id, int status, const std::string& reason);
  void supervision_not_ours(const std::string& call_id);
  /// The SDK asked for the call to end (action_requested end_call).
  void end_by_sdk(const std::string& call_id, const std::string& why);
  /// The supervisor's leg `supervisor_leg` (alone in call `supervisor_call`) replaces the agent
  /// who left `call_id`: the SDK's takeover, already reported to the registry.
  void adopt_supervisor(const std::string& call_id, const std::string& supervisor_call,
                        const std::string& supervisor_leg);
  /// Hangs up the call that leg `leg_id` belongs to (a supervisor's, when its session ended).
  void end_call_of_leg(const std::string& leg_id, const std::string& why);
  /// Tells the agent's phone it is being whispered to / barged on (SIP INFO).
  void notify_agent(const std::string& leg_id, const std::string& text);

  // --- the console's calls to supervisors' phones (call_table_console.cpp) -----------------
  /// Rings every registered phone of `extension` for console request `request`; the outcome
  /// comes back through ConsoleLink (ringing or failed, later answered or failed).
  void ring_for_console(std::uint64_t request, const std::string& extension, const std::string& tenant);
  /// Stops ringing for `request` (a phone that answered meanwhile is hung up).
  void cancel_console_ring(std::uint64_t request);

  // --- libre callbacks (call_table_legs.cpp) ---------------------------------------------
  void on_invite(const sip_msg* msg);
  int on_offer(SipLeg& leg, mbuf** answer, const sip_msg* msg);
  int on_answer(SipLeg& leg, const sip_msg* msg);
  void on_progress(SipLeg& leg, const sip_msg* msg);
  void on_established(SipLeg& leg, const sip_msg* msg);
  void on_info(SipLeg& leg, const sip_msg* msg);
  void on_closed(SipLeg& leg, int err, const sip_msg* msg);

  std::size_t size() const { return calls_.size(); }
  sip* stack() const { return sip_; }

 private:
  struct Caller {
    bool on_net = false;
    std::string extension, number, tenant;
    SrtpPolicy srtp = SrtpPolicy::optional;
  };
  bool identify_caller(const sip_msg* msg, Caller& caller);
  bool route(Call& call, const Caller& caller);
  std::vector<Binding> targets_of(const Call& call);
  bool ring(Call& call, const std::vector<Binding>& targets);
  bool ring_one(Call& call, const std::string& uri, const std::string& extension);
  int accept_invite(SipLeg& leg, const sip_msg* msg);
  void answer_caller(Call& call);
  SipLeg* find_leg(const std::string& leg_id);
  std::unique_ptr<SipLeg> new_leg(Call& call, const std::string& suffix, SrtpPolicy policy);
  void reject(Call& call, int status, const std::string& reason);
  void end_call(Call& call, const std::string& why, const std::string& gone_leg = {});
  /// One party of an answered call hung up: the SDK hears of it first (it may ask for a takeover).
  void party_left(Call& call, SipLeg& leg, const std::string& why);
  void forget(const std::string& call_id);  ///< destroys the call later, outside libre's callbacks
  Call* find(const std::string& call_id);

  // --- reports to the SDK (call_table_sdk.cpp) -----------------------------------------------
  void report_call_added(Call& call);
  void report_leg(const Call& call, SipLeg& leg, bool up);
  void report_answered(const Call& call);
  void report_hold(const SipLeg& leg, bool held);
  void report_rekey(const SipLeg& leg);
  void report_dial(Call& call);
  void report_dtmf(const SipLeg& leg, char digit);
  void report_ended(const Call& call, const std::vector<std::string>& endpoints, const std::string& gone_leg);
  void report_party_left(const Call& call, const std::string& gone_leg, const std::string& why);
  void report_console_answered(Call& call);
  void report_console_failed(const Call& call, int status, const std::string& why);

  const PbxConfig& config_;
  Counters& counters_;
  Control& control_;
  SipThread& thread_;
  Registrar& registrar_;
  DigestAuth& auth_;
  SecurityReporter& security_;
  Takeovers& takeovers_;
  ConsoleLink& console_;
  PortPool ports_;
  sip* sip_ = nullptr;
  sipsess_sock* sock_ = nullptr;
  std::map<std::string, std::unique_ptr<Call>> calls_;
  std::uint64_t next_call_ = 1;
};

}  // namespace callsup::pbx
