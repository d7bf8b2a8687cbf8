// callsup: how one leg's RTP endpoint is set up.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "callsup/media/codec.hpp"
#include "callsup/media/socket_address.hpp"
#include "callsup/media/srtp.hpp"

namespace callsup {

/// Which UDP socket carries a leg's RTP.
enum class SocketMode : std::uint8_t {
  /// The engine thread's shared socket (one port per engine thread): legs are told apart by the
  /// peer's address and SSRC, and all of a thread's packets are read and written in batches
  /// (recvmmsg/sendmmsg). The fast path.
  shared,
  /// A socket of the leg's own, from the engine's port range (classic one-port-per-leg RTP).
  dedicated,
};

/// The socket mode's name ("shared", "dedicated").
constexpr const char* to_string(SocketMode mode) noexcept {
  return mode == SocketMode::shared ? "shared" : "dedicated";
}

/// One leg's endpoint, as its SDP negotiation left it.
struct EndpointConfig {
  /// One socket per leg (dedicated) or one for many legs (shared).
  SocketMode socket = SocketMode::shared;
  /// Dedicated sockets: the address to bind (empty = the engine's `bind_ip`) and the port
  /// (0 = the first free port of the engine's range). Shared sockets ignore both.
  std::string local_ip;
  /// The port to bind (dedicated sockets; 0 = the first free port of the engine's range).
  std::uint16_t local_port = 0;
  /// Where to send. Unset: learnt from the first valid packet (symmetric RTP).
  std::optional<SocketAddress> remote;
  /// Symmetric RTP: the first valid packet (authenticated, with SRTP) sets the peer even when
  /// `remote` was signalled (a phone behind NAT). Packets from any other address are dropped.
  bool latch = true;
  /// The SSRC the peer sends with, when known (a=ssrc). Needed on a shared socket to tell apart
  /// legs whose peers share one address and port; otherwise learnt from the first packet.
  std::optional<std::uint32_t> remote_ssrc;
  /// Our SSRC towards the peer (0 = random).
  std::uint32_t local_ssrc = 0;
  /// The audio codec negotiated, with its payload type.
  CodecSpec codec{"PCMU"};
  /// RFC 4733 telephone-event payload type (-1: DTMF neither received nor sent).
  int telephone_event_payload_type = 101;
  /// SRTP: the peer's key (to decrypt what it sends) and ours (to encrypt what we send). Both or
  /// neither.
  std::optional<SrtpKeyMaterial> srtp_receive;
  /// Our key, to encrypt what we send (with srtp_receive, or neither).
  std::optional<SrtpKeyMaterial> srtp_send;
};

}  // namespace callsup
