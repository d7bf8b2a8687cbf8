// callsup-pbx: reads what libre prints to stderr, to count the SIP it drops as malformed.
#pragma once

#include <thread>

#include "counters.hpp"
#include "security_reporter.hpp"

namespace callsup::pbx {

/// libre 1.1.0 drops SIP it cannot decode with no callback, only a line on stderr ("sip: msg
/// decode err: ..."). So the PBX routes its own stderr through a pipe: this thread counts those
/// lines (sip_malformed, logged as security events) and passes every other line on unchanged.
class LibreOutput {
 public:
  LibreOutput(Counters& counters, SecurityReporter& security) : counters_(counters), security_(security) {}
  ~LibreOutput() { stop(); }
  LibreOutput(const LibreOutput&) = delete;
  LibreOutput& operator=(const LibreOutput&) = delete;

  /// Puts the pipe in place of stderr. Without a pipe (an error), stderr stays as it was.
  void start();
  /// Restores stderr and waits for the reader to pass on what was left. Idempotent.
  void stop();

 private:
  void read_lines(int from);

  Counters& counters_;
  SecurityReporter& security_;
  int saved_stderr_ = -1;
  std::thread reader_;
};

}  // namespace callsup::pbx
