// callsup-mediabench: the subcommands, each in its own file (generate.cpp, null_relay.cpp,
// callsup_relay.cpp). Each takes its arguments after the subcommand's name and returns the exit code.
#pragma once

#include <string>
#include <vector>

namespace callsup::mediabench {

using Args = std::vector<std::string>;

/// The load generator: plan in, addresses out, keys and targets in, load, one result line out.
int run_generate(const Args& args);
/// recvmmsg + sendmmsg between paired sockets, nothing else.
int run_null_relay(const Args& args);
/// A callsup::MediaEngine relaying two-leg calls.
int run_callsup_relay(const Args& args);

}  // namespace callsup::mediabench
