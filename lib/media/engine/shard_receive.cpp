// callsup (internal): Shard, receiving: arming the sockets, draining datagrams in batches, delivering them to
// their legs or forwarding them to the thread that has the leg now.
#include "media/engine/shard.hpp"

#include <pthread.h>
#include <time.h>

#include <algorithm>
#include <future>

#include <unistd.h>

#include "media/engine/shard_support.hpp"

namespace callsup::detail {

void Shard::arm_shared() {
  shared_->async_wait(asio::ip::udp::socket::wait_read, [this](const boost::system::error_code& error) {
    if (error || !running_) return;
    drain(shared_->native_handle(), nullptr);
    arm_shared();
  });
}

void Shard::arm_dedicated() {
  poller_.wait([this](const boost::system::error_code& error) {
    if (error || !running_) return;
    drain_backlog();
    for (const epoll_event& event : poller_.ready()) {
      LegMedia* leg = dedicated_leg(event.data.fd);
      if (leg != nullptr && !drain(event.data.fd, leg) &&
          std::find(backlog_.begin(), backlog_.end(), event.data.fd) == backlog_.end())
        backlog_.push_back(event.data.fd);  // reserved at attach: never allocates
    }
    if (!backlog_.empty()) continue_backlog();
    arm_dedicated();
  });
}

void Shard::drain_backlog() noexcept {
  std::size_t kept = 0;
  for (const int fd : backlog_) {
    LegMedia* leg = dedicated_leg(fd);
    if (leg != nullptr && !drain(fd, leg)) backlog_[kept++] = fd;
  }
  backlog_.resize(kept);
}

void Shard::continue_backlog() noexcept {
  if (backlog_posted_) return;
  try {
    asio::post(executor_, [this] {
      backlog_posted_ = false;
      if (!running_) return;
      drain_backlog();
      if (!backlog_.empty()) continue_backlog();
    });
    backlog_posted_ = true;
  } catch (...) {
    // Out of memory: the backlog waits for the next datagram on any dedicated socket.
  }
}

LegMedia* Shard::dedicated_leg(int fd) const noexcept {
  const auto index = static_cast<std::size_t>(fd);
  return index < dedicated_by_fd_.size() ? dedicated_by_fd_[index] : nullptr;
}

void Shard::watch_dedicated(int fd, LegMedia* leg) {
  if (static_cast<std::size_t>(fd) >= dedicated_by_fd_.size())
    dedicated_by_fd_.resize(static_cast<std::size_t>(fd) + 64, nullptr);
  poller_.add(fd);
  dedicated_by_fd_[static_cast<std::size_t>(fd)] = leg;
}

void Shard::unwatch_dedicated(int fd) noexcept {
  poller_.remove(fd);
  if (static_cast<std::size_t>(fd) < dedicated_by_fd_.size())
    dedicated_by_fd_[static_cast<std::size_t>(fd)] = nullptr;
}

bool Shard::drain(int fd, LegMedia* dedicated) noexcept {
  // Bounded rounds per wake-up, so that a flood cannot delay the clock.
  for (int round = 0; round < 16; ++round) {
    const std::size_t n = receive_.read(fd);
    if (n == 0) return true;
    receive_batches_.add();
    packets_in_.add(n);
    const std::int64_t now = steady_ns();
    for (std::size_t i = 0; i < n; ++i) {
      std::span<std::uint8_t> data = receive_.buffer(i);
      const std::size_t length = receive_.length(i);
      LegMedia* leg = dedicated != nullptr ? dedicated : demultiplex(receive_.source(i), data.first(length));
      if (leg == nullptr) {
        unknown_source_.add();
        continue;
      }
      if (dedicated == nullptr && away_legs_ != 0) {
        auto home = home_legs_.find(leg);
        if (home != home_legs_.end() && home->second.away != nullptr) {
          if (!receive_.truncated(i)) forward(home->second, data.first(length), receive_.source(i), now);
          continue;
        }
      }
      if (receive_.truncated(i)) {
        leg->counters.malformed.add();
        continue;
      }
      deliver(*leg, data, length, receive_.source(i), now);
    }
    flush_relayed();  // before the next read reuses the buffers
    if (!handoffs_pushed_.empty()) wake_handoff_consumers();
    if (n < receive_.capacity()) return true;
  }
  return false;
}

void Shard::deliver(LegMedia& leg, std::span<std::uint8_t> data, std::size_t length,
                    const sockaddr_storage& from, std::int64_t now_ns) noexcept {
  const ReceiveOutcome outcome = leg.receive(data, length, from, now_ns);
  if (outcome.audio && !leg.forward_targets().empty()) relay(leg, data, *outcome.audio, now_ns);
  if (outcome.accepted) {
    const std::int64_t period = period_.count();
    leg.note_arrival(((now_ns - origin_ns_) % period + period) % period, period, now_ns);
  }
  if (outcome.accepted && leg.dedicated_socket() == nullptr && (outcome.relatched || outcome.new_ssrc))
    follow_peer(leg, outcome);
  if (outcome.digit && digits_) {
    try {
      digits_(leg.leg, *outcome.digit);
    } catch (...) {
      // The control queue is full or out of memory: the digit is lost, counted as received.
    }
  }
}

void Shard::forward(const HomeEntry& entry, std::span<const std::uint8_t> data, const sockaddr_storage& from,
                    std::int64_t now_ns) noexcept {
  const std::size_t to = entry.away->index_;
  try {
    if (handoffs_to_.empty()) {
      handoffs_to_.resize(siblings_->size());
      handoffs_pushed_.reserve(siblings_->size());
    }
    if (!handoffs_to_[to]) handoffs_to_[to] = std::make_unique<HandoffRing>(handoff_ring_bytes);
  } catch (...) {
    unknown_source_.add();  // out of memory: dropped
    return;
  }
  // Room after the datagram: it may be forwarded on arrival there with another SRTP trailer.
  const HandoffRing::Record record{entry.media.get(), entry.media->serial, from, now_ns, 0};
  if (!handoffs_to_[to]->push(record, data, srtp_max_trailer)) {
    unknown_source_.add();  // that thread is a megabyte behind: dropped
    return;
  }
  forwarded_packets_.add();
  if (std::find(handoffs_pushed_.begin(), handoffs_pushed_.end(), to) == handoffs_pushed_.end())
    handoffs_pushed_.push_back(to);  // reserved: never allocates
}

void Shard::wake_handoff_consumers() noexcept {
  for (const std::size_t index : handoffs_pushed_) {
    HandoffRing* ring = handoffs_to_[index].get();
    if (!ring->claim_wake_up()) continue;  // woken already, and not started yet
    Shard* to = (*siblings_)[index].get();
    try {
      asio::post(to->executor_, [to, ring] { to->take_handoffs(*ring); });
    } catch (...) {
      ring->cancel_wake_up();  // out of memory: the next batch tries again
    }
  }
  handoffs_pushed_.clear();
}

void Shard::take_handoffs(HandoffRing& ring) noexcept {
  ring.take_all(
      [this](const HandoffRing::Record& record, std::span<std::uint8_t> buffer) {
        auto found = slots_.find(record.leg);
        if (found == slots_.end() || found->second.media->serial != record.leg_serial) {
          unknown_source_.add();  // it moved on or was removed meanwhile
          return;
        }
        deliver(*record.leg, buffer, record.length, record.from, record.arrival_ns);
      },
      [this] { flush_relayed(); });
}

void Shard::mark_calls_of(const LegId& leg) noexcept {
  for (auto& call : calls_) {
    const auto& named = call->named_legs();
    if (std::find(named.begin(), named.end(), leg) != named.end()) call->mark_dirty();
  }
}

}  // namespace callsup::detail
