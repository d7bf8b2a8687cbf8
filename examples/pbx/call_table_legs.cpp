// callsup-pbx: the B2BUA's libre callbacks: answers, progress, hang-ups, re-INVITEs and INFO.
#include <cerrno>

#include <cstring>

#include "call_table.hpp"
#include "control.hpp"
#include "libre.hpp"
#include "log.hpp"
#include "sip_text.hpp"
#include "sip_thread.hpp"

namespace callsup::pbx {

namespace {

constexpr const char* allow_header = "Allow: INVITE, ACK, BYE, CANCEL, INFO, OPTIONS, REGISTER\r\n";

SipLeg& leg_of(void* arg) { return *static_cast<SipLeg*>(arg); }

/// Runs `work` inside a libre callback: an exception must never unwind through libre's C frames,
/// so it is logged here and `fallback` returned instead.
template <typename Work, typename Result>
Result guarded(const char* what, Work&& work, Result fallback) {
  try {
    return work();
  } catch (const std::exception& e) {
    log_line("sip", std::string("error in ") + what + ": " + e.what());
    return fallback;
  }
}

int offer_handler(mbuf** answer, const sip_msg* msg, void* arg) {
  SipLeg& leg = leg_of(arg);
  if (leg.detached) return ECONNRESET;
  return guarded(
      "re-INVITE", [&] { return leg.table.on_offer(leg, answer, msg); }, EPROTO);
}
int answer_handler(const sip_msg* msg, void* arg) {
  SipLeg& leg = leg_of(arg);
  if (leg.detached) return 0;
  return guarded(
      "SDP answer", [&] { return leg.table.on_answer(leg, msg); }, EPROTO);
}
void progress_handler(const sip_msg* msg, void* arg) {
  SipLeg& leg = leg_of(arg);
  if (!leg.detached)
    guarded(
        "progress", [&] { return leg.table.on_progress(leg, msg), 0; }, 0);
}
void established_handler(const sip_msg* msg, void* arg) {
  SipLeg& leg = leg_of(arg);
  if (!leg.detached)
    guarded(
        "answer", [&] { return leg.table.on_established(leg, msg), 0; }, 0);
}
void info_handler(sip* stack, const sip_msg* msg, void* arg) {
  (void)sip_reply(stack, msg, 200, "OK");
  SipLeg& leg = leg_of(arg);
  if (!leg.detached)
    guarded(
        "INFO", [&] { return leg.table.on_info(leg, msg), 0; }, 0);
}
void close_handler(int err, const sip_msg* msg, void* arg) {
  SipLeg& leg = leg_of(arg);
  if (!leg.detached)
    guarded(
        "hang-up", [&] { return leg.table.on_closed(leg, err, msg), 0; }, 0);
}
void connect_handler(const sip_msg* msg, void* arg) {
  auto* table = static_cast<CallTable*>(arg);
  const bool handled = guarded(
      "INVITE", [&] { return table->on_invite(msg), true; }, false);
  if (!handled) (void)sip_treply(nullptr, table->stack(), msg, 500, "Server Internal Error");
}
void info_response(int, const sip_msg*, void*) {}

/// The digit of an INFO body: application/dtmf-relay ("Signal=5\r\nDuration=160") or
/// application/dtmf ("5"); 0 when there is none.
char dtmf_of(const sip_msg* msg) {
  const bool relay = msg_ctype_cmp(&msg->ctyp, "application", "dtmf-relay");
  const bool plain = msg_ctype_cmp(&msg->ctyp, "application", "dtmf");
  if (!relay && !plain) return 0;
  std::string body(reinterpret_cast<const char*>(mbuf_buf(msg->mb)), mbuf_get_left(msg->mb));
  std::size_t at = 0;
  if (relay) {
    at = body.find("Signal=");
    if (at == std::string::npos) return 0;
    at += 7;
  }
  while (at < body.size() && body[at] == ' ') ++at;
  if (at >= body.size()) return 0;
  const char digit = body[at];
  const std::string valid = "0123456789*#ABCDabcd";
  return valid.find(digit) == std::string::npos ? 0 : digit;
}

}  // namespace

void CallTable::listen(sip* stack) {
  sip_ = stack;
  const int err = sipsess_listen(&sock_, stack, 32, connect_handler, this);
  if (err) throw std::runtime_error(std::string("sipsess_listen: ") + std::strerror(err));
}

int CallTable::accept_invite(SipLeg& leg, const sip_msg* msg) {
  return sipsess_accept(&leg.session, sock_, msg, 180, "Ringing", "callsup", "application/sdp", nullptr,
                        nullptr, nullptr, false, offer_handler, answer_handler, established_handler,
                        info_handler, nullptr, close_handler, &leg, "%s", allow_header);
}

bool CallTable::ring_one(Call& call, const std::string& uri, const std::string& extension) {
  const Account* account = extension.empty() ? nullptr : config_.account(extension);
  auto fork = new_leg(call, "b" + std::to_string(++call.fork_counter),
                      account ? account->srtp : SrtpPolicy::optional);
  if (!fork) return false;
  fork->extension = extension;
  if (extension.empty()) fork->number = call.dialled;
  const std::string& caller_id = call.from;
  const std::string from_uri = "sip:" + caller_id + "@" + config_.sip_listen.to_string();
  mbuf* offer = fork->sdp->make_offer();
  if (!offer) return false;
  const int err = sipsess_connect(&fork->session, sock_, uri.c_str(), caller_id.c_str(), from_uri.c_str(),
                                  "callsup", nullptr, 0, "application/sdp", offer, nullptr, nullptr, false,
                                  offer_handler, answer_handler, progress_handler, established_handler,
                                  info_handler, nullptr, close_handler, fork.get(), "%s", allow_header);
  mem_deref(offer);
  if (err) {
    log_line("sip", "INVITE " + call.who() + " to " + uri + ": cannot send (" + std::strerror(err) + ")");
    return false;
  }
  log_line("sip", "INVITE " + call.who() + ": ringing " + uri);
  call.forks.push_back(std::move(fork));
  return true;
}

int CallTable::on_offer(SipLeg& leg, mbuf** answer, const sip_msg* msg) {
  const std::string problem = leg.sdp->answer_offer(msg->mb, answer);
  if (!problem.empty()) {
    log_line("sip", "re-INVITE " + leg.call->who() + " leg " + leg.id + ": 488 " + problem);
    return EPROTO;
  }
  if (leg.sdp->held() != leg.held) {
    leg.held = leg.sdp->held();
    log_line("sip", "re-INVITE " + leg.call->who() + " leg " + leg.id + ": 200 OK (" +
                        (leg.held ? "hold" : "resume") + ")");
    if (leg.call->answered) report_hold(leg, leg.held);
  }
  if (leg.sdp->rekeyed()) {
    log_line("sip", "re-INVITE " + leg.call->who() + " leg " + leg.id + ": 200 OK (new SRTP keys)");
    report_rekey(leg);
  }
  return 0;
}

int CallTable::on_answer(SipLeg& leg, const sip_msg* msg) {
  if (&leg == leg.call->caller.get()) return 0;  // an ACK with SDP: we never make offerless INVITEs
  const std::string problem = leg.sdp->take_answer(msg->mb);
  if (problem.empty()) return 0;
  leg.call->failure_status = 488;
  leg.call->failure_reason = "Not Acceptable Here (" + problem + ")";
  log_line("sip", "INVITE " + leg.call->who() + " leg " + leg.id + ": answer refused: " + problem);
  return EPROTO;
}

void CallTable::on_progress(SipLeg& leg, const sip_msg* msg) {
  log_line("sip", "INVITE " + leg.call->who() + " leg " + leg.id + ": " + std::to_string(msg->scode) + " " +
                      to_string(msg->reason));
}

void CallTable::on_established(SipLeg& leg, const sip_msg*) {
  Call& call = *leg.call;
  if (&leg == call.caller.get()) return;  // the caller's ACK
  auto it =
      std::find_if(call.forks.begin(), call.forks.end(), [&](const auto& f) { return f.get() == &leg; });
  if (it == call.forks.end()) return;
  std::unique_ptr<SipLeg> winner = std::move(*it);
  call.forks.erase(it);
  if (call.answered) {  // a second phone of a ring-all answered too late: hang it up
    winner->detached = true;
    thread_.post([doomed = std::shared_ptr<SipLeg>(std::move(winner))] {});
    return;
  }
  call.callee = std::move(winner);
  auto losers = std::make_shared<std::vector<std::unique_ptr<SipLeg>>>(std::move(call.forks));
  call.forks.clear();
  for (auto& loser : *losers) loser->detached = true;
  thread_.post([losers] {});  // their CANCELs go out when they are destroyed
  if (call.kind == CallKind::console) return report_console_answered(call);
  report_leg(call, *call.callee, true);
  answer_caller(call);
}

void CallTable::answer_caller(Call& call) {
  call.answered = true;
  ++counters_.calls_answered;
  (void)sipsess_answer(call.caller->session, 200, "OK", call.caller->answer, "%s", allow_header);
  log_line("sip", "INVITE " + call.who() + ": 200 OK (" + call.caller->sdp->codec() +
                      (call.caller->sdp->srtp() ? ", SRTP" : "") + ")");
  if (call.kind != CallKind::supervision) report_answered(call);
}

void CallTable::on_info(SipLeg& leg, const sip_msg* msg) {
  const char digit = dtmf_of(msg);
  if (!digit) return;
  ++counters_.dtmf_info;
  report_dtmf(leg, digit);
}

void CallTable::on_closed(SipLeg& leg, int err, const sip_msg* msg) {
  Call& call = *leg.call;
  const std::string detail =
      msg ? std::to_string(msg->scode) + " " + to_string(msg->reason)
          : (err && err != ECONNRESET ? std::string(std::strerror(err)) : std::string("BYE"));
  if (&leg == call.caller.get() || &leg == call.callee.get()) {
    const bool caller = &leg == call.caller.get();
    if (call.answered && !call.ending) return party_left(call, leg, detail);
    end_call(call, std::string(caller ? "caller" : "callee") + " left (" + detail + ")", leg.id);
    return;
  }
  auto it =
      std::find_if(call.forks.begin(), call.forks.end(), [&](const auto& f) { return f.get() == &leg; });
  if (it == call.forks.end()) return;
  const int status = msg && msg->scode >= 300 ? msg->scode : 408;
  if (status == 486 || status == 600 || call.failure_status != 486) {
    call.failure_status = status == 408 ? 480 : status;
    call.failure_reason =
        msg && status >= 300 ? to_string(msg->reason) : std::string("Temporarily Unavailable");
  }
  log_line("sip", "INVITE " + call.who() + " leg " + leg.id + ": " + detail);
  (*it)->detached = true;
  thread_.post([doomed = std::shared_ptr<SipLeg>(std::move(*it))] {});
  call.forks.erase(it);
  if (call.forks.empty() && !call.answered) reject(call, call.failure_status, call.failure_reason);
}

SipLeg* CallTable::find_leg(const std::string& leg_id) {
  for (auto& [id, call] : calls_)
    for (auto* leg : {call->caller.get(), call->callee.get()})
      if (leg && leg->id == leg_id) return leg;
  return nullptr;
}

void CallTable::supervision_answered(const std::string& call_id, bool started, const std::string& why) {
  Call* call = find(call_id);
  if (!call || call->ending) return;
  ++counters_.supervision_started;
  log_line("supervision",
           call->who() + ": " + (started ? "started" : "armed") + (why.empty() ? "" : " " + why));
  answer_caller(*call);
}

void CallTable::supervision_refused(const std::string& call_id, int status, const std::string& reason) {
  Call* call = find(call_id);
  if (!call || call->ending) return;
  ++counters_.supervision_denied;
  reject(*call, status, reason);
}

void CallTable::supervision_not_ours(const std::string& call_id) {
  Call* call = find(call_id);
  if (!call || call->ending) return;
  const bool digits = call->dialled.find_first_not_of("0123456789+") == std::string::npos;
  if (!config_.trunk || !digits || call->dialled.empty()) return reject(*call, 404, "Not Found");
  call->kind = CallKind::trunk;
  report_call_added(*call);
  const std::string uri = "sip:" + call->dialled + "@" + config_.trunk->address.to_string();
  if (!ring_one(*call, uri, "")) reject(*call, 503, "Service Unavailable (trunk)");
}

void CallTable::notify_agent(const std::string& leg_id, const std::string& text) {
  SipLeg* leg = find_leg(leg_id);
  if (!leg || !leg->session) return;
  mbuf* body = mbuf_alloc(text.size() + 2);
  if (!body) return;
  (void)mbuf_write_str(body, (text + "\r\n").c_str());
  mbuf_set_pos(body, 0);
  const int err = sipsess_info(leg->session, "text/plain", body, info_response, nullptr);
  mem_deref(body);
  log_line("sip",
           "INFO to " + leg_id + " (" + text + ")" + (err ? std::string(": ") + std::strerror(err) : ""));
}

}  // namespace callsup::pbx
