// callsup-pbx console: reading a request's JSON body, and the 4xx answers that name what was wrong.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <variant>

#include "callsup/mode.hpp"
#include "callsup/policy/decision.hpp"
#include "http_server.hpp"

namespace callsup::pbx {

/// The value of header `key` ("" when absent).
std::string header_value(const HttpRequest& request, std::string_view key);

/// The request's body as a JSON object, or the answer saying why not (415 not JSON's type,
/// 400 not JSON or not an object).
std::variant<nlohmann::json, HttpResponse> json_body(const HttpRequest& request);
/// body[key] as a string, or the 400 naming the key.
std::variant<std::string, HttpResponse> string_field(const nlohmann::json& body, const char* key);
/// body["mode"] as a Mode, or the 400 naming the value.
std::variant<Mode, HttpResponse> mode_field(const nlohmann::json& body);

/// 403 {"error", "reason", "rule"} for a policy's refusal of `mode`.
HttpResponse denial_response(Mode mode, const Decision& decision);

}  // namespace callsup::pbx
