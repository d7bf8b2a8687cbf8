// callsup (internal): one engine thread: receive, demultiplex, tick, send.
#include "media/engine/shard.hpp"

#include <pthread.h>
#include <time.h>

#include <algorithm>
#include <future>

namespace callsup::detail {
namespace {

std::int64_t steady_ns() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::uint32_t read_u32(const std::uint8_t* p) noexcept {
  return static_cast<std::uint32_t>(p[0]) << 24 | static_cast<std::uint32_t>(p[1]) << 16 |
         static_cast<std::uint32_t>(p[2]) << 8 | p[3];
}

double cpu_seconds_of(clockid_t clock) noexcept {
  timespec ts{};
  if (::clock_gettime(clock, &ts) != 0) return 0;
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

template <typename Map, typename Key>
void erase_from(Map& map, const Key& key, LegMedia* leg) {
  auto found = map.find(key);
  if (found == map.end()) return;
  auto& legs = found->second;
  legs.erase(std::remove(legs.begin(), legs.end(), leg), legs.end());
  if (legs.empty()) map.erase(found);
}

}  // namespace

Shard::Shard(std::size_t index, asio::any_io_executor executor, const MediaEngineConfig& config,
             std::shared_ptr<MixerBackend> mixer, DigitSink digits)
    : index_(index),
      executor_(std::move(executor)),
      config_(config),
      mixer_(std::move(mixer)),
      digits_(std::move(digits)),
      timer_(executor_),
      period_(std::chrono::milliseconds(config.ptime_ms)) {}

Shard::~Shard() = default;

void Shard::open(std::uint16_t port) {
  shared_.emplace(open_udp_socket(executor_, config_.bind_ip, port, 0, 0, config_.socket_buffer_bytes));
  shared_address_ = local_address_of(*shared_);
}

void Shard::start() {
  asio::post(executor_, [this] {
    running_ = true;
    due_ = std::chrono::steady_clock::now() + period_;
    schedule_tick();
    if (shared_) arm_shared();
  });
}

void Shard::stop() {
  std::promise<void> done;
  asio::post(executor_, [this, &done] {
    running_ = false;
    boost::system::error_code ignored;
    timer_.cancel();
    if (shared_) shared_->close(ignored);
    for (auto& [leg, slot] : slots_) {
      if (slot.socket) slot.socket->socket().close(ignored);
      leg->attached.store(false);
    }
    if (cpu_clock_valid_.load(std::memory_order_acquire))
      final_cpu_seconds_.store(cpu_seconds_of(cpu_clock_));
    cpu_clock_valid_.store(false, std::memory_order_release);
    done.set_value();
  });
  done.get_future().wait();
}

void Shard::adopt_current_thread() noexcept {
  clockid_t clock{};
  if (::pthread_getcpuclockid(::pthread_self(), &clock) != 0) return;
  cpu_clock_ = clock;
  cpu_clock_valid_.store(true, std::memory_order_release);
}

void Shard::attach(std::shared_ptr<LegMedia> leg, std::unique_ptr<DedicatedSocket> socket) {
  auto owned = std::make_shared<std::unique_ptr<DedicatedSocket>>(std::move(socket));
  asio::post(executor_, [this, leg = std::move(leg), owned] {
    LegMedia* key = leg.get();
    LegSlot& slot = slots_[key];
    slot.media = leg;
    slot.socket = std::move(*owned);
    leg->socket = slot.socket.get();
    index_leg(slot);
    order_.push_back(key);
    send_.reserve(order_.size() * 2 + 16);
    played_arrivals_.reserve(order_.size() * 4 + 16);
    leg_count_.set(order_.size());
    if (slot.socket && running_) arm_dedicated(slot);
    mark_calls_of(leg->leg);
  });
}

void Shard::detach(std::shared_ptr<LegMedia> leg) {
  asio::post(executor_, [this, leg = std::move(leg)] {
    auto found = slots_.find(leg.get());
    if (found == slots_.end()) return;
    unindex_leg(found->second);
    if (found->second.socket) {
      boost::system::error_code ignored;
      found->second.socket->socket().close(ignored);
    }
    order_.erase(std::remove(order_.begin(), order_.end(), leg.get()), order_.end());
    leg->socket = nullptr;
    leg->in_call = false;
    mark_calls_of(leg->leg);
    slots_.erase(found);
    leg_count_.set(order_.size());
  });
}

void Shard::add_call(std::shared_ptr<RouteMailbox> mailbox) {
  asio::post(executor_, [this, mailbox = std::move(mailbox)] {
    calls_.push_back(std::make_unique<CallMedia>(mailbox));
    call_count_.set(calls_.size());
  });
}

void Shard::index_leg(LegSlot& slot) {
  LegMedia* leg = slot.media.get();
  by_id_[leg->leg] = leg;
  if (slot.socket) return;  // its own socket: nothing to tell apart
  if (leg->has_remote()) {
    const PeerKey peer = PeerKey::of(leg->remote_address().storage);
    peers_[peer].push_back(leg);
    if (leg->peer_ssrc()) register_stream(slot, {peer, *leg->peer_ssrc()});
  }
  if (leg->config.remote_ssrc) ssrcs_[*leg->config.remote_ssrc].push_back(leg);
}

void Shard::unindex_leg(LegSlot& slot) {
  LegMedia* leg = slot.media.get();
  by_id_.erase(leg->leg);
  if (slot.stream) streams_.erase(*slot.stream);
  slot.stream.reset();
  for (auto it = peers_.begin(); it != peers_.end();) {
    auto& legs = it->second;
    legs.erase(std::remove(legs.begin(), legs.end(), leg), legs.end());
    it = legs.empty() ? peers_.erase(it) : std::next(it);
  }
  if (leg->config.remote_ssrc) erase_from(ssrcs_, *leg->config.remote_ssrc, leg);
}

void Shard::register_stream(LegSlot& slot, const StreamKey& key) {
  if (slot.stream && *slot.stream == key) return;
  if (slot.stream) streams_.erase(*slot.stream);
  streams_[key] = slot.media.get();
  slot.stream = key;
}

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

LegMedia* Shard::demultiplex(const sockaddr_storage& from, std::span<const std::uint8_t> datagram) noexcept {
  const PeerKey peer = PeerKey::of(from);
  const bool has_ssrc = datagram.size() >= 12;
  const std::uint32_t ssrc = has_ssrc ? read_u32(datagram.data() + 8) : 0;
  if (has_ssrc) {
    if (auto found = streams_.find({peer, ssrc}); found != streams_.end()) return found->second;
  }
  if (auto found = peers_.find(peer); found != peers_.end() && found->second.size() == 1)
    return found->second.front();
  if (has_ssrc) {
    if (auto found = ssrcs_.find(ssrc); found != ssrcs_.end() && found->second.size() == 1)
      return found->second.front();
  }
  return nullptr;
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
      if (receive_.truncated(i)) {
        leg->counters.malformed.add();
        continue;
      }
      deliver(*leg, data, length, receive_.source(i), now);
    }
    if (n < receive_.capacity()) break;
  }
}

void Shard::deliver(LegMedia& leg, std::span<std::uint8_t> data, std::size_t length,
                    const sockaddr_storage& from, std::int64_t now_ns) noexcept {
  const ReceiveOutcome outcome = leg.receive(data, length, from, now_ns);
  if (outcome.accepted && leg.socket == nullptr && (outcome.relatched || outcome.new_ssrc)) {
    auto found = slots_.find(&leg);
    if (found != slots_.end()) {
      try {
        const PeerKey peer = PeerKey::of(leg.remote_address().storage);
        if (outcome.relatched) {
          for (auto it = peers_.begin(); it != peers_.end();) {
            auto& legs = it->second;
            legs.erase(std::remove(legs.begin(), legs.end(), &leg), legs.end());
            it = legs.empty() ? peers_.erase(it) : std::next(it);
          }
          peers_[peer].push_back(&leg);
        }
        if (leg.peer_ssrc()) register_stream(found->second, {peer, *leg.peer_ssrc()});
      } catch (...) {
        // Out of memory for an index entry: the slower lookups still find the leg.
      }
    }
  }
  if (outcome.digit && digits_) {
    try {
      digits_(leg.leg, *outcome.digit);
    } catch (...) {
      // The control queue is full or out of memory: the digit is lost, counted as received.
    }
  }
}

void Shard::mark_calls_of(const LegId& leg) noexcept {
  for (auto& call : calls_) {
    const auto& named = call->named_legs();
    if (std::find(named.begin(), named.end(), leg) != named.end()) call->mark_dirty();
  }
}

void Shard::schedule_tick() {
  timer_.expires_at(due_);
  timer_.async_wait([this](const boost::system::error_code& error) {
    if (error || !running_) return;
    on_tick();
  });
}

void Shard::on_tick() noexcept {
  const auto now = std::chrono::steady_clock::now();
  const auto lateness = now - due_;
  tick_lateness_.record(std::chrono::duration_cast<std::chrono::nanoseconds>(lateness).count());
  ticks_.add();
  if (lateness >= period_) {
    // Too late for one or more whole ticks: skip them (the jitter buffers absorb it).
    const auto behind = lateness / period_;
    missed_.add(static_cast<std::uint64_t>(behind));
    due_ += period_ * behind;
  }
  for (LegMedia* leg : order_) {
    leg->take_posted_dtmf();
    leg->pop_frame();
  }
  played_arrivals_.clear();
  TickContext context{*mixer_,
                      send_,
                      played_arrivals_,
                      config_.ptime_ms,
                      config_.monitoring_tone,
                      shared_ ? shared_->native_handle() : -1,
                      by_id_,
                      unattached_routes_};
  for (std::size_t i = 0; i < calls_.size();) {
    if (calls_[i]->tick(context)) {
      ++i;
      continue;
    }
    calls_[i] = std::move(calls_.back());
    calls_.pop_back();
    call_count_.set(calls_.size());
  }
  for (LegMedia* leg : order_) {
    const int fd = leg->socket != nullptr ? leg->socket->fd() : context.shared_fd;
    if (!leg->sent_audio && config_.silence_to_idle_legs && leg->has_remote()) {
      if (const std::size_t length = leg->build_audio(leg->silence()); length != 0) {
        send_.add(fd, leg->audio_out().first(length), leg->remote_address());
        leg->counters.packets_out.add();
        leg->counters.bytes_out.add(length);
      }
    }
    leg->sent_audio = false;
    if (const std::size_t length = leg->build_dtmf(); length != 0 && leg->has_remote()) {
      send_.add(fd, leg->dtmf_out().first(length), leg->remote_address());
      leg->counters.packets_out.add();
      leg->counters.bytes_out.add(length);
    }
    leg->advance_clock();
    leg->sync_jitter_stats();
  }
  const SendBatch::Result sent = send_.flush();
  packets_out_.add(sent.sent);
  send_batches_.add(sent.system_calls);
  const std::int64_t flushed = steady_ns();
  for (const std::int64_t arrival : played_arrivals_)
    if (arrival > 0) latency_.record(flushed - arrival);
  due_ += period_;
  schedule_tick();
}

void Shard::reset_percentiles() {
  asio::post(executor_, [this] {
    tick_lateness_.reset();
    latency_.reset();
  });
}

EngineThreadStats Shard::stats() const {
  EngineThreadStats s;
  s.calls = call_count_.get();
  s.legs = leg_count_.get();
  s.ticks = ticks_.get();
  s.missed_ticks = missed_.get();
  s.packets_in = packets_in_.get();
  s.packets_out = packets_out_.get();
  s.unknown_source = unknown_source_.get();
  s.unattached_routes = unattached_routes_.get();
  s.receive_batches = receive_batches_.get();
  s.send_batches = send_batches_.get();
  s.cpu_seconds = cpu_clock_valid_.load(std::memory_order_acquire) ? cpu_seconds_of(cpu_clock_)
                                                                   : final_cpu_seconds_.load();
  s.tick_lateness_p99_ms = tick_lateness_.percentile_ms(99);
  s.latency_p99_ms = latency_.percentile_ms(99);
  return s;
}

}  // namespace callsup::detail
