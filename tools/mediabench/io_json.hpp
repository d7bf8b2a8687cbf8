// callsup-mediabench: what every subcommand shares: one JSON document per line on stdin/stdout,
// "ip:port" addresses, SDES inline keys, the monotonic clock, and stopping on SIGTERM or stdin EOF.
#pragma once

#include <cstdint>
#include <istream>
#include <string>

#include <nlohmann/json.hpp>

#include "address.hpp"
#include "callsup/media/srtp.hpp"

namespace callsup::mediabench {

using json = nlohmann::json;

/// Reads one line of `in` as a JSON object. Throws Error(invalid_argument) naming `what` on end
/// of input, on text that is not JSON, or on JSON that is not an object.
json read_json_line(std::istream& in, const std::string& what);
/// Writes `value` as one line on stdout and flushes (the orchestrator waits for it).
void print_json_line(const json& value);

/// "127.0.0.1:4000" as an Address. Throws Error(invalid_argument) naming the bad text.
sim::Address parse_address(const std::string& text);
/// The string member `key` of `object`; throws Error(invalid_argument) naming `where` and `key`
/// when it is missing or not a string.
std::string string_member(const json& object, const std::string& key, const std::string& where);
/// The keys of an SDES inline key ("base64 of key||salt", AES_CM_128_HMAC_SHA1_80). Throws
/// Error(invalid_argument) naming `where` (never the key) when it does not decode.
SrtpKeyMaterial inline_key(const std::string& base64, const std::string& where);

/// CLOCK_MONOTONIC in ns: the clock of the send times carried in the payloads.
std::int64_t now_ns() noexcept;
/// Lets this process hold as many sockets as the hard limit allows (1500 legs need 1500 fds).
void raise_fd_limit() noexcept;

/// SIGTERM and SIGINT set a flag instead of killing the process, so that stats are printed.
void install_stop_signals();
bool stop_requested() noexcept;
/// Waits up to `timeout_ms` for stdin to have data or to close; true when it closed (EOF), and
/// also when a stop was requested.
bool stdin_closed_or_stopped(int timeout_ms);

}  // namespace callsup::mediabench
