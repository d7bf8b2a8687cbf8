// Benchmarks of the dial plan: DialParser::parse (target <= 200 ns) and DtmfSwitch::feed.
// See docs/performance.md for the numbers and commands.
//
// Standalone:
//   g++ -std=c++20 -O2 -DNDEBUG -I include tests/bench/bench_dialplan.cpp
//       -lbenchmark -lbenchmark_main -lpthread -o /tmp/bd

#include <benchmark/benchmark.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "callsup/dialplan/clock.hpp"
#include "callsup/dialplan/dial_parser.hpp"
#include "callsup/dialplan/dtmf_switch.hpp"
#include "callsup/dialplan/presets.hpp"

namespace {

using namespace callsup;

/// Parses `dialled` with `parser` in a loop; fails the benchmark unless the result is `expected`.
void run_parse(benchmark::State& state, const DialParser& parser, std::string_view dialled,
               const std::optional<DialRequest>& expected) {
  if (parser.parse(dialled) != expected) {
    state.SkipWithError(("unexpected parse of " + std::string(dialled)).c_str());
    return;
  }
  for (auto _ : state) {
    std::string_view input = dialled;
    benchmark::DoNotOptimize(input);  // the parser must not see a compile-time constant
    auto request = parser.parse(input);
    benchmark::DoNotOptimize(request);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

// PortaSwitch: "*90744" -> listen to 744 (three dial codes tried, longest match wins).
void BM_DialParse_Portaswitch(benchmark::State& state) {
  static const DialParser parser(portaswitch_plan());
  run_parse(state, parser, "*90744", DialRequest{Mode::listen, "744", false, "*90"});
}
BENCHMARK(BM_DialParse_Portaswitch);

// Tronic: bare "*95" is the spy-all code (listen to any call).
void BM_DialParse_Tronic_SpyAll(benchmark::State& state) {
  static const DialParser parser(tronic_plan());
  run_parse(state, parser, "*95", DialRequest{Mode::listen, "", true, "*95"});
}
BENCHMARK(BM_DialParse_Tronic_SpyAll);

// An ordinary number: not a supervision code (the common case for a PBX's dial plan).
void BM_DialParse_NotOurs(benchmark::State& state) {
  static const DialParser parser(portaswitch_plan());
  run_parse(state, parser, "5551234", std::nullopt);
}
BENCHMARK(BM_DialParse_NotOurs);

// Stratus: the multi-digit DTMF code "*81" (switch to whisper), fed one digit at a time.
// One iteration = three feed() calls (pending, pending, command); items = digits.
void BM_DtmfSwitch_Feed(benchmark::State& state) {
  const ManualClock clock;  // fixed time: no inter-digit timeout fires, runs are repeatable
  DtmfSwitch dtmf(stratus_plan(), clock);
  const DtmfResult first = dtmf.feed('*');
  const DtmfResult second = dtmf.feed('8');
  const DtmfResult third = dtmf.feed('1');
  if (first.kind != DtmfResult::Kind::pending || second.kind != DtmfResult::Kind::pending ||
      third.kind != DtmfResult::Kind::command || third.command != DtmfCommand::switch_to(Mode::whisper)) {
    state.SkipWithError("stratus *81 did not switch to whisper");
    return;
  }
  for (auto _ : state) {
    for (char digit : {'*', '8', '1'}) {
      benchmark::DoNotOptimize(digit);
      DtmfResult result = dtmf.feed(digit);
      benchmark::DoNotOptimize(result);
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * 3);
}
BENCHMARK(BM_DtmfSwitch_Feed);

}  // namespace
