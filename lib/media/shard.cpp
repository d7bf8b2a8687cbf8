// callsup (internal): one engine thread: receive, demultiplex, tick, send.
#include "media/engine/shard.hpp"

#include <pthread.h>
#include <time.h>

#include <algorithm>
#include <future>

#include <unistd.h>

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
      period_(std::chrono::milliseconds(config.ptime_ms)),
      sub_ticks_(static_cast<std::size_t>(std::max(1, config.ptime_ms / sub_tick_ms))),
      sub_period_(period_ / static_cast<std::int64_t>(sub_ticks_)),
      legs_at_(sub_ticks_),
      calls_at_(sub_ticks_) {}

Shard::~Shard() = default;

void Shard::open(std::uint16_t port) {
  shared_.emplace(open_udp_socket(executor_, config_.bind_ip, port, 0, 0, config_.socket_buffer_bytes));
  shared_address_ = local_address_of(*shared_);
  shared_fd_ = shared_->native_handle();
}

void Shard::start() {
  asio::post(executor_, [this] {
    running_ = true;
    due_ = std::chrono::steady_clock::now() + sub_period_;
    origin_ns_ = std::chrono::duration_cast<std::chrono::nanoseconds>(due_.time_since_epoch()).count();
    schedule_tick();
    if (shared_) arm_shared();
  });
}

template <typename Task>
void Shard::run_and_wait(Task task) {
  std::promise<void> done;
  asio::post(executor_, [&] {
    task();
    done.set_value();
  });
  done.get_future().wait();
}

void Shard::halt() {
  run_and_wait([this] {
    running_ = false;
    boost::system::error_code ignored;
    timer_.cancel();
    if (shared_) shared_->cancel(ignored);
    for (auto& [leg, slot] : slots_)
      if (slot.socket) slot.socket->socket().cancel(ignored);
  });
}

void Shard::stop() {
  run_and_wait([this] {
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
  });
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
    if (!leg->attached.load()) {  // removed while it was on its way here
      if (leg->home == index_) {
        unindex_leg(leg.get());
      } else {
        Shard& home = home_of(*leg);
        asio::post(home.executor_, [&home, leg] { home.unindex_leg(leg.get()); });
      }
      return;  // `owned` closes a dedicated socket
    }
    LegMedia* key = leg.get();
    LegSlot& slot = slots_[key];
    slot.media = leg;
    slot.socket = std::move(*owned);
    leg->socket = slot.socket.get();
    leg->out_fd = slot.socket ? slot.socket->fd() : leg->home_shared_fd;
    index_leg(slot);
    order_.push_back(key);
    leg->sub_tick = 0;  // until the next placement
    legs_at_[0].push_back(key);
    placement_stale_ = true;
    send_.reserve(order_.size() * 2 + 16);
    played_arrivals_.reserve(order_.size() * 4 + 16);
    leg_count_.set(order_.size());
    if (slot.socket && running_) arm_dedicated(slot);
    mark_calls_of(leg->leg);
    if (leg->wanted_shard.load() != index_) move_away(slot);  // moved again while in flight
  });
}

void Shard::detach(std::shared_ptr<LegMedia> leg) {
  asio::post(executor_, [this, leg = std::move(leg)] {
    auto found = slots_.find(leg.get());
    if (found == slots_.end()) return;  // still on its way here: attach() drops it
    by_id_.erase(leg->leg);
    if (leg->home == index_) {
      unindex_leg(leg.get());
    } else if (!found->second.socket) {
      Shard& home = home_of(*leg);
      asio::post(home.executor_, [&home, leg] { home.unindex_leg(leg.get()); });
    }
    if (found->second.socket) {
      boost::system::error_code ignored;
      found->second.socket->socket().close(ignored);
    }
    forget_leg(leg.get());
    leg->socket = nullptr;
    mark_calls_of(leg->leg);
    slots_.erase(found);
    leg_count_.set(order_.size());
  });
}

void Shard::hand_over(std::shared_ptr<LegMedia> leg) {
  asio::post(executor_, [this, leg = std::move(leg)] {
    auto found = slots_.find(leg.get());
    if (found == slots_.end()) return;  // on its way here: attach() passes it on
    if (leg->wanted_shard.load() != index_) move_away(found->second);
  });
}

void Shard::move_away(LegSlot& slot) {
  std::shared_ptr<LegMedia> leg = slot.media;
  Shard& to = *(*siblings_)[leg->wanted_shard.load()];
  std::unique_ptr<DedicatedSocket> socket;
  if (slot.socket) {
    // The socket goes with the leg: its descriptor is re-registered with the new thread.
    boost::system::error_code error;
    auto& old = slot.socket->socket();
    const auto protocol = old.local_endpoint(error).protocol();
    const int fd = error ? -1 : old.release(error);
    if (fd >= 0 && !error) {
      try {
        socket = std::make_unique<DedicatedSocket>(asio::ip::udp::socket(to.executor_, protocol, fd));
      } catch (...) {
        ::close(fd);  // out of descriptors or memory: the leg moves without its socket
      }
    }
  } else if (leg->home == index_) {
    set_away(leg, &to);
  } else {
    Shard& home = home_of(*leg);
    asio::post(home.executor_, [&home, leg, &to] { home.set_away(leg, &to); });
  }
  by_id_.erase(leg->leg);
  forget_leg(leg.get());
  leg->socket = nullptr;
  mark_calls_of(leg->leg);
  slots_.erase(leg.get());  // `slot` is gone from here on
  leg_count_.set(order_.size());
  moved_legs_.add();
  to.attach(leg, std::move(socket));
}

void Shard::set_away(const std::shared_ptr<LegMedia>& leg, Shard* where) {
  auto found = home_legs_.find(leg.get());
  if (found != home_legs_.end()) mark_away(found->second, where == this ? nullptr : where);
}

void Shard::mark_away(HomeEntry& entry, Shard* where) noexcept {
  if ((entry.away == nullptr) != (where == nullptr)) away_legs_ += where != nullptr ? 1 : -1;
  entry.away = where;
}

void Shard::forget_leg(LegMedia* leg) {
  order_.erase(std::remove(order_.begin(), order_.end(), leg), order_.end());
  auto& at = legs_at_[leg->sub_tick];
  at.erase(std::remove(at.begin(), at.end(), leg), at.end());
}

void Shard::add_call(std::shared_ptr<RouteMailbox> mailbox) {
  asio::post(executor_, [this, mailbox = std::move(mailbox)] {
    calls_.push_back(std::make_unique<CallMedia>(mailbox));
    calls_at_[0].push_back(calls_.back().get());  // until the next placement
    placement_stale_ = true;
    call_count_.set(calls_.size());
  });
}

void Shard::index_leg(LegSlot& slot) {
  LegMedia* leg = slot.media.get();
  by_id_[leg->leg] = leg;
  if (slot.socket || leg->home != index_) return;  // a dedicated socket, or indexed at its home
  auto [entry, fresh] = home_legs_.try_emplace(leg);
  mark_away(entry->second, nullptr);
  if (!fresh) return;  // back home: indexed since it first came
  entry->second.media = slot.media;
  if (leg->has_remote()) {
    const PeerKey peer = PeerKey::of(leg->remote_address().storage);
    peers_[peer].push_back(leg);
    if (leg->peer_ssrc()) register_stream(entry->second, {peer, *leg->peer_ssrc()});
  }
  if (leg->config.remote_ssrc) ssrcs_[*leg->config.remote_ssrc].push_back(leg);
}

void Shard::unindex_leg(LegMedia* leg) {
  auto found = home_legs_.find(leg);
  if (found == home_legs_.end()) return;
  if (found->second.stream) streams_.erase(*found->second.stream);
  unindex_peer(leg);
  if (leg->config.remote_ssrc) erase_from(ssrcs_, *leg->config.remote_ssrc, leg);
  mark_away(found->second, nullptr);
  home_legs_.erase(found);
}

void Shard::unindex_peer(LegMedia* leg) {
  for (auto it = peers_.begin(); it != peers_.end();) {
    auto& legs = it->second;
    legs.erase(std::remove(legs.begin(), legs.end(), leg), legs.end());
    it = legs.empty() ? peers_.erase(it) : std::next(it);
  }
}

void Shard::register_stream(HomeEntry& entry, const StreamKey& key) {
  if (entry.stream && *entry.stream == key) return;
  if (entry.stream) streams_.erase(*entry.stream);
  streams_[key] = entry.media.get();
  entry.stream = key;
}

void Shard::relatch(LegMedia* leg, const PeerKey& peer, std::optional<std::uint32_t> ssrc, bool moved) {
  auto found = home_legs_.find(leg);
  if (found == home_legs_.end()) return;
  try {
    if (moved) {
      unindex_peer(leg);
      peers_[peer].push_back(leg);
    }
    if (ssrc) register_stream(found->second, {peer, *ssrc});
  } catch (...) {
    // Out of memory for an index entry: the slower lookups still find the leg.
  }
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
    if (n < receive_.capacity()) break;
  }
}

void Shard::deliver(LegMedia& leg, std::span<std::uint8_t> data, std::size_t length,
                    const sockaddr_storage& from, std::int64_t now_ns) noexcept {
  const ReceiveOutcome outcome = leg.receive(data, length, from, now_ns);
  if (outcome.accepted) {
    const std::int64_t period = period_.count();
    leg.arrival.note(((now_ns - origin_ns_) % period + period) % period, period, now_ns);
  }
  if (outcome.accepted && leg.socket == nullptr && (outcome.relatched || outcome.new_ssrc))
    follow_peer(leg, outcome);
  if (outcome.digit && digits_) {
    try {
      digits_(leg.leg, *outcome.digit);
    } catch (...) {
      // The control queue is full or out of memory: the digit is lost, counted as received.
    }
  }
}

// The shared socket's demultiplexing follows a peer that moved or changed SSRC; the index is
// kept by the leg's home thread.
void Shard::follow_peer(LegMedia& leg, const ReceiveOutcome& outcome) {
  const PeerKey peer = PeerKey::of(leg.remote_address().storage);
  if (leg.home == index_) {
    relatch(&leg, peer, leg.peer_ssrc(), outcome.relatched);
    return;
  }
  auto found = slots_.find(&leg);
  if (found == slots_.end()) return;
  try {
    Shard& home = home_of(leg);
    asio::post(home.executor_, [&home, media = found->second.media, peer, ssrc = leg.peer_ssrc(),
                                moved = outcome.relatched] { home.relatch(media.get(), peer, ssrc, moved); });
  } catch (...) {
    // Out of memory: the home keeps the old entry; the slower lookups may still find the leg.
  }
}

void Shard::forward(const HomeEntry& entry, std::span<const std::uint8_t> data, const sockaddr_storage& from,
                    std::int64_t now_ns) noexcept {
  try {
    Forwarded packet{{data.begin(), data.end()}, from, now_ns};
    Shard* to = entry.away;
    asio::post(to->executor_, [to, media = entry.media, packet = std::move(packet)]() mutable {
      if (to->slots_.find(media.get()) == to->slots_.end()) {
        to->unknown_source_.add();  // it moved on or was removed meanwhile
        return;
      }
      to->deliver(*media, packet.data, packet.data.size(), packet.from, packet.arrival_ns);
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
  if (lateness >= period_) {
    // Too late for one or more whole periods: skip them (the jitter buffers absorb it).
    const auto behind = lateness / period_;
    missed_.add(static_cast<std::uint64_t>(behind));
    due_ += period_ * behind;
    period_index_ += static_cast<std::uint64_t>(behind);
  }
  // Every sub-tick due by now (a late wake-up catches up; at most one period's worth).
  std::size_t run = 0;
  do {
    run_sub_tick(static_cast<std::size_t>(sub_index_ % sub_ticks_));
    ++sub_index_;
    due_ += sub_period_;
  } while (++run < sub_ticks_ && due_ <= now);
  schedule_tick();
}

void Shard::run_sub_tick(std::size_t sub_tick) noexcept {
  if (sub_tick == 0) {
    ++period_index_;
    ticks_.add();
    if (placement_stale_ || period_index_ % replace_every_periods == 0) place();
  }
  played_arrivals_.clear();
  TickContext context{*mixer_,          send_,
                      played_arrivals_, config_.ptime_ms,
                      period_index_,    config_.monitoring_tone,
                      by_id_,           unattached_routes_,
                      placement_stale_};
  auto& calls = calls_at_[sub_tick];
  for (std::size_t i = 0; i < calls.size();) {
    if (calls[i]->tick(context)) {
      ++i;
      continue;
    }
    drop_call(calls[i]);
    calls[i] = calls.back();
    calls.pop_back();
  }
  for (LegMedia* leg : legs_at_[sub_tick]) {
    leg->pop_frame(period_index_);  // a leg no call mixes still plays out (and counts) its frames
    leg->take_posted_dtmf();
    leg->take_posted_rekey();
    const int fd = leg->out_fd;
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
  if (send_.size() == 0 && played_arrivals_.empty()) return;
  const SendBatch::Result sent = send_.flush();
  packets_out_.add(sent.sent);
  send_batches_.add(sent.system_calls);
  const std::int64_t flushed = steady_ns();
  for (const std::int64_t arrival : played_arrivals_)
    if (arrival > 0) latency_.record(flushed - arrival);
}

void Shard::drop_call(CallMedia* call) noexcept {
  for (std::size_t i = 0; i < calls_.size(); ++i) {
    if (calls_[i].get() != call) continue;
    calls_[i] = std::move(calls_.back());
    calls_.pop_back();
    break;
  }
  call_count_.set(calls_.size());
}

// Each call is served at the sub-tick right after the packets of all its legs have arrived
// (the late edge of their arrival phases, plus a margin); a leg no call mixes, right after its
// own packets. Runs at the start of a period, so that every leg is still served once per period.
void Shard::place() noexcept {
  ++placement_round_;
  placement_stale_ = false;
  for (auto& at : legs_at_) at.clear();
  for (auto& at : calls_at_) at.clear();
  const std::int64_t period = period_.count(), sub = sub_period_.count();
  const std::int64_t recent = steady_ns() - 3 * period;  // phases of streams that stopped are stale
  for (auto& call : calls_) {
    // A call marked dirty may name legs that left this thread: it is recompiled at its tick.
    if (!call->dirty()) {
      phases_.clear();
      for (LegMedia* leg : call->legs())
        if (auto edge = leg->arrival.edge(recent)) phases_.push_back(*edge);
      if (auto all_in = all_arrived_phase(phases_, period))
        call->sub_tick = sub_tick_after(*all_in, arrival_margin_ns, sub, sub_ticks_);
      for (LegMedia* leg : call->legs()) {
        if (leg->placed == placement_round_) continue;  // a leg two calls name: the first one's
        leg->placed = placement_round_;
        leg->sub_tick = call->sub_tick;
      }
    }
    calls_at_[call->sub_tick].push_back(call.get());
  }
  for (LegMedia* leg : order_) {
    if (leg->placed != placement_round_) {
      leg->placed = placement_round_;
      if (auto edge = leg->arrival.edge(recent))
        leg->sub_tick = sub_tick_after(*edge, arrival_margin_ns, sub, sub_ticks_);
    }
    legs_at_[leg->sub_tick].push_back(leg);
  }
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
  s.moved_legs = moved_legs_.get();
  s.forwarded_packets = forwarded_packets_.get();
  s.receive_batches = receive_batches_.get();
  s.send_batches = send_batches_.get();
  s.cpu_seconds = cpu_clock_valid_.load(std::memory_order_acquire) ? cpu_seconds_of(cpu_clock_)
                                                                   : final_cpu_seconds_.load();
  s.tick_lateness_p99_ms = tick_lateness_.percentile_ms(99);
  s.latency_p99_ms = latency_.percentile_ms(99);
  return s;
}

}  // namespace callsup::detail
