// callsup-pbx console: the page's files (HTML, CSS, JavaScript modules) from the web root.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "http_server.hpp"

namespace callsup::pbx {

/// Serves GET/HEAD of files under `root` ("/" is index.html). Paths are checked before the disk is
/// touched: only [A-Za-z0-9._-] segments, no dot-files, no "..", so nothing outside `root` is
/// reachable. Every answer carries a Content-Security-Policy that allows this origin only.
class StaticFiles {
 public:
  explicit StaticFiles(std::filesystem::path root) : root_(std::move(root)) {}

  /// The file's response, or nullopt when `target` names no file here (the caller answers 404).
  std::optional<HttpResponse> serve(const HttpRequest& request) const;
  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;
};

/// Headers every console answer carries (CSP, nosniff, no framing, no referrer).
void add_security_headers(HttpResponse& response);

/// The web root to use: `configured` when set, else the installed share/callsup/console next to
/// the executable (`exe`'s ../share), else the source tree's examples/pbx/console/web.
std::filesystem::path find_web_root(const std::string& configured, const std::filesystem::path& exe);

}  // namespace callsup::pbx
