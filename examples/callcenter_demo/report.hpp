// callsup-demo: the verdict: who heard whom per phase (measured), against DESIGN.md (expected).
#pragma once

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "call_centre.hpp"
#include "scenario.hpp"

namespace callsup::demo {

/// One listener/source pair in one phase.
struct Cell {
  bool heard = false;     ///< measured from the listener's recording
  bool expected = false;  ///< DESIGN.md, from where everyone stood
  double score = 0;       ///< the measure behind `heard` (hearing.hpp)
  double delay_ms = 0;    ///< the source's delay found in the recording
};

struct PhaseReport {
  PhaseWindow window;
  double measured_from_s = 0;
  double measured_s = 0;  ///< seconds of recording analysed (per listener, the shortest)
  std::map<std::string, std::map<std::string, Cell>> cells;  ///< [listener][source]
  std::vector<std::string> positions;                        ///< where everyone stood (describe())
  std::vector<std::string> problems;                         ///< empty: the phase is as DESIGN.md says
};

struct Report {
  std::vector<std::string> parties;
  std::vector<PhaseReport> phases;
  std::vector<std::string> problems;  ///< outside any phase (SRTP failures...)
  bool ok() const;
};

/// Measures every cell of every phase from the recordings and compares it with DESIGN.md.
Report analyse(const Scenario& scenario, const RunResult& run);

/// The matrices, one per phase, with the scores; mismatches marked.
void print_report(std::ostream& out, const Report& report);

/// OUT/report.json: {"ok", "phases": [{"phase", "heard": {listener: {source: bool}}, "expected",
/// "score", "delay_ms", "start_s", "end_s", "measured_from_s", "positions", "problems"}], "files",
/// "srtp", "plan", "counters"...}.
std::string report_json(const Report& report, const std::map<std::string, std::string>& files,
                        const RunResult& run, bool srtp);

}  // namespace callsup::demo
