// callsup: RFC 4733 §2.3 telephone-event blocks and the DTMF digit mapping (§3.2).
#include "callsup/media/telephone_event.hpp"

namespace callsup {
namespace {

constexpr std::string_view event_digits = "0123456789*#ABCD";

}  // namespace

TelephoneEventParse parse_telephone_event(std::span<const std::uint8_t> payload) noexcept {
  TelephoneEventParse result;
  if (payload.size() < telephone_event_size) {
    result.error = TelephoneEventError::truncated;
    return result;
  }
  if (payload.size() % telephone_event_size != 0) {
    result.error = TelephoneEventError::bad_length;
    return result;
  }
  result.event.event = payload[0];
  result.event.end = (payload[1] & 0x80) != 0;
  result.event.volume = payload[1] & 0x3F;  // bit 6 is R: reserved, ignored
  result.event.duration = static_cast<std::uint16_t>(payload[2] << 8 | payload[3]);
  return result;
}

void write_telephone_event(const TelephoneEvent& event,
                           std::span<std::uint8_t, telephone_event_size> out) noexcept {
  out[0] = event.event;
  out[1] = static_cast<std::uint8_t>((event.end ? 0x80 : 0) | (event.volume & 0x3F));
  out[2] = static_cast<std::uint8_t>(event.duration >> 8);
  out[3] = static_cast<std::uint8_t>(event.duration);
}

std::optional<char> event_digit(std::uint8_t event) noexcept {
  if (event >= event_digits.size()) return std::nullopt;
  return event_digits[event];
}

std::optional<std::uint8_t> digit_event(char digit) noexcept {
  if (digit >= 'a' && digit <= 'd') digit = static_cast<char>(digit - 'a' + 'A');
  const auto index = event_digits.find(digit);
  if (index == std::string_view::npos) return std::nullopt;
  return static_cast<std::uint8_t>(index);
}

}  // namespace callsup
