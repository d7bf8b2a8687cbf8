// callsup (internal): one engine thread: its clock, sockets, legs and calls.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "callsup/media/engine_stats.hpp"
#include "callsup/media/media_engine.hpp"
#include "media/engine/asio.hpp"
#include "media/engine/call_media.hpp"
#include "media/engine/dedicated_socket.hpp"
#include "media/engine/latency_histogram.hpp"
#include "media/engine/leg_media.hpp"
#include "media/engine/udp_io.hpp"

namespace callsup::detail {

/// A digit received by a leg, handed from a media thread to the engine's control thread.
using DigitSink = std::function<void(const LegId& leg, char digit)>;

/// One engine thread's world. Everything but the `control side` methods runs on its executor
/// (one thread, or a strand of the integrator's), so nothing here takes a lock per packet or
/// per tick.
class Shard {
 public:
  Shard(std::size_t index, asio::any_io_executor executor, const MediaEngineConfig& config,
        std::shared_ptr<MixerBackend> mixer, DigitSink digits);
  ~Shard();

  // --- control side (any thread) ---
  /// Binds the shared socket (before start). Throws Error(io_error).
  void open(std::uint16_t port);
  void start();
  /// Closes sockets and cancels the clock, on the shard's executor; returns once done.
  void stop();
  void attach(std::shared_ptr<LegMedia> leg, std::unique_ptr<DedicatedSocket> socket);
  void detach(std::shared_ptr<LegMedia> leg);
  void add_call(std::shared_ptr<RouteMailbox> mailbox);
  SocketAddress shared_address() const { return shared_address_; }
  const asio::any_io_executor& executor() const noexcept { return executor_; }
  EngineThreadStats stats() const;
  /// Starts the percentiles afresh (e.g. after a warm-up), on the shard's thread.
  void reset_percentiles();
  /// Records this thread's CPU clock (call on the thread that runs the shard).
  void adopt_current_thread() noexcept;

 private:
  struct LegSlot {
    std::shared_ptr<LegMedia> media;
    std::unique_ptr<DedicatedSocket> socket;
    std::optional<StreamKey> stream;  ///< registered in streams_
  };

  void arm_shared();
  void arm_dedicated(LegSlot& slot);
  void drain(int fd, LegMedia* dedicated) noexcept;
  LegMedia* demultiplex(const sockaddr_storage& from, std::span<const std::uint8_t> datagram) noexcept;
  void deliver(LegMedia& leg, std::span<std::uint8_t> data, std::size_t length, const sockaddr_storage& from,
               std::int64_t now_ns) noexcept;
  void register_stream(LegSlot& slot, const StreamKey& key);
  void index_leg(LegSlot& slot);
  void unindex_leg(LegSlot& slot);
  void schedule_tick();
  void on_tick() noexcept;
  void mark_calls_of(const LegId& leg) noexcept;

  const std::size_t index_;
  asio::any_io_executor executor_;
  MediaEngineConfig config_;
  std::shared_ptr<MixerBackend> mixer_;
  DigitSink digits_;
  std::optional<asio::ip::udp::socket> shared_;
  SocketAddress shared_address_;
  asio::steady_timer timer_;
  std::chrono::steady_clock::time_point due_;
  std::chrono::nanoseconds period_;
  bool running_ = false;

  std::unordered_map<LegMedia*, LegSlot> slots_;
  std::vector<LegMedia*> order_;  ///< legs in attach order, for the tick loop
  std::unordered_map<LegId, LegMedia*> by_id_;
  std::unordered_map<StreamKey, LegMedia*, StreamKeyHash> streams_;         ///< (peer, SSRC) -> leg
  std::unordered_map<PeerKey, std::vector<LegMedia*>, PeerKeyHash> peers_;  ///< signalled peer -> legs
  std::unordered_map<std::uint32_t, std::vector<LegMedia*>> ssrcs_;         ///< expected SSRC -> legs
  std::vector<std::unique_ptr<CallMedia>> calls_;
  ReceiveBatch receive_;
  SendBatch send_;
  std::vector<std::int64_t> played_arrivals_;

  Counter ticks_, missed_, packets_in_, packets_out_, unknown_source_, receive_batches_, send_batches_,
      call_count_, leg_count_, unattached_routes_;
  LatencyHistogram tick_lateness_, latency_;
  clockid_t cpu_clock_{};  ///< written before cpu_clock_valid_ is set
  std::atomic<bool> cpu_clock_valid_{false};
  std::atomic<double> final_cpu_seconds_{0};
};

}  // namespace callsup::detail
