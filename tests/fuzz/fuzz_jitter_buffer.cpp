// libFuzzer target: the jitter buffer driven by a command stream (push / pop / reset) must keep
// its accounting identity, its memory bound and hand out exactly the bytes pushed for a frame.
//   clang++ -std=c++20 -fsanitize=fuzzer,address,undefined -I include tests/fuzz/fuzz_jitter_buffer.cpp \
//     lib/media/jitter/jitter_buffer.cpp
//
// Input: 5 config bytes, then commands. Command byte c:
//   c % 8 < 5  push: 3 more bytes (timestamp step, flags, payload length)
//   c % 8 < 7  pop
//   else       reset (c == 0xFF) or pop
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <vector>

#include "callsup/error.hpp"
#include "callsup/media/jitter_buffer.hpp"

namespace {

void require(bool condition) {
  if (!condition) std::abort();
}

/// pushed == played + overflow_dropped + shrink_dropped + cleared + depth, depth <= capacity.
void check_accounting(const callsup::JitterBuffer& buffer) {
  const auto& s = buffer.stats();
  require(s.pushed == s.played + s.overflow_dropped + s.shrink_dropped + s.cleared + s.depth);
  require(s.depth <= buffer.config().capacity);
}

class Reader {
 public:
  Reader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  bool empty() const { return at_ >= size_; }
  std::uint8_t next() { return at_ < size_ ? data_[at_++] : 0; }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t at_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Reader in(data, size);
  constexpr std::array<std::uint32_t, 4> steps{1, 80, 160, 960};
  callsup::JitterBufferConfig config;
  config.samples_per_frame = steps[in.next() % steps.size()];
  config.capacity = 1 + in.next() % 32;
  config.max_depth = 1 + in.next() % config.capacity;
  config.max_payload = 1 + in.next() % 64;
  const std::uint8_t limits = in.next();
  config.shrink_after = limits % 8;
  // resync_after from its lower bound up to 64 frames more (small, so that jumps happen).
  config.resync_after =
      static_cast<std::uint32_t>(config.max_depth + 1 + (limits >> 3) * 2) * config.samples_per_frame;
  callsup::validate(config);  // a config outside the rules is a bug in this harness
  callsup::JitterBuffer buffer(config);

  const std::array<std::uint32_t, 3> ssrcs{0x11111111u, 0x22222222u, 0x33333333u};
  std::uint32_t ssrc = ssrcs[0];
  std::uint32_t timestamp = 0xFFFF'F000u;  // wraps early
  std::uint16_t sequence = 65500;
  std::uint32_t pushes = 0;
  std::uint32_t current_ssrc = 0;  // of the last accepted packet: the only stream queued
  bool have_last_played = false;
  std::uint32_t last_played = 0;
  const std::uint8_t* lowest = nullptr;
  const std::uint8_t* highest = nullptr;
  std::map<std::uint64_t, std::vector<std::uint8_t>> shadow;  // (ssrc, timestamp) -> payload
  std::vector<std::uint8_t> payload;
  payload.reserve(80);

  while (!in.empty()) {
    const std::uint8_t command = in.next();
    const auto before = buffer.stats();
    if (command % 8 < 5) {
      // Timestamp moves by -8..+23 frames, or a large jump; flags pick marker and SSRC.
      const std::uint8_t step = in.next();
      const std::uint8_t flags = in.next();
      const std::uint8_t length = in.next();
      if (step == 0xFF)
        timestamp += 0x4000'0000u * (flags & 3u) + flags;
      else
        timestamp += static_cast<std::uint32_t>(static_cast<int>(step % 32) - 8) * config.samples_per_frame +
                     ((step & 0x20u) ? 1u : 0u);  // an odd step now and then
      if (flags & 0x40u) ssrc = ssrcs[(flags >> 4) % ssrcs.size()];
      const bool marker = (flags & 0x80u) != 0;
      ++sequence;
      ++pushes;
      payload.assign(length % 72, 0);
      for (std::size_t i = 0; i < payload.size(); ++i)
        payload[i] = static_cast<std::uint8_t>((pushes >> (i % 4 * 8)) + i);

      const auto result = buffer.push(sequence, timestamp, ssrc, marker, payload);
      const auto& after = buffer.stats();
      const bool kept = result == callsup::PushResult::accepted || result == callsup::PushResult::resync;
      require((result == callsup::PushResult::too_large) == (payload.size() > config.max_payload));
      require(after.pushed == before.pushed + (kept ? 1 : 0));
      require(after.duplicates == before.duplicates + (result == callsup::PushResult::duplicate ? 1 : 0));
      require(after.late == before.late + (result == callsup::PushResult::late ? 1 : 0));
      require(after.too_large == before.too_large + (result == callsup::PushResult::too_large ? 1 : 0));
      require(after.resyncs == before.resyncs + (result == callsup::PushResult::resync ? 1 : 0));
      if (kept) {
        shadow[(std::uint64_t{ssrc} << 32) | timestamp] = payload;
        // A new stream, a counted resync, or a talkspurt (marker) into an empty buffer, which
        // restarts the timeline without counting a resync (see JitterBufferConfig): after any of
        // them playout may continue anywhere on the timestamp circle.
        if (ssrc != current_ssrc || result == callsup::PushResult::resync || (marker && before.depth == 0))
          have_last_played = false;
        current_ssrc = ssrc;
      }
    } else if (command == 0xFF) {
      buffer.reset();
      require(buffer.stats().depth == 0);
      require(buffer.pop().kind == callsup::JitterBuffer::Frame::Kind::idle);
      have_last_played = false;
    } else {
      const auto frame = buffer.pop();
      const auto& after = buffer.stats();
      require(after.depth <= config.max_depth);
      switch (frame.kind) {
      case callsup::JitterBuffer::Frame::Kind::idle:
        require(after.played == before.played && after.missing == before.missing);
        break;
      case callsup::JitterBuffer::Frame::Kind::missing:
        require(after.missing == before.missing + 1 && after.played == before.played);
        break;
      case callsup::JitterBuffer::Frame::Kind::audio: {
        require(after.played == before.played + 1 && after.missing == before.missing);
        const auto found = shadow.find((std::uint64_t{current_ssrc} << 32) | frame.timestamp);
        require(found != shadow.end());
        require(std::equal(frame.payload.begin(), frame.payload.end(), found->second.begin(),
                           found->second.end()));
        // Views point into the buffer's own block of capacity * max_payload bytes.
        const std::uint8_t* begin = frame.payload.data();
        const std::uint8_t* end = begin + frame.payload.size();
        require(frame.payload.empty() || begin != payload.data());
        lowest = lowest ? std::min(lowest, begin) : begin;
        highest = std::max(highest, end);
        require(static_cast<std::size_t>(highest - lowest) <= config.capacity * config.max_payload);
        // Within one stream, playout only moves forward.
        if (have_last_played) require(static_cast<std::int32_t>(frame.timestamp - last_played) > 0);
        have_last_played = true;
        last_played = frame.timestamp;
        break;
      }
      }
    }
    check_accounting(buffer);
  }
  return 0;
}
