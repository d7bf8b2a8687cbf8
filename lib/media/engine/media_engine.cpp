// callsup: MediaEngine — threads, shards, endpoints, routes and digits.
#include "callsup/media/media_engine.hpp"

#include <pthread.h>

#include <algorithm>
#include <functional>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "callsup/detail/observer_list.hpp"
#include "callsup/error.hpp"
#include "callsup/media/media_engine_asio.hpp"
#include "callsup/media/software_mixer.hpp"
#include "media/engine/control_queue.hpp"
#include "media/engine/leg_placement.hpp"
#include "media/engine/shard.hpp"

namespace callsup {

using detail::asio::any_io_executor;
namespace asio = detail::asio;

class MediaEngine::Impl {
 public:
  explicit Impl(MediaEngineConfig config)
      : config_(validated(std::move(config))), placement_(config_.threads) {
    mixer_ = config_.mixer ? config_.mixer : std::make_shared<SoftwareMixer>();
  }

  void start_owned() {
    const std::size_t n = config_.threads;
    for (std::size_t i = 0; i < n; ++i) {
      contexts_.push_back(std::make_unique<asio::io_context>(1));
      add_shard(i, contexts_.back()->get_executor());
    }
    for (auto& shard : shards_) shard->set_siblings(&shards_);
    for (std::size_t i = 0; i < n; ++i) {
      threads_.emplace_back([this, i] {
        // "callsup-media-N" (15 characters at most): per-thread CPU in top -H, perf, ps.
        const std::string name = "callsup-media" + std::to_string(i);
        ::pthread_setname_np(::pthread_self(), name.substr(0, 15).c_str());
        shards_[i]->adopt_current_thread();
        auto work = asio::make_work_guard(*contexts_[i]);
        contexts_[i]->run();
      });
    }
    for (auto& shard : shards_) shard->start();
  }

  void start_on(const any_io_executor& executor) {
    for (std::size_t i = 0; i < config_.threads; ++i) add_shard(i, asio::make_strand(executor));
    for (auto& shard : shards_) shard->set_siblings(&shards_);
    for (auto& shard : shards_) shard->start();
  }

  ~Impl() { stop(); }

  std::shared_ptr<RtpEndpoint> add_endpoint(const CallId& group, const LegId& leg,
                                            const EndpointConfig& config) {
    if (leg.empty()) throw Error(errc::invalid_argument, "add_endpoint: empty leg id");
    if (group.empty())
      throw Error(errc::invalid_argument, "add_endpoint: empty media group for leg " + quoted(leg));
    if (config.socket == SocketMode::shared && !config.remote && !config.remote_ssrc)
      throw Error(errc::invalid_argument, "leg " + quoted(leg) +
                                              ": a shared socket needs the peer's address or SSRC "
                                              "(remote or remote_ssrc) to tell its packets apart");
    std::lock_guard lock(mutex_);
    if (stopped_)
      throw Error(errc::invalid_argument, "add_endpoint " + quoted(leg) + ": the engine is stopped");
    if (legs_.count(leg) != 0)
      throw Error(errc::duplicate_id, "leg " + quoted(leg) + " already has an endpoint");
    const std::size_t index = shard_of(group);
    detail::LegHome home{index, shards_[index]->shared_fd(), shards_[index]->shared_address()};
    std::unique_ptr<detail::DedicatedSocket> socket;
    if (config.socket == SocketMode::dedicated) {
      socket = std::make_unique<detail::DedicatedSocket>(detail::open_udp_socket(
          shards_[index]->executor(), config.local_ip.empty() ? config_.bind_ip : config.local_ip,
          config.local_port, config_.port_min, config_.port_max, config_.socket_buffer_bytes));
      home.local = socket->local();
    }
    auto media = std::make_shared<detail::LegMedia>(group, leg, config, std::move(home), config_.ptime_ms,
                                                    config_.jitter_max_depth);
    legs_[leg] = media;
    placement_.add_leg(leg, group);
    shards_[index]->attach(media, std::move(socket));
    return std::make_shared<RtpEndpoint>(media);
  }

  void remove_endpoint(const LegId& leg) {
    std::lock_guard lock(mutex_);
    auto found = legs_.find(leg);
    if (found == legs_.end()) return;
    auto media = found->second;
    legs_.erase(found);
    media->attached.store(false);
    if (!stopped_) shards_[placement_.thread_of_leg(leg)]->detach(media);
    placement_.remove_leg(leg);
  }

  std::shared_ptr<RtpEndpoint> endpoint(const LegId& leg) const {
    std::lock_guard lock(mutex_);
    auto found = legs_.find(leg);
    return found == legs_.end() ? nullptr : std::make_shared<RtpEndpoint>(found->second);
  }

  void update_routes(std::shared_ptr<const RouteSet> routes) {
    if (!routes) throw Error(errc::invalid_argument, "update_routes: null RouteSet");
    std::lock_guard lock(mutex_);
    if (stopped_) return;
    auto& mailbox = calls_[routes->call];
    if (!mailbox) {
      mailbox = std::make_shared<detail::RouteMailbox>();
      shards_[shard_of(routes->call)]->add_call(mailbox);
    }
    const bool ended = routes->ended;
    const CallId call = routes->call;
    for (const detail::LegPlacement::Move& move : placement_.apply(*routes)) {
      const auto& media = legs_.at(move.leg);
      media->wanted_shard.store(move.to);
      shards_[move.from]->hand_over(media);
    }
    mailbox->put(std::move(routes));
    if (ended) calls_.erase(call);
  }

  Subscription on_dtmf(DtmfHandler handler) {
    if (!handler) throw Error(errc::invalid_argument, "on_dtmf: empty handler");
    return dtmf_handlers_.add(std::move(handler));
  }

  void flush_control() { control_.flush(); }

  std::vector<SocketAddress> shared_addresses() const {
    std::vector<SocketAddress> out;
    for (const auto& shard : shards_) out.push_back(shard->shared_address());
    return out;
  }

  std::size_t thread_count() const noexcept { return shards_.size(); }

  EngineStats stats() const {
    EngineStats s;
    for (const auto& shard : shards_) {
      const EngineThreadStats t = shard->stats();
      s.threads.push_back(t);
      s.total.calls += t.calls;
      s.total.legs += t.legs;
      s.total.ticks += t.ticks;
      s.total.missed_ticks += t.missed_ticks;
      s.total.packets_in += t.packets_in;
      s.total.packets_out += t.packets_out;
      s.total.unknown_source += t.unknown_source;
      s.total.unattached_routes += t.unattached_routes;
      s.total.moved_legs += t.moved_legs;
      s.total.forwarded_packets += t.forwarded_packets;
      s.total.relayed_on_arrival += t.relayed_on_arrival;
      s.total.receive_batches += t.receive_batches;
      s.total.send_batches += t.send_batches;
      s.total.cpu_seconds += t.cpu_seconds;
      s.total.tick_lateness_p99_ms = std::max(s.total.tick_lateness_p99_ms, t.tick_lateness_p99_ms);
      s.total.latency_p99_ms = std::max(s.total.latency_p99_ms, t.latency_p99_ms);
      s.total.relay_latency_p99_ms = std::max(s.total.relay_latency_p99_ms, t.relay_latency_p99_ms);
    }
    return s;
  }

  void reset_percentiles() {
    std::lock_guard lock(mutex_);
    if (stopped_) return;
    for (auto& shard : shards_) shard->reset_percentiles();
  }

  void stop() {
    {
      std::lock_guard lock(mutex_);
      if (stopped_) return;
      stopped_ = true;
      for (auto& [id, media] : legs_) media->attached.store(false);
    }
    // Every thread stops sending before any socket closes: a leg that moved to another thread
    // still sends from its home thread's shared socket.
    for (auto& shard : shards_) shard->halt();
    for (auto& shard : shards_) shard->stop();
    for (auto& context : contexts_) context->stop();
    for (auto& thread : threads_) thread.join();
    threads_.clear();
  }

 private:
  static MediaEngineConfig validated(MediaEngineConfig config) {
    auto bad = [](const std::string& what) { throw Error(errc::invalid_argument, "media engine: " + what); };
    if (config.threads == 0) config.threads = std::max(1u, std::thread::hardware_concurrency());
    if (config.threads > 256) bad("threads " + std::to_string(config.threads) + " (at most 256)");
    if (config.ptime_ms != 10 && config.ptime_ms != 20 && config.ptime_ms != 30 && config.ptime_ms != 40)
      bad("ptime_ms " + std::to_string(config.ptime_ms) + " (10, 20, 30 or 40)");
    if (config.port_min > config.port_max)
      bad("port range " + std::to_string(config.port_min) + "-" + std::to_string(config.port_max));
    if (config.shared_port_base != 0 && config.shared_port_base + config.threads - 1 > 65535)
      bad("shared_port_base " + std::to_string(config.shared_port_base) + " + threads goes past 65535");
    if (config.socket_buffer_bytes <= 0)
      bad("socket_buffer_bytes " + std::to_string(config.socket_buffer_bytes));
    if (config.jitter_max_depth == 0 || config.jitter_max_depth > 50)
      bad("jitter_max_depth " + std::to_string(config.jitter_max_depth) + " (1..50)");
    validate(config.monitoring_tone);
    return config;
  }

  void add_shard(std::size_t index, any_io_executor executor) {
    auto shard =
        std::make_unique<detail::Shard>(index, std::move(executor), config_, mixer_,
                                        [this](const LegId& leg, char digit) { post_digit(leg, digit); });
    shard->open(config_.shared_port_base == 0 ? 0
                                              : static_cast<std::uint16_t>(config_.shared_port_base + index));
    shards_.push_back(std::move(shard));
  }

  std::size_t shard_of(const CallId& group) const noexcept { return placement_.thread_of(group); }

  // Media thread: hand the digit over; the handlers run on the control thread.
  void post_digit(const LegId& leg, char digit) {
    control_.post([this, leg, digit] { dtmf_handlers_.notify(OnDtmfParam{leg, digit}); });
  }

  MediaEngineConfig config_;
  std::shared_ptr<MixerBackend> mixer_;
  mutable std::mutex mutex_;
  std::unordered_map<LegId, std::shared_ptr<detail::LegMedia>> legs_;
  std::unordered_map<CallId, std::shared_ptr<detail::RouteMailbox>> calls_;
  detail::LegPlacement placement_;                   ///< which thread each leg runs on
  detail::ObserverList<OnDtmfParam> dtmf_handlers_;  // exceptions caught and counted
  bool stopped_ = false;
  detail::ControlQueue control_;  // outlives the shards, which post to it
  std::vector<std::unique_ptr<asio::io_context>> contexts_;
  std::vector<std::unique_ptr<detail::Shard>> shards_;
  std::vector<std::thread> threads_;
};

MediaEngine::MediaEngine(MediaEngineConfig config) : impl_(std::make_shared<Impl>(std::move(config))) {
  impl_->start_owned();
}

MediaEngine::MediaEngine(MediaEngineConfig config, const Executor& executor) {
  if (config.threads == 0) config.threads = 1;
  impl_ = std::make_shared<Impl>(std::move(config));
  impl_->start_on(executor.executor);
}

MediaEngine::~MediaEngine() {
  if (impl_) impl_->stop();
}

std::shared_ptr<RtpEndpoint> MediaEngine::add_endpoint(const CallId& media_group, const LegId& leg,
                                                       const EndpointConfig& config) {
  return impl_->add_endpoint(media_group, leg, config);
}
void MediaEngine::remove_endpoint(const LegId& leg) { impl_->remove_endpoint(leg); }
std::shared_ptr<RtpEndpoint> MediaEngine::endpoint(const LegId& leg) const { return impl_->endpoint(leg); }
void MediaEngine::update_routes(std::shared_ptr<const RouteSet> routes) {
  impl_->update_routes(std::move(routes));
}
Subscription MediaEngine::on_dtmf(DtmfHandler handler) { return impl_->on_dtmf(std::move(handler)); }
void MediaEngine::flush_control() { impl_->flush_control(); }
std::vector<SocketAddress> MediaEngine::shared_addresses() const { return impl_->shared_addresses(); }
std::size_t MediaEngine::thread_count() const noexcept { return impl_->thread_count(); }
EngineStats MediaEngine::stats() const { return impl_->stats(); }
void MediaEngine::stop() { impl_->stop(); }
void MediaEngine::reset_percentiles() { impl_->reset_percentiles(); }

}  // namespace callsup
