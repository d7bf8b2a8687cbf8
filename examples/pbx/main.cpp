// callsup-pbx: command line (--config FILE, --print-config, --check-config FILE).
#include <filesystem>
#include <iostream>
#include <string>

#include "config.hpp"
#include "console/web_password.hpp"
#include "pbx.hpp"

namespace {

constexpr const char* usage =
    "usage: callsup-pbx --config FILE     run the PBX\n"
    "       callsup-pbx --print-config    print a working sample configuration (127.0.0.1)\n"
    "       callsup-pbx --check-config FILE  report every problem of FILE (exit 2 if any)\n"
    "       callsup-pbx --hash-password   read a console password from stdin, print its\n"
    "                                     web_password_hash (Argon2id, libsodium)\n";

int report_problems(const callsup::pbx::ConfigResult& result) {
  for (const auto& problem : result.problems) std::cerr << "callsup-pbx: " << problem << "\n";
  return result.ok() ? 0 : 2;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string option = argc > 1 ? argv[1] : "";
  if (argc == 2 && option == "--print-config") {
    std::cout << callsup::pbx::sample_config_json();
    return 0;
  }
  if (argc == 2 && option == "--hash-password") {
    std::string password;
    if (!std::getline(std::cin, password) || password.empty()) {
      std::cerr << "callsup-pbx: --hash-password reads the password from stdin (one line, not empty)\n";
      return 2;
    }
    if (!password.empty() && password.back() == '\r') password.pop_back();
    std::cout << callsup::pbx::hash_web_password(password) << "\n";
    return 0;
  }
  if (argc == 3 && option == "--check-config") {
    const auto result = callsup::pbx::load_config(argv[2]);
    if (result.ok()) std::cout << argv[2] << ": ok\n";
    return report_problems(result);
  }
  if (argc == 3 && option == "--config") {
    const auto result = callsup::pbx::load_config(argv[2]);
    if (!result.ok()) return report_problems(result);
    try {
      // The console's installed files are found beside the real executable, wherever it was run from.
      std::error_code error;
      const auto self = std::filesystem::read_symlink("/proc/self/exe", error);
      return callsup::pbx::run_pbx(result.config, error ? std::string(argv[0]) : self.string());
    } catch (const std::exception& e) {
      std::cerr << "callsup-pbx: " << e.what() << "\n";
      return 1;
    }
  }
  if (argc == 2 && (option == "--help" || option == "-h")) {
    std::cout << usage;
    return 0;
  }
  std::cerr << usage;
  return 2;
}
