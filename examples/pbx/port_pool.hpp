// callsup-pbx: the RTP ports the PBX hands to legs (even ports of the configured range).
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>

namespace callsup::pbx {

/// Chooses each leg's RTP port before its SDP is written (the engine binds it when the leg's
/// endpoint is added). SIP thread only. Next-fit, so a port just released is reused last; a port
/// another program holds is skipped (the range may overlap the kernel's ephemeral ports).
class PortPool {
 public:
  PortPool(std::string ip, std::uint16_t min, std::uint16_t max)
      : ip_(std::move(ip)), min_(static_cast<std::uint16_t>(min + (min % 2))), max_(max), next_(min_) {}

  std::optional<std::uint16_t> acquire() {
    for (unsigned tried = 0; tried <= static_cast<unsigned>(max_ - min_) / 2; ++tried) {
      const std::uint16_t port = next_;
      next_ = static_cast<std::uint16_t>(next_ + 2 > max_ ? min_ : next_ + 2);
      if (used_.count(port) || !bindable(ip_, port)) continue;
      used_.insert(port);
      return port;
    }
    return std::nullopt;
  }
  void release(std::uint16_t port) { used_.erase(port); }
  std::size_t in_use() const { return used_.size(); }

 private:
  /// True when a UDP socket can bind ip:port now.
  static bool bindable(const std::string& ip, std::uint16_t port);

  std::string ip_;
  std::uint16_t min_, max_, next_;
  std::set<std::uint16_t> used_;
};

}  // namespace callsup::pbx
