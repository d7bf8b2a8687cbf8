// libFuzzer: an HTTP request as callsup-pbx's console reads it from the network: Beast's parser
// with the console's limits, then the parts the console reads by hand (the file a target names,
// the session cookie, the audit query) and the JSON body. Properties: nothing crashes, a file
// never leaves the web root or names a dot-file, a limit is always 1..500.
#include <utility>  // before Asio: Boost 1.74's awaitable.hpp needs it under C++20 with GCC 12

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>

#include "console/request_text.hpp"

namespace http = boost::beast::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  http::request_parser<http::string_body> parser;
  parser.body_limit(8 * 1024);
  parser.header_limit(16 * 1024);
  parser.eager(true);
  boost::beast::error_code error;
  parser.put(boost::asio::buffer(data, size), error);
  if (!error && !parser.is_done()) parser.put_eof(error);
  if (error || !parser.is_header_done()) return 0;
  const auto& request = parser.get();
  const std::string target(request.target());

  if (const auto file = callsup::pbx::web_file_of(target)) {
    if (file->is_absolute()) std::abort();
    for (const auto& part : *file)
      if (part.string().empty() || part.string().front() == '.') std::abort();  // no "..", no dot-file
  }
  const auto cookies = request.find(http::field::cookie);
  if (cookies != request.end()) {
    const std::string value = callsup::pbx::cookie_value(
        std::string_view(cookies->value().data(), cookies->value().size()), "callsup_session");
    if (value.find(';') != std::string::npos) std::abort();
  }
  const auto query = target.find('?');
  const auto limit = callsup::pbx::audit_limit(
      query == std::string::npos ? std::string_view() : std::string_view(target).substr(query + 1));
  if (const auto* n = std::get_if<std::size_t>(&limit); n && (*n < 1 || *n > 500)) std::abort();
  if (parser.is_done()) (void)nlohmann::json::parse(request.body(), nullptr, false);
  return 0;
}
