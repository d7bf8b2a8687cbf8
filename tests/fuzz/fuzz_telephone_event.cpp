// libFuzzer target: RFC 4733 telephone-event payloads and the DtmfReceiver fed with arbitrary
// packet streams. The input is split into 8-byte records:
//   byte 0     SSRC selector (low 2 bits: one of 4 SSRCs; bits 2-3: payload length 4, 3, 8, 5)
//   bytes 1-3  signed 24-bit timestamp step of that SSRC (0 repeats the event's timestamp)
//   bytes 4-7  the event block
// Checked: every packet parsed as valid is counted once as a digit or as ignored, digits are
// only ever the 16 DTMF characters of the packet's own event, and write/parse round trips.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <string_view>

#include "callsup/media/dtmf_receiver.hpp"
#include "callsup/media/telephone_event.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr std::size_t record = 8;
  constexpr std::array<std::uint32_t, 4> ssrcs = {0x1, 0x2, 0xDEADBEEF, 0xFFFFFFFF};
  constexpr std::array<std::size_t, 4> lengths = {4, 3, 8, 5};
  constexpr std::string_view valid_digits = "0123456789*#ABCD";

  // The whole input as a payload too: arbitrary lengths, never read outside.
  (void)callsup::parse_telephone_event(std::span(data, size));

  callsup::DtmfReceiver receiver;
  std::array<std::uint32_t, 4> timestamps = {0, 0x7FFFFFFF, 0xFFFFF000, 12345};
  std::uint64_t valid = 0;
  for (std::size_t offset = 0; offset + record <= size; offset += record) {
    const std::uint8_t* r = data + offset;
    const std::size_t which = r[0] & 3;
    const std::int32_t step =
        static_cast<std::int32_t>((std::uint32_t{r[1]} << 16 | std::uint32_t{r[2]} << 8 | r[3]) << 8) >>
        8;  // sign-extend 24 bits
    timestamps[which] += static_cast<std::uint32_t>(step);

    // A payload of the chosen length: the block, padded with the next record's bytes.
    std::array<std::uint8_t, 8> payload{};
    for (std::size_t i = 0; i < payload.size(); ++i)
      payload[i] = offset + 4 + i < size ? data[offset + 4 + i] : 0;
    const auto parsed = callsup::parse_telephone_event(std::span(payload).first(lengths[(r[0] >> 2) & 3]));
    if (!parsed) {
      if (parsed.error == callsup::TelephoneEventError::none) std::abort();
      continue;
    }

    std::array<std::uint8_t, 4> written{};
    callsup::write_telephone_event(parsed.event, written);
    const auto again = callsup::parse_telephone_event(written);
    if (!again || again.event != parsed.event) std::abort();

    ++valid;
    const std::optional<char> digit = receiver.on_packet(ssrcs[which], timestamps[which], parsed.event);
    if (digit) {
      if (valid_digits.find(*digit) == std::string_view::npos) std::abort();
      if (callsup::event_digit(parsed.event.event) != digit) std::abort();
      if (callsup::digit_event(*digit) != parsed.event.event) std::abort();
    }
    if (receiver.digits() + receiver.ignored() != valid) std::abort();
  }
  if (receiver.digits() + receiver.ignored() != valid) std::abort();
  return 0;
}
