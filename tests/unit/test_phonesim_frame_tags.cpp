// tools/phonesim/frame_tags.hpp: the tag a sending phone writes, and what the receiving phone
// makes of the tags it sees (lost, replaced, repeated frames).
#include <doctest/doctest.h>

#include <array>
#include <cstdint>

#include "frame_tags.hpp"

using namespace callsup::sim;

TEST_CASE("phonesim: a frame tag reads back; another sender's or a disturbed one does not") {
  std::array<std::uint8_t, 160> payload{};
  write_frame_tag(payload, 0x11110000, 4242);
  CHECK(read_frame_tag(payload, 0x11110000) == std::optional<std::uint32_t>(4242));
  CHECK(!read_frame_tag(payload, 0x22220000).has_value());
  for (std::size_t byte = 4; byte < frame_tag_bytes; ++byte) {
    // A mix whose other sources are nearly silent changes a byte here or there: no tag.
    auto mixed = payload;
    mixed[byte] = static_cast<std::uint8_t>(mixed[byte] ^ 0x01);
    INFO("byte " << byte << " changed");
    CHECK(!read_frame_tag(mixed, 0x11110000).has_value());
  }
  std::array<std::uint8_t, frame_tag_bytes - 1> short_payload{};
  write_frame_tag(short_payload, 1, 2);  // too short to carry a tag: left alone
  CHECK(!read_frame_tag(short_payload, 1).has_value());
}

TEST_CASE("phonesim: the frame tracker tells lost frames from replaced and repeated ones") {
  FrameTagTracker tracker;
  tracker.on_tagged(10);
  tracker.on_tagged(11);
  tracker.on_untagged();  // a mix in the place of 12
  tracker.on_tagged(13);
  tracker.on_tagged(15);  // 14 never came
  tracker.on_tagged(15);  // again
  tracker.on_tagged(12);  // late
  CHECK(tracker.tagged() == 6);
  CHECK(tracker.replaced() == 1);
  CHECK(tracker.lost() == 1);
  CHECK(tracker.untagged() == 1);
  CHECK(tracker.late() == 2);
}
