// callsup (internal): ASCII-only text helpers for protocol tokens (codec names, SDES fields),
// which are case-insensitive by their RFCs and never locale-dependent.
#pragma once

#include <algorithm>
#include <string_view>

namespace callsup::detail {

constexpr char ascii_upper(char c) noexcept {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

/// Equal but for the case of ASCII letters.
constexpr bool ascii_iequals(std::string_view a, std::string_view b) noexcept {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](char x, char y) { return ascii_upper(x) == ascii_upper(y); });
}

}  // namespace callsup::detail
