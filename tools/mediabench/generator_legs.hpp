// callsup-mediabench: the generator's legs: the plan (calls of two legs each), one UDP socket per
// leg, and each leg's send state (target, RTP numbering, SRTP contexts, its place in the period).
//
// Plan (stdin or file):  {"warmup_seconds": 2, "window_seconds": 10, "send_slot_us": 250,
//                         "calls": [{"id": "c0", "legs": ["c0-a", "c0-b"]}, ...]}
// Addresses (stdout):    {"legs": [{"id": "c0-a", "address": "127.0.0.1:40001"}, ...]}   (plan order)
// Targets (stdin):       {"legs": [{"id": "c0-a", "send_to": "127.0.0.1:30000",
//                                   "srtp_send": "<base64>", "srtp_receive": "<base64>"}, ...]}
//                        (the SRTP keys are optional, both or neither: SDES inline key material)
#pragma once

#include <netinet/in.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "callsup/media/srtp.hpp"
#include "io_json.hpp"
#include "udp_batch.hpp"

namespace callsup::mediabench {

struct Plan {
  double warmup_seconds = 2;
  double window_seconds = 10;
  int send_slot_us = 250;  ///< the generator wakes at most this often (sends due in a slot go together)
  std::vector<std::string> leg_ids;  ///< two per call: legs 2i and 2i+1 hear each other
};

/// Throws Error(invalid_argument) naming the bad field.
Plan parse_plan(const json& plan);

/// One leg: what it sends (stream id = its index) and where.
struct GeneratorLeg {
  GeneratorLeg(std::string leg_id, sim::UdpSocket leg_socket)
      : id(std::move(leg_id)), socket(std::move(leg_socket)) {}
  std::string id;
  sim::UdpSocket socket;
  sockaddr_in target{};
  std::uint32_t ssrc = 0;
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;
  std::int64_t offset_ns = 0;  ///< where in the 20 ms period this leg sends
  std::optional<SrtpContext> protect, unprotect;
};

/// Binds one socket per leg of the plan on 127.0.0.1, port 0; call i sends at i/N of the period.
std::vector<GeneratorLeg> bind_legs(const Plan& plan, std::int64_t period_ns);
/// The addresses line.
json addresses_of(const std::vector<GeneratorLeg>& legs);
/// Reads the targets line into the legs. Throws Error(invalid_argument) naming a missing or unknown
/// leg, a bad address or a bad key.
void apply_targets(const json& targets, std::vector<GeneratorLeg>& legs);

/// The leg that hears leg `i` (its call's other leg).
inline std::size_t peer_of(std::size_t i) noexcept { return i ^ 1u; }

}  // namespace callsup::mediabench
