// callsup-demo: reading a whole text file.
#include "text_file.hpp"

#include <fstream>
#include <sstream>

#include "callsup/error.hpp"

namespace callsup::demo {

std::string read_text_file(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(errc::io_error, "cannot read " + what + " " + quoted(path));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace callsup::demo
