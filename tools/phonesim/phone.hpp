// callsup: one simulated phone's RTP state: what it sends each tick, what it makes of what it receives.
#pragma once

#include <netinet/in.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "callsup/media/codec.hpp"
#include "callsup/media/dtmf_receiver.hpp"
#include "callsup/media/dtmf_sender.hpp"
#include "callsup/media/srtp.hpp"
#include "frame_tags.hpp"
#include "phone_set.hpp"
#include "sequence_tracker.hpp"

namespace callsup::sim {

/// One phone of a PhoneSet (internal). The set's thread calls next_packet() and
/// on_datagram(); the thread-safe accessors may be called from any thread meanwhile.
class Phone {
 public:
  /// Validates `config` (see PhoneSet::add) and builds the codec, SRTP contexts, DTMF
  /// sender and, with precompute, the payload cycle. `ssrc` is the one to send with; the
  /// first sequence number and timestamp are drawn from `rng`.
  Phone(PhoneConfig config, std::uint32_t ssrc, std::mt19937& rng);

  const PhoneConfig& config() const noexcept { return config_; }
  std::uint32_t ssrc() const noexcept { return ssrc_; }
  /// Bytes a packet of this phone may take in a send buffer: header, payload and SRTP trailer.
  std::size_t max_packet_bytes() const noexcept;

  /// Where the phone sends (set before the thread starts); port 0 means it does not send.
  void set_remote(const Address& remote);
  bool sends() const noexcept { return remote_.sin_port != 0; }
  const sockaddr_in& remote() const noexcept { return remote_; }

  /// This tick's packet (audio, or telephone-event while a digit plays), protected when
  /// keyed, written to the front of `buffer` (at least max_packet_bytes()). Returns its
  /// length, or 0 when SRTP refused it (the caller counts a send error).
  std::size_t next_packet(std::span<std::uint8_t> buffer);

  /// One datagram for this phone, in place (SRTP decrypts into `buffer`): accounting,
  /// DTMF, recording. `scratch` holds decoded PCM (sized for the largest datagram).
  void on_datagram(std::span<std::uint8_t> buffer, std::size_t length,
                   std::span<std::int16_t> scratch) noexcept;
  /// A datagram for this phone that is not RTP at all.
  void count_malformed() noexcept;

  /// Queues digits for the thread to play (validated here, so errors reach the caller).
  /// Thread-safe.
  void queue_dtmf(std::string_view digits, int duration_ms, int gap_ms);

  PhoneStats stats() const noexcept;            ///< thread-safe
  std::vector<std::int16_t> recording() const;  ///< thread-safe
  void clear_recording();                       ///< thread-safe
  std::string dtmf_received() const;            ///< thread-safe

 private:
  struct Counters {
    std::atomic<std::uint64_t> sent{0}, received{0}, lost{0}, duplicates{0}, reordered{0}, malformed{0},
        auth_fail{0}, replay{0}, wrong_payload_type{0}, dtmf_sent{0}, dtmf_received{0}, frames_tagged{0},
        frames_lost{0}, frames_replaced{0}, frames_untagged{0}, frames_repeated{0}, timestamp_jumps{0};
  };
  struct DtmfRequest {
    std::string digits;
    int duration_ms, gap_ms;
  };

  void precompute_cycle();
  void take_dtmf_requests();
  std::size_t write_audio(std::span<std::uint8_t> buffer);
  void count_frame(std::span<const std::uint8_t> payload) noexcept;
  void record(std::uint32_t timestamp, std::span<const std::uint8_t> payload,
              std::span<std::int16_t> scratch);

  PhoneConfig config_;
  std::unique_ptr<Codec> codec_;
  std::optional<SrtpContext> srtp_send_, srtp_receive_;
  std::optional<DtmfSender> dtmf_sender_;
  DtmfReceiver dtmf_receiver_;
  sockaddr_in remote_{};
  std::uint32_t ssrc_;
  std::uint32_t samples_per_frame_;  // per channel: the RTP timestamp step
  std::vector<std::int16_t> frame_;  // one frame of PCM, all channels

  // Send state (the set's thread only).
  std::uint16_t sequence_;
  std::uint32_t timestamp_;
  std::uint64_t frame_index_ = 0;
  bool first_packet_ = true;
  std::vector<std::uint8_t> cycle_;  // precompute: cycle_frames_ encoded payloads
  std::size_t cycle_frames_ = 0, payload_bytes_ = 0;

  // Receive state (the set's thread only).
  SequenceTracker tracker_;
  FrameTagTracker frame_tags_;
  std::uint32_t remote_ssrc_ = 0;                // of the last packet: a change restarts the accounting
  std::optional<std::uint32_t> next_timestamp_;  // where the recording's next frame should start
  std::optional<std::pair<std::uint16_t, std::uint32_t>> last_audio_;  // sequence and timestamp

  Counters counters_;
  std::atomic<bool> dtmf_pending_{false};
  mutable std::mutex mutex_;  // guards the members below
  std::vector<DtmfRequest> dtmf_requests_;
  std::vector<std::int16_t> recording_;
  std::string dtmf_digits_;
};

}  // namespace callsup::sim
