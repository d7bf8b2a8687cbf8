// callsup: RFC 4733 telephone-event payloads (DTMF digits carried as named events).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace callsup {

/// Size of one RFC 4733 §2.3 event block: event, E|R|volume, duration.
inline constexpr std::size_t telephone_event_size = 4;

/// One RFC 4733 §2.3 event block. The R bit is reserved: written as 0, ignored on reading.
struct TelephoneEvent {
  std::uint8_t event = 0;      ///< 0-15 are the DTMF digits; others (16 = flash, ...) are not digits
  bool end = false;            ///< E bit: the event has ended (this is one of its final packets)
  std::uint8_t volume = 0;     ///< 0..63, power level in -dBm0 (only 6 bits are written)
  std::uint16_t duration = 0;  ///< in RTP clock units since the event's RTP timestamp
  /// Member-wise equality.
  friend bool operator==(const TelephoneEvent&, const TelephoneEvent&) = default;
};

/// Why a telephone-event payload was rejected (counted and dropped by the receive path).
enum class TelephoneEventError : std::uint8_t {
  none,        ///< a valid payload
  truncated,   ///< fewer than 4 bytes (an empty payload included)
  bad_length,  ///< not a whole number of 4-byte blocks (RFC 4733 §2.5.1.5 packs whole blocks)
};

/// Stable, lower-case name of a TelephoneEventError ("bad_length").
constexpr std::string_view to_string(TelephoneEventError error) noexcept {
  switch (error) {
  case TelephoneEventError::none: return "none";
  case TelephoneEventError::truncated: return "truncated";
  case TelephoneEventError::bad_length: return "bad_length";
  }
  return "unknown";
}

/// The outcome of parse_telephone_event: `event` is meaningful only when `error` is none.
struct TelephoneEventParse {
  /// Why the payload was rejected; none for a valid one.
  TelephoneEventError error = TelephoneEventError::none;
  /// The parsed event (meaningful when error is none).
  TelephoneEvent event;
  /// True for a valid payload.
  explicit operator bool() const noexcept { return error == TelephoneEventError::none; }
};

/// Parses the first 4-byte block of an RTP payload of type telephone-event. Never throws,
/// never reads outside `payload`.
TelephoneEventParse parse_telephone_event(std::span<const std::uint8_t> payload) noexcept;

/// Writes `event` as one 4-byte block (R bit 0, volume masked to 6 bits).
void write_telephone_event(const TelephoneEvent& event,
                           std::span<std::uint8_t, telephone_event_size> out) noexcept;

/// The DTMF character of an event: 0-9 -> '0'..'9', 10 '*', 11 '#', 12-15 'A'-'D'; nullopt
/// for every other event (flash, tones), which is not a digit.
std::optional<char> event_digit(std::uint8_t event) noexcept;

/// The event number of a DTMF character (inverse of event_digit; 'a'-'d' accepted as 'A'-'D');
/// nullopt for any other character.
std::optional<std::uint8_t> digit_event(char digit) noexcept;

}  // namespace callsup
