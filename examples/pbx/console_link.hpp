// callsup-pbx: between the console (control thread) and the calls it places to supervisors'
// phones (SIP thread).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace callsup::pbx {

/// What the SIP side reports about a console's call to a supervisor's phone. Each hook runs on the
/// control thread (the SIP thread posts it there); they are set once, before the SIP thread starts,
/// and left empty when there is no console.
struct ConsoleLink {
  /// The phone(s) of the request's supervisor ring: the PBX's call id of that call.
  std::function<void(std::uint64_t request, const std::string& call)> ringing;
  /// Nothing rings or rang out: `status` is the SIP status or 409 when no phone is registered.
  std::function<void(std::uint64_t request, int status, const std::string& why)> failed;
  /// A phone answered; its leg is in the registry (up) with its RTP endpoint.
  std::function<void(std::uint64_t request, const std::string& call, const std::string& leg)> answered;
};

}  // namespace callsup::pbx
