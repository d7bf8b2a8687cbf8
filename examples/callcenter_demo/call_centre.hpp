// callsup-demo: the call centre: a PBX's registry and directory, the supervision service,
// the real media engine over loopback UDP, and one simulated phone per party.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "callsup/media/endpoint_stats.hpp"
#include "expected.hpp"
#include "scenario.hpp"
#include "timeline.hpp"

namespace callsup::demo {

struct CentreConfig {
  std::string directory_json;                  ///< the directory document (load_directory_json's shape)
  std::string directory_source = "directory";  ///< names it in errors
  std::string plan;  ///< a preset name to set on every tenant; "" keeps the directory's plans
  bool srtp = true;  ///< SDES-keyed SRTP (AES_CM_128_HMAC_SHA1_80) on every leg
  /// Seconds after a phase's step before it is measured: a digit takes ~0.2 s to arrive and
  /// the new routes' audio one jitter buffer more (each further digit of the step adds 0.16 s).
  double settle_s = 0.6;
  std::vector<std::filesystem::path> voice_dirs;  ///< where a party's voice file is looked for, in order
};

/// What one party's phone played and what it heard.
struct PartyAudio {
  std::string party;
  std::vector<std::int16_t> voice;  ///< the loop it played (8 kHz)
  /// What it received, on the demo clock: sample i is at i / 8000 s after the phones started
  /// (silence before the first packet).
  std::vector<std::int16_t> heard;
  std::uint64_t packets_received = 0, lost = 0, auth_fail = 0;
};

/// One phase as it ran: its window, the measured stretch, and where everyone stood.
struct PhaseRun {
  PhaseWindow window;
  double measured_from_s = 0;
  Positions at_start, at_end;  ///< positions when its measurement starts and ends
  /// Per party: the recorded samples of the measured stretch (its phone's own recording).
  std::map<std::string, std::vector<std::int16_t>> heard;
};

struct RunResult {
  std::vector<PartyAudio> audio;  ///< in scenario order
  std::vector<PhaseRun> phases;
  std::string srtp_suite;  ///< "" when plain RTP
  std::string plan;        ///< the first tenant's plan, for the report
  /// Engine endpoint counters summed over the parties' legs.
  std::uint64_t engine_packets_in = 0, engine_packets_out = 0, engine_auth_fail = 0, engine_dtmf_digits = 0;
};

/// Runs `scenario` in real time (steps at their times), reporting progress to `timeline` and
/// every audit record to `audit_sinks`.
/// Throws Error for a directory, plan or scenario the service refuses, naming the value.
RunResult run_call_centre(const Scenario& scenario, const CentreConfig& config, Timeline& timeline,
                          const std::vector<std::shared_ptr<AuditSink>>& audit_sinks);

}  // namespace callsup::demo
