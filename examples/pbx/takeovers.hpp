// callsup-pbx: takeovers the SDK asked for, between its event and the PBX acting on it.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace callsup::pbx {

/// The SDK asks for a takeover (action_requested "takeover") while the PBX reports the agent's
/// departure; the PBX looks here right after, on the same control thread. Locked anyway: the
/// event sink and the SIP side's reports must not depend on which thread the SDK delivers on.
class Takeovers {
 public:
  struct Request {
    std::string supervisor_leg;
    std::string supervisor;  ///< the supervisor's extension
  };
  void request(const std::string& call, Request request) {
    std::lock_guard lock(mutex_);
    requests_[call] = std::move(request);
  }
  /// The request for `call`, removed; nullopt when there is none.
  std::optional<Request> take(const std::string& call) {
    std::lock_guard lock(mutex_);
    const auto it = requests_.find(call);
    if (it == requests_.end()) return std::nullopt;
    Request out = std::move(it->second);
    requests_.erase(it);
    return out;
  }

 private:
  std::mutex mutex_;
  std::map<std::string, Request> requests_;
};

}  // namespace callsup::pbx
