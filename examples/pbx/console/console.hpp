// callsup-pbx console: the browser console's server side (docs/console.md).
#pragma once

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp needs it under C++20 with GCC 12

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>

#include "call_views.hpp"
#include "callsup/audit/event.hpp"
#include "callsup/subscription.hpp"
#include "config.hpp"
#include "console_link.hpp"
#include "http_server.hpp"
#include "login_limiter.hpp"
#include "static_files.hpp"
#include "web_logins.hpp"

namespace callsup::pbx {

class Control;
class SipThread;
class SipStack;

/// The console: HTTP API, static files and WebSocket events, all on the control thread (the
/// Control's io_context; each connection on a strand of it). Every request is checked against
/// the SDK's policy here, whatever the page offered; supervision it starts goes through the SDK
/// with channel web, on the supervisor's own phone, which the PBX calls (ConsoleLink).
class Console final : public HttpHandler {
 public:
  /// Binds config.console->listen (throws naming it when it cannot) and wires `link`.
  /// `stack` is the SIP side (set and reset on the SIP thread; used only there).
  Console(const PbxConfig& config, Control& control, SipThread& thread, std::unique_ptr<SipStack>& stack,
          ConsoleLink& link, const std::string& executable);
  ~Console() override;
  Console(const Console&) = delete;
  Console& operator=(const Console&) = delete;

  /// Stops accepting and closes every WebSocket (shutdown; on the control thread).
  void close();
  std::uint16_t port() const { return server_->port(); }
  const std::filesystem::path& web_root() const { return files_.root(); }

  void handle(HttpRequest request, const std::string& peer_ip, Respond respond) override;
  std::optional<HttpResponse> check_upgrade(const HttpRequest& request) override;
  void attach(const std::shared_ptr<WebSocketPeer>& peer, const HttpRequest& request) override;

 private:
  /// A supervisor's phone being called for a supervision the page asked for.
  struct Pending {
    std::uint64_t request = 0;
    std::string supervisor;
    std::string call;   ///< the call to supervise
    std::string agent;  ///< its agent
    Mode mode = Mode::listen;
    std::string since;               ///< ISO time
    std::string phone_call;          ///< the PBX's call to the phone, once it rings
    std::optional<Respond> respond;  ///< the POST /api/sessions waiting for "ringing" or "failed"
    std::unique_ptr<boost::asio::steady_timer> timeout;
  };
  struct Client {
    std::shared_ptr<WebSocketPeer> peer;
    std::string token;  ///< its login
    std::string csrf;
    std::string extension;
    std::map<std::string, std::string> calls;  ///< what it was sent last: call id -> CallView
  };
  struct Route;

  // --- requests (console_api.cpp) -----------------------------------------------------------
  void route(const HttpRequest& request, const std::string& peer_ip, Respond& respond);
  void login(const HttpRequest& request, const std::string& peer_ip, Respond respond);
  HttpResponse me(const WebLogin& login) const;
  /// Me (docs/console.md); null when the extension left the directory.
  nlohmann::json me_json(const std::string& extension, const std::string& csrf) const;
  HttpResponse logout(const WebLogin& login);
  HttpResponse calls(const WebLogin& login);
  HttpResponse sessions(const WebLogin& login);
  void start(const WebLogin& login, const nlohmann::json& body, Respond respond);
  HttpResponse switch_mode(const WebLogin& login, const std::string& id, const nlohmann::json& body);
  HttpResponse stop(const WebLogin& login, const std::string& id);
  HttpResponse assistance(const WebLogin& login, bool requested);
  HttpResponse audit(const WebLogin& login, const std::string& query);
  const WebLogin* logged_in(const HttpRequest& request);

  // --- the phone call behind a web session (console_phone.cpp) ------------------------------
  void on_ringing(std::uint64_t request, const std::string& call);
  void on_failed(std::uint64_t request, int status, const std::string& why);
  void on_answered(std::uint64_t request, const std::string& call, const std::string& leg);
  Pending* pending_of_request(std::uint64_t request);
  void end_pending(const std::string& supervisor, const std::string& error);
  void hang_up(const std::string& phone_call);
  void cancel_ring(std::uint64_t request);

  // --- live updates (console_events.cpp) ----------------------------------------------------
  void on_event(const Event& event);
  void refresh();  ///< every client's calls, diffed against what it has
  void refresh_client(Client& client);
  void send_to(const std::string& extension, const nlohmann::json& message);
  nlohmann::json hello(Client& client) const;
  nlohmann::json sessions_json(const std::string& supervisor) const;
  nlohmann::json pending_json(const std::string& supervisor) const;
  void end_assistance(const std::string& agent);
  std::optional<ConsoleUser> user(const std::string& extension) const;
  ViewSources sources(const ConsoleUser& user) const;

  const PbxConfig& config_;
  Control& control_;
  SipThread& thread_;
  std::unique_ptr<SipStack>& stack_;
  StaticFiles files_;
  WebLogins logins_;
  LoginLimiter limiter_;
  CallTimes times_;
  std::map<std::string, Assistance> assistance_;  ///< by agent extension
  std::deque<Event> audit_;                       ///< the newest records (all tenants)
  std::map<std::string, Pending> pending_;        ///< by supervisor extension
  std::map<SessionId, bool> notified_;            ///< sessions whose agent the SDK notified
  std::map<const WebSocketPeer*, Client> clients_;
  std::uint64_t next_request_ = 1;
  bool closed_ = false;
  Subscription events_;
  Subscription registry_;
  boost::asio::thread_pool kdf_{1};  ///< password checks, one at a time, off the control thread
  std::unique_ptr<HttpServer> server_;
};

}  // namespace callsup::pbx
