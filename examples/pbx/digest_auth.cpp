// callsup-pbx: digest authentication through libre's httpauth.
#include "digest_auth.hpp"

#include <array>
#include <cstdio>

#include "libre.hpp"
#include "sip_text.hpp"

namespace callsup::pbx {

namespace {

constexpr std::size_t max_nonces = 4096;
constexpr auto nonce_lifetime = std::chrono::minutes(5);

}  // namespace

bool DigestAuth::nonce_fresh(const std::string& nonce) {
  const auto now = std::chrono::steady_clock::now();
  while (!nonces_.empty() && now - nonces_.front().issued > nonce_lifetime) nonces_.pop_front();
  for (const auto& n : nonces_)
    if (n.value == nonce) return true;
  return false;
}

DigestAuth::Verdict DigestAuth::check(const sip_msg* msg, const std::string& extension, bool proxy) {
  const sip_hdrid id = proxy ? SIP_HDR_PROXY_AUTHORIZATION : SIP_HDR_AUTHORIZATION;
  // A request may carry credentials for several realms; ours is the one to check.
  bool found = false;
  httpauth_digest_resp resp{};
  for (le* item = list_head(&msg->hdrl); item; item = item->next) {
    const auto* h = static_cast<const sip_hdr*>(item->data);
    if (h->id != id) continue;
    httpauth_digest_resp candidate{};
    if (httpauth_digest_response_decode(&candidate, &h->val) != 0) continue;
    if (pl_strcmp(&candidate.realm, config_.realm.c_str()) != 0) continue;
    found = true;
    resp = candidate;
    break;
  }
  if (!found) return Verdict::missing;
  const std::string user = to_string(resp.username);
  const Account* account = config_.account(user);
  if (!account) return Verdict::forbidden;
  std::array<std::uint8_t, 16> ha1{};
  if (md5_printf(ha1.data(), "%s:%s:%s", user.c_str(), config_.realm.c_str(), account->password.c_str()) != 0)
    return Verdict::forbidden;
  if (httpauth_digest_response_auth(&resp, &msg->met, ha1.data()) != 0) return Verdict::forbidden;
  if (!nonce_fresh(to_string(resp.nonce))) return Verdict::stale;
  if (user != extension) return Verdict::wrong_user;
  return Verdict::ok;
}

std::string DigestAuth::challenge(bool proxy, bool stale) {
  std::array<std::uint8_t, 16> random{};
  rand_bytes(random.data(), random.size());
  std::string nonce;
  for (const auto byte : random) {
    char hex[3];
    std::snprintf(hex, sizeof hex, "%02x", byte);
    nonce += hex;
  }
  if (nonces_.size() >= max_nonces) nonces_.pop_front();
  nonces_.push_back({nonce, std::chrono::steady_clock::now()});
  return std::string(proxy ? "Proxy-Authenticate" : "WWW-Authenticate") + ": Digest realm=\"" +
         config_.realm + "\", nonce=\"" + nonce + "\", algorithm=MD5" + (stale ? ", stale=true" : "") +
         "\r\n";
}

}  // namespace callsup::pbx
