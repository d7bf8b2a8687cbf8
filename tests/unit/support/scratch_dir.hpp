// Test support: a fresh directory for a test's files, removed with them.
#pragma once

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <system_error>

namespace callsup::testing {

/// A new empty directory under the system temp dir, unique across the processes that run tests
/// in parallel (pid and a counter in its name), removed with everything in it when the
/// ScratchDir goes. `prefix` starts its name, to tell whose it is if one is left behind.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& prefix = "callsup-test") {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            (prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::filesystem::path& path() const noexcept { return path_; }
  /// The path of `name` in the directory ("" gives the directory itself, with a trailing '/').
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace callsup::testing
