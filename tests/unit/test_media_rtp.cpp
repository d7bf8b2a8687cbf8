// Tests of RTP (RFC 3550) parsing and serialising: every field, every class of bad datagram.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <vector>

#include "callsup/media/rtp_packet.hpp"

#include "support/bytes.hpp"
#include "support/checks.hpp"

using namespace callsup;
using callsup::test::concat;

namespace callsup {
// Internal linkage: other test files may print RtpError their own way.
static doctest::String toString(RtpError v) { return std::string(to_string(v)).c_str(); }
}  // namespace callsup

namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes bytes(std::initializer_list<int> values) {
  Bytes out;
  for (int v : values) out.push_back(static_cast<std::uint8_t>(v));
  return out;
}

/// A fixed header: V=2, P/X/CC from `first_low` (the low 6 bits of byte 0), M=1, PT=96,
/// seq 0x1234, ts 0x89ABCDEF, ssrc 0x01020304.
Bytes fixed_header(int first_low = 0) {
  return bytes({0x80 | first_low, 0x80 | 96, 0x12, 0x34, 0x89, 0xAB, 0xCD, 0xEF, 0x01, 0x02, 0x03, 0x04});
}

bool same_bytes(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

}  // namespace

TEST_CASE("media: rtp parses every field of the fixed header") {
  const Bytes datagram = concat(fixed_header(), bytes({0xDE, 0xAD, 0xBE}));
  const RtpParseResult result = parse_rtp(datagram);
  REQUIRE(result);
  CHECK(result.error == RtpError::none);
  const RtpHeader& h = result.packet.header;
  CHECK(h.marker);
  CHECK(h.payload_type == 96);
  CHECK(h.sequence == 0x1234);
  CHECK(h.timestamp == 0x89ABCDEFu);
  CHECK(h.ssrc == 0x01020304u);
  CHECK(h.csrc_count == 0);
  CHECK_FALSE(h.has_extension);
  CHECK(h.extension.empty());
  CHECK(result.packet.padding == 0);
  CHECK(same_bytes(result.packet.payload, bytes({0xDE, 0xAD, 0xBE})));
  // The payload is a view into the datagram, not a copy.
  CHECK(result.packet.payload.data() == datagram.data() + 12);
}

TEST_CASE("media: rtp marker clear, payload type 0 and 127, empty payload") {
  Bytes datagram = fixed_header();
  datagram[1] = 0;  // M=0, PT=0
  auto result = parse_rtp(datagram);
  REQUIRE(result);
  CHECK_FALSE(result.packet.header.marker);
  CHECK(result.packet.header.payload_type == 0);
  CHECK(result.packet.payload.empty());

  datagram[1] = 0x7F;  // M=0, PT=127
  result = parse_rtp(datagram);
  REQUIRE(result);
  CHECK_FALSE(result.packet.header.marker);
  CHECK(result.packet.header.payload_type == 127);
}

TEST_CASE("media: rtp parses CSRCs, extension and padding together") {
  const Bytes datagram = concat(fixed_header(0x20 | 0x10 | 2),                          // P, X, CC=2
                                bytes({0xA1, 0xA2, 0xA3, 0xA4, 0xB1, 0xB2, 0xB3, 0xB4,  // CSRCs
                                       0xBE, 0xDE, 0x00, 0x02,                          // profile, 2 words
                                       1,    2,    3,    4,    5,    6,    7,    8,     // extension data
                                       0x55, 0x66,                                      // payload
                                       0,    0,    3}));                                // padding 3
  const RtpParseResult result = parse_rtp(datagram);
  REQUIRE(result);
  const RtpHeader& h = result.packet.header;
  CHECK(h.csrc_count == 2);
  CHECK(h.csrcs[0] == 0xA1A2A3A4u);
  CHECK(h.csrcs[1] == 0xB1B2B3B4u);
  CHECK(h.csrcs[2] == 0);
  CHECK(h.has_extension);
  CHECK(h.extension_profile == 0xBEDE);
  CHECK(same_bytes(h.extension, bytes({1, 2, 3, 4, 5, 6, 7, 8})));
  CHECK(result.packet.padding == 3);
  CHECK(same_bytes(result.packet.payload, bytes({0x55, 0x66})));
  CHECK(rtp_header_size(h) == 12 + 8 + 4 + 8);
}

TEST_CASE("media: rtp fifteen CSRCs and an empty extension are valid") {
  Bytes datagram = fixed_header(0x10 | 15);
  for (int i = 0; i < 15; ++i) datagram = concat(datagram, bytes({0, 0, 0, i + 1}));
  datagram = concat(datagram, bytes({0x10, 0x00, 0x00, 0x00}));  // profile 0x1000, 0 words
  const auto result = parse_rtp(datagram);
  REQUIRE(result);
  CHECK(result.packet.header.csrc_count == 15);
  for (std::uint32_t i = 0; i < 15; ++i) CHECK(result.packet.header.csrcs[i] == i + 1);
  CHECK(result.packet.header.has_extension);
  CHECK(result.packet.header.extension_profile == 0x1000);
  CHECK(result.packet.header.extension.empty());
  CHECK(result.packet.payload.empty());
}

TEST_CASE("media: rtp empty and truncated datagrams") {
  CHECK(parse_rtp({}).error == RtpError::truncated);
  const Bytes full = fixed_header();
  for (std::size_t size = 0; size < rtp_fixed_header_size; ++size) {
    CAPTURE(size);
    const auto result = parse_rtp(std::span(full).first(size));
    CHECK(result.error == RtpError::truncated);
    CHECK_FALSE(result);
  }
  CHECK(parse_rtp(full));
}

TEST_CASE("media: rtp versions other than 2") {
  for (int version : {0, 1, 3}) {
    CAPTURE(version);
    Bytes datagram = concat(fixed_header(), bytes({1, 2, 3, 4}));
    datagram[0] = static_cast<std::uint8_t>(version << 6);
    CHECK(parse_rtp(datagram).error == RtpError::bad_version);
  }
}

TEST_CASE("media: rtp CSRC count that does not fit") {
  // CC=2 needs 8 bytes after the fixed header; every shorter tail is rejected.
  const Bytes csrcs = bytes({0, 0, 0, 1, 0, 0, 0, 2});
  for (std::size_t tail = 0; tail < csrcs.size(); ++tail) {
    CAPTURE(tail);
    const Bytes datagram = concat(fixed_header(2), Bytes(csrcs.begin(), csrcs.begin() + tail));
    CHECK(parse_rtp(datagram).error == RtpError::bad_csrc_count);
  }
  CHECK(parse_rtp(concat(fixed_header(2), csrcs)));
  CHECK(parse_rtp(concat(fixed_header(15), csrcs)).error == RtpError::bad_csrc_count);
}

TEST_CASE("media: rtp extension header or data that does not fit") {
  // X bit with fewer than 4 bytes of extension header.
  for (std::size_t tail = 0; tail < 4; ++tail) {
    CAPTURE(tail);
    const Bytes datagram = concat(fixed_header(0x10), Bytes(tail, 0));
    CHECK(parse_rtp(datagram).error == RtpError::bad_extension);
  }
  // Length of 2 words, but only 7 bytes follow.
  const Bytes two_words = bytes({0xBE, 0xDE, 0x00, 0x02});
  CHECK(parse_rtp(concat(concat(fixed_header(0x10), two_words), Bytes(7, 0))).error ==
        RtpError::bad_extension);
  CHECK(parse_rtp(concat(concat(fixed_header(0x10), two_words), Bytes(8, 0))));
  // Maximum length announced (65535 words) in a short datagram.
  CHECK(parse_rtp(concat(fixed_header(0x10), bytes({0, 0, 0xFF, 0xFF, 1, 2, 3, 4}))).error ==
        RtpError::bad_extension);
  // The extension comes after the CSRCs: a CSRC must not be mistaken for it.
  CHECK(parse_rtp(concat(fixed_header(0x10 | 1), bytes({0xBE, 0xDE, 0x00, 0x00}))).error ==
        RtpError::bad_extension);
}

TEST_CASE("media: rtp padding count of 0 or larger than the packet") {
  // P bit, padding count 0.
  CHECK(parse_rtp(concat(fixed_header(0x20), bytes({1, 2, 0}))).error == RtpError::bad_padding);
  // P bit, count larger than everything after the header (3 bytes).
  CHECK(parse_rtp(concat(fixed_header(0x20), bytes({1, 2, 4}))).error == RtpError::bad_padding);
  CHECK(parse_rtp(concat(fixed_header(0x20), bytes({1, 2, 255}))).error == RtpError::bad_padding);
  // Padding must not eat into the CSRCs or the extension.
  CHECK(parse_rtp(concat(fixed_header(0x20 | 1), bytes({0, 0, 0, 5}))).error == RtpError::bad_padding);
  CHECK(parse_rtp(concat(fixed_header(0x20 | 0x10), bytes({0xBE, 0xDE, 0, 1, 0, 0, 0, 3}))).error ==
        RtpError::bad_padding);
  // P bit and nothing after the header: the last byte would be the SSRC's.
  CHECK(parse_rtp(fixed_header(0x20)).error == RtpError::bad_padding);

  // Padding that takes exactly everything after the header is valid: an empty payload.
  const Bytes all_padding = concat(fixed_header(0x20), bytes({0, 0, 3}));
  const auto all = parse_rtp(all_padding);
  REQUIRE(all);
  CHECK(all.packet.padding == 3);
  CHECK(all.packet.payload.empty());
  // The content of padding bytes other than the count is not checked (RFC 3550 leaves it open).
  const Bytes one_byte = concat(fixed_header(0x20), bytes({7, 9, 9, 3}));
  const auto one = parse_rtp(one_byte);
  REQUIRE(one);
  CHECK(one.packet.padding == 3);
  CHECK(same_bytes(one.packet.payload, bytes({7})));
}

TEST_CASE("media: rtp error names") {
  CHECK(to_string(RtpError::none) == "none");
  CHECK(to_string(RtpError::truncated) == "truncated");
  CHECK(to_string(RtpError::bad_version) == "bad_version");
  CHECK(to_string(RtpError::bad_csrc_count) == "bad_csrc_count");
  CHECK(to_string(RtpError::bad_extension) == "bad_extension");
  CHECK(to_string(RtpError::bad_padding) == "bad_padding");
}

TEST_CASE("media: rtp RFC 5761 demultiplexing of RTCP") {
  Bytes datagram = fixed_header();
  for (int second : {192, 200, 201, 223}) {
    CAPTURE(second);
    datagram[1] = static_cast<std::uint8_t>(second);
    CHECK(looks_like_rtcp(datagram));
  }
  for (int second : {0, 96, 127, 0x80 | 96, 191, 224, 255}) {
    CAPTURE(second);
    datagram[1] = static_cast<std::uint8_t>(second);
    CHECK_FALSE(looks_like_rtcp(datagram));
  }
  CHECK_FALSE(looks_like_rtcp({}));
  CHECK_FALSE(looks_like_rtcp(bytes({0x80})));
  CHECK(looks_like_rtcp(bytes({0x80, 200})));
}

TEST_CASE("media: rtp write then parse round trips every field") {
  const Bytes extension = bytes({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  const Bytes payload = bytes({0xAA, 0xBB, 0xCC, 0xDD, 0xEE});

  struct Case {
    const char* name;
    bool marker;
    std::uint8_t payload_type;
    std::uint16_t sequence;
    std::uint32_t timestamp;
    std::uint32_t ssrc;
    std::uint8_t csrc_count;
    bool has_extension;
    std::uint8_t padding;
  };
  const Case cases[] = {
      {"plain", false, 0, 0, 0, 0, 0, false, 0},
      {"boundaries", true, 127, 65535, 0xFFFFFFFFu, 0xFFFFFFFFu, 0, false, 0},
      {"csrcs", false, 8, 1, 2, 3, 3, false, 0},
      {"fifteen csrcs", true, 96, 7, 8, 9, 15, false, 0},
      {"extension", false, 101, 300, 400, 500, 0, true, 0},
      {"padding 1", true, 18, 9, 10, 11, 0, false, 1},
      {"padding 255", false, 0, 65535, 1, 2, 0, false, 255},
      {"everything", true, 127, 65535, 0xFFFFFFFFu, 0x80000000u, 15, true, 4},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    RtpHeader h;
    h.marker = c.marker;
    h.payload_type = c.payload_type;
    h.sequence = c.sequence;
    h.timestamp = c.timestamp;
    h.ssrc = c.ssrc;
    h.csrc_count = c.csrc_count;
    for (std::uint32_t i = 0; i < c.csrc_count; ++i) h.csrcs[i] = 0x10203000u + i;
    h.has_extension = c.has_extension;
    if (c.has_extension) {
      h.extension_profile = 0xBEDE;
      h.extension = extension;
    }

    std::array<std::uint8_t, 512> out{};
    const std::size_t written = write_rtp(h, payload, out, c.padding);
    CHECK(written == rtp_header_size(h) + payload.size() + c.padding);
    CHECK(rtp_header_size(h) == 12 + 4u * c.csrc_count + (c.has_extension ? 4 + extension.size() : 0));

    const auto parsed = parse_rtp(std::span(out).first(written));
    REQUIRE(parsed);
    const RtpHeader& p = parsed.packet.header;
    CHECK(p.marker == h.marker);
    CHECK(p.payload_type == h.payload_type);
    CHECK(p.sequence == h.sequence);
    CHECK(p.timestamp == h.timestamp);
    CHECK(p.ssrc == h.ssrc);
    CHECK(p.csrc_count == h.csrc_count);
    CHECK(p.csrcs == h.csrcs);
    CHECK(p.has_extension == h.has_extension);
    CHECK(p.extension_profile == h.extension_profile);
    CHECK(same_bytes(p.extension, h.extension));
    CHECK(parsed.packet.padding == c.padding);
    CHECK(same_bytes(parsed.packet.payload, payload));
    // Bits on the wire: version 2, P exactly when padded.
    CHECK((out[0] >> 6) == 2);
    CHECK(((out[0] & 0x20) != 0) == (c.padding > 0));
  }
}

TEST_CASE("media: rtp write_rtp writes the RFC 3550 layout") {
  RtpHeader h;
  h.marker = true;
  h.payload_type = 8;
  h.sequence = 0xA1B2;
  h.timestamp = 0x01020304;
  h.ssrc = 0xCAFEBABE;
  h.csrc_count = 1;
  h.csrcs[0] = 0x11223344;
  const Bytes payload = bytes({0x42});
  std::array<std::uint8_t, 32> out{};
  out.fill(0xEE);
  REQUIRE(write_rtp(h, payload, out, 2) == 12 + 4 + 1 + 2);
  const Bytes expected = bytes({0xA1, 0x88, 0xA1, 0xB2, 0x01, 0x02, 0x03, 0x04, 0xCA, 0xFE, 0xBA, 0xBE, 0x11,
                                0x22, 0x33, 0x44, 0x42, 0x00, 0x02});
  CHECK(same_bytes(std::span(out).first(expected.size()), expected));
  CHECK(out[expected.size()] == 0xEE);  // nothing written past the packet
}

TEST_CASE("media: rtp write_rtp returns 0 when the buffer is too small") {
  RtpHeader h;
  h.csrc_count = 2;
  const Bytes payload(20, 0x33);
  const std::size_t needed = 12 + 8 + 20 + 5;
  std::vector<std::uint8_t> out(needed);
  CHECK(write_rtp(h, payload, out, 5) == needed);
  CHECK(write_rtp(h, payload, std::span(out).first(needed - 1), 5) == 0);
  CHECK(write_rtp(h, {}, std::span(out).first(11)) == 0);
  CHECK(write_rtp(h, {}, {}) == 0);
}

TEST_CASE("media: rtp write_rtp rejects headers that cannot be serialised") {
  std::array<std::uint8_t, 128> out{};
  RtpHeader h;
  h.payload_type = 128;
  CHECK_CALLSUP_ERROR(write_rtp(h, {}, out), errc::invalid_argument, "128");
  h.payload_type = 255;
  CHECK_CALLSUP_ERROR(write_rtp(h, {}, out), errc::invalid_argument, "255");

  h = RtpHeader{};
  h.csrc_count = 16;
  CHECK_CALLSUP_ERROR(write_rtp(h, {}, out), errc::invalid_argument, "16");

  h = RtpHeader{};
  const Bytes six(6, 1);
  h.has_extension = true;
  h.extension = six;
  CHECK_CALLSUP_ERROR(write_rtp(h, {}, out), errc::invalid_argument, "6 bytes");

  const std::vector<std::uint8_t> huge(4 * 0x10000, 0);  // 65536 words
  h.extension = huge;
  CHECK_CALLSUP_ERROR(write_rtp(h, {}, out), errc::invalid_argument, "262144");

  // Extension data is ignored (and not validated) when the X bit is clear.
  h.has_extension = false;
  h.extension = six;
  CHECK(write_rtp(h, {}, out) == 12);
}

TEST_CASE("media: rtp fixed header fast path matches write_rtp") {
  std::array<std::uint8_t, 12> fast{};
  write_rtp_fixed_header(true, 101, 65535, 0xFFFFFFFFu, 0xDEADBEEF, fast);
  RtpHeader h;
  h.marker = true;
  h.payload_type = 101;
  h.sequence = 65535;
  h.timestamp = 0xFFFFFFFFu;
  h.ssrc = 0xDEADBEEF;
  std::array<std::uint8_t, 12> full{};
  REQUIRE(write_rtp(h, {}, full) == 12);
  CHECK(fast == full);
  CHECK(fast[0] == 0x80);

  write_rtp_fixed_header(false, 0, 1, 2, 3, fast);
  const auto parsed = parse_rtp(fast);
  REQUIRE(parsed);
  CHECK_FALSE(parsed.packet.header.marker);
  CHECK(parsed.packet.header.payload_type == 0);
  CHECK(parsed.packet.header.sequence == 1);
  CHECK(parsed.packet.header.timestamp == 2);
  CHECK(parsed.packet.header.ssrc == 3);
}
