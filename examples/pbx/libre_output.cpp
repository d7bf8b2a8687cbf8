// callsup-pbx: stderr through a pipe, libre's decode errors counted.
#include "libre_output.hpp"

#include <pthread.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "log.hpp"

namespace callsup::pbx {

namespace {

void write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

void LibreOutput::start() {
  int ends[2];
  if (pipe(ends) != 0) return;
  std::fflush(stderr);
  saved_stderr_ = dup(STDERR_FILENO);
  if (saved_stderr_ < 0 || dup2(ends[1], STDERR_FILENO) < 0) {
    close(ends[0]);
    close(ends[1]);
    return;
  }
  close(ends[1]);
  set_log_fd(saved_stderr_);  // our lines bypass the pipe: only libre's output goes through it
  reader_ = std::thread([this, from = ends[0]] { read_lines(from); });
}

void LibreOutput::read_lines(int from) {
  pthread_setname_np(pthread_self(), "callsup-stderr");
  std::string pending;
  char buffer[4096];
  for (;;) {
    const ssize_t n = read(from, buffer, sizeof buffer);
    if (n <= 0) break;
    pending.append(buffer, static_cast<std::size_t>(n));
    std::size_t end;
    while ((end = pending.find('\n')) != std::string::npos) {
      const std::string line = pending.substr(0, end + 1);
      pending.erase(0, end + 1);
      const auto at = line.find("msg decode err: ");
      if (at == std::string::npos) {
        write_all(saved_stderr_, line);
        continue;
      }
      ++counters_.sip_packets_in;
      const auto count = ++counters_.sip_malformed;
      if (count <= 10 || count % 1000 == 0) {
        const std::string why = line.substr(at + 16, line.size() - at - 17);
        security_.report({"", "malformed_sip", std::to_string(count) + " so far; libre: " + why},
                         "malformed SIP dropped (" + std::to_string(count) + " so far; libre: " + why + ")");
      }
    }
  }
  write_all(saved_stderr_, pending);
  close(from);
}

void LibreOutput::stop() {
  if (!reader_.joinable()) return;
  std::fflush(stderr);
  dup2(saved_stderr_, STDERR_FILENO);  // closes the pipe's last write end: the reader sees EOF
  set_log_fd(STDERR_FILENO);           // before saved_stderr_ is closed below
  reader_.join();
  close(saved_stderr_);
  saved_stderr_ = -1;
}

}  // namespace callsup::pbx
