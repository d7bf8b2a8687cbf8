// callsup: per-leg jitter buffer (see include/callsup/media/jitter_buffer.hpp for the playout rules).
#include "callsup/media/jitter_buffer.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>

#include "callsup/error.hpp"

namespace callsup {

namespace {

constexpr std::size_t max_capacity = 4096;        // slot indices fit 16 bits; bounds a leg's memory
constexpr std::size_t max_payload_limit = 65536;  // no UDP datagram carries more

[[noreturn]] void reject(const char* field, std::uint64_t value, const std::string& why) {
  throw Error(errc::invalid_argument,
              std::string("jitter buffer ") + field + " " + quoted(std::to_string(value)) + " " + why);
}

// Signed distance from `from` to `to` on the 32-bit timestamp circle (RFC 3550 wraps).
constexpr std::int64_t distance(std::uint32_t from, std::uint32_t to) noexcept {
  return static_cast<std::int32_t>(to - from);
}

}  // namespace

void validate(const JitterBufferConfig& config) {
  if (config.samples_per_frame == 0) reject("samples_per_frame", 0, "must be at least 1");
  if (config.capacity == 0 || config.capacity > max_capacity)
    reject("capacity", config.capacity, "must be 1 to " + std::to_string(max_capacity));
  if (config.max_depth == 0 || config.max_depth > config.capacity)
    reject("max_depth", config.max_depth, "must be 1 to capacity (" + std::to_string(config.capacity) + ")");
  if (config.keep_after_tick > config.max_depth)
    reject("keep_after_tick", config.keep_after_tick,
           "must be 0 to max_depth (" + std::to_string(config.max_depth) + ")");
  if (config.max_payload == 0 || config.max_payload > max_payload_limit)
    reject("max_payload", config.max_payload, "must be 1 to " + std::to_string(max_payload_limit));
  // A packet max_depth + 1 frames ahead is normal: the limit must not restart on it. It must
  // also stay below half the timestamp circle so that "ahead" and "behind" are unambiguous.
  const std::uint64_t window = (std::uint64_t{config.max_depth} + 1) * config.samples_per_frame;
  if (config.resync_after < window)
    reject("resync_after", config.resync_after,
           "must be at least (max_depth + 1) * samples_per_frame (" + std::to_string(window) + ")");
  if (config.resync_after > std::uint32_t{std::numeric_limits<std::int32_t>::max()})
    reject("resync_after", config.resync_after, "must be below 2^31");
}

JitterBuffer::JitterBuffer(const JitterBufferConfig& config) : config_(config) {
  validate(config_);
  storage_ = std::make_unique<std::uint8_t[]>(config_.capacity * config_.max_payload);
  queue_ = std::make_unique<Entry[]>(config_.capacity);
  free_ = std::make_unique<std::uint16_t[]>(config_.capacity);
  for (std::size_t i = 0; i < config_.capacity; ++i)
    free_[i] = static_cast<std::uint16_t>(config_.capacity - 1 - i);
  free_count_ = config_.capacity;
}

const JitterBufferStats& JitterBuffer::stats() const noexcept { return stats_; }
const JitterBufferConfig& JitterBuffer::config() const noexcept { return config_; }

std::span<const std::uint8_t> JitterBuffer::payload_of(const Entry& entry) const noexcept {
  return {storage_.get() + std::size_t{entry.slot} * config_.max_payload, entry.size};
}

void JitterBuffer::start(std::uint32_t timestamp, std::uint32_t ssrc) noexcept {
  started_ = true;
  ssrc_ = ssrc;
  // As if the frame before it had just been played: the first packet plays at the next tick.
  playout_point_ = timestamp - config_.samples_per_frame;
  played_at_point_ = false;
  pending_ = 0;
  surplus_ticks_ = 0;
}

void JitterBuffer::clear() noexcept {
  stats_.cleared += count_;
  while (count_ > 0) take_head();
  head_ = 0;
  stats_.depth = 0;
}

void JitterBuffer::reset() noexcept {
  clear();
  started_ = false;
  pending_ = 0;
  surplus_ticks_ = 0;
}

void JitterBuffer::insert(std::size_t position, std::uint16_t sequence, std::uint32_t timestamp, bool marker,
                          std::span<const std::uint8_t> payload) noexcept {
  for (std::size_t i = count_; i > position; --i) at(i) = at(i - 1);
  const std::uint16_t slot = free_[--free_count_];
  if (!payload.empty())
    std::memcpy(storage_.get() + std::size_t{slot} * config_.max_payload, payload.data(), payload.size());
  at(position) = Entry{timestamp, static_cast<std::uint32_t>(payload.size()), sequence, slot, marker};
  ++count_;
  ++stats_.pushed;
  stats_.depth = count_;
}

JitterBuffer::Entry JitterBuffer::take_head() noexcept {
  const Entry entry = at(0);
  // The slot's bytes stay intact until the next insert: a popped payload view remains valid.
  free_[free_count_++] = entry.slot;
  head_ = (head_ + 1) % config_.capacity;
  --count_;
  stats_.depth = count_;
  return entry;
}

void JitterBuffer::drop_head(std::uint64_t& counter) noexcept {
  const Entry entry = take_head();
  // Frames between the playout point and the dropped one never arrived (unless silence).
  if (!entry.marker) stats_.lost += (entry.timestamp - playout_point_ - 1) / config_.samples_per_frame;
  playout_point_ = entry.timestamp;
  played_at_point_ = false;
  pending_ = 0;
  ++counter;
}

void JitterBuffer::trim() noexcept {
  while (count_ > config_.max_depth) drop_head(stats_.overflow_dropped);
}

PushResult JitterBuffer::push(std::uint16_t sequence, std::uint32_t timestamp, std::uint32_t ssrc,
                              bool marker, std::span<const std::uint8_t> payload) noexcept {
  if (payload.size() > config_.max_payload) {
    ++stats_.too_large;
    return PushResult::too_large;
  }
  if (!started_) {
    start(timestamp, ssrc);
    insert(0, sequence, timestamp, marker, payload);
    return PushResult::accepted;
  }
  const std::int64_t ahead = distance(playout_point_, timestamp);
  const std::int64_t limit = config_.resync_after;
  if (ssrc != ssrc_ || ahead > limit || ahead < -limit) {
    // A talkspurt after long silence is a normal restart, not a fault worth counting.
    const bool talkspurt = ssrc == ssrc_ && marker && ahead > 0 && count_ == 0;
    if (!talkspurt) {
      ++stats_.resyncs;
      if (ssrc != ssrc_) ++stats_.ssrc_changes;
    }
    clear();
    start(timestamp, ssrc);
    insert(0, sequence, timestamp, marker, payload);
    return talkspurt ? PushResult::accepted : PushResult::resync;
  }
  if (ahead <= 0) {
    if (ahead == 0 && played_at_point_) {
      ++stats_.duplicates;
      return PushResult::duplicate;
    }
    ++stats_.late;
    return PushResult::late;
  }
  // Most packets arrive in order: search from the newest end.
  std::size_t position = count_;
  for (; position > 0; --position) {
    const std::int64_t after = distance(at(position - 1).timestamp, timestamp);
    if (after == 0) {
      ++stats_.duplicates;
      return PushResult::duplicate;
    }
    if (after > 0) break;
  }
  if (count_ == config_.capacity) {
    // Full (a burst beyond capacity between two ticks): the oldest packet goes. If that would
    // be this one, it is in effect too late to be kept.
    if (position == 0) {
      ++stats_.late;
      return PushResult::late;
    }
    drop_head(stats_.overflow_dropped);
    --position;
  }
  insert(position, sequence, timestamp, marker, payload);
  return PushResult::accepted;
}

JitterBuffer::Frame JitterBuffer::pop() noexcept {
  Frame frame;
  if (!started_) return frame;
  const std::uint32_t step = config_.samples_per_frame;
  // Beyond this the head cannot be an early arrival within our margin: the sender jumped.
  const std::uint64_t jump = (std::uint64_t{config_.max_depth} + 1) * step;
  for (;;) {
    if (count_ == 0) {
      surplus_ticks_ = 0;
      if (pending_ >= config_.max_depth) return frame;  // stalled: the stream stopped
      // Underrun: the frame may be just a little late, so wait for it (latency grows by one).
      ++pending_;
      ++stats_.missing;
      frame.kind = Frame::Kind::missing;
      frame.timestamp = playout_point_ + step;
      return frame;
    }
    const Entry& head = at(0);
    const std::uint32_t gap = head.timestamp - playout_point_;  // > 0: late packets are never queued
    if (gap <= step) break;
    if (head.marker || gap > jump) {
      if (!head.marker) stats_.lost += (gap - 1) / step;
      break;
    }
    // The due frame is lost: a later one is here.
    playout_point_ += step;
    played_at_point_ = false;
    ++stats_.lost;
    // A missing tick reported while waiting already stood in for it: no second one.
    if (pending_ > 0) {
      --pending_;
      continue;
    }
    ++stats_.missing;
    surplus_ticks_ = 0;
    frame.kind = Frame::Kind::missing;
    frame.timestamp = playout_point_;
    trim();
    return frame;
  }
  const Entry entry = take_head();
  playout_point_ = entry.timestamp;
  played_at_point_ = true;
  pending_ = 0;  // missing ticks not matched by a lost frame became added latency
  ++stats_.played;
  frame.kind = Frame::Kind::audio;
  frame.payload = payload_of(entry);
  frame.timestamp = entry.timestamp;
  frame.sequence = entry.sequence;
  trim();
  // More than the margin left after a tick, for a long time: the jitter margin is no longer used.
  surplus_ticks_ = count_ > config_.keep_after_tick ? surplus_ticks_ + 1 : 0;
  if (config_.shrink_after != 0 && surplus_ticks_ >= config_.shrink_after) {
    drop_head(stats_.shrink_dropped);
    surplus_ticks_ = 0;
  }
  return frame;
}

}  // namespace callsup
