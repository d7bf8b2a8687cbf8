// callsup-pbx: INVITE intake, routing and the life of a call on the SIP thread.
#include <cstring>

#include "call_table.hpp"

#include "control.hpp"
#include "libre.hpp"
#include "log.hpp"
#include "sip_text.hpp"
#include "sip_thread.hpp"

namespace callsup::pbx {

CallTable::CallTable(const PbxConfig& config, Counters& counters, Control& control, SipThread& thread,
                     Registrar& registrar, DigestAuth& auth, SecurityReporter& security, Takeovers& takeovers,
                     ConsoleLink& console)
    : config_(config),
      counters_(counters),
      control_(control),
      thread_(thread),
      registrar_(registrar),
      auth_(auth),
      security_(security),
      takeovers_(takeovers),
      console_(console),
      ports_(config.rtp_address, config.rtp_port_min, config.rtp_port_max) {}

CallTable::~CallTable() {
  close_all();
  sock_ = static_cast<sipsess_sock*>(mem_deref(sock_));
}

void CallTable::close_all() {
  std::vector<std::string> ids;
  for (const auto& [id, call] : calls_) ids.push_back(id);
  for (const auto& id : ids)
    if (Call* call = find(id)) end_call(*call, "shutdown");
}

Call* CallTable::find(const std::string& call_id) {
  const auto it = calls_.find(call_id);
  return it == calls_.end() ? nullptr : it->second.get();
}

bool CallTable::identify_caller(const sip_msg* msg, Caller& caller) {
  if (config_.trunk && ip_of(msg->src) == config_.trunk->address.ip &&
      sa_port(&msg->src) == config_.trunk->address.port) {
    caller.number = to_string(msg->from.uri.user);
    caller.tenant = config_.trunk->tenant;
    return true;
  }
  caller.on_net = true;
  caller.extension = to_string(msg->from.uri.user);
  const Account* account = config_.account(caller.extension);
  const auto verdict = account ? auth_.check(msg, caller.extension, true) : DigestAuth::Verdict::forbidden;
  if (verdict == DigestAuth::Verdict::missing || verdict == DigestAuth::Verdict::stale) {
    ++counters_.auth_challenges;
    const std::string header = auth_.challenge(true, verdict == DigestAuth::Verdict::stale);
    // Stateless, as RFC 3261 allows for a challenge: a lost 407 is answered again (with a fresh
    // nonce) when the phone repeats its INVITE, and its ACK matches nothing and is dropped. A
    // server transaction would add three timers per call to libre's timer list, a sorted linked
    // list whose every insertion walks the timers due later (perf: tmr_start -> list_apply took
    // most of the SIP thread at 200 calls/s).
    (void)sip_replyf(sip_, msg, 407, "Proxy Authentication Required", "%sContent-Length: 0\r\n\r\n",
                     header.c_str());
    return false;
  }
  if (verdict != DigestAuth::Verdict::ok) {
    ++counters_.auth_failures;
    security_.report(
        {caller.extension, "bad_credentials", "INVITE from " + to_string(msg->src) + ", 403"},
        "INVITE from " + quoted(caller.extension) + " at " + to_string(msg->src) + ": bad credentials, 403");
    (void)sip_treply(nullptr, sip_, msg, 403, "Forbidden (bad credentials)");
    return false;
  }
  caller.srtp = account->srtp;
  const auto profile = control_.directory().find_extension(caller.extension);
  caller.tenant = profile ? profile->tenant : std::string();
  if (caller.tenant.empty()) {
    (void)sip_treply(nullptr, sip_, msg, 403, "Forbidden (extension has no tenant)");
    return false;
  }
  return true;
}

std::unique_ptr<SipLeg> CallTable::new_leg(Call& call, const std::string& suffix, SrtpPolicy policy) {
  const auto port = ports_.acquire();
  if (!port) return nullptr;
  auto leg = std::make_unique<SipLeg>(*this, call, call.id + "-" + suffix);
  leg->sdp = std::make_unique<SdpLeg>(config_.rtp_address, *port, policy);
  leg->ports = &ports_;
  return leg;
}

void CallTable::on_invite(const sip_msg* msg) {
  ++counters_.invites;
  Caller caller;
  if (!identify_caller(msg, caller)) return;
  const std::string dialled = to_string(msg->uri.user);
  const std::string from = caller.on_net ? caller.extension : caller.number;
  const auto refuse = [&](int status, const std::string& reason) {
    ++counters_.calls_rejected;
    log_line("sip", "INVITE " + from + " -> " + dialled + ": " + std::to_string(status) + " " + reason);
    (void)sip_treply(nullptr, sip_, msg, static_cast<uint16_t>(status), reason.c_str());
  };
  if (calls_.size() >= config_.max_calls) {
    ++counters_.calls_over_limit;
    return refuse(503, "Service Unavailable (call limit)");
  }
  auto call = std::make_unique<Call>();
  call->id = "call-" + std::to_string(next_call_++);
  call->tenant = caller.tenant;
  call->dialled = dialled;
  call->from = from;
  if (config_.account(dialled)) {
    call->kind = CallKind::extension;
  } else if (const HuntGroup* group = config_.hunt_group(dialled)) {
    call->kind = CallKind::hunt_group;
    call->group = group->group;
  } else if (caller.on_net && !dialled.empty() &&
             dialled.find_first_not_of("0123456789*#+") == std::string::npos) {
    call->kind = CallKind::supervision;  // until the SDK says the string is none of its codes
  } else {
    return refuse(404, "Not Found");
  }
  // The offer first: an unacceptable one is refused whoever was called.
  call->caller = new_leg(*call, "a", caller.srtp);
  if (!call->caller) return refuse(503, "Service Unavailable (no RTP port)");
  SipLeg& leg = *call->caller;
  leg.extension = caller.extension;
  leg.number = caller.number;
  const std::string problem = leg.sdp->answer_offer(msg->mb, &leg.answer);
  if (!problem.empty()) return refuse(488, "Not Acceptable Here (" + problem + ")");
  std::vector<Binding> targets;
  if (call->kind != CallKind::supervision) {
    targets = targets_of(*call);
    if (targets.empty()) return refuse(480, "Temporarily Unavailable (not registered)");
  }
  const int err = accept_invite(leg, msg);
  if (err) return refuse(500, "Server Internal Error");
  Call& stored = *calls_.emplace(call->id, std::move(call)).first->second;
  if (stored.kind == CallKind::supervision) {
    report_dial(stored);
    return;
  }
  report_call_added(stored);
  if (!ring(stored, targets)) reject(stored, 480, "Temporarily Unavailable");
}

std::vector<Binding> CallTable::targets_of(const Call& call) {
  if (call.kind == CallKind::extension) return registrar_.contacts(call.dialled);
  std::vector<Binding> out;
  const auto group = control_.directory().find_group(call.group);
  if (!group) return out;
  for (const auto& member : group->members)
    for (auto& binding : registrar_.contacts(member)) {
      binding.call_id =
          member;  // reused as "which member" for ring(): the registrar's Call-ID is not needed here
      out.push_back(std::move(binding));
    }
  return out;
}

bool CallTable::ring(Call& call, const std::vector<Binding>& targets) {
  bool any = false;
  for (const auto& target : targets) {
    const std::string extension = call.kind == CallKind::hunt_group ? target.call_id : call.dialled;
    any = ring_one(call, target.contact_uri, extension) || any;
  }
  return any;
}

void CallTable::reject(Call& call, int status, const std::string& reason) {
  ++counters_.calls_rejected;
  log_line("sip", "INVITE " + call.who() + ": " + std::to_string(status) + " " + reason);
  if (call.caller && call.caller->session && !call.answered)
    (void)sipsess_reject(call.caller->session, static_cast<uint16_t>(status), reason.c_str(), nullptr);
  end_call(call, "rejected");
}

void CallTable::end_call(Call& call, const std::string& why, const std::string& gone_leg) {
  if (call.ending) return;
  call.ending = true;
  log_line("call", call.who() + " ends: " + why);
  std::vector<std::string> endpoints;
  if (call.caller) endpoints.push_back(call.caller->id);
  if (call.callee) endpoints.push_back(call.callee->id);
  if (!gone_leg.empty()) endpoints.push_back(gone_leg);
  if (call.in_registry) report_ended(call, endpoints, gone_leg);
  if (call.kind == CallKind::console && !call.answered)
    report_console_failed(call, call.failure_status, call.failure_reason);
  forget(call.id);
}

void CallTable::party_left(Call& call, SipLeg& leg, const std::string& why) {
  auto& slot = &leg == call.caller.get() ? call.caller : call.callee;
  const std::string what =
      std::string(&leg == call.caller.get() ? "caller" : "callee") + " left (" + why + ")";
  const std::string id = leg.id;
  leg.detached = true;
  thread_.post([gone = std::shared_ptr<SipLeg>(std::move(slot))] {});  // destroyed outside its callback
  if (!call.caller && !call.callee) return end_call(call, what, id);
  if (!call.in_registry) return end_call(call, what, id);
  report_party_left(call, id, what);
}

void CallTable::adopt_supervisor(const std::string& call_id, const std::string& supervisor_call,
                                 const std::string& supervisor_leg) {
  Call* call = find(call_id);
  Call* from = find(supervisor_call);
  if (!from || !from->caller || from->caller->id != supervisor_leg || from->ending) {
    if (call) end_call(*call, "the supervisor taking over is gone");
    return;
  }
  if (!call || call->ending || (call->caller && call->callee)) {
    end_call(*from, "the call to take over is gone");
    return;
  }
  std::unique_ptr<SipLeg> leg = std::move(from->caller);
  leg->call = call;
  log_line("call", call->who() + ": supervisor " + leg->extension + " (" + leg->id + ") takes over");
  (call->caller ? call->callee : call->caller) = std::move(leg);
  from->in_registry = false;  // the control thread ended it when it moved the leg
  end_call(*from, "its leg moved to " + call_id);
}

void CallTable::forget(const std::string& call_id) {
  auto it = calls_.find(call_id);
  if (it == calls_.end()) return;
  std::shared_ptr<Call> doomed(std::move(it->second));
  calls_.erase(it);
  for (auto* leg : {doomed->caller.get(), doomed->callee.get()})
    if (leg) leg->detached = true;  // (a leg moved away is no longer in the call)
  for (auto& fork : doomed->forks) fork->detached = true;
  // Destroyed on a later turn of the loop: we may be inside one of its legs' libre callbacks.
  thread_.post([doomed] {});
}

void CallTable::end_call_of_leg(const std::string& leg_id, const std::string& why) {
  if (SipLeg* leg = find_leg(leg_id)) end_call(*leg->call, why);
}

void CallTable::end_by_sdk(const std::string& call_id, const std::string& why) {
  if (Call* call = find(call_id)) end_call(*call, why);
}

}  // namespace callsup::pbx
