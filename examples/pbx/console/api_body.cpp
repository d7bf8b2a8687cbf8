// callsup-pbx console: request bodies and error answers.
#include "api_body.hpp"

#include "callsup/error.hpp"

namespace callsup::pbx {

using nlohmann::json;

std::string header_value(const HttpRequest& request, std::string_view key) {
  const auto it = request.find(boost::beast::string_view(key.data(), key.size()));
  return it == request.end() ? std::string() : std::string(it->value());
}

std::variant<json, HttpResponse> json_body(const HttpRequest& request) {
  const std::string type = header_value(request, "Content-Type");
  if (type.rfind("application/json", 0) != 0)
    return error_response(415, "Content-Type must be application/json, not " +
                                   (type.empty() ? std::string("missing") : quoted(type)));
  json body = json::parse(request.body(), nullptr, false);
  if (body.is_discarded()) return error_response(400, "the body is not valid JSON");
  if (!body.is_object()) return error_response(400, "the body must be a JSON object, not " + body.dump());
  return body;
}

std::variant<std::string, HttpResponse> string_field(const json& body, const char* key) {
  const auto it = body.find(key);
  if (it == body.end()) return error_response(400, std::string("missing \"") + key + "\"");
  if (!it->is_string())
    return error_response(400, std::string("\"") + key + "\" must be a string, not " + it->dump());
  return it->get<std::string>();
}

std::variant<Mode, HttpResponse> mode_field(const json& body) {
  auto text = string_field(body, "mode");
  if (auto* error = std::get_if<HttpResponse>(&text)) return std::move(*error);
  const std::string& name = std::get<std::string>(text);
  if (const auto mode = mode_from_string(name)) return *mode;
  return error_response(400, "mode " + quoted(name) + " is not one of listen, whisper, barge");
}

HttpResponse denial_response(Mode mode, const Decision& decision) {
  const std::string reason(to_string(decision.reason));
  return json_response(403, json{{"error", std::string(to_string(mode)) + " refused: " + reason},
                                 {"reason", reason},
                                 {"rule", decision.rule}}
                                .dump());
}

}  // namespace callsup::pbx
