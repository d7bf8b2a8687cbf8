// libFuzzer target: SDES a=crypto lines from untrusted SDP must never crash or throw anything
// but callsup::Error; whatever parses must format and parse back to the same fields.
//   cmake --preset fuzz -B build/fuzz && cmake --build build/fuzz --target fuzz_sdes
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "callsup/error.hpp"
#include "callsup/media/sdes.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  callsup::SdesCrypto parsed;
  try {
    parsed = callsup::parse_sdes_crypto(input);
  } catch (const callsup::Error&) {
    return 0;  // rejected: fine, as long as it is a callsup::Error
  }
  // Anything the parser accepts is well-formed: format() must not reject it, and the text
  // it writes must parse to exactly the same fields.
  std::string formatted;
  try {
    formatted = callsup::format_sdes_crypto(parsed);
  } catch (const callsup::Error&) {
    std::abort();
  }
  if (!(callsup::parse_sdes_crypto(formatted) == parsed)) std::abort();
  if (callsup::format_sdes_crypto(callsup::parse_sdes_crypto(formatted)) != formatted) std::abort();
  // Keys from any accepted line either convert or are refused with a callsup::Error.
  try {
    const callsup::SrtpKeyMaterial keys = callsup::key_material(parsed);
    if (keys.master_key != parsed.master_key || keys.master_salt != parsed.master_salt) std::abort();
    if (keys.mki.size() != parsed.mki_length) std::abort();
  } catch (const callsup::Error&) {
  }
  return 0;
}
