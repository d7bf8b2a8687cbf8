// callsup-pbx console: construction, wiring and the request router.
#include "console.hpp"

#include <boost/asio/post.hpp>

#include "control.hpp"
#include "log.hpp"

namespace callsup::pbx {

namespace http = boost::beast::http;

Console::Console(const PbxConfig& config, Control& control, SipThread& thread,
                 std::unique_ptr<SipStack>& stack, ConsoleLink& link, const std::string& executable)
    : config_(config),
      control_(control),
      thread_(thread),
      stack_(stack),
      files_(find_web_root(config.console->web_root, executable)),
      logins_(std::chrono::minutes(config.console->session_idle_minutes), config.console->logins_file),
      limiter_(config.console->login_attempts, std::chrono::seconds(config.console->login_window_seconds)) {
  // SIP reports arrive on the control thread already (ConsoleLink's contract).
  link.ringing = [this](std::uint64_t request, const std::string& call) { on_ringing(request, call); };
  link.failed = [this](std::uint64_t request, int status, const std::string& why) {
    on_failed(request, status, why);
  };
  link.answered = [this](std::uint64_t request, const std::string& call, const std::string& leg) {
    on_answered(request, call, leg);
  };
  // The SDK may deliver from another thread (the media engine's DTMF): handled on the control
  // thread, in order, after the call that caused it returned.
  events_ = control.service().add_event_sink(std::make_shared<FunctionEventSink>(
      [this](const Event& event) { control_.post([this, event] { on_event(event); }); }));
  registry_ = control.registry().subscribe([this](const RegistryEvent& event) {
    control_.post([this, event] {
      if (closed_) return;
      const auto& call = *event.call;
      const std::string now = iso_time(std::chrono::system_clock::now());
      if (event.kind == RegistryEventKind::call_ended) {
        times_.by_call.erase(call.id);
        for (auto it = assistance_.begin(); it != assistance_.end();)
          it = it->second.call == call.id ? assistance_.erase(it) : std::next(it);
      } else {
        auto& times = times_.by_call[call.id];
        if (times.started_at.empty()) times.started_at = now;
        if (call.bridged && times.answered_at.empty()) times.answered_at = now;
      }
      refresh();
    });
  });
  server_ = std::make_unique<HttpServer>(control.io(), config.console->listen, *this);
  log_line("console", "serving " + files_.root().string() + " on http://" + config.console->listen.ip + ":" +
                          std::to_string(server_->port()) + "/");
}

Console::~Console() {
  kdf_.join();
  events_.reset();
  registry_.reset();
}

void Console::close() {
  closed_ = true;
  server_->close();
  for (auto& [peer, client] : clients_) client.peer->close();
  for (auto& [supervisor, pending] : pending_)
    if (pending.timeout) pending.timeout->cancel();
}

ViewSources Console::sources(const ConsoleUser& user) const {
  return {control_.registry(),
          control_.directory(),
          control_.policy(),
          control_.service(),
          times_,
          assistance_,
          notified_,
          config_.tenant(user.profile.tenant).agent_sees_listening};
}

std::optional<ConsoleUser> Console::user(const std::string& extension) const {
  const auto profile = control_.directory().find_extension(extension);
  if (!profile) return std::nullopt;
  return console_user(*profile);
}

void Console::handle(HttpRequest request, const std::string& peer_ip, Respond respond) {
  // Every answer, API or file, carries the security headers.
  Respond secured = [respond = std::move(respond)](HttpResponse response) {
    add_security_headers(response);
    respond(std::move(response));
  };
  const std::string target(request.target());
  if (target.rfind("/api/", 0) == 0) {
    try {
      return route(request, peer_ip, secured);
    } catch (const std::exception& e) {  // never through Beast's handler: it would stop the control thread
      log_line("console", std::string(request.method_string()) + " " + target + ": " + e.what());
      return secured(error_response(500, std::string("internal error: ") + e.what()));
    }
  }
  if (request.method() != http::verb::get)
    return secured(
        error_response(405, std::string(request.method_string()) + " " + target + ": only GET here"));
  if (auto file = files_.serve(request)) return secured(std::move(*file));
  secured(error_response(404, "no file " + target));
}

}  // namespace callsup::pbx
