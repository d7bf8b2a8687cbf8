// callsup-loadgen: command-line parsing.
#include "options.hpp"

#include <charconv>
#include <iostream>

#include "callsup/error.hpp"

namespace callsup::loadgen {
namespace {

template <typename T>
T number(const std::string& flag, const std::string& text, T min, T max) {
  T value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || value < min || value > max)
    throw Error(errc::invalid_argument, flag + ": bad value " + quoted(text) + " (expected " +
                                            std::to_string(min) + ".." + std::to_string(max) + ")");
  return value;
}

}  // namespace

std::string usage() {
  return "usage: callsup-loadgen [--calls N] [--seconds T] [--threads K] [--srtp] [--json]\n"
         "                       [--phone-threads P] [--phone-sockets shared|per-leg] [--warmup S]\n"
         "                       [--mode-cycle S] [--dedicated-sockets] [--in-phase]\n"
         "Runs N supervised calls (customer, agent and supervisor legs) through a MediaEngine with K\n"
         "threads over loopback UDP for T seconds; phones are simulated by P threads; supervisors\n"
         "cycle listen -> whisper -> barge by RFC 4733 DTMF. Each phone sends at its own offset in\n"
         "the 20 ms period, as independent phones do; --in-phase makes them all send at once (one\n"
         "burst per period). --json prints one JSON object.\n";
}

bool parse_options(const std::vector<std::string>& args, Options& options) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    auto value = [&]() -> const std::string& {
      if (i + 1 >= args.size()) throw Error(errc::invalid_argument, flag + ": missing value");
      return args[++i];
    };
    if (flag == "--help" || flag == "-h") {
      std::cout << usage();
      return false;
    } else if (flag == "--calls") {
      options.calls = number<std::size_t>(flag, value(), 1, 20000);
    } else if (flag == "--seconds") {
      options.seconds = number<double>(flag, value(), 0.5, 86400);
    } else if (flag == "--warmup") {
      options.warmup_seconds = number<double>(flag, value(), 0, 600);
    } else if (flag == "--threads") {
      options.threads = number<std::size_t>(flag, value(), 1, 256);
    } else if (flag == "--phone-threads") {
      options.phone_threads = number<std::size_t>(flag, value(), 1, 64);
    } else if (flag == "--mode-cycle") {
      options.mode_cycle_seconds = number<double>(flag, value(), 0.5, 3600);
    } else if (flag == "--srtp") {
      options.srtp = true;
    } else if (flag == "--json") {
      options.json = true;
    } else if (flag == "--in-phase") {
      options.phones_in_phase = true;
    } else if (flag == "--dedicated-sockets") {
      options.dedicated_sockets = true;
    } else if (flag == "--phone-sockets") {
      const std::string& mode = value();
      if (mode != "shared" && mode != "per-leg")
        throw Error(errc::invalid_argument, "--phone-sockets: " + quoted(mode) + " is not shared or per-leg");
      options.phone_socket_per_leg = mode == "per-leg";
    } else {
      throw Error(errc::invalid_argument, "unknown option " + quoted(flag) + "\n" + usage());
    }
  }
  return true;
}

}  // namespace callsup::loadgen
