// libFuzzer target: dial strings and DTMF digits from untrusted input must never crash,
// leak or throw anything but callsup::Error.
//   clang++ -std=c++20 -fsanitize=fuzzer,address,undefined -I include tests/fuzz/fuzz_dial_parser.cpp
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "callsup/dialplan/clock.hpp"
#include "callsup/dialplan/dial_parser.hpp"
#include "callsup/dialplan/dtmf_switch.hpp"
#include "callsup/dialplan/presets.hpp"

namespace {

const std::vector<callsup::DialParser>& parsers() {
  static const std::vector<callsup::DialParser> all = [] {
    std::vector<callsup::DialParser> out;
    for (const auto& name : callsup::preset_names()) out.emplace_back(callsup::preset(name));
    return out;
  }();
  return all;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  for (const auto& parser : parsers()) {
    try {
      auto request = parser.parse(input);
      // A request must describe what was dialled: the code starts the string, and the
      // extension (if any) is the rest of it.
      if (request) {
        if (!input.starts_with(request->code)) std::abort();
        if (request->any_call != request->target.empty()) std::abort();
        if (!request->any_call && request->code.size() + request->target.size() != input.size()) std::abort();
      }
    } catch (const callsup::Error&) {
    }
  }

  // The first byte picks the preset and the clock step; every further byte is a digit
  // (mostly junk) fed to the switch, interleaved with polls.
  if (size == 0) return 0;
  const auto names = callsup::preset_names();
  callsup::ManualClock clock;
  callsup::DtmfSwitch sw(callsup::preset(names[data[0] % names.size()]), clock);
  const auto step = std::chrono::milliseconds(data[0] * 13);
  for (std::size_t i = 1; i < size; ++i) {
    try {
      auto result = sw.feed(static_cast<char>(data[i]));
      if (result.kind == callsup::DtmfResult::Kind::command && result.digits.empty()) std::abort();
    } catch (const callsup::Error&) {
    }
    if (data[i] & 1) clock.advance(step);
    auto polled = sw.poll();
    if (polled.kind == callsup::DtmfResult::Kind::timed_out && polled.digits.empty()) std::abort();
    if (sw.pending().size() > 3) std::abort();  // no preset code is longer than 3 digits
  }
  return 0;
}
