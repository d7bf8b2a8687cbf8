// callsup: the default audit sink, appending JSON Lines to a file.
#pragma once

#include <string>

#include "callsup/audit/audit_sink.hpp"

namespace callsup {

/// Durability knobs of JsonLinesAuditSink.
struct JsonLinesOptions {
  /// fsync() after every record: survives a power loss or kernel crash, not only a
  /// crash of the process, at the cost of one disk flush per record.
  bool fsync_each_record = false;
};

/// Appends each record as one line of JSON (see to_json_line) to a file. The file is
/// opened in append mode, created (mode 0640) when absent and never truncated, so
/// several sinks and processes may share one log. Each record reaches the kernel in a
/// single write() before write() returns: a crash of the process loses nothing that was
/// acknowledged, and lines shorter than PIPE_BUF are not interleaved with other
/// appenders' lines.
class JsonLinesAuditSink final : public AuditSink {
 public:
  /// Opens `path`; throws Error(io_error) naming the path and the system's reason.
  explicit JsonLinesAuditSink(std::string path, JsonLinesOptions options = {});
  ~JsonLinesAuditSink() override;

  JsonLinesAuditSink(const JsonLinesAuditSink&) = delete;
  JsonLinesAuditSink& operator=(const JsonLinesAuditSink&) = delete;

  /// The file the records are appended to.
  const std::string& path() const noexcept { return path_; }
  /// The options it was opened with.
  const JsonLinesOptions& options() const noexcept { return options_; }

 protected:
  /// Throws Error(io_error) naming the path when the line cannot be written in full.
  void do_write(const AuditRecord& record) override;
  /// fsync(): every line is already in the kernel when write() returns.
  void do_flush() override;

 private:
  void sync();

  std::string path_;
  JsonLinesOptions options_;
  int fd_ = -1;
};

}  // namespace callsup
