// callsup-pbx: stderr log lines.
#include "log.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace callsup::pbx {

namespace {

std::mutex log_mutex;
int log_fd = STDERR_FILENO;  // guarded by log_mutex

}  // namespace

void set_log_fd(int fd) {
  std::lock_guard lock(log_mutex);
  log_fd = fd;
}

void log_line(std::string_view area, const std::string& text) {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char stamp[32];
  std::snprintf(stamp, sizeof stamp, "%02d:%02d:%02d.%03d ", utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(millis));
  const std::string line = stamp + std::string(area) + ": " + text + "\n";
  std::lock_guard lock(log_mutex);
  for (std::size_t done = 0; done < line.size();) {
    const ssize_t n = write(log_fd, line.data() + done, line.size() - done);
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace callsup::pbx
