// callsup-pbx: the whole PBX: control thread, SIP thread, signals.
#pragma once

#include <string>

#include "config.hpp"

namespace callsup::pbx {

/// Runs the PBX until SIGINT or SIGTERM; SIGUSR1 prints the counters. Returns the exit status.
/// Throws what setting up threw (an address in use, an unwritable audit log, ...).
/// `executable` (the program's path) locates the installed console files.
int run_pbx(const PbxConfig& config, const std::string& executable);

}  // namespace callsup::pbx
