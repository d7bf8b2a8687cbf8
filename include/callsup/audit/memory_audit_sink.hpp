// callsup: an audit sink that keeps its records in memory (tests, small tools).
#pragma once

#include <cstddef>
#include <mutex>
#include <vector>

#include "callsup/audit/audit_sink.hpp"

namespace callsup {

/// Keeps every record it is given, in order. All accessors are thread-safe and return
/// copies, so a reader never sees a record half-written by another thread.
class MemoryAuditSink final : public AuditSink {
 public:
  /// A copy of the records written so far, in write order.
  std::vector<AuditRecord> records() const {
    std::lock_guard lock(records_mutex_);
    return records_;
  }

  /// The records of one kind, in write order.
  std::vector<AuditRecord> of_kind(EventKind kind) const {
    std::lock_guard lock(records_mutex_);
    std::vector<AuditRecord> out;
    for (const auto& record : records_)
      if (record.kind == kind) out.push_back(record);
    return out;
  }

  /// How many records it holds.
  std::size_t size() const {
    std::lock_guard lock(records_mutex_);
    return records_.size();
  }

  /// Forgets every record held so far.
  void clear() {
    std::lock_guard lock(records_mutex_);
    records_.clear();
  }

 protected:
  void do_write(const AuditRecord& record) override {
    // The base class lock serialises writers; readers (records(), size()) don't take it,
    // so the vector needs its own lock.
    std::lock_guard lock(records_mutex_);
    records_.push_back(record);
  }

 private:
  mutable std::mutex records_mutex_;
  std::vector<AuditRecord> records_;
};

}  // namespace callsup
