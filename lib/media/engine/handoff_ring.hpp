// callsup (internal): datagrams one engine thread hands to another, without a lock or an allocation.
#pragma once

#include <sys/socket.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>

namespace callsup::detail {

class LegMedia;

/// A shared-socket leg that moved to another thread still has its packets read by its home
/// thread (the peer sends to the home's socket). They are copied into this ring, one per pair of
/// threads: single producer (the home), single consumer (the thread running the leg), records of
/// variable size laid out contiguously, so that the consumer works on them in place (with room
/// for an SRTP trailer after each). The producer wakes the consumer once per batch, not per packet.
class HandoffRing {
 public:
  struct Record {
    LegMedia* leg = nullptr;
    std::uint64_t leg_serial = 0;  ///< tells a leg from a later one at the same address
    sockaddr_storage from{};
    std::int64_t arrival_ns = 0;
    std::uint32_t length = 0;  ///< of the datagram that follows the record
  };

  /// `bytes`: a power of two, at least 64 KiB.
  explicit HandoffRing(std::size_t bytes) : storage_(new std::byte[bytes]), mask_(bytes - 1) {}

  /// Producer: copies `data` in with `room` spare bytes after it; false when the ring is full.
  bool push(const Record& record, std::span<const std::uint8_t> data, std::size_t room) noexcept {
    const std::uint64_t need = record_bytes(data.size() + room);
    const std::uint64_t offset = tail_ & mask_;
    const std::uint64_t to_end = mask_ + 1 - offset;
    const std::uint64_t skip = need > to_end ? to_end : 0;  // records never wrap: skip the end
    if (!fits(skip + need)) return false;
    if (skip != 0) write_size(offset, skip | wrap_flag);
    const std::uint64_t at = (tail_ + skip) & mask_;
    write_size(at, need);
    Record copy = record;
    copy.length = static_cast<std::uint32_t>(data.size());
    std::memcpy(storage_.get() + at + size_bytes, &copy, sizeof copy);
    std::memcpy(storage_.get() + at + size_bytes + sizeof(Record), data.data(), data.size());
    tail_ += skip + need;
    published_.store(tail_, std::memory_order_release);
    return true;
  }

  /// Producer: true when the consumer must be woken (once, until it starts taking).
  bool claim_wake_up() noexcept { return !wake_pending_.exchange(true, std::memory_order_acq_rel); }
  /// Producer: the wake-up claimed could not be sent.
  void cancel_wake_up() noexcept { wake_pending_.store(false, std::memory_order_release); }

  /// Consumer: calls `use(record, buffer)` for every record present (the buffer holds the
  /// datagram and the spare room), then `done()`, then frees their space. Records pushed while
  /// this runs wait for the next wake-up.
  template <typename Use, typename Done>
  void take_all(Use&& use, Done&& done) noexcept {
    wake_pending_.store(false, std::memory_order_release);  // a push from now on wakes again
    const std::uint64_t end = published_.load(std::memory_order_acquire);
    std::uint64_t head = head_.load(std::memory_order_relaxed);
    while (head != end) {
      const std::uint64_t at = head & mask_;
      const std::uint64_t size = read_size(at);
      if ((size & wrap_flag) == 0) {
        Record record;
        std::memcpy(&record, storage_.get() + at + size_bytes, sizeof record);
        std::byte* data = storage_.get() + at + size_bytes + sizeof(Record);
        use(record, std::span<std::uint8_t>(reinterpret_cast<std::uint8_t*>(data),
                                            size - size_bytes - sizeof(Record)));
      }
      head += size & ~wrap_flag;
    }
    done();  // what `use` queued from the records is sent before their space is reused
    head_.store(head, std::memory_order_release);
  }

 private:
  static constexpr std::uint64_t wrap_flag = std::uint64_t{1} << 63;
  static constexpr std::size_t size_bytes = 8;

  static std::uint64_t record_bytes(std::size_t payload) noexcept {
    return (size_bytes + sizeof(Record) + payload + 7) & ~std::uint64_t{7};
  }
  bool fits(std::uint64_t bytes) noexcept {
    if (tail_ + bytes - head_seen_ <= mask_ + 1) return true;
    head_seen_ = head_.load(std::memory_order_acquire);
    return tail_ + bytes - head_seen_ <= mask_ + 1;
  }
  void write_size(std::uint64_t at, std::uint64_t size) noexcept {
    std::memcpy(storage_.get() + at, &size, size_bytes);
  }
  std::uint64_t read_size(std::uint64_t at) const noexcept {
    std::uint64_t size = 0;
    std::memcpy(&size, storage_.get() + at, size_bytes);
    return size;
  }

  std::unique_ptr<std::byte[]> storage_;
  const std::uint64_t mask_;
  std::uint64_t tail_ = 0;       ///< producer's
  std::uint64_t head_seen_ = 0;  ///< producer's last look at head_
  alignas(64) std::atomic<std::uint64_t> published_{0};
  alignas(64) std::atomic<std::uint64_t> head_{0};
  alignas(64) std::atomic<bool> wake_pending_{false};
};

}  // namespace callsup::detail
