// callsup: the JSON Lines audit sink.
#include "callsup/json/json_lines_audit_sink.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>
#include <utility>

#include "callsup/error.hpp"
#include "callsup/json/audit_json.hpp"

namespace callsup {
namespace {

[[noreturn]] void throw_io_error(const std::string& what, const std::string& path, int error) {
  throw Error(errc::io_error,
              "audit log " + quoted(path) + ": " + what + ": " + std::system_category().message(error));
}

}  // namespace

JsonLinesAuditSink::JsonLinesAuditSink(std::string path, JsonLinesOptions options)
    : path_(std::move(path)), options_(options) {
  if (path_.empty()) throw Error(errc::invalid_argument, "audit log path must not be empty");
  // O_APPEND makes every write() land at the current end of file, even with other
  // processes appending to the same log; O_CLOEXEC keeps the descriptor out of the
  // PBX's child processes.
  do {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  } while (fd_ < 0 && errno == EINTR);
  if (fd_ < 0) throw_io_error("cannot open", path_, errno);
}

JsonLinesAuditSink::~JsonLinesAuditSink() {
  // Nothing is buffered in user space, so close() has nothing to lose; an error here
  // could only be reported by throwing from a destructor, which we won't.
  if (fd_ >= 0) ::close(fd_);
}

void JsonLinesAuditSink::do_write(const AuditRecord& record) {
  std::string line = to_json_line(record);
  line += '\n';
  // One write() for the whole line: the kernel appends it atomically with respect to
  // other O_APPEND writers when it is shorter than PIPE_BUF. A partial write (disk
  // full, signal) is finished by further writes rather than leaving half a line.
  const char* data = line.data();
  std::size_t left = line.size();
  while (left > 0) {
    const ssize_t written = ::write(fd_, data, left);
    if (written < 0) {
      if (errno == EINTR) continue;
      throw_io_error("cannot write", path_, errno);
    }
    // write() never returns 0 for a non-empty buffer on a file; if it did, looping
    // would spin forever on a record that is not being stored.
    if (written == 0) throw_io_error("cannot write", path_, EIO);
    data += written;
    left -= static_cast<std::size_t>(written);
  }
  if (options_.fsync_each_record) sync();
}

void JsonLinesAuditSink::do_flush() { sync(); }

void JsonLinesAuditSink::sync() {
  // EINVAL: the path is a pipe or terminal (a container logging to /dev/stdout), which
  // has nothing to sync; the line is already with the reader.
  if (::fsync(fd_) != 0 && errno != EINVAL) throw_io_error("cannot fsync", path_, errno);
}

}  // namespace callsup
