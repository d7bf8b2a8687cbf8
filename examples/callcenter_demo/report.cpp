// callsup-demo: the verdict per phase, printed and as JSON.
#include "report.hpp"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "hearing.hpp"

namespace callsup::demo {

namespace {

constexpr double min_measured_s = 2.0;  // less audio than this decides nothing reliably (hearing.hpp)

bool is_mode_name(const std::string& name, Mode& mode) {
  const auto parsed = mode_from_string(name);
  if (!parsed) return false;
  mode = *parsed;
  return true;
}

const std::vector<std::int16_t>& voice_of(const RunResult& run, const std::string& party) {
  for (const PartyAudio& audio : run.audio)
    if (audio.party == party) return audio.voice;
  throw Error(errc::invalid_argument, "no audio for party " + quoted(party));
}

PhaseReport analyse_phase(const PhaseRun& phase, const RunResult& run,
                          const std::vector<std::string>& parties) {
  PhaseReport out;
  out.window = phase.window;
  out.measured_from_s = phase.measured_from_s;
  out.measured_s = 1e9;
  const Matrix expected = expected_hearing(phase.at_start);
  for (const auto& [name, position] : phase.at_start) out.positions.push_back(describe(name, position));
  for (const std::string& listener : parties) {
    const std::vector<std::int16_t>& heard = phase.heard.at(listener);
    out.measured_s = std::min(out.measured_s, static_cast<double>(heard.size()) / 8000.0);
    for (const std::string& source : parties) {
      if (source == listener) continue;
      const SourceHearing found = find_source(heard, voice_of(run, source));
      Cell cell{found.heard, expected.at(listener).at(source), found.score, found.delay_ms};
      if (cell.heard != cell.expected)
        out.problems.push_back(listener + (cell.heard ? " heard " : " did not hear ") + source +
                               ", DESIGN.md says it should" + (cell.expected ? "" : " not") + " (score " +
                               std::to_string(cell.score).substr(0, 4) + ")");
      out.cells[listener][source] = cell;
    }
  }
  if (out.measured_s < min_measured_s)
    out.problems.push_back("only " + std::to_string(out.measured_s).substr(0, 4) +
                           " s of audio measured; give the phase more time");
  if (phase.at_start != phase.at_end)
    out.problems.push_back("calls or sessions changed while the phase was measured (see the timeline)");
  Mode mode{};
  if (is_mode_name(phase.window.name, mode)) {
    bool found = false;
    for (const auto& [name, position] : phase.at_start)
      found = found || (!position.supervised_call.empty() && position.mode == mode);
    if (!found)
      out.problems.push_back("no supervisor was in " + phase.window.name +
                             " mode (the timeline says why: a denied attempt, a key the plan lacks...)");
  }
  return out;
}

std::string cell_text(const Cell& cell) {
  char text[48];
  std::snprintf(text, sizeof text, "%s (%.2f)%s", cell.heard ? "yes" : "no ", cell.score,
                cell.heard == cell.expected ? "" : " <-- WRONG");
  return text;
}

}  // namespace

bool Report::ok() const {
  if (!problems.empty()) return false;
  for (const PhaseReport& phase : phases)
    if (!phase.problems.empty()) return false;
  return true;
}

Report analyse(const Scenario& scenario, const RunResult& run) {
  Report report;
  for (const Party& party : scenario.parties) report.parties.push_back(party.name);
  for (const PhaseRun& phase : run.phases) report.phases.push_back(analyse_phase(phase, run, report.parties));
  for (const PartyAudio& audio : run.audio)
    if (audio.auth_fail > 0)
      report.problems.push_back(audio.party + "'s phone rejected " + std::to_string(audio.auth_fail) +
                                " packets failing SRTP authentication");
  if (run.engine_auth_fail > 0)
    report.problems.push_back("the media engine rejected " + std::to_string(run.engine_auth_fail) +
                              " packets failing SRTP authentication");
  return report;
}

void print_report(std::ostream& out, const Report& report) {
  out << "Who heard whom, measured from each phone's recording (score: share of the source found;\n"
         "heard when >= "
      << heard_threshold << "), against DESIGN.md:\n";
  for (const PhaseReport& phase : report.phases) {
    char header[160];
    std::snprintf(header, sizeof header, "\n  phase %-8s  %.1f-%.1f s (measured from %.1f s)  %s\n",
                  phase.window.name.c_str(), phase.window.start_s, phase.window.end_s, phase.measured_from_s,
                  phase.problems.empty() ? "as DESIGN.md says" : "CONTRADICTS DESIGN.md");
    out << header;
    char row[200];
    std::snprintf(row, sizeof row, "    %-12s", "heard by \\ of");
    out << row;
    for (const std::string& source : report.parties) {
      std::snprintf(row, sizeof row, " %-20s", source.c_str());
      out << row;
    }
    out << "\n";
    for (const std::string& listener : report.parties) {
      std::snprintf(row, sizeof row, "    %-12s", listener.c_str());
      out << row;
      for (const std::string& source : report.parties) {
        const std::string text = source == listener ? "-" : cell_text(phase.cells.at(listener).at(source));
        std::snprintf(row, sizeof row, " %-20s", text.c_str());
        out << row;
      }
      out << "\n";
    }
    for (const std::string& problem : phase.problems) out << "    problem: " << problem << "\n";
  }
  for (const std::string& problem : report.problems) out << "\n  problem: " << problem << "\n";
}

std::string report_json(const Report& report, const std::map<std::string, std::string>& files,
                        const RunResult& run, bool srtp) {
  using json = nlohmann::ordered_json;  // keys in the order written: "ok" first
  json document{{"ok", report.ok()},      {"parties", report.parties},
                {"srtp", srtp},           {"srtp_suite", run.srtp_suite},
                {"plan", run.plan},       {"heard_threshold", heard_threshold},
                {"files", files},         {"problems", report.problems},
                {"phases", json::array()}};
  for (const PhaseReport& phase : report.phases) {
    json heard, expected, score, delay;
    for (const auto& [listener, sources] : phase.cells)
      for (const auto& [source, cell] : sources) {
        heard[listener][source] = cell.heard;
        expected[listener][source] = cell.expected;
        score[listener][source] = std::round(cell.score * 1000) / 1000;
        delay[listener][source] = std::round(cell.delay_ms * 10) / 10;
      }
    document["phases"].push_back({{"phase", phase.window.name},
                                  {"ok", phase.problems.empty()},
                                  {"heard", heard},
                                  {"expected", expected},
                                  {"score", score},
                                  {"delay_ms", delay},
                                  {"start_s", phase.window.start_s},
                                  {"end_s", phase.window.end_s},
                                  {"measured_from_s", phase.measured_from_s},
                                  {"measured_s", phase.measured_s},
                                  {"positions", phase.positions},
                                  {"problems", phase.problems}});
  }
  json counters;
  for (const PartyAudio& audio : run.audio)
    counters["phones"][audio.party] = {
        {"packets_received", audio.packets_received}, {"lost", audio.lost}, {"auth_fail", audio.auth_fail}};
  counters["engine"] = {{"packets_in", run.engine_packets_in},
                        {"packets_out", run.engine_packets_out},
                        {"auth_fail", run.engine_auth_fail},
                        {"dtmf_digits", run.engine_dtmf_digits}};
  document["counters"] = counters;
  return document.dump(2);
}

}  // namespace callsup::demo
