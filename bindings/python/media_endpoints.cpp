// callsup Python bindings: one leg's RTP endpoint — SocketAddress, SocketMode, EndpointConfig,
// EndpointStats and the RtpEndpoint handle that MediaEngine.add_endpoint returns.
#include <cstdio>
#include <string>

#include "callsup/media/rtp_endpoint.hpp"
#include "media_bindings.hpp"

namespace callsup::python {

namespace {

using namespace pybind11::literals;

void bind_socket_address(py::module_& m) {
  py::classh<SocketAddress> address(m, "SocketAddress",
                                    "An IP address (IPv4 or IPv6, as text) and a UDP port (0: not set).");
  def_struct(address,
             field("ip", &SocketAddress::ip, "The IPv4 or IPv6 address in text form; '' when not set."),
             field("port", &SocketAddress::port, "The UDP port; 0 when not set (any)."));
  address.def("__str__", &SocketAddress::to_string, "'127.0.0.1:4000', '[::1]:4000'.")
      .def(
          "as_tuple", [](const SocketAddress& a) { return py::make_tuple(a.ip, a.port); },
          "(ip, port), as the socket module takes it: sock.sendto(data, address.as_tuple()).");

  py::native_enum<SocketMode>(m, "SocketMode", "enum.Enum", "Which UDP socket carries a leg's RTP.")
      .value("shared", SocketMode::shared,
             "the engine thread's socket; legs told apart by peer address and SSRC (the fast path)")
      .value("dedicated", SocketMode::dedicated, "a socket of the leg's own, from the engine's port range")
      .finalize();
}

void bind_endpoint_config(py::module_& m) {
  py::classh<EndpointConfig> config(
      m, "EndpointConfig",
      "One leg's endpoint as its SDP negotiation left it. A shared socket needs `remote` or\n"
      "`remote_ssrc` to tell the peer's packets apart; `srtp_receive` (the peer's key) and\n"
      "`srtp_send` (ours) go together.");
  def_struct(
      config,
      field("socket", &EndpointConfig::socket,
            "One socket per leg (dedicated) or one for many legs (shared)."),
      field("local_ip", &EndpointConfig::local_ip,
            "Dedicated sockets: the address to bind ('' = the engine's bind_ip); shared sockets ignore it."),
      field("local_port", &EndpointConfig::local_port,
            "Dedicated sockets: the port to bind (0 = the first free port of the engine's range)."),
      field("remote", &EndpointConfig::remote,
            "Where to send; None: learnt from the first valid packet (symmetric RTP)."),
      field("latch", &EndpointConfig::latch,
            "Symmetric RTP: the first valid packet sets the peer even when remote was signalled."),
      field("remote_ssrc", &EndpointConfig::remote_ssrc,
            "The SSRC the peer sends with, when known (a=ssrc); None: learnt from the first packet."),
      field("local_ssrc", &EndpointConfig::local_ssrc, "Our SSRC towards the peer (0 = random)."),
      field("codec", &EndpointConfig::codec, "The audio codec negotiated, with its payload type."),
      field("telephone_event_payload_type", &EndpointConfig::telephone_event_payload_type,
            "The RFC 4733 telephone-event payload type (-1: DTMF neither received nor sent)."),
      field("srtp_receive", &EndpointConfig::srtp_receive,
            "SRTP: the peer's key, to decrypt what it sends (with srtp_send, or neither); None: plain RTP."),
      field("srtp_send", &EndpointConfig::srtp_send,
            "SRTP: our key, to encrypt what we send (with srtp_receive, or neither); None: plain RTP."));
}

void bind_endpoint_stats(py::module_& m) {
  py::classh<EndpointStats> stats(
      m, "EndpointStats",
      "What one endpoint received, sent and dropped (a snapshot; every counter only grows).\n"
      "A dropped datagram is counted in exactly one of the drop counters.");
  def_record(
      stats,
      field("packets_in", &EndpointStats::packets_in,
            "Datagrams accepted as this leg's RTP (audio and telephone-events)."),
      field("bytes_in", &EndpointStats::bytes_in, "The size on the wire of the datagrams accepted."),
      field("packets_out", &EndpointStats::packets_out, "Datagrams sent (audio and telephone-events)."),
      field("bytes_out", &EndpointStats::bytes_out, "The size on the wire of the datagrams sent."),
      field("lost", &EndpointStats::lost, "Frames the jitter buffer skipped as lost."),
      field("late", &EndpointStats::late, "Packets that arrived after their frame was played."),
      field("duplicate", &EndpointStats::duplicate, "Packets received twice."),
      field("concealed", &EndpointStats::concealed, "Ticks that played a concealment frame (missing audio)."),
      field("malformed", &EndpointStats::malformed,
            "Datagrams that are not valid RTP (truncated, version, lengths, padding)."),
      field("unknown_payload_type", &EndpointStats::unknown_payload_type,
            "Valid RTP with a payload type this leg did not negotiate."),
      field("auth_fail", &EndpointStats::auth_fail,
            "Packets that failed SRTP authentication (tampered or wrong key)."),
      field("replay", &EndpointStats::replay, "SRTP replays (already seen or too old)."),
      field("unexpected_source", &EndpointStats::unexpected_source,
            "Datagrams from an address that is not the leg's peer."),
      field("rtcp", &EndpointStats::rtcp, "RTCP packets multiplexed on the RTP port (ignored)."),
      field("dtmf_digits_in", &EndpointStats::dtmf_digits_in,
            "RFC 4733 digits received (each counted once)."),
      field("dtmf_digits_out", &EndpointStats::dtmf_digits_out, "RFC 4733 digits sent."),
      field("send_errors", &EndpointStats::send_errors, "Datagrams the kernel refused to send."));
}

std::string endpoint_repr(const RtpEndpoint& e) {
  char ssrc[16];
  std::snprintf(ssrc, sizeof ssrc, "0x%08x", static_cast<unsigned>(e.ssrc()));
  const auto remote = e.remote();
  return "RtpEndpoint(leg=" + python::repr(py::str(e.leg())) + ", local=" + e.local_address().to_string() +
         ", remote=" + (remote ? remote->to_string() : "None") + ", ssrc=" + ssrc +
         (e.attached() ? ", attached)" : ", detached)");
}

void bind_rtp_endpoint(py::module_& m) {
  py::classh<RtpEndpoint> endpoint(
      m, "RtpEndpoint",
      "One leg's RTP/SRTP endpoint inside a MediaEngine (from add_endpoint). Every\n"
      "method is safe from any thread and none waits for the media thread. Stays\n"
      "readable after the endpoint is removed or the engine stopped.");
  def_made_by(endpoint, "MediaEngine.add_endpoint()");
  endpoint.def_property_readonly("leg", &RtpEndpoint::leg, "The leg this endpoint carries.")
      .def_property_readonly("media_group", &RtpEndpoint::media_group,
                             "The call whose media thread runs this endpoint.")
      .def_property_readonly("local_address", &RtpEndpoint::local_address,
                             "Where the peer must send: the thread's shared socket or the leg's own.")
      .def_property_readonly(
          "remote", &RtpEndpoint::remote,
          "The peer we send to (signalled, or learnt from its first packet); None until known.")
      .def_property_readonly("ssrc", &RtpEndpoint::ssrc, "Our SSRC towards the peer.")
      .def_property_readonly(
          "config", [](const RtpEndpoint& e) { return e.config(); },
          "A copy of the endpoint's configuration.")
      .def_property_readonly("attached", &RtpEndpoint::attached,
                             "False once removed from its engine (or the engine stopped).")
      .def("stats", &RtpEndpoint::stats, "The counters so far (EndpointStats).")
      .def(
          "send_dtmf",
          [](RtpEndpoint& e, const std::string& digits, int duration_ms) {
            e.send_dtmf(digits, duration_ms);
          },
          "digits"_a, "duration_ms"_a = 100,
          "Sends RFC 4733 digits ('1', '*81') to the peer, one after another, from the next tick on.\n"
          "InvalidArgumentError naming a character that is not a DTMF digit, a duration outside\n"
          "40..5000 ms, or a leg without a telephone-event payload type.")
      .def(
          "play_beep",
          [](RtpEndpoint& e, double frequency_hz, int duration_ms, double level_dbfs) {
            e.play_beep(BeepConfig{frequency_hz, duration_ms, level_dbfs});
          },
          py::kw_only(), "frequency_hz"_a = BeepConfig{}.frequency_hz,
          "duration_ms"_a = BeepConfig{}.duration_ms, "level_dbfs"_a = BeepConfig{}.level_dbfs,
          "Mixes a one-shot beep into what this leg alone hears, from its call's next tick (the\n"
          "agent-notification tone). InvalidArgumentError naming a frequency outside (0, 4000) Hz,\n"
          "a duration outside 20..5000 ms or a level outside [-90, 0] dBFS.")
      .def("rekey", &RtpEndpoint::rekey, "receive"_a, "send"_a,
           "New SRTP keys for both directions (a re-INVITE's SDES exchange): the peer's key and ours,\n"
           "from the next packet in or out. InvalidArgumentError on a leg created without SRTP.")
      .def("__repr__", &endpoint_repr);
}

}  // namespace

void bind_media_endpoints(py::module_& m) {
  bind_socket_address(m);
  bind_endpoint_config(m);
  bind_endpoint_stats(m);
  bind_rtp_endpoint(m);
}

}  // namespace callsup::python
