// callsup-mediabench: shared input/output helpers (see io_json.hpp).
#include "io_json.hpp"

#include <poll.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <ctime>
#include <iostream>

#include "callsup/error.hpp"
#include "callsup/media/sdes.hpp"

namespace callsup::mediabench {

json read_json_line(std::istream& in, const std::string& what) {
  std::string line;
  if (!std::getline(in, line)) throw Error(errc::invalid_argument, "no " + what + " line: input ended");
  json value;
  try {
    value = json::parse(line);
  } catch (const json::parse_error& error) {
    throw Error(errc::invalid_argument,
                what + " is not JSON (" + error.what() + "): " + quoted(line.substr(0, 200)));
  }
  if (!value.is_object())
    throw Error(errc::invalid_argument, what + " is not a JSON object: " + quoted(line.substr(0, 200)));
  return value;
}

void print_json_line(const json& value) { std::cout << value.dump() << std::endl; }

sim::Address parse_address(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
    throw Error(errc::invalid_argument, "address " + quoted(text) + " is not ip:port");
  const std::string port_text = text.substr(colon + 1);
  unsigned long port = 0;
  try {
    std::size_t used = 0;
    port = std::stoul(port_text, &used);
    if (used != port_text.size()) port = 0;
  } catch (const std::exception&) {
    port = 0;
  }
  if (port == 0 || port > 65535)
    throw Error(errc::invalid_argument, "address " + quoted(text) + " has a bad port");
  return sim::Address{text.substr(0, colon), static_cast<std::uint16_t>(port)};
}

std::string string_member(const json& object, const std::string& key, const std::string& where) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string())
    throw Error(errc::invalid_argument, where + ": \"" + key + "\" is missing or not a string");
  return it->get<std::string>();
}

SrtpKeyMaterial inline_key(const std::string& base64, const std::string& where) {
  try {
    return key_material(parse_sdes_crypto("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + base64));
  } catch (const Error& error) {
    throw Error(errc::invalid_argument, where + ": bad SDES inline key: " + error.what());
  }
}

std::int64_t now_ns() noexcept {
  timespec t{};
  clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

void raise_fd_limit() noexcept {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
}

namespace {
std::atomic<bool> stop_flag{false};
extern "C" void on_stop_signal(int) { stop_flag.store(true); }
}  // namespace

void install_stop_signals() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
  std::signal(SIGPIPE, SIG_IGN);  // a closed stdout must not kill us before the stats
}

bool stop_requested() noexcept { return stop_flag.load(); }

bool stdin_closed_or_stopped(int timeout_ms) {
  if (stop_requested()) return true;
  pollfd p{STDIN_FILENO, POLLIN, 0};
  if (::poll(&p, 1, timeout_ms) <= 0) return stop_requested();
  char buffer[256];
  // Whatever arrives after the config is ignored; only the end of input matters.
  return ::read(STDIN_FILENO, buffer, sizeof buffer) <= 0 || stop_requested();
}

}  // namespace callsup::mediabench
