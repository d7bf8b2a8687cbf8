// callsup-pbx: what the PBX counts (printed on SIGUSR1 and at exit).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace callsup::pbx {

/// Written by the SIP and control threads, read by whoever prints them.
struct Counters {
  std::atomic<std::uint64_t> sip_packets_in{0};
  std::atomic<std::uint64_t> sip_malformed{0};  ///< datagrams libre cannot parse (dropped)
  std::atomic<std::uint64_t> sip_requests{0};
  std::atomic<std::uint64_t> registers_ok{0};
  std::atomic<std::uint64_t> auth_challenges{0};  ///< 401/407 sent
  std::atomic<std::uint64_t> auth_failures{0};    ///< 403 for bad credentials (security events)
  std::atomic<std::uint64_t> invites{0};
  std::atomic<std::uint64_t> calls_answered{0};
  std::atomic<std::uint64_t> calls_rejected{0};
  std::atomic<std::uint64_t> calls_over_limit{0};  ///< 503: max_calls reached
  std::atomic<std::uint64_t> supervision_started{0};
  std::atomic<std::uint64_t> supervision_denied{0};
  std::atomic<std::uint64_t> dtmf_info{0};
  std::atomic<std::uint64_t> sdk_errors{0};  ///< SDK calls that threw (logged)

  /// "key=value ..." on one line.
  std::string format() const;
};

}  // namespace callsup::pbx
