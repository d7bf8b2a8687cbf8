// callsup-pbx console: static files.
#include "static_files.hpp"

#include "request_text.hpp"

#include <fstream>
#include <sstream>

namespace callsup::pbx {

namespace http = boost::beast::http;

namespace {

const char* content_type(const std::filesystem::path& file) {
  const std::string ext = file.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";  // modules need a JS type
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".json") return "application/json";
  return "application/octet-stream";
}

}  // namespace

void add_security_headers(HttpResponse& response) {
  response.set("Content-Security-Policy",
               "default-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
               "base-uri 'none'; form-action 'self'");
  response.set("X-Content-Type-Options", "nosniff");
  response.set("X-Frame-Options", "DENY");
  response.set("Referrer-Policy", "no-referrer");
}

std::optional<HttpResponse> StaticFiles::serve(const HttpRequest& request) const {
  const auto relative = web_file_of(std::string_view(request.target().data(), request.target().size()));
  if (!relative) return std::nullopt;
  const auto file = root_ / *relative;
  std::error_code error;
  if (!std::filesystem::is_regular_file(file, error)) return std::nullopt;
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream body;
  body << in.rdbuf();
  HttpResponse response{http::status::ok, request.version()};
  response.set(http::field::content_type, content_type(file));
  response.set(http::field::cache_control, "no-cache");  // revalidated: a new PBX version shows at once
  response.body() = request.method() == http::verb::head ? std::string() : body.str();
  if (request.method() == http::verb::head) response.content_length(body.str().size());
  return response;
}

std::filesystem::path find_web_root(const std::string& configured, const std::filesystem::path& exe) {
  if (!configured.empty()) return configured;
  std::error_code error;
  const auto installed = exe.parent_path().parent_path() / "share" / "callsup" / "console";
  if (std::filesystem::is_regular_file(installed / "index.html", error)) return installed;
  return CALLSUP_PBX_SOURCE_WEB_ROOT;
}

}  // namespace callsup::pbx
