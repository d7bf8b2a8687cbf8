// callsup-loadgen: turning two snapshots into the report.
#pragma once

#include <nlohmann/json.hpp>

#include "options.hpp"
#include "scenario.hpp"

namespace callsup::loadgen {

/// The measured window between `start` and `end` as the JSON report (keys documented in
/// docs/performance.md); `rss_before_calls`: the process's RSS before the calls were set up.
nlohmann::json report(const Options& options, const Snapshot& start, const Snapshot& end,
                      std::uint64_t rss_before_calls);
/// One progress line (no newline).
std::string progress_line(const Options& options, const Snapshot& start, const Snapshot& now,
                          const Snapshot& previous);

}  // namespace callsup::loadgen
