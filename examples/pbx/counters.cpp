// callsup-pbx: counters as one line.
#include "counters.hpp"

namespace callsup::pbx {

std::string Counters::format() const {
  std::string out;
  const auto add = [&out](const char* name, const std::atomic<std::uint64_t>& value) {
    out += std::string(out.empty() ? "" : " ") + name + "=" + std::to_string(value.load());
  };
  add("sip_packets_in", sip_packets_in);
  add("sip_malformed", sip_malformed);
  add("sip_requests", sip_requests);
  add("registers_ok", registers_ok);
  add("auth_challenges", auth_challenges);
  add("auth_failures", auth_failures);
  add("invites", invites);
  add("calls_answered", calls_answered);
  add("calls_rejected", calls_rejected);
  add("calls_over_limit", calls_over_limit);
  add("supervision_started", supervision_started);
  add("supervision_denied", supervision_denied);
  add("dtmf_info", dtmf_info);
  add("sdk_errors", sdk_errors);
  return out;
}

}  // namespace callsup::pbx
