// callsup-hearing: which known voices does a recording hold? The demo's hearing analysis
// (find_source, hearing.hpp) as a command-line tool, for recordings made by anything (real
// softphones in tests/pbx). Prints one JSON object: per voice heard or not, score, delay.
#include <algorithm>
#include <cmath>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "callsup/error.hpp"
#include "hearing.hpp"
#include "wav.hpp"

using namespace callsup;
using namespace callsup::demo;

namespace {

struct Voice {
  std::string name;
  std::string path;
};

struct Options {
  std::vector<Voice> voices;
  std::string recording;
  double from_s = 0;
  std::optional<double> to_s;
  bool help = false;
};

constexpr const char* usage_text = R"(callsup-hearing: which known voices does a recording hold?

usage: callsup-hearing --voice NAME=FILE [--voice NAME=FILE ...] [--from S] [--to S] RECORDING

  --voice NAME=FILE  a voice as its phone plays it: FILE is the loop (16-bit PCM WAV, mono) that
                     the phone plays over and over from its sample 0; repeat for each voice
  --from S, --to S   analyse only seconds S.. of the recording (default: all of it); --to past
                     the recording's end stops at its end (the JSON says where it stopped)
  RECORDING          what a phone heard: 16-bit PCM WAV, mono, at the voices' sample rate

Prints one JSON object: {"recording", "sample_rate", "from_s", "to_s", "threshold",
"voices": {NAME: {"heard", "score", "delay_ms", "speaking_s"}}}, voices in the order given.
score is the share of the voice's speech frames that the recording holds at about unity gain
(heard when >= threshold); delay_ms is where in its loop the voice was found at the window's
first sample; speaking_s is how much speech of the voice the window covers (the evidence;
under about 0.5 s it decides little). Exit 0 after printing, 2 on bad input.
)";

std::string seconds_text(double seconds) {
  std::ostringstream out;
  out << seconds << " s";
  return out.str();
}

double seconds_value(const std::string& flag, const std::string& text) {
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || !std::isfinite(value) || value < 0)
    throw Error(errc::invalid_argument,
                "option " + flag + " needs a number of seconds >= 0, not " + quoted(text));
  return value;
}

Options parse_options(const std::vector<std::string>& args) {
  Options options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= args.size() || args[i + 1].empty())
        throw Error(errc::invalid_argument, "option " + flag + " needs a value");
      return args[++i];
    };
    if (flag == "--voice") {
      const std::string spec = value();
      const auto eq = spec.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size())
        throw Error(errc::invalid_argument, "--voice needs NAME=FILE, not " + quoted(spec));
      Voice voice{spec.substr(0, eq), spec.substr(eq + 1)};
      for (const Voice& other : options.voices)
        if (other.name == voice.name)
          throw Error(errc::invalid_argument, "voice " + quoted(voice.name) + " given twice");
      options.voices.push_back(std::move(voice));
    } else if (flag == "--from") {
      options.from_s = seconds_value(flag, value());
    } else if (flag == "--to") {
      options.to_s = seconds_value(flag, value());
    } else if (flag == "--help" || flag == "-h") {
      options.help = true;
    } else if (!flag.empty() && flag[0] == '-') {
      throw Error(errc::invalid_argument, "unknown option " + quoted(flag) + " (see --help)");
    } else {
      if (!options.recording.empty())
        throw Error(errc::invalid_argument,
                    "one recording at a time: " + quoted(options.recording) + " and " + quoted(flag));
      options.recording = flag;
    }
  }
  if (options.help) return options;
  if (options.voices.empty()) throw Error(errc::invalid_argument, "no --voice NAME=FILE given (see --help)");
  if (options.recording.empty()) throw Error(errc::invalid_argument, "no recording given (see --help)");
  if (options.to_s && *options.to_s <= options.from_s)
    throw Error(errc::invalid_argument, "--to " + seconds_text(*options.to_s) + " is not after --from " +
                                            seconds_text(options.from_s));
  return options;
}

Pcm read_mono(const std::string& path, const std::string& what) {
  Pcm pcm = read_wav(path);
  if (pcm.channels != 1)
    throw Error(errc::invalid_argument, what + " " + quoted(path) + " has " + std::to_string(pcm.channels) +
                                            " channels, expected mono (sox IN -c 1 OUT)");
  return pcm;
}

nlohmann::ordered_json analyse(const Options& options) {
  const Pcm recording = read_mono(options.recording, "recording");
  const int rate = recording.sample_rate;
  const double duration_s = static_cast<double>(recording.samples.size()) / rate;
  const bool empty_whole = recording.samples.empty() && options.from_s == 0;  // hears nobody, not an error
  if (options.from_s >= duration_s && !empty_whole)
    throw Error(errc::invalid_argument, "--from " + seconds_text(options.from_s) +
                                            " is not before the end of " + quoted(options.recording) + " (" +
                                            seconds_text(duration_s) + ")");
  const double to_s = std::min(options.to_s.value_or(duration_s), duration_s);
  const std::size_t size = recording.samples.size();
  const std::size_t first = std::min(size, static_cast<std::size_t>(std::llround(options.from_s * rate)));
  const std::size_t last = std::clamp(static_cast<std::size_t>(std::llround(to_s * rate)), first, size);
  const std::span<const std::int16_t> window(recording.samples.data() + first, last - first);

  nlohmann::ordered_json out;
  out["recording"] = options.recording;
  out["sample_rate"] = rate;
  out["from_s"] = static_cast<double>(first) / rate;
  out["to_s"] = static_cast<double>(last) / rate;
  out["threshold"] = heard_threshold;
  nlohmann::ordered_json voices = nlohmann::ordered_json::object();
  for (const Voice& voice : options.voices) {
    const Pcm loop = read_mono(voice.path, "voice " + quoted(voice.name) + ":");
    if (loop.sample_rate != rate)
      throw Error(errc::invalid_argument, "voice " + quoted(voice.name) + ": " + quoted(voice.path) +
                                              " is at " + std::to_string(loop.sample_rate) +
                                              " Hz, the recording at " + std::to_string(rate) +
                                              " Hz (resample one: sox IN -r RATE OUT)");
    const SourceHearing h = find_source(window, loop.samples, rate);
    voices[voice.name] = {
        {"heard", h.heard}, {"score", h.score}, {"delay_ms", h.delay_ms}, {"speaking_s", h.speaking_s}};
  }
  out["voices"] = std::move(voices);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options options = parse_options(std::vector<std::string>(argv + 1, argv + argc));
    if (options.help) {
      std::cout << usage_text;
      return 0;
    }
    std::cout << analyse(options).dump(2) << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "callsup-hearing: " << e.what() << "\n";
    return 2;
  }
}
