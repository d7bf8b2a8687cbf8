// Test support: a phone on loopback UDP with an endpoint in a MediaEngine, hand-made RouteSets,
// and a talker loop, for the engine tests.
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "callsup/media/media_engine.hpp"
#include "callsup/media/rtp_packet.hpp"
#include "callsup/media/telephone_event.hpp"
#include "support/udp_peer.hpp"

namespace callsup::test {

/// A phone: a socket, its endpoint in the engine, and its own RTP clock.
struct Phone {
  UdpPeer socket;
  std::shared_ptr<RtpEndpoint> endpoint;
  std::uint32_t ssrc;
  std::uint16_t sequence = 1;

  Phone(MediaEngine& engine, const LegId& leg, std::uint32_t own_ssrc, const CallId& media_group = "call-1",
        SocketMode mode = SocketMode::shared)
      : ssrc(own_ssrc) {
    EndpointConfig config;
    config.remote = socket.address();
    config.remote_ssrc = own_ssrc;
    config.socket = mode;
    endpoint = engine.add_endpoint(media_group, leg, config);
  }
  void send_pcmu(std::uint8_t code, std::uint8_t payload_type = 0) {
    std::vector<std::uint8_t> payload(160, code);
    RtpHeader header;
    header.payload_type = payload_type;
    header.sequence = sequence;
    header.timestamp = 160u * sequence;
    header.ssrc = ssrc;
    ++sequence;
    std::vector<std::uint8_t> packet(200);
    packet.resize(write_rtp(header, payload, packet));
    socket.send_to(endpoint->local_address(), packet);
  }
  void send_event(std::uint32_t timestamp, const TelephoneEvent& event) {
    RtpHeader header;
    header.payload_type = 101;
    header.sequence = sequence++;
    header.timestamp = timestamp;
    header.ssrc = ssrc;
    std::array<std::uint8_t, 4> payload{};
    write_telephone_event(event, payload);
    std::vector<std::uint8_t> packet(64);
    packet.resize(write_rtp(header, payload, packet));
    socket.send_to(endpoint->local_address(), packet);
  }
  /// Packets received within `window` (or until `enough` came: slow sanitizer builds on a busy
  /// machine may need more than the nominal time).
  std::vector<std::vector<std::uint8_t>> drain(std::chrono::milliseconds window,
                                               std::size_t enough = SIZE_MAX) {
    std::vector<std::vector<std::uint8_t>> out;
    const auto deadline = std::chrono::steady_clock::now() + (enough == SIZE_MAX ? window : 5 * window);
    while (std::chrono::steady_clock::now() < deadline && out.size() < enough)
      if (auto packet = socket.receive(std::chrono::milliseconds(5))) out.push_back(std::move(*packet));
    return out;
  }
};

inline std::shared_ptr<const RouteSet> routes(std::uint64_t version, std::vector<Route> list,
                                              const CallId& call = "call-1") {
  auto set = std::make_shared<RouteSet>();
  set->call = call;
  set->version = version;
  std::sort(list.begin(), list.end(),
            [](const Route& a, const Route& b) { return std::tie(a.to, a.from) < std::tie(b.to, b.from); });
  set->routes = std::move(list);
  return set;
}

/// Streams `code` from each phone for `ticks` ticks at 20 ms.
inline void talk(std::vector<std::pair<Phone*, std::uint8_t>> talkers, int ticks) {
  for (int i = 0; i < ticks; ++i) {
    for (auto& [phone, code] : talkers) phone->send_pcmu(code);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace callsup::test
