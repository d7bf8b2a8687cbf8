// libFuzzer target: directory documents and audit lines (read back from files others
// may have written) must never crash, leak or throw anything but callsup::Error.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "callsup/json/audit_json.hpp"
#include "callsup/json/directory_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  try {
    callsup::Directory directory;
    callsup::load_directory_json(directory, input);
  } catch (const callsup::Error&) {
  }
  try {
    const callsup::AuditRecord record = callsup::parse_audit_line(input);
    // What parses must write back to a line that parses to the same record.
    const callsup::AuditRecord again = callsup::parse_audit_line(callsup::to_json_line(record));
    if (callsup::to_json_line(again) != callsup::to_json_line(record)) __builtin_trap();
  } catch (const callsup::Error&) {
  }
  return 0;
}
