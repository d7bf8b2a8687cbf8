// callsup: per-leg jitter buffer that turns received RTP packets into one frame per tick.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

namespace callsup {

/// Sizes and limits of a JitterBuffer. Memory is capacity * max_payload bytes, allocated once.
struct JitterBufferConfig {
  /// RTP timestamp units per frame, i.e. per tick (8 kHz * 20 ms = 160).
  std::uint32_t samples_per_frame = 160;
  /// Packets held at most. A burst of up to this many packets between two ticks is absorbed and
  /// reordered before max_depth trims it; beyond it the oldest queued packet is dropped at push.
  std::size_t capacity = 16;
  /// Frames left queued after a tick at most (the latency bound): the oldest beyond it are
  /// dropped. Also the number of ticks playout waits for a late frame before the stream is
  /// considered stalled (ticks then report idle).
  std::size_t max_depth = 4;
  /// Bytes per packet payload. 1280 holds the largest Opus frame (1275 bytes), L16 mono up to
  /// 32 kHz at 20 ms or 48 kHz at 10 ms, and any G.711 ptime up to 160 ms.
  std::size_t max_payload = 1280;
  /// Timestamp distance (units, either direction) from the playout point beyond which the
  /// stream is restarted at the new packet (2 s at 8 kHz), counted as a resync; a marker packet
  /// ahead of an empty buffer (a talkspurt after long silence) restarts it without counting.
  std::uint32_t resync_after = 8000 * 2;
  /// Latency shrink: after this many consecutive ticks that each left more than `keep_after_tick`
  /// frames queued, one queued frame is dropped (the margin that jitter needed has gone). 0 = never.
  std::uint32_t shrink_after = 50;
  /// Frames a tick may leave queued without counting towards a shrink. 1 keeps one frame of
  /// margin; 0 (the media engine's choice) brings the delay back to "played at the first tick
  /// after arrival" once a late packet has made the playout point slip.
  std::size_t keep_after_tick = 1;
};

/// Throws Error(invalid_argument) naming the bad field and value: samples_per_frame 0,
/// capacity 0 or above 4096, max_depth 0 or above capacity, max_payload 0 or above 65536,
/// resync_after below (max_depth + 1) * samples_per_frame or above 2^31 - 1.
void validate(const JitterBufferConfig& config);

/// What JitterBuffer::push did with a packet.
enum class PushResult : std::uint8_t {
  accepted,   ///< queued for playout
  duplicate,  ///< same timestamp as a queued frame or the frame just played: dropped
  late,       ///< at or before the playout point, or older than all of a full buffer: dropped
  too_large,  ///< payload larger than max_payload: dropped
  resync,     ///< accepted after a restart (SSRC change or timestamp jump beyond resync_after)
};

/// Stable, lower-case name of a push result ("too_large").
constexpr std::string_view to_string(PushResult result) noexcept {
  switch (result) {
  case PushResult::accepted: return "accepted";
  case PushResult::duplicate: return "duplicate";
  case PushResult::late: return "late";
  case PushResult::too_large: return "too_large";
  case PushResult::resync: return "resync";
  }
  return "unknown";
}

/// Counters of a JitterBuffer. Every accepted packet is accounted for exactly once:
/// pushed == played + overflow_dropped + shrink_dropped + cleared + depth.
struct JitterBufferStats {
  std::uint64_t pushed = 0;            ///< packets accepted (including resync)
  std::uint64_t played = 0;            ///< ticks that returned audio
  std::uint64_t missing = 0;           ///< ticks that returned missing (the engine conceals)
  std::uint64_t lost = 0;              ///< frames skipped because they never arrived in time
  std::uint64_t late = 0;              ///< packets dropped as late
  std::uint64_t duplicates = 0;        ///< packets dropped as duplicates
  std::uint64_t overflow_dropped = 0;  ///< queued packets dropped by max_depth or a full buffer
  std::uint64_t shrink_dropped = 0;    ///< queued packets dropped to shrink the latency
  std::uint64_t cleared = 0;           ///< queued packets discarded by a resync or reset()
  std::uint64_t too_large = 0;         ///< packets dropped as larger than max_payload
  std::uint64_t resyncs = 0;           ///< restarts of the stream (SSRC change or timestamp jump)
  std::uint64_t ssrc_changes = 0;      ///< restarts caused by a new SSRC
  std::size_t depth = 0;               ///< packets currently queued
};

/// Reorders one leg's received packets and hands out one frame per tick.
///
/// Playout: the "playout point" is the timestamp of the last frame played or given up. At each
/// tick the earliest queued packet is played if its timestamp is at most samples_per_frame past
/// the playout point, so a packet that arrived before its tick plays at that tick (no added
/// delay). A packet with a different timestamp step still plays in timestamp order: a smaller
/// step plays one packet per tick (the depth bound drops the surplus), a larger step leaves
/// missing ticks between packets, counted as lost frames.
///
/// When the due frame is absent: with nothing queued (underrun) the tick reports missing and
/// playout waits for that frame (latency grows by one frame); if a later frame then arrives
/// first, the waited-for frame is counted lost and the missing tick already reported stands in
/// for it. With later frames queued the due frame is lost: one missing tick, then playout moves
/// on. After max_depth consecutive underrun ticks the stream is stalled and ticks report idle.
/// Playout jumps straight to the earliest queued packet when it carries the marker bit (a
/// talkspurt after silence suppression: the gap is not counted as lost) or lies more than
/// max_depth + 1 frames ahead (the sender's timestamp jumped: the gap is counted as lost).
///
/// Not thread-safe: one media thread pushes and pops. push() and pop() never allocate or throw.
class JitterBuffer {
 public:
  /// Validates `config` (see validate()) and allocates all storage. A moved-from buffer may only
  /// be destroyed or assigned to.
  explicit JitterBuffer(const JitterBufferConfig& config = {});

  /// Offers one received packet (header fields and the encoded payload, copied in). The first
  /// packet, or the first after reset(), starts the stream and plays at the next pop().
  PushResult push(std::uint16_t sequence, std::uint32_t timestamp, std::uint32_t ssrc, bool marker,
                  std::span<const std::uint8_t> payload) noexcept;

  /// The outcome of one tick.
  struct Frame {
    /// idle: no stream (not started, reset or stalled), the leg is silent. audio: play
    /// `payload`. missing: the due frame is absent, the engine conceals it.
    enum class Kind : std::uint8_t { idle, audio, missing } kind = Kind::idle;  ///< what to do this tick
    std::span<const std::uint8_t> payload;  ///< valid until the next push/pop/reset (audio only)
    std::uint32_t timestamp = 0;            ///< RTP timestamp of the frame played (or due)
    std::uint16_t sequence = 0;             ///< RTP sequence number of the frame played (audio only)
  };

  /// Hands out the frame for this tick; call exactly once per tick.
  Frame pop() noexcept;

  /// Discards the stream (queued packets count as cleared); the next packet starts a new one.
  /// Counters are kept.
  void reset() noexcept;

  /// Counters since construction.
  const JitterBufferStats& stats() const noexcept;

  /// The validated configuration.
  const JitterBufferConfig& config() const noexcept;

 private:
  /// A queued packet; its payload lives in storage_ slot `slot`.
  struct Entry {
    std::uint32_t timestamp;
    std::uint32_t size;
    std::uint16_t sequence;
    std::uint16_t slot;
    bool marker;
  };

  void start(std::uint32_t timestamp, std::uint32_t ssrc) noexcept;
  void clear() noexcept;
  void insert(std::size_t position, std::uint16_t sequence, std::uint32_t timestamp, bool marker,
              std::span<const std::uint8_t> payload) noexcept;
  Entry take_head() noexcept;
  void drop_head(std::uint64_t& counter) noexcept;
  void trim() noexcept;
  Entry& at(std::size_t index) noexcept { return queue_[(head_ + index) % config_.capacity]; }
  std::span<const std::uint8_t> payload_of(const Entry& entry) const noexcept;

  JitterBufferConfig config_;
  JitterBufferStats stats_;
  std::unique_ptr<std::uint8_t[]> storage_;  // capacity * max_payload bytes
  std::unique_ptr<Entry[]> queue_;           // ring of `count_` entries from `head_`, timestamp order
  std::unique_ptr<std::uint16_t[]> free_;    // stack of free storage slots
  std::size_t head_ = 0;
  std::size_t count_ = 0;
  std::size_t free_count_ = 0;
  bool started_ = false;
  bool played_at_point_ = false;  // the frame at playout_point_ was played (not skipped)
  std::uint32_t ssrc_ = 0;
  std::uint32_t playout_point_ = 0;  // timestamp of the last frame played or given up
  std::size_t pending_ = 0;          // missing ticks reported while waiting (underrun)
  std::uint32_t surplus_ticks_ = 0;  // consecutive ticks that left > keep_after_tick frames queued
};

/// Stable, lower-case name of a frame kind ("missing").
constexpr std::string_view to_string(JitterBuffer::Frame::Kind kind) noexcept {
  switch (kind) {
  case JitterBuffer::Frame::Kind::idle: return "idle";
  case JitterBuffer::Frame::Kind::audio: return "audio";
  case JitterBuffer::Frame::Kind::missing: return "missing";
  }
  return "unknown";
}

}  // namespace callsup
