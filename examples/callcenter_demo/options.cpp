// callsup-demo: the command line.
#include "options.hpp"

#include "callsup/error.hpp"

namespace callsup::demo {

Options parse_options(const std::vector<std::string>& args) {
  Options options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= args.size() || args[i + 1].empty())
        throw Error(errc::invalid_argument, "option " + flag + " needs a value");
      return args[++i];
    };
    if (flag == "--out")
      options.out = value();
    else if (flag == "--plan")
      options.plan = value();
    else if (flag == "--config")
      options.config = value();
    else if (flag == "--scenario")
      options.scenario = value();
    else if (flag == "--voices")
      options.voices = value();
    else if (flag == "--no-srtp")
      options.srtp = false;
    else if (flag == "--print-scenario")
      options.print_scenario = true;
    else if (flag == "--print-config")
      options.print_config = true;
    else if (flag == "--help" || flag == "-h")
      options.help = true;
    else
      throw Error(errc::invalid_argument, "unknown option " + quoted(flag) + " (see --help)");
  }
  return options;
}

std::string usage() {
  return R"(callsup-demo: a call centre on loopback that proves who hears whom.

A customer calls agent 744; supervisor 700 of the agent's hunt group dials the listen code
(*90744 with the portaswitch plan), presses the whisper key (1), then the barge key (2); the
customer hangs up. Every party is a phone speaking real speech over RTP (SRTP by default)
through callsup's media engine; each records what it hears. Who heard whom is measured from
those recordings, per phase, and checked against DESIGN.md's table.

usage: callsup-demo [options]
  --out DIR            where the results go (default demo-out): <party>.wav, report.json,
                       waveforms.png, audit.jsonl
  --plan PRESET        feature codes: portaswitch (default), star91, stratus, tronic,
                       asterisk_chanspy, freeswitch_eavesdrop
  --config FILE        your directory (tenants, extensions, groups) as JSON
  --scenario FILE      your own timeline of calls, dials, digits and hangups as JSON
  --voices DIR         look for the parties' voice WAVs (8 kHz mono) here too
  --no-srtp            plain RTP instead of SRTP
  --print-config       print the built-in directory as JSON and exit
  --print-scenario     print the scenario (built-in, in the plan's codes) as JSON and exit
  --help               this text

Exit status: 0 when every cell is as DESIGN.md says, 1 when one is not, 2 for bad input.
See docs/demo.md.
)";
}

}  // namespace callsup::demo
