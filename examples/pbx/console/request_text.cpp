// callsup-pbx console: request targets, cookies and queries.
#include "request_text.hpp"

#include <cctype>

namespace callsup::pbx {

std::optional<std::filesystem::path> web_file_of(std::string_view target) {
  target = target.substr(0, target.find_first_of("?#"));
  if (target.empty() || target.front() != '/') return std::nullopt;
  if (target == "/") return std::filesystem::path("index.html");
  std::filesystem::path out;
  std::size_t at = 1;
  while (at <= target.size()) {
    const std::size_t end = std::min(target.find('/', at), target.size());
    const std::string_view segment = target.substr(at, end - at);
    if (segment.empty() || segment.front() == '.') return std::nullopt;
    for (char c : segment)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-')
        return std::nullopt;
    out /= std::string(segment);
    at = end + 1;
  }
  return out;
}

std::string cookie_value(std::string_view cookies, std::string_view name) {
  for (std::size_t at = 0; at < cookies.size();) {
    while (at < cookies.size() && (cookies[at] == ' ' || cookies[at] == ';')) ++at;
    const std::size_t end = std::min(cookies.find(';', at), cookies.size());
    const std::string_view pair = cookies.substr(at, end - at);
    if (pair.size() > name.size() && pair.substr(0, name.size()) == name && pair[name.size()] == '=')
      return std::string(pair.substr(name.size() + 1));
    at = end;
  }
  return {};
}

std::variant<std::size_t, std::string> audit_limit(std::string_view query) {
  if (query.empty()) return std::size_t{100};
  if (query.substr(0, 6) != "limit=") return "unknown query '" + std::string(query) + "' (only limit=N)";
  const std::string_view value = query.substr(6);
  std::size_t limit = 0;
  for (char c : value) {
    if (c < '0' || c > '9' || limit > 500)
      return "limit '" + std::string(value) + "' is not a whole number in 1..500";
    limit = limit * 10 + static_cast<std::size_t>(c - '0');
  }
  if (value.empty() || limit < 1 || limit > 500)
    return "limit '" + std::string(value) + "' is not a whole number in 1..500";
  return limit;
}

}  // namespace callsup::pbx
