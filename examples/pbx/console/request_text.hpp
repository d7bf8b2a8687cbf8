// callsup-pbx console: the pieces of a request the console reads by hand (untrusted text; fuzzed
// by tests/fuzz/fuzz_console_request.cpp). No I/O, no state.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace callsup::pbx {

/// The file a request target names under the web root ("/js/app.js?x" -> "js/app.js", "/" ->
/// "index.html"), or nullopt when any segment is empty, starts with '.', or has a character
/// outside [A-Za-z0-9._-]: the result never leaves the root and never names a dot-file.
std::optional<std::filesystem::path> web_file_of(std::string_view target);

/// The value of cookie `name` in a Cookie header ("a=1; callsup_session=xyz"); "" when absent.
std::string cookie_value(std::string_view cookies, std::string_view name);

/// GET /api/audit's query: "" -> 100, "limit=N" with N in 1..500 -> N; otherwise the message
/// naming what is wrong.
std::variant<std::size_t, std::string> audit_limit(std::string_view query);

}  // namespace callsup::pbx
