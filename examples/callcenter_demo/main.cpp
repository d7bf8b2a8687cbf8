// callsup-demo: a call centre on loopback that proves who hears whom, from the audio itself.
//
// A customer calls agent 744; supervisor 700 dials *90744 (listen), presses 1 (whisper), then
// 2 (barge); the customer hangs up. Every party is a simulated phone speaking recorded speech
// over RTP/SRTP through the real media engine; each records what it hears. Per phase the demo
// measures who heard whom from those recordings and checks it against DESIGN.md's table;
// it writes the recordings, a picture, the audit trail and report.json. See docs/demo.md.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "call_centre.hpp"
#include "callsup/audit/memory_audit_sink.hpp"
#include "callsup/dialplan/presets.hpp"
#include "callsup/json/directory_json.hpp"
#include "callsup/json/json_lines_audit_sink.hpp"
#include "default_directory.hpp"
#include "options.hpp"
#include "report.hpp"
#include "text_file.hpp"
#include "wav.hpp"
#include "waveform_plot.hpp"

namespace fs = std::filesystem;
using namespace callsup;
using namespace callsup::demo;

namespace {

/// The plan the built-in scenario speaks: --plan, else the directory's plan of supervisor 700.
FeatureCodePlan scenario_plan(const Options& options, const std::string& directory_json) {
  if (!options.plan.empty()) return preset(options.plan);
  Directory directory;
  load_directory_json(directory, directory_json);
  const auto supervisor = directory.find_extension("700");
  if (!supervisor || !directory.find_extension("744"))
    throw Error(
        errc::invalid_argument,
        "the built-in scenario needs agent 744 and supervisor 700 in the directory; give a --scenario");
  return preset(directory.tenant(supervisor->tenant)->feature_code_plan);
}

void print_audit(const std::vector<AuditRecord>& records, const fs::path& file) {
  std::cout << "\nAudit trail: " << records.size() << " records (the full JSON lines are in " << file.string()
            << "):\n";
  for (const AuditRecord& r : records) {
    std::cout << "  #" << r.sequence << "  " << to_string(r.kind) << ": supervisor " << r.supervisor;
    if (!r.target.empty()) std::cout << " -> " << r.target;
    if (r.mode) std::cout << ", mode " << to_string(*r.mode);
    std::cout << ", " << (r.allowed ? "allowed" : "denied") << " (" << to_string(r.reason);
    if (!r.rule.empty() && r.rule != to_string(r.reason)) std::cout << ", rule " << r.rule;
    std::cout << ")";
    if (r.end_reason != EndReason::none) std::cout << ", ended: " << to_string(r.end_reason);
    std::cout << ", via " << to_string(r.source) << "\n";
  }
}

WaveformPlot plot_of(const RunResult& run, bool srtp) {
  WaveformPlot plot;
  plot.title = std::string("callsup-demo: what each phone heard (") + (srtp ? "SRTP" : "RTP") + ")";
  for (const PartyAudio& audio : run.audio) plot.tracks.push_back({audio.party + " heard", audio.heard});
  for (const PhaseRun& phase : run.phases)
    plot.phases.push_back({phase.window.name, phase.window.start_s, phase.window.end_s});
  return plot;
}

int run_demo(const Options& options) {
  const std::string directory_json =
      options.config.empty() ? default_directory_json() : read_text_file(options.config, "directory file");
  if (options.print_config) {
    std::cout << directory_json;
    return 0;
  }
  const Scenario scenario = options.scenario.empty()
                                ? default_scenario(scenario_plan(options, directory_json))
                                : load_scenario_file(options.scenario);
  if (options.print_scenario) {
    std::cout << to_json(scenario) << "\n";
    return 0;
  }

  CentreConfig config;
  config.directory_json = directory_json;
  config.directory_source = options.config.empty() ? "the built-in directory" : options.config;
  config.plan = options.plan;
  config.srtp = options.srtp;
  if (!options.voices.empty()) config.voice_dirs.push_back(options.voices);
  if (!options.scenario.empty()) config.voice_dirs.push_back(fs::path(options.scenario).parent_path());
  config.voice_dirs.push_back(CALLSUP_DEMO_VOICES_DIR);

  const fs::path out = options.out;
  fs::create_directories(out);
  const fs::path audit_file = out / "audit.jsonl";
  fs::remove(audit_file);  // the sink appends: a fresh trail per run
  auto audit_memory = std::make_shared<MemoryAuditSink>();
  auto audit_log = std::make_shared<JsonLinesAuditSink>(audit_file.string());

  std::cout << "callsup-demo: a call centre on 127.0.0.1; media engine with 2 threads, "
            << (options.srtp ? "SRTP (AES_CM_128_HMAC_SHA1_80, SDES keys)" : "plain RTP") << ", PCMU 20 ms\n"
            << "  parties:";
  for (const Party& party : scenario.parties)
    std::cout << " " << party.name << " (" << (party.extension.empty() ? party.number : party.extension)
              << ")";
  std::cout << "\n  running the scenario in real time (" << scenario.duration_s() << " s):\n";
  Timeline timeline(std::chrono::steady_clock::now(), &std::cout);
  const RunResult run = run_call_centre(scenario, config, timeline, {audit_memory, audit_log});
  audit_log->flush();

  std::cout << "\nTimeline (steps and service events):\n";
  for (const Timeline::Entry& entry : timeline.entries())
    if (entry.kind != "note") std::cout << format_entry(entry) << "\n";
  print_audit(audit_memory->records(), audit_file);

  std::cout << "\nAnalysing the recordings...\n";
  const Report report = analyse(scenario, run);
  std::map<std::string, std::string> files{{"audit", "audit.jsonl"}, {"picture", "waveforms.png"}};
  for (const PartyAudio& audio : run.audio) {
    write_wav((out / (audio.party + ".wav")).string(), audio.heard, 8000);
    files[audio.party] = audio.party + ".wav";
  }
  write_waveform_png((out / "waveforms.png").string(), plot_of(run, options.srtp));
  {
    std::ofstream json(out / "report.json");
    json << report_json(report, files, run, options.srtp) << "\n";
    if (!json) throw Error(errc::io_error, "cannot write " + quoted((out / "report.json").string()));
  }
  std::cout << "\n";
  print_report(std::cout, report);

  std::cout << "\nFiles in " << out.string() << "/:";
  for (const PartyAudio& audio : run.audio) std::cout << " " << audio.party << ".wav";
  std::cout << " (what each phone heard), waveforms.png, report.json, audit.jsonl\n";
  if (report.ok()) {
    std::cout << "\nResult: every cell is as DESIGN.md says.\n";
    return 0;
  }
  std::size_t wrong_cells = 0;
  for (const PhaseReport& phase : report.phases)
    for (const auto& [listener, sources] : phase.cells)
      for (const auto& [source, cell] : sources) wrong_cells += cell.heard != cell.expected ? 1 : 0;
  if (wrong_cells > 0)
    std::cout << "\nResult: FAILED: " << wrong_cells
              << " cell(s) of what the phones heard contradict DESIGN.md.\n";
  else
    std::cout << "\nResult: FAILED: the audio is as DESIGN.md says, but the run did not go as its phases say "
                 "(problems above).\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options options = parse_options(std::vector<std::string>(argv + 1, argv + argc));
    if (options.help) {
      std::cout << usage();
      return 0;
    }
    return run_demo(options);
  } catch (const Error& e) {
    std::cerr << "callsup-demo: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "callsup-demo: " << e.what() << "\n";
    return 2;
  }
}
