// Tests of RFC 4733 telephone-event payloads and the DTMF digit mapping.
#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "callsup/media/telephone_event.hpp"

using namespace callsup;

namespace callsup {
// Internal linkage: other test files may print this enum their own way.
static doctest::String toString(TelephoneEventError v) { return std::string(to_string(v)).c_str(); }
}  // namespace callsup

TEST_CASE("media: telephone-event all 16 digits map both ways") {
  // RFC 4733 §3.2, Table 7.
  const std::string_view expected = "0123456789*#ABCD";
  for (int event = 0; event < 16; ++event) {
    CAPTURE(event);
    const std::optional<char> digit = event_digit(static_cast<std::uint8_t>(event));
    REQUIRE(digit);
    CHECK(*digit == expected[static_cast<std::size_t>(event)]);
    CHECK(digit_event(*digit) == std::optional<std::uint8_t>(static_cast<std::uint8_t>(event)));
  }
  CHECK(digit_event('a') == std::optional<std::uint8_t>(12));
  CHECK(digit_event('b') == std::optional<std::uint8_t>(13));
  CHECK(digit_event('c') == std::optional<std::uint8_t>(14));
  CHECK(digit_event('d') == std::optional<std::uint8_t>(15));
}

TEST_CASE("media: telephone-event non-digits have no mapping") {
  for (int event : {16, 17, 32, 255}) {
    CAPTURE(event);
    CHECK_FALSE(event_digit(static_cast<std::uint8_t>(event)));
  }
  for (char c : {'E', 'e', '+', ' ', '\0', 'x', '/', ':', '\x80'}) {
    CAPTURE(static_cast<int>(c));
    CHECK_FALSE(digit_event(c));
  }
}

TEST_CASE("media: telephone-event parses the RFC 4733 layout") {
  // Event 5, E=1, R=0, volume 10, duration 0x0320 (800).
  const std::array<std::uint8_t, 4> end_packet{5, 0x8A, 0x03, 0x20};
  auto parsed = parse_telephone_event(end_packet);
  REQUIRE(parsed);
  CHECK(parsed.error == TelephoneEventError::none);
  CHECK(parsed.event == TelephoneEvent{5, true, 10, 800});

  // Event 11 (#), E=0, R=1 (reserved, ignored), volume 63, duration 0 (a valid first packet).
  const std::array<std::uint8_t, 4> first{11, 0x7F, 0x00, 0x00};
  parsed = parse_telephone_event(first);
  REQUIRE(parsed);
  CHECK(parsed.event == TelephoneEvent{11, false, 63, 0});

  // Maximum duration.
  const std::array<std::uint8_t, 4> longest{16, 0x00, 0xFF, 0xFF};
  parsed = parse_telephone_event(longest);
  REQUIRE(parsed);
  CHECK(parsed.event == TelephoneEvent{16, false, 0, 0xFFFF});
}

TEST_CASE("media: telephone-event truncated and bad lengths") {
  const std::array<std::uint8_t, 9> bytes{1, 0x80, 0, 160, 2, 0x80, 0, 160, 0};
  for (std::size_t size = 0; size < 4; ++size) {
    CAPTURE(size);
    const auto parsed = parse_telephone_event(std::span(bytes).first(size));
    CHECK(parsed.error == TelephoneEventError::truncated);
    CHECK_FALSE(parsed);
  }
  for (std::size_t size : {5u, 6u, 7u, 9u}) {
    CAPTURE(size);
    CHECK(parse_telephone_event(std::span(bytes).first(size)).error == TelephoneEventError::bad_length);
  }
  // Several whole blocks (RFC 4733 §2.5.1.5): the first one is returned.
  const auto two = parse_telephone_event(std::span(bytes).first(8));
  REQUIRE(two);
  CHECK(two.event == TelephoneEvent{1, true, 0, 160});

  CHECK(to_string(TelephoneEventError::none) == "none");
  CHECK(to_string(TelephoneEventError::truncated) == "truncated");
  CHECK(to_string(TelephoneEventError::bad_length) == "bad_length");
}

TEST_CASE("media: telephone-event write then parse round trips") {
  for (int event : {0, 9, 15, 16, 255}) {
    for (bool end : {false, true}) {
      for (int volume : {0, 10, 63}) {
        for (int duration : {0, 160, 0x8000, 0xFFFF}) {
          const TelephoneEvent original{static_cast<std::uint8_t>(event), end,
                                        static_cast<std::uint8_t>(volume),
                                        static_cast<std::uint16_t>(duration)};
          std::array<std::uint8_t, 4> out{};
          write_telephone_event(original, out);
          CHECK((out[1] & 0x40) == 0);  // R bit written as 0
          const auto parsed = parse_telephone_event(out);
          REQUIRE(parsed);
          CHECK(parsed.event == original);
        }
      }
    }
  }
}

TEST_CASE("media: telephone-event write masks volume to 6 bits") {
  std::array<std::uint8_t, 4> out{};
  write_telephone_event(TelephoneEvent{3, false, 0xFF, 1}, out);
  CHECK(out == std::array<std::uint8_t, 4>{3, 0x3F, 0x00, 0x01});
  write_telephone_event(TelephoneEvent{12, true, 64, 0x1234}, out);
  CHECK(out == std::array<std::uint8_t, 4>{12, 0x80, 0x12, 0x34});
}
