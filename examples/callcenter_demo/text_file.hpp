// callsup-demo: reading a whole text file, with an error that names it.
#pragma once

#include <string>

namespace callsup::demo {

/// The file's content. Throws Error(io_error) naming `what` and the path when it cannot be read.
std::string read_text_file(const std::string& path, const std::string& what);

}  // namespace callsup::demo
