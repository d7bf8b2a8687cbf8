// callsup (internal): Shard, one engine thread: its lifecycle (open, start, stop on its executor) and its
// statistics.
#include "media/engine/shard.hpp"

#include <pthread.h>
#include <time.h>

#include <algorithm>
#include <future>

#include <unistd.h>

#include "media/engine/shard_support.hpp"

namespace callsup::detail {

Shard::Shard(std::size_t index, asio::any_io_executor executor, const MediaEngineConfig& config,
             std::shared_ptr<MixerBackend> mixer, DigitSink digits)
    : index_(index),
      executor_(std::move(executor)),
      config_(config),
      mixer_(std::move(mixer)),
      digits_(std::move(digits)),
      timer_(executor_),
      poller_(executor_),
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
    arm_dedicated();
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
    poller_.cancel();
  });
}

void Shard::stop() {
  run_and_wait([this] {
    running_ = false;
    boost::system::error_code ignored;
    timer_.cancel();
    if (shared_) shared_->close(ignored);
    for (auto& [leg, slot] : slots_) {
      if (slot.socket) {
        unwatch_dedicated(slot.socket->fd());
        slot.socket->close();
      }
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

void Shard::reset_percentiles() {
  asio::post(executor_, [this] {
    tick_lateness_.reset();
    latency_.reset();
    relay_latency_.reset();
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
  s.relayed_on_arrival = relayed_on_arrival_.get();
  s.relay_latency_p99_ms = relay_latency_.percentile_ms(99);
  return s;
}

}  // namespace callsup::detail
