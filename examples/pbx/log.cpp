// callsup-pbx: stderr log lines.
#include "log.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace callsup::pbx {

void log_line(std::string_view area, const std::string& text) {
  static std::mutex mutex;
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char stamp[32];
  std::snprintf(stamp, sizeof stamp, "%02d:%02d:%02d.%03d", utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(millis));
  std::lock_guard lock(mutex);
  std::fprintf(stderr, "%s %.*s: %s\n", stamp, static_cast<int>(area.size()), area.data(), text.c_str());
  std::fflush(stderr);
}

}  // namespace callsup::pbx
