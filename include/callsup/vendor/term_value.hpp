// callsup: reading the values vendor terms are written with ("yes", "on", "listen").
#pragma once

#include <string>
#include <string_view>

#include "callsup/error.hpp"

namespace callsup::vendor {

/// A vendor switch's value: yes/no, true/false, on/off, 1/0 (any case). Throws
/// Error(invalid_argument) naming the term and the value.
inline bool parse_switch(std::string_view term, std::string_view value) {
  std::string lower(value);
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  if (lower == "yes" || lower == "true" || lower == "on" || lower == "1") return true;
  if (lower == "no" || lower == "false" || lower == "off" || lower == "0") return false;
  throw Error(errc::invalid_argument,
              std::string(term) + " is " + quoted(value) + ", expected yes or no (true/false, on/off, 1/0)");
}

}  // namespace callsup::vendor
