// callsup-pbx: REGISTER handling.
#include "registrar.hpp"

#include <algorithm>
#include <charconv>

#include "callsup/error.hpp"
#include "libre.hpp"
#include "log.hpp"
#include "sip_text.hpp"

namespace callsup::pbx {

namespace {

constexpr std::uint32_t min_expires = 60;
constexpr std::size_t max_contacts =
    16;  ///< per extension: a phone cannot make the registrar grow without end

struct ContactEntry {
  bool wildcard = false;
  std::string uri;
  std::optional<std::uint32_t> expires;
};

std::optional<std::uint32_t> parse_seconds(const pl& text) {
  std::uint32_t value = 0;
  const auto [end, ec] = std::from_chars(text.p, text.p + text.l, value);
  if (!text.p || ec != std::errc() || end != text.p + text.l) return std::nullopt;
  return value;
}

/// The values of one header that holds a comma-separated list (RFC 3261 §7.3.1), split at commas
/// outside <...> and "...": libre 1.1.0 keeps "Contact: <a>, <b>" as one value.
std::vector<pl> split_list(const pl& value) {
  std::vector<pl> out;
  bool in_angle = false;
  bool in_quote = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= value.l; ++i) {
    const char c = i < value.l ? value.p[i] : ',';
    if (c == '"' && !in_angle) in_quote = !in_quote;
    if (in_quote) continue;
    if (c == '<') in_angle = true;
    if (c == '>') in_angle = false;
    if (c != ',' || in_angle) continue;
    std::size_t first = start;
    std::size_t last = i;
    while (first < last && (value.p[first] == ' ' || value.p[first] == '\t')) ++first;
    while (last > first && (value.p[last - 1] == ' ' || value.p[last - 1] == '\t')) --last;
    if (last > first) out.push_back(pl{value.p + first, last - first});
    start = i + 1;
  }
  return out;
}

/// The Contact headers of `msg`; nullopt when one cannot be parsed.
std::optional<std::vector<ContactEntry>> contacts_of(const sip_msg* msg) {
  std::vector<ContactEntry> out;
  for (le* item = list_head(&msg->hdrl); item; item = item->next) {
    const auto* h = static_cast<const sip_hdr*>(item->data);
    if (h->id != SIP_HDR_CONTACT) continue;
    for (const pl& value : split_list(h->val)) {
      ContactEntry entry;
      if (pl_strcmp(&value, "*") == 0) {
        entry.wildcard = true;
        out.push_back(entry);
        continue;
      }
      sip_addr addr{};
      if (sip_addr_decode(&addr, &value) != 0) return std::nullopt;
      if (addr.uri.af != AF_INET && addr.uri.af != AF_INET6) return std::nullopt;  // a name: we resolve none
      entry.uri = to_string(addr.auri);
      pl expires{};
      if (msg_param_decode(&addr.params, "expires", &expires) == 0) {
        entry.expires = parse_seconds(expires);
        if (!entry.expires) return std::nullopt;
      }
      out.push_back(entry);
    }
  }
  return out;
}

}  // namespace

std::vector<Binding> Registrar::contacts(const std::string& extension) {
  auto it = bindings_.find(extension);
  if (it == bindings_.end()) return {};
  const auto now = std::chrono::steady_clock::now();
  std::erase_if(it->second, [now](const Binding& b) { return b.expires <= now; });
  return it->second;
}

std::pair<int, std::string> Registrar::update(const std::string& extension, const sip_msg* msg) {
  const auto entries = contacts_of(msg);
  if (!entries) return {400, "Bad Contact (an IP address is required)"};
  std::optional<std::uint32_t> header_expires;
  if (msg->expires.p) {
    header_expires = parse_seconds(msg->expires);
    if (!header_expires) return {400, "Bad Expires"};
  }
  auto& list = bindings_[extension];
  const std::string call_id = to_string(msg->callid);
  const auto now = std::chrono::steady_clock::now();
  for (const auto& entry : *entries) {
    if (entry.wildcard) {
      if (entries->size() != 1 || header_expires.value_or(1) != 0)
        return {400, "Wildcard Contact Needs Expires 0"};
      list.clear();
      return {200, "OK"};
    }
  }
  for (const auto& entry : *entries) {
    const std::uint32_t asked = entry.expires.value_or(header_expires.value_or(config_.default_expires));
    if (asked != 0 && asked < min_expires) return {423, "Interval Too Brief"};
  }
  std::size_t added = 0;
  for (const auto& entry : *entries) {
    const bool removal = entry.expires.value_or(header_expires.value_or(config_.default_expires)) == 0;
    const bool known =
        std::any_of(list.begin(), list.end(), [&](const Binding& b) { return b.contact_uri == entry.uri; });
    if (!removal && !known) ++added;
  }
  std::erase_if(list, [now](const Binding& b) { return b.expires <= now; });
  if (list.size() + added > max_contacts) return {403, "Forbidden (at most 16 contacts)"};
  for (const auto& entry : *entries) {
    const std::uint32_t asked = entry.expires.value_or(header_expires.value_or(config_.default_expires));
    std::erase_if(list, [&](const Binding& b) { return b.contact_uri == entry.uri; });
    if (asked == 0) continue;
    const std::uint32_t granted = std::min(asked, config_.max_expires);
    list.push_back({entry.uri, to_string(msg->src), call_id, now + std::chrono::seconds(granted)});
  }
  return {200, "OK"};
}

void Registrar::on_register(sip* stack, const sip_msg* msg) {
  const std::string extension = to_string(msg->to.uri.user);
  const std::string from = to_string(msg->src);
  // Unknown extensions are challenged like known ones (then 403): the answer tells nobody which
  // extensions exist.
  const auto verdict = auth_.check(msg, extension, false);
  switch (verdict) {
  case DigestAuth::Verdict::missing:
  case DigestAuth::Verdict::stale: {
    const bool stale = verdict == DigestAuth::Verdict::stale;
    ++counters_.auth_challenges;
    const std::string header = auth_.challenge(false, stale);
    (void)sip_replyf(stack, msg, 401, "Unauthorized", "%sContent-Length: 0\r\n\r\n", header.c_str());
    return;
  }
  case DigestAuth::Verdict::wrong_user:
  case DigestAuth::Verdict::forbidden:
    ++counters_.auth_failures;
    security_.report({extension, "bad_credentials", "REGISTER from " + from + ", 403"},
                     "REGISTER " + extension + " from " + from + ": bad credentials, 403");
    (void)sip_reply(stack, msg, 403, "Forbidden (bad credentials)");
    return;
  case DigestAuth::Verdict::ok: break;
  }
  const auto [status, reason] = update(extension, msg);
  if (status != 200) {
    log_line("sip", "REGISTER " + extension + " from " + from + ": " + std::to_string(status) + " " + reason);
    if (status == 423)
      (void)sip_replyf(stack, msg, 423, reason.c_str(), "Min-Expires: %u\r\nContent-Length: 0\r\n\r\n",
                       min_expires);
    else
      (void)sip_reply(stack, msg, static_cast<uint16_t>(status), reason.c_str());
    return;
  }
  ++counters_.registers_ok;
  std::string headers;
  const auto now = std::chrono::steady_clock::now();
  const auto live = contacts(extension);
  for (const auto& b : live)
    headers += "Contact: <" + b.contact_uri + ">;expires=" +
               std::to_string(std::chrono::duration_cast<std::chrono::seconds>(b.expires - now).count()) +
               "\r\n";
  log_line("sip", "REGISTER " + extension + " from " + from + ": 200 OK (" + std::to_string(live.size()) +
                      " contact(s))");
  (void)sip_replyf(stack, msg, 200, "OK", "%sContent-Length: 0\r\n\r\n", headers.c_str());
}

}  // namespace callsup::pbx
