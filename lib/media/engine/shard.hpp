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
#include "media/engine/handoff_ring.hpp"
#include "media/engine/latency_histogram.hpp"
#include "media/engine/leg_media.hpp"
#include "media/engine/socket_poller.hpp"
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
  /// The engine's threads, so that a shard can reach a leg's home (set once, before start).
  void set_siblings(const std::vector<std::unique_ptr<Shard>>* siblings) noexcept { siblings_ = siblings; }
  void start();
  /// Stops the clock and the reading, on the shard's executor; returns once done. Sockets stay
  /// open, since legs that moved to another thread still send from this one's shared socket.
  void halt();
  /// Closes sockets (after every thread is halted); returns once done.
  void stop();
  void attach(std::shared_ptr<LegMedia> leg, std::unique_ptr<DedicatedSocket> socket);
  /// Removes a leg running here; its home (another thread) is told to forget it as well.
  void detach(std::shared_ptr<LegMedia> leg);
  /// Moves a leg running here to the thread in its `wanted_shard`: it leaves this thread's tick
  /// loop (a dedicated socket goes with it), that thread picks it up, and the leg's home forwards
  /// the shared socket's packets there.
  void hand_over(std::shared_ptr<LegMedia> leg);
  void add_call(std::shared_ptr<RouteMailbox> mailbox);
  SocketAddress shared_address() const { return shared_address_; }
  int shared_fd() const noexcept { return shared_fd_; }
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
  };
  /// A shared-socket leg whose home is this thread: how its packets are recognised, and where it
  /// runs when it runs elsewhere.
  struct HomeEntry {
    std::shared_ptr<LegMedia> media;
    std::optional<StreamKey> stream;  ///< registered in streams_
    Shard* away = nullptr;            ///< the thread it runs on, when not this one
  };

  void arm_shared();
  void arm_dedicated();
  /// Throws Error(io_error) (out of kernel memory).
  void watch_dedicated(int fd, LegMedia* leg);
  void unwatch_dedicated(int fd) noexcept;
  /// Reads what `fd` holds, in bounded rounds: false when datagrams may be left.
  bool drain(int fd, LegMedia* dedicated) noexcept;
  /// Dedicated sockets are edge-triggered: one left with datagrams by drain()'s bound is not
  /// reported again until another arrives, so it waits in backlog_, drained at the next wake-up
  /// or by a posted continuation.
  void drain_backlog() noexcept;
  void continue_backlog() noexcept;
  LegMedia* dedicated_leg(int fd) const noexcept;
  LegMedia* demultiplex(const sockaddr_storage& from, std::span<const std::uint8_t> datagram) noexcept;
  void deliver(LegMedia& leg, std::span<std::uint8_t> data, std::size_t length, const sockaddr_storage& from,
               std::int64_t now_ns) noexcept;
  void register_stream(HomeEntry& entry, const StreamKey& key);
  void index_leg(LegSlot& slot);
  void unindex_leg(LegMedia* leg);
  void unindex_peer(LegMedia* leg);
  void relatch(LegMedia* leg, const PeerKey& peer, std::optional<std::uint32_t> ssrc, bool moved);
  void follow_peer(LegMedia& leg, const ReceiveOutcome& outcome);
  void set_away(const std::shared_ptr<LegMedia>& leg, Shard* where);
  void mark_away(HomeEntry& entry, Shard* where) noexcept;
  void move_away(LegSlot& slot);
  template <typename Task>
  void run_and_wait(Task task);
  /// Hands a datagram read here to the thread running its leg (a ring per pair of threads).
  void forward(const HomeEntry& entry, std::span<const std::uint8_t> data, const sockaddr_storage& from,
               std::int64_t now_ns) noexcept;
  /// Wakes the threads forward() handed datagrams to in this batch (once each).
  void wake_handoff_consumers() noexcept;
  /// On the receiving thread: delivers what `ring` holds to legs still running here.
  void take_handoffs(HandoffRing& ring) noexcept;
  /// Forward on arrival: sends `in` (received by `source` into `buffer`) to every listener that
  /// hears the source alone, renumbered into each listener's stream; queued in send_.
  void relay(LegMedia& source, std::span<std::uint8_t> buffer, const ReceivedAudio& in,
             std::int64_t arrival_ns) noexcept;
  /// The period whose tick would play a frame arriving now for `listener` (its clock's count).
  std::uint64_t play_period(const LegMedia& listener) const noexcept;
  /// Sends what relay() queued (once per batch of datagrams read).
  void flush_relayed() noexcept;
  Shard& home_of(const LegMedia& leg) const noexcept { return *(*siblings_)[leg.home.thread]; }
  void schedule_tick();
  void on_tick() noexcept;
  void run_sub_tick(std::size_t sub_tick) noexcept;
  void place() noexcept;
  void drop_call(CallMedia* call) noexcept;
  void forget_leg(LegMedia* leg);
  void mark_calls_of(const LegId& leg) noexcept;

  const std::size_t index_;
  asio::any_io_executor executor_;
  MediaEngineConfig config_;
  std::shared_ptr<MixerBackend> mixer_;
  DigitSink digits_;
  const std::vector<std::unique_ptr<Shard>>* siblings_ = nullptr;
  std::optional<asio::ip::udp::socket> shared_;
  SocketAddress shared_address_;
  int shared_fd_ = -1;
  asio::steady_timer timer_;
  SocketPoller poller_;  ///< the dedicated sockets of the legs running here
  /// The leg each dedicated socket belongs to, by descriptor: a small dense array, so a wake-up
  /// finds its legs without a lookup or a cache miss on the socket object.
  std::vector<LegMedia*> dedicated_by_fd_;
  std::vector<int> backlog_;  ///< dedicated sockets left with datagrams
  bool backlog_posted_ = false;
  std::chrono::steady_clock::time_point due_;  ///< when the next sub-tick is due
  std::chrono::nanoseconds period_;
  bool running_ = false;

  // Sub-ticks: the period is cut into slots of about 2 ms; each call is served at the slot right
  // after its legs' packets arrive, instead of the whole thread at one tick (latency: a frame
  // waits about a slot, not up to a period; sends go out in smaller batches through the period).
  static constexpr int sub_tick_ms = 2;
  static constexpr std::int64_t arrival_margin_ns = 1'000'000;  ///< after the late edge
  static constexpr std::uint64_t replace_every_periods = 25;    ///< follow drifting phases
  std::size_t sub_ticks_;
  std::chrono::nanoseconds sub_period_;
  std::uint64_t sub_index_ = 0;     ///< sub-ticks run since start
  std::uint64_t period_index_ = 0;  ///< periods begun since start (legs pop once per period)
  std::int64_t origin_ns_ = 0;      ///< steady time of sub-tick 0 of the first period
  std::uint64_t placement_round_ = 0;
  bool placement_stale_ = true;                    ///< legs or calls changed: place again at the next period
  std::vector<std::vector<LegMedia*>> legs_at_;    ///< per sub-tick: legs whose clock it runs
  std::vector<std::vector<CallMedia*>> calls_at_;  ///< per sub-tick: calls it mixes
  std::vector<std::int64_t> phases_;               ///< scratch of place()

  std::unordered_map<LegMedia*, LegSlot> slots_;        ///< legs running here
  std::unordered_map<LegMedia*, HomeEntry> home_legs_;  ///< shared-socket legs whose home is here
  std::ptrdiff_t away_legs_ = 0;                        ///< entries of home_legs_ running elsewhere
  std::vector<LegMedia*> order_;                        ///< legs in attach order, for the tick loop
  std::unordered_map<LegId, LegMedia*> by_id_;
  std::unordered_map<StreamKey, LegMedia*, StreamKeyHash> streams_;         ///< (peer, SSRC) -> leg
  std::unordered_map<PeerKey, std::vector<LegMedia*>, PeerKeyHash> peers_;  ///< signalled peer -> legs
  std::unordered_map<std::uint32_t, std::vector<LegMedia*>> ssrcs_;         ///< expected SSRC -> legs
  std::vector<std::unique_ptr<CallMedia>> calls_;
  ReceiveBatch receive_;
  SendBatch send_;
  std::vector<std::int64_t> played_arrivals_;
  std::vector<std::int64_t> relayed_arrivals_;  ///< arrival times of the packets relay() queued
  std::vector<std::uint8_t> relay_copies_;      ///< room for a packet to a second listener and on
  static constexpr std::size_t handoff_ring_bytes = std::size_t{1} << 20;
  std::vector<std::unique_ptr<HandoffRing>> handoffs_to_;  ///< by receiving thread, made when first used
  std::vector<std::size_t> handoffs_pushed_;               ///< receiving threads to wake after this batch
  std::size_t relay_copies_used_ = 0;
  Counter ticks_, missed_, packets_in_, packets_out_, unknown_source_, receive_batches_, send_batches_,
      call_count_, leg_count_, unattached_routes_, moved_legs_, forwarded_packets_, relayed_on_arrival_;
  LatencyHistogram tick_lateness_, latency_, relay_latency_;
  clockid_t cpu_clock_{};  ///< written before cpu_clock_valid_ is set
  std::atomic<bool> cpu_clock_valid_{false};
  std::atomic<double> final_cpu_seconds_{0};
};

}  // namespace callsup::detail
