// callsup-pbx console: the logins.
#include "web_logins.hpp"

#include <sodium.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "log.hpp"
#include "web_password.hpp"

namespace callsup::pbx {

namespace {

std::string sha256_hex(const std::string& text) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

}  // namespace

WebLogins::WebLogins(std::chrono::minutes idle, std::string file) : idle_(idle), file_(std::move(file)) {
  if (file_.empty()) return;
  std::ifstream in(file_);
  if (!in) {  // none yet: made now, so an unwritable place fails at start-up
    save();
    return;
  }
  std::ostringstream text;
  text << in.rdbuf();
  const auto doc = nlohmann::json::parse(text.str(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("logins") || !doc["logins"].is_array())
    throw std::runtime_error("console.logins_file " + file_ +
                             ": not a logins file (delete it to start afresh)");
  const auto now = std::chrono::steady_clock::now();  // idle time restarts with the PBX
  for (const auto& entry : doc["logins"]) {
    if (!entry.is_object() || !entry.value("key", nlohmann::json()).is_string() ||
        !entry.value("csrf", nlohmann::json()).is_string() ||
        !entry.value("extension", nlohmann::json()).is_string())
      throw std::runtime_error("console.logins_file " + file_ + ": malformed entry " + entry.dump());
    WebLogin login{"", entry["key"], entry["csrf"], entry["extension"], now};
    logins_.emplace(login.key, std::move(login));
  }
}

void WebLogins::save() const {
  if (file_.empty()) return;
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [key, login] : logins_)
    list.push_back({{"key", key}, {"csrf", login.csrf}, {"extension", login.extension}});
  // Written aside and renamed: a crash never leaves half a file; readable by the PBX's user only.
  const std::string temporary = file_ + ".tmp";
  const mode_t old_mask = ::umask(077);
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << nlohmann::json{{"logins", list}}.dump() << "\n";
  }
  ::umask(old_mask);
  if (std::rename(temporary.c_str(), file_.c_str()) != 0)
    throw std::runtime_error("console.logins_file " + file_ + ": cannot be written");
}

void WebLogins::save_or_log() const noexcept {
  try {
    save();
  } catch (const std::exception& e) {  // the login is gone in memory; the file catches up next time
    log_line("console", e.what());
  }
}

const WebLogin& WebLogins::create(const std::string& extension) {
  const auto now = std::chrono::steady_clock::now();
  for (auto it = logins_.begin(); it != logins_.end();)  // the idle ones go now, so the map stays small
    it = now - it->second.last_used > idle_ ? logins_.erase(it) : std::next(it);
  WebLogin login{random_token(), "", random_token(), extension, now};
  login.key = sha256_hex(login.token);
  const std::string key = login.key;
  const WebLogin& stored = logins_.insert_or_assign(key, std::move(login)).first->second;
  save();
  return stored;
}

const WebLogin* WebLogins::find(const std::string& token) {
  const auto it = logins_.find(sha256_hex(token));
  if (it == logins_.end()) return nullptr;
  const auto now = std::chrono::steady_clock::now();
  if (now - it->second.last_used > idle_) {
    logins_.erase(it);
    save_or_log();
    return nullptr;
  }
  it->second.last_used = now;
  if (it->second.token.empty()) it->second.token = token;  // loaded from the file: known again
  return &it->second;
}

void WebLogins::remove(const std::string& token) {
  if (logins_.erase(sha256_hex(token))) save_or_log();
}

}  // namespace callsup::pbx
