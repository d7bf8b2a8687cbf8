// callsup: end-to-end frame accounting. A sending phone writes its SSRC, the frame's index and a check
// word at the front of each audio payload; the receiving phone counts which of the frames sent to it
// arrived. The engine renumbers RTP sequence numbers, so a frame it drops leaves no gap there;
// the tag, which a forwarded payload carries unchanged, shows it.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <span>

namespace callsup::sim {

/// Bytes of a frame tag: the sender's SSRC, the frame index and a check word, big-endian. The
/// check word keeps a mix from passing for a tagged frame: a mix whose other sources are nearly
/// silent reproduces most bytes of the tag (G.711 decodes and re-encodes exactly), not all.
inline constexpr std::size_t frame_tag_bytes = 12;

namespace detail {
constexpr std::uint32_t frame_tag_check(std::uint32_t ssrc, std::uint32_t index) noexcept {
  return (ssrc ^ 0x5A17C0DEu) * 2654435761u + index * 40503u;
}
inline void put_u32(std::span<std::uint8_t> at, std::uint32_t value) noexcept {
  for (std::size_t i = 0; i < 4; ++i) at[i] = static_cast<std::uint8_t>(value >> (24 - 8 * i));
}
inline std::uint32_t get_u32(std::span<const std::uint8_t> at) noexcept {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) value = (value << 8) | at[i];
  return value;
}
}  // namespace detail

inline void write_frame_tag(std::span<std::uint8_t> payload, std::uint32_t ssrc,
                            std::uint32_t index) noexcept {
  if (payload.size() < frame_tag_bytes) return;
  detail::put_u32(payload.subspan(0, 4), ssrc);
  detail::put_u32(payload.subspan(4, 4), index);
  detail::put_u32(payload.subspan(8, 4), detail::frame_tag_check(ssrc, index));
}

/// The frame index of `payload` when it carries the tag of `ssrc`; nullopt otherwise (a mixed or
/// concealed frame, another sender's).
inline std::optional<std::uint32_t> read_frame_tag(std::span<const std::uint8_t> payload,
                                                   std::uint32_t ssrc) noexcept {
  if (payload.size() < frame_tag_bytes) return std::nullopt;
  const std::uint32_t from = detail::get_u32(payload.subspan(0, 4));
  const std::uint32_t index = detail::get_u32(payload.subspan(4, 4));
  if (from != ssrc || detail::get_u32(payload.subspan(8, 4)) != detail::frame_tag_check(ssrc, index))
    return std::nullopt;
  return index;
}

/// Counts the tagged frames of one sender as received: a frame index skipped is lost, unless an
/// untagged frame (the engine's mix or concealment) took its place in the stream since the last
/// tagged one; those are counted as `replaced`. Not thread-safe.
class FrameTagTracker {
 public:
  void on_tagged(std::uint32_t index) noexcept {
    ++tagged_;
    if (!started_) {
      started_ = true;
      highest_ = index;
      untagged_since_ = 0;
      return;
    }
    const auto delta = static_cast<std::int32_t>(index - highest_);
    if (delta <= 0) {
      ++late_;  // a duplicate or a late frame: not counted again
      return;
    }
    const std::uint64_t missing = static_cast<std::uint64_t>(delta - 1);
    const std::uint64_t filled = missing < untagged_since_ ? missing : untagged_since_;
    replaced_ += filled;
    lost_ += missing - filled;
    highest_ = index;
    untagged_since_ = 0;
  }
  void on_untagged() noexcept {
    ++untagged_;
    ++untagged_since_;
  }

  std::uint64_t tagged() const noexcept { return tagged_; }      ///< tagged frames received
  std::uint64_t lost() const noexcept { return lost_; }          ///< frames sent and never received
  std::uint64_t replaced() const noexcept { return replaced_; }  ///< frames whose slot an untagged frame took
  std::uint64_t untagged() const noexcept { return untagged_; }  ///< audio frames without the sender's tag
  std::uint64_t late() const noexcept { return late_; }

 private:
  bool started_ = false;
  std::uint32_t highest_ = 0;
  std::uint64_t untagged_since_ = 0;
  std::uint64_t tagged_ = 0, lost_ = 0, replaced_ = 0, untagged_ = 0, late_ = 0;
};

}  // namespace callsup::sim
