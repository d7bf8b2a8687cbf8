// callsup-pbx: one line per event to stderr ("HH:MM:SS.mmm area: text"), from any thread.
#pragma once

#include <string>
#include <string_view>

namespace callsup::pbx {

/// Writes one whole line (never interleaved with another thread's).
void log_line(std::string_view area, const std::string& text);

}  // namespace callsup::pbx
