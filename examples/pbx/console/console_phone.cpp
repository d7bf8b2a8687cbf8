// callsup-pbx console: supervision started from the page, heard on the supervisor's own phone.
#include <boost/asio/post.hpp>

#include "api_body.hpp"
#include "console.hpp"
#include "control.hpp"
#include "log.hpp"
#include "sip_stack.hpp"
#include "sip_thread.hpp"

namespace callsup::pbx {

using nlohmann::json;

namespace {

constexpr auto ring_timeout = std::chrono::seconds(30);

std::optional<SessionId> session_id(const std::string& text) {
  if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return static_cast<SessionId>(std::stoull(text));
}

}  // namespace

json Console::sessions_json(const std::string& supervisor) const {
  json list = json::array();
  for (const auto& info : control_.service().sessions())
    if (info.supervisor == supervisor) list.push_back(session_view(info, control_.directory()));
  return list;
}

json Console::pending_json(const std::string& supervisor) const {
  const auto it = pending_.find(supervisor);
  if (it == pending_.end()) return nullptr;
  const Pending& p = it->second;
  return {{"call", p.call},
          {"agent", p.agent},
          {"mode", std::string(to_string(p.mode))},
          {"phone", supervisor},
          {"since", p.since}};
}

void Console::start(const WebLogin& login, const json& body, Respond respond) {
  auto call_field = string_field(body, "call");
  if (auto* error = std::get_if<HttpResponse>(&call_field)) return respond(std::move(*error));
  auto mode_parsed = mode_field(body);
  if (auto* error = std::get_if<HttpResponse>(&mode_parsed)) return respond(std::move(*error));
  const auto mode = std::optional<Mode>(std::get<Mode>(mode_parsed));
  const std::string id = std::get<std::string>(call_field);
  const auto call = control_.registry().find_call(id);
  if (!call) return respond(error_response(404, "no call " + quoted(id)));
  const std::string me = login.extension;
  if (pending_.count(me))
    return respond(error_response(409, "your phone is already ringing for call " + pending_.at(me).call +
                                           ": answer it or stop it first"));
  for (const auto& info : control_.service().sessions())
    if (info.supervisor == me)
      return respond(error_response(
          409, "you already supervise " + (info.call.empty() ? "(armed)" : info.call) + " (session " +
                   std::to_string(info.id) + "): switch its mode or stop it first"));
  const auto found = user(me);
  if (!found || call->tenant != found->profile.tenant) {
    // Refused before the SDK sees it: its records name the call's agent, which must not reach
    // this tenant's audit trail or pages. A security record (this tenant's) says who tried.
    control_.service().record_security(
        {me, "console_cross_tenant", "POST /api/sessions for call " + quoted(id) + " of another tenant"});
    log_line("console", me + ": " + id + " is another tenant's call: 403");
    return respond(denial_response(*mode, Decision::deny(Reason::cross_tenant, "console_tenant")));
  }
  const auto scoped = scope_call(*found, call, sources(*found));
  if (!scoped || !scoped->decisions.at(*mode).allowed) {
    // Refused: the SDK decides it again and writes the attempt and the denial to the audit trail
    // (channel web). The leg named is a placeholder no phone has; pre_arm off: nothing can wait.
    StartRequest request;
    request.supervisor_leg = "console-refused-" + std::to_string(next_request_++);
    request.supervisor = me;
    request.call = id;
    request.target = scoped ? scoped->agent : first_agent(*call, control_.service());
    request.mode = *mode;
    request.channel = RequestChannel::web;
    SessionOptions options;
    options.pre_arm = false;
    request.options = options;
    StartOutcome outcome;
    try {
      outcome = control_.service().start(request);
    } catch (const Error& e) {
      return respond(error_response(400, e.what()));
    }
    if (outcome.ok()) {  // the page's view was stale: never run a session on a placeholder leg
      control_.service().stop(outcome.session);
      return respond(denial_response(*mode, scoped ? scoped->decisions.at(*mode) : outcome.decision));
    }
    log_line("console", me + ": " + std::string(to_string(*mode)) + " on " + id + " refused (" +
                            std::string(to_string(outcome.decision.reason)) + ")");
    return respond(denial_response(*mode, outcome.decision));
  }
  Pending& pending = pending_[me];
  pending.request = next_request_++;
  pending.supervisor = me;
  pending.call = id;
  pending.agent = scoped->agent;
  pending.mode = *mode;
  pending.since = iso_time(std::chrono::system_clock::now());
  pending.respond = std::move(respond);
  pending.timeout = std::make_unique<boost::asio::steady_timer>(control_.io(), ring_timeout);
  pending.timeout->async_wait([this, me, request = pending.request](boost::system::error_code error) {
    const Pending* p = error ? nullptr : pending_of_request(request);
    if (!p) return;
    cancel_ring(request);
    end_pending(me, "your phone did not answer within " + std::to_string(ring_timeout.count()) + " s");
  });
  log_line("console",
           me + ": " + std::string(to_string(*mode)) + " on " + id + ": calling " + me + "'s phone");
  thread_.post([&stack = stack_, request = pending.request, me, tenant = call->tenant] {
    if (stack) stack->calls().ring_for_console(request, me, tenant);
  });
}

HttpResponse Console::switch_mode(const WebLogin& login, const std::string& id, const json& body) {
  auto parsed = mode_field(body);
  if (auto* error = std::get_if<HttpResponse>(&parsed)) return std::move(*error);
  const auto mode = std::optional<Mode>(std::get<Mode>(parsed));
  if (id == "pending") {
    auto it = pending_.find(login.extension);
    if (it == pending_.end()) return error_response(409, "nothing is ringing for you");
    it->second.mode = *mode;
    send_to(login.extension, {{"type", "pending"}, {"pending", pending_json(login.extension)}});
    return json_response(200, json{{"pending", pending_json(login.extension)}}.dump());
  }
  const auto session = session_id(id);
  const auto info = session ? control_.service().session(*session) : std::nullopt;
  if (!info || info->supervisor != login.extension || info->state == SessionState::ended)
    return error_response(404, "no running session " + quoted(id) + " of yours");
  const Decision decision =
      control_.service().switch_mode(*session, *mode, std::nullopt, RequestChannel::web);
  if (!decision.allowed) return denial_response(*mode, decision);
  const auto now = control_.service().session(*session);
  return json_response(200,
                       json{{"session", now ? session_view(*now, control_.directory()) : json()}}.dump());
}

HttpResponse Console::stop(const WebLogin& login, const std::string& id) {
  if (id == "pending") {
    const auto it = pending_.find(login.extension);
    if (it == pending_.end()) return error_response(409, "nothing is ringing for you");
    cancel_ring(it->second.request);
    end_pending(login.extension, "");
    return json_response(200, "{}");
  }
  const auto session = session_id(id);
  const auto info = session ? control_.service().session(*session) : std::nullopt;
  if (!info || info->supervisor != login.extension || info->state == SessionState::ended)
    return error_response(404, "no running session " + quoted(id) + " of yours");
  control_.service().stop(*session);  // the PBX hangs up the phone when the session ends (pbx.cpp)
  return json_response(200, "{}");
}

Console::Pending* Console::pending_of_request(std::uint64_t request) {
  for (auto& [supervisor, pending] : pending_)
    if (pending.request == request) return &pending;
  return nullptr;
}

void Console::cancel_ring(std::uint64_t request) {
  thread_.post([&stack = stack_, request] {
    if (stack) stack->calls().cancel_console_ring(request);
  });
}

void Console::hang_up(const std::string& phone_call) {
  thread_.post([&stack = stack_, phone_call] {
    if (stack) stack->calls().end_by_sdk(phone_call, "console supervision did not start");
  });
}

void Console::end_pending(const std::string& supervisor, const std::string& error) {
  const auto it = pending_.find(supervisor);
  if (it == pending_.end()) return;
  if (it->second.timeout) it->second.timeout->cancel();
  std::optional<Respond> respond = std::move(it->second.respond);
  pending_.erase(it);
  if (respond && !error.empty()) (*respond)(error_response(409, error));
  json message = {{"type", "pending"}, {"pending", nullptr}};
  if (!error.empty()) message["error"] = error;
  send_to(supervisor, message);
}

void Console::on_ringing(std::uint64_t request, const std::string& call) {
  Pending* p = pending_of_request(request);
  if (!p) return cancel_ring(request);  // stopped while the INVITE went out
  p->phone_call = call;
  if (p->respond)
    std::exchange(p->respond, std::nullopt)
        .value()(json_response(202, json{{"pending", pending_json(p->supervisor)}}.dump()));
  send_to(p->supervisor, {{"type", "pending"}, {"pending", pending_json(p->supervisor)}});
}

void Console::on_failed(std::uint64_t request, int status, const std::string& why) {
  Pending* p = pending_of_request(request);
  if (!p) return;
  if (p->respond && status != 409) {  // not even ringing: the POST gets the SIP side's answer
    const std::string supervisor = p->supervisor;
    std::exchange(p->respond, std::nullopt).value()(error_response(status >= 500 ? 503 : 409, why));
    return end_pending(supervisor, "");
  }
  end_pending(p->supervisor,
              status == 409 ? why : "your phone did not answer (" + std::to_string(status) + " " + why + ")");
}

void Console::on_answered(std::uint64_t request, const std::string& call, const std::string& leg) {
  Pending* p = pending_of_request(request);
  if (!p) return hang_up(call);
  const std::string supervisor = p->supervisor;
  StartRequest start;
  start.supervisor_leg = leg;
  start.supervisor = supervisor;
  start.target = p->agent;
  start.call = p->call;
  start.mode = p->mode;
  start.channel = RequestChannel::web;
  std::string error;
  try {
    const StartOutcome outcome = control_.service().start(start);
    if (!outcome.ok())
      error = "the policy refused on answer: " + std::string(to_string(outcome.decision.reason));
  } catch (const Error& e) {
    error = std::string("the call is gone: ") + e.what();
  }
  if (!error.empty()) hang_up(call);
  end_pending(supervisor, error);
}

}  // namespace callsup::pbx
