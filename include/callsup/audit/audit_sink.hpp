// callsup: the interface every audit record goes through.
#pragma once

#include <mutex>

#include "callsup/audit/event.hpp"

namespace callsup {

/// Receives every audit record. write() and flush() are thread-safe: they take the
/// sink's lock and call the protected hooks, so implementers write no locking (the
/// spdlog base_sink shape). The service calls write() in sequence order and only after
/// its own locks are released, so a hook may block (disk, network) without stalling
/// the control plane's other callers.
///
/// A hook that throws makes write()/flush() throw the same exception: an audit record
/// that could not be stored must never look acknowledged.
class AuditSink {
 public:
  AuditSink() = default;
  AuditSink(const AuditSink&) = delete;
  AuditSink& operator=(const AuditSink&) = delete;
  virtual ~AuditSink() = default;

  /// Stores one record; when it returns, the record is as durable as the sink promises.
  void write(const AuditRecord& record) {
    std::lock_guard lock(mutex_);
    do_write(record);
  }

  /// Pushes buffered records to their destination (a no-op for unbuffered sinks).
  void flush() {
    std::lock_guard lock(mutex_);
    do_flush();
  }

 protected:
  /// Called with the sink's lock held; never concurrently with itself or do_flush().
  virtual void do_write(const AuditRecord& record) = 0;
  /// Called with the sink's lock held.
  virtual void do_flush() {}

 private:
  std::mutex mutex_;
};

}  // namespace callsup
