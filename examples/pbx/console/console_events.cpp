// callsup-pbx console: the WebSocket (GET /api/events): the whole state first, then what changed.
#include "api_body.hpp"
#include "callsup/json/audit_json.hpp"
#include "console.hpp"
#include "control.hpp"
#include "log.hpp"

namespace callsup::pbx {

using nlohmann::json;

namespace {

constexpr std::size_t audit_kept = 500;

bool is_session_event(EventKind kind) {
  return kind == EventKind::started || kind == EventKind::armed || kind == EventKind::mode_changed ||
         kind == EventKind::target_changed || kind == EventKind::ended || kind == EventKind::denied;
}

}  // namespace

std::optional<HttpResponse> Console::check_upgrade(const HttpRequest& request) {
  const std::string target(request.target());
  if (target != "/api/events") return error_response(404, "no WebSocket at " + target + " (use /api/events)");
  // A browser sends its page's origin: a page of another site must not ride on the cookie
  // (cross-site WebSocket hijacking; SameSite=Strict stops it too, this does not rely on it).
  const std::string origin = header_value(request, "Origin"), host = header_value(request, "Host");
  if (origin != "http://" + host && origin != "https://" + host)
    return error_response(403,
                          "WebSocket from origin " + quoted(origin) + " refused (only http://" + host + ")");
  if (!logged_in(request)) return error_response(401, "not logged in (POST /api/login first)");
  return std::nullopt;
}

void Console::attach(const std::shared_ptr<WebSocketPeer>& peer, const HttpRequest& request) {
  const WebLogin* login = logged_in(request);
  if (!login || closed_) return peer->close();
  Client& client = clients_[peer.get()];
  client.peer = peer;
  client.token = login->token;
  client.csrf = login->csrf;
  client.extension = login->extension;
  peer->on_closed([this, key = peer.get()] { clients_.erase(key); });
  peer->send(hello(client).dump());
}

json Console::hello(Client& client) const {
  json calls = json::array();
  if (const auto found = user(client.extension)) {
    auto views = call_views(*found, sources(*found));
    auto& sent = client.calls;  // what the client has from now on
    sent.clear();
    for (auto& [id, view] : views) {
      sent[id] = view.dump();
      calls.push_back(std::move(view));
    }
  }
  return {{"type", "hello"},
          {"me", me_json(client.extension, client.csrf)},
          {"calls", calls},
          {"sessions", sessions_json(client.extension)},
          {"now", iso_time(std::chrono::system_clock::now())},
          {"pending", pending_json(client.extension)}};
}

void Console::send_to(const std::string& extension, const json& message) {
  const std::string text = message.dump();
  for (auto& [peer, client] : clients_)
    if (client.extension == extension) client.peer->send(text);
}

void Console::on_event(const Event& event) {
  if (closed_) return;
  audit_.push_back(event);
  if (audit_.size() > audit_kept) audit_.pop_front();
  const json record = json::parse(to_json_line(event));
  for (auto& [peer, client] : clients_) {
    const auto found = user(client.extension);
    if (found && found->admin && found->profile.tenant == event.tenant)
      client.peer->send(json{{"type", "audit"}, {"record", record}}.dump());
  }
  if (event.kind == EventKind::agent_notified) notified_[event.session] = true;
  if (event.kind == EventKind::ended) notified_.erase(event.session);
  if (is_session_event(event.kind) && !event.supervisor.empty()) {
    const auto info = event.session ? control_.service().session(event.session) : std::nullopt;
    const bool live = info && info->state != SessionState::ended;
    send_to(event.supervisor, {{"type", "session"},
                               {"event", record},
                               {"session", live ? session_view(*info, control_.directory()) : json()}});
  }
  if (event.kind == EventKind::started && !event.target.empty()) {
    const auto help = assistance_.find(event.target);
    if (help != assistance_.end() && help->second.call == event.call)
      end_assistance(event.target);  // help arrived
  }
  refresh();
}

void Console::end_assistance(const std::string& agent) {
  const auto it = assistance_.find(agent);
  if (it == assistance_.end()) return;
  const Assistance help = it->second;
  assistance_.erase(it);
  const std::string text =
      json{{"type", "assistance"}, {"assistance", assistance_json(help)}, {"active", false}}.dump();
  for (auto& [peer, client] : clients_)
    if (client.calls.count(help.call)) client.peer->send(text);
  refresh();
}

void Console::refresh() {
  for (auto& [peer, client] : clients_) refresh_client(client);
}

void Console::refresh_client(Client& client) {
  const auto found = user(client.extension);
  std::map<CallId, json> now = found ? call_views(*found, sources(*found)) : std::map<CallId, json>{};
  for (auto it = client.calls.begin(); it != client.calls.end();) {
    if (now.count(it->first)) {
      ++it;
      continue;
    }
    client.peer->send(json{{"type", "call_ended"}, {"id", it->first}}.dump());
    it = client.calls.erase(it);
  }
  for (auto& [id, view] : now) {
    std::string text = view.dump();
    auto& sent = client.calls[id];
    if (sent == text) continue;
    sent = std::move(text);
    client.peer->send(json{{"type", "call"}, {"call", std::move(view)}}.dump());
  }
}

}  // namespace callsup::pbx
