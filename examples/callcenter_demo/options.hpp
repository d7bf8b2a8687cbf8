// callsup-demo: the command line.
#pragma once

#include <string>
#include <vector>

namespace callsup::demo {

struct Options {
  std::string out = "demo-out";  ///< where the WAVs, report.json, waveforms.png and audit.jsonl go
  std::string plan;              ///< a feature-code plan preset for every tenant ("" = the directory's)
  std::string config;            ///< a directory JSON file ("" = the built-in call centre)
  std::string scenario;          ///< a scenario JSON file ("" = the built-in story in the plan's codes)
  std::string voices;            ///< an extra directory to look for voice WAVs in
  bool srtp = true;
  bool print_scenario = false;  ///< print the scenario as JSON and exit (a start for your own)
  bool print_config = false;    ///< print the directory as JSON and exit
  bool help = false;
};

/// Parses argv[1..]. Throws Error(invalid_argument) naming an unknown option or a missing value.
Options parse_options(const std::vector<std::string>& args);

/// The --help text.
std::string usage();

}  // namespace callsup::demo
