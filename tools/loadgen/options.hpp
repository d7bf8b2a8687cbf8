// callsup-loadgen: command-line options.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace callsup::loadgen {

struct Options {
  std::size_t calls = 100;            ///< supervised calls (3 legs each)
  double seconds = 10;                ///< measured time (after the warm-up)
  double warmup_seconds = 2;          ///< before measuring: calls set up, streams settled
  std::size_t threads = 1;            ///< engine threads
  std::size_t phone_threads = 1;      ///< threads simulating the phones
  bool srtp = false;                  ///< AES_CM_128_HMAC_SHA1_80 on every leg
  bool json = false;                  ///< one JSON object on stdout, nothing else
  bool dedicated_sockets = false;     ///< one socket per engine leg instead of shared ones
  bool phone_socket_per_leg = false;  ///< each simulated phone on its own socket (else one per phone thread)
  double mode_cycle_seconds = 3;      ///< each supervisor presses the next mode key this often
  /// Every phone sends at the same instant of the 20 ms period (one burst per period, the worst
  /// case); otherwise each phone has its own offset, as independent phones do.
  bool phones_in_phase = false;
};

/// Parses argv; throws callsup::Error(invalid_argument) naming a bad flag or value.
/// Returns false when --help was asked (usage printed).
bool parse_options(const std::vector<std::string>& args, Options& options);
std::string usage();

}  // namespace callsup::loadgen
