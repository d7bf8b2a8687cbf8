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

void Shard::arm_dedicated(LegSlot& slot) {
  LegMedia* leg = slot.media.get();
  slot.socket->socket().async_wait(asio::ip::udp::socket::wait_read,
                                   [this, leg](const boost::system::error_code& error) {
                                     if (error || !running_) return;
                                     auto found = slots_.find(leg);
                                     if (found == slots_.end() || !found->second.socket) return;
                                     drain(found->second.socket->fd(), leg);
                                     arm_dedicated(found->second);
                                   });
}

void Shard::drain(int fd, LegMedia* dedicated) noexcept {
  // Bounded rounds per wake-up, so that a flood cannot delay the clock.
  for (int round = 0; round < 16; ++round) {
    const std::size_t n = receive_.read(fd);
    if (n == 0) break;
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
    if (n < receive_.capacity()) break;
  }
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
  try {
    // Room after the datagram: it may be forwarded on arrival there with another SRTP trailer.
    Forwarded packet{std::vector<std::uint8_t>(data.size() + srtp_max_trailer), from, now_ns};
    std::copy(data.begin(), data.end(), packet.data.begin());
    const std::size_t length = data.size();
    Shard* to = entry.away;
    asio::post(to->executor_, [to, media = entry.media, packet = std::move(packet), length]() mutable {
      if (to->slots_.find(media.get()) == to->slots_.end()) {
        to->unknown_source_.add();  // it moved on or was removed meanwhile
        return;
      }
      to->deliver(*media, packet.data, length, packet.from, packet.arrival_ns);
      to->flush_relayed();
    });
    forwarded_packets_.add();
  } catch (...) {
    unknown_source_.add();  // out of memory: dropped
  }
}

void Shard::mark_calls_of(const LegId& leg) noexcept {
  for (auto& call : calls_) {
    const auto& named = call->named_legs();
    if (std::find(named.begin(), named.end(), leg) != named.end()) call->mark_dirty();
  }
}

}  // namespace callsup::detail
