// callsup-pbx console: the JSON API's requests (docs/console.md lists them).
#include <boost/asio/post.hpp>

#include "api_body.hpp"
#include "callsup/json/audit_json.hpp"
#include "console.hpp"
#include "control.hpp"
#include "log.hpp"
#include "request_text.hpp"
#include "web_password.hpp"

namespace callsup::pbx {

namespace http = boost::beast::http;
using nlohmann::json;

namespace {

constexpr const char* cookie_name = "callsup_session";

/// The session cookie's value, "" when the request has none.
std::string session_cookie(const HttpRequest& request) {
  return cookie_value(header_value(request, "Cookie"), cookie_name);
}

}  // namespace

const WebLogin* Console::logged_in(const HttpRequest& request) {
  const std::string token = session_cookie(request);
  return token.empty() ? nullptr : logins_.find(token);
}

void Console::route(const HttpRequest& request, const std::string& peer_ip, Respond& respond) {
  const std::string target(request.target());
  const std::string path = target.substr(0, target.find('?'));
  const std::string query = path.size() < target.size() ? target.substr(path.size() + 1) : std::string();
  const auto method = request.method();
  const bool changes = method == http::verb::post || method == http::verb::delete_;
  if (path == "/api/login") {
    if (method != http::verb::post) return respond(error_response(405, "POST /api/login only"));
    return login(request, peer_ip, respond);
  }
  const WebLogin* login = logged_in(request);
  if (!login) return respond(error_response(401, "not logged in (POST /api/login first)"));
  if (changes && !tokens_equal(header_value(request, "X-CSRF-Token"), login->csrf))
    return respond(error_response(403, "missing or wrong X-CSRF-Token header"));
  json body = json::object();
  if (method == http::verb::post && !request.body().empty()) {  // logout and assistance need no body
    auto parsed = json_body(request);
    if (auto* error = std::get_if<HttpResponse>(&parsed)) return respond(std::move(*error));
    body = std::move(std::get<json>(parsed));
  }
  const std::string sessions_prefix = "/api/sessions/";
  const bool get = method == http::verb::get, post = method == http::verb::post,
             del = method == http::verb::delete_;
  if (path == "/api/me" && get) return respond(me(*login));
  if (path == "/api/logout" && post) return respond(logout(*login));
  if (path == "/api/calls" && get) return respond(calls(*login));
  if (path == "/api/sessions" && get) return respond(sessions(*login));
  if (path == "/api/sessions" && post) return start(*login, body, respond);
  if (path == "/api/assistance" && (post || del)) return respond(assistance(*login, post));
  if (path == "/api/audit" && get) return respond(audit(*login, query));
  if (path.rfind(sessions_prefix, 0) == 0) {
    const std::string rest = path.substr(sessions_prefix.size());
    const auto slash = rest.find('/');
    const std::string id = rest.substr(0, slash);
    const std::string action = slash == std::string::npos ? std::string() : rest.substr(slash);
    if (action == "/mode" && post) return respond(switch_mode(*login, id, body));
    if (action.empty() && del) return respond(stop(*login, id));
  }
  const bool known = path == "/api/me" || path == "/api/logout" || path == "/api/calls" ||
                     path == "/api/sessions" || path == "/api/assistance" || path == "/api/audit" ||
                     path.rfind(sessions_prefix, 0) == 0;
  respond(
      error_response(known ? 405 : 404, std::string(request.method_string()) + " " + path + ": " +
                                            (known ? "method not allowed here" : "no such API endpoint")));
}

void Console::login(const HttpRequest& request, const std::string& peer_ip, Respond respond) {
  auto parsed = json_body(request);
  if (auto* error = std::get_if<HttpResponse>(&parsed)) return respond(std::move(*error));
  const json& body = std::get<json>(parsed);
  auto extension = string_field(body, "extension");
  if (auto* error = std::get_if<HttpResponse>(&extension)) return respond(std::move(*error));
  auto password = string_field(body, "password");
  if (auto* error = std::get_if<HttpResponse>(&password)) return respond(std::move(*error));
  const std::string ext = std::get<std::string>(extension);
  const std::string by_address = "addr:" + peer_ip, by_extension = "ext:" + ext;
  const auto now = LoginLimiter::Clock::now();
  const auto wait = std::max(limiter_.blocked(by_address, now).value_or(std::chrono::seconds(0)),
                             limiter_.blocked(by_extension, now).value_or(std::chrono::seconds(0)));
  if (wait.count() > 0) {
    auto response =
        error_response(429, "too many failed logins from " + peer_ip + " or for extension " + quoted(ext) +
                                ": try again in " + std::to_string(wait.count()) + " s");
    response.set(http::field::retry_after, std::to_string(wait.count()));
    return respond(std::move(response));
  }
  const Account* account = config_.account(ext);
  std::string hash = account ? account->web_password_hash : std::string();
  // The KDF takes ~0.1 s and 64 MiB: off the control thread, which carries the SDK's work. An
  // unknown extension is checked against a throw-away hash so its answer takes as long.
  boost::asio::post(kdf_, [this, hash, password = std::get<std::string>(password), ext, by_address,
                           by_extension, peer_ip, respond = std::move(respond)]() mutable {
    const bool ok = hash.empty() ? (web_password_matches(hash_web_password(random_token(8)), password), false)
                                 : web_password_matches(hash, password);
    control_.post([this, ok, ext, by_address, by_extension, peer_ip, respond = std::move(respond)] {
      const auto profile = control_.directory().find_extension(ext);
      if (!ok || !profile) {
        limiter_.failed(by_address, LoginLimiter::Clock::now());
        limiter_.failed(by_extension, LoginLimiter::Clock::now());
        control_.service().record_security({ext, "console_bad_credentials", "console login from " + peer_ip});
        return respond(error_response(401, "wrong extension or password"));
      }
      limiter_.succeeded(by_address);
      limiter_.succeeded(by_extension);
      const WebLogin* made = nullptr;
      try {
        made = &logins_.create(ext);
      } catch (const std::exception& e) {
        log_line("console", ext + ": login not stored: " + e.what());
        return respond(error_response(500, std::string("the login could not be stored: ") + e.what()));
      }
      const WebLogin& created = *made;
      log_line("console", ext + " logged in from " + peer_ip);
      HttpResponse response = me(created);
      response.set(http::field::set_cookie,
                   std::string(cookie_name) + "=" + created.token + "; Path=/; HttpOnly; SameSite=Strict");
      respond(std::move(response));
    });
  });
}

json Console::me_json(const std::string& extension, const std::string& csrf) const {
  const auto found = user(extension);
  if (!found) return nullptr;
  json roles = json::array(), views = json::array();
  for (Role role : found->profile.roles) roles.push_back(std::string(to_string(role)));
  if (found->supervisor) views.push_back("supervisor");
  views.push_back("agent");
  if (found->admin) views.push_back("admin");
  return {{"extension", extension},
          {"display_name", found->profile.display_name},
          {"tenant", found->profile.tenant},
          {"roles", roles},
          {"views", views},
          {"csrf_token", csrf}};
}

HttpResponse Console::me(const WebLogin& login) const {
  json found = me_json(login.extension, login.csrf);
  if (found.is_null())
    return error_response(401, "extension " + quoted(login.extension) + " is no longer in the directory");
  return json_response(200, found.dump());
}

HttpResponse Console::logout(const WebLogin& login) {
  const std::string token = login.token;
  for (auto& [peer, client] : clients_)
    if (client.token == token) client.peer->close();
  logins_.remove(token);
  auto response = json_response(200, "{}");
  response.set(http::field::set_cookie,
               std::string(cookie_name) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
  return response;
}

HttpResponse Console::calls(const WebLogin& login) {
  const auto found = user(login.extension);
  if (!found)
    return error_response(401, "extension " + quoted(login.extension) + " is no longer in the directory");
  json list = json::array();
  for (auto& [id, view] : call_views(*found, sources(*found))) list.push_back(std::move(view));
  return json_response(200, json{{"calls", std::move(list)}}.dump());
}

HttpResponse Console::sessions(const WebLogin& login) {
  return json_response(
      200,
      json{{"sessions", sessions_json(login.extension)}, {"pending", pending_json(login.extension)}}.dump());
}

HttpResponse Console::assistance(const WebLogin& login, bool requested) {
  const auto found = user(login.extension);
  if (!found)
    return error_response(401, "extension " + quoted(login.extension) + " is no longer in the directory");
  if (!requested) {
    end_assistance(login.extension);
    return json_response(200, "{}");
  }
  for (const auto& [id, view] : call_views(*found, sources(*found))) {
    if (!view["mine"].get<bool>()) continue;
    Assistance help{login.extension, found->profile.display_name, id,
                    iso_time(std::chrono::system_clock::now())};
    assistance_[login.extension] = help;
    log_line("console", login.extension + " asks for assistance on " + id);
    const json message = {{"type", "assistance"}, {"assistance", assistance_json(help)}, {"active", true}};
    for (auto& [peer, client] : clients_)
      if (client.calls.count(id)) client.peer->send(message.dump());
    refresh();
    return json_response(200, json{{"assistance", assistance_json(help)}}.dump());
  }
  return error_response(
      409, "extension " + login.extension + " is not in a call: assistance is asked for during a call");
}

HttpResponse Console::audit(const WebLogin& login, const std::string& query) {
  const auto found = user(login.extension);
  if (!found || !found->admin) return error_response(403, "the audit trail is for tenant administrators");
  const auto parsed = audit_limit(query);
  if (const auto* problem = std::get_if<std::string>(&parsed)) return error_response(400, *problem);
  const std::size_t limit = std::get<std::size_t>(parsed);
  json records = json::array();
  for (auto it = audit_.rbegin(); it != audit_.rend() && records.size() < limit; ++it)
    if (it->tenant == found->profile.tenant) records.push_back(json::parse(to_json_line(*it)));
  std::reverse(records.begin(), records.end());
  return json_response(200, json{{"records", std::move(records)}}.dump());
}

}  // namespace callsup::pbx
