// callsup-loadgen: how many supervised calls the media engine carries in real time.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <thread>

#include "callsup/error.hpp"
#include "options.hpp"
#include "report.hpp"
#include "scenario.hpp"

using namespace callsup;
using namespace callsup::loadgen;

int main(int argc, char** argv) {
  Options options;
  try {
    if (!parse_options({argv + 1, argv + argc}, options)) return 0;
  } catch (const Error& error) {
    std::cerr << "callsup-loadgen: " << error.what() << "\n";
    return 2;
  }
  try {
    Scenario scenario(options);
    if (!options.json) std::cerr << "callsup-loadgen: " << options.calls << " calls set up; warming up\n";
    scenario.start();
    const auto begin = std::chrono::steady_clock::now();
    auto elapsed = [&] {
      return std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    };
    while (elapsed() < options.warmup_seconds) {
      scenario.press_keys(elapsed());
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    scenario.engine().reset_percentiles();
    const Snapshot start = scenario.snapshot();
    Snapshot previous = start;
    auto next_progress = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    while (elapsed() < options.warmup_seconds + options.seconds) {
      scenario.press_keys(elapsed());
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      if (!options.json && std::chrono::steady_clock::now() >= next_progress) {
        const Snapshot now = scenario.snapshot();
        std::cerr << "\r" << progress_line(options, start, now, previous) << std::flush;
        previous = now;
        next_progress += std::chrono::seconds(1);
      }
    }
    const Snapshot end = scenario.snapshot();
    // The report goes out before the teardown, which can take long after an overload: a phone
    // thread that fell behind catches up its missed ticks before it stops.
    const auto result = report(options, start, end, scenario.rss_bytes_before_calls());
    if (options.json) {
      std::cout << result.dump() << std::endl;
    } else {
      std::cerr << "\n";
      std::cout << result.dump(2) << std::endl;
    }
    scenario.stop();
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "callsup-loadgen: " << error.what() << "\n";
    return 1;
  }
}
