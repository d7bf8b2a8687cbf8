// callsup-mediabench: entry point; picks the subcommand (scripts/bench-media runs them).
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>

#include "subcommands.hpp"

using namespace callsup::mediabench;

namespace {

constexpr const char* usage =
    "usage: callsup-mediabench generate [PLAN.json]          (plan from stdin when no file)\n"
    "       callsup-mediabench null-relay                    (config line on stdin)\n"
    "       callsup-mediabench callsup-relay [--dedicated-sockets] [--stats FILE]\n"
    "The JSON lines each reads and writes are described at the top of its source file.\n";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << usage;
    return 2;
  }
  const std::string command = argv[1];
  const Args args(argv + 2, argv + argc);
  try {
    if (command == "generate") return run_generate(args);
    if (command == "null-relay") return run_null_relay(args);
    if (command == "callsup-relay") return run_callsup_relay(args);
    if (command == "--help" || command == "-h") {
      std::cout << usage;
      return 0;
    }
    std::cerr << "callsup-mediabench: unknown subcommand '" << command << "'\n" << usage;
    return 2;
  } catch (const std::exception& error) {
    std::cerr << "callsup-mediabench " << command << ": " << error.what() << "\n";
    return 1;
  }
}
