// callsup: counters of one RTP endpoint.
#pragma once

#include <cstdint>

namespace callsup {

/// What one endpoint received, sent and dropped. A snapshot: every counter only grows.
/// Dropped packets are counted in exactly one of the drop counters.
struct EndpointStats {
  std::uint64_t packets_in = 0;   ///< datagrams accepted as this leg's RTP (audio and telephone-events)
  std::uint64_t bytes_in = 0;     ///< their size on the wire
  std::uint64_t packets_out = 0;  ///< datagrams sent (audio and telephone-events)
  /// Their size on the wire.
  std::uint64_t bytes_out = 0;
  std::uint64_t lost = 0;                  ///< frames the jitter buffer skipped as lost
  std::uint64_t late = 0;                  ///< packets that arrived after their frame was played
  std::uint64_t duplicate = 0;             ///< packets received twice
  std::uint64_t concealed = 0;             ///< ticks that played a concealment frame (missing audio)
  std::uint64_t malformed = 0;             ///< not valid RTP (truncated, version, lengths, padding)
  std::uint64_t unknown_payload_type = 0;  ///< valid RTP with a payload type this leg did not negotiate
  std::uint64_t auth_fail = 0;             ///< SRTP authentication failed (tampered or wrong key)
  std::uint64_t replay = 0;                ///< SRTP replay (already seen or too old)
  std::uint64_t unexpected_source = 0;     ///< from an address that is not the leg's peer
  std::uint64_t rtcp = 0;                  ///< RTCP multiplexed on the RTP port (ignored)
  std::uint64_t dtmf_digits_in = 0;        ///< RFC 4733 digits received (each counted once)
  std::uint64_t dtmf_digits_out = 0;       ///< digits sent
  std::uint64_t send_errors = 0;           ///< datagrams the kernel refused to send
};

}  // namespace callsup
