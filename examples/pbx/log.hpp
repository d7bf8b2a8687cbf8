// callsup-pbx: one line per event to stderr ("HH:MM:SS.mmm area: text"), from any thread.
#pragma once

#include <string>
#include <string_view>

namespace callsup::pbx {

/// Writes one whole line (never interleaved with another thread's) to the log: stderr, or the
/// descriptor set_log_fd names.
void log_line(std::string_view area, const std::string& text);
/// Where log lines go from now on. LibreOutput points it at the real stderr while libre's stderr
/// is a pipe: a log line sent through that pipe could land in the middle of a libre line that
/// libre writes in pieces (and be swallowed as part of it), and the pipe's reader would write
/// into its own pipe.
void set_log_fd(int fd);

}  // namespace callsup::pbx
