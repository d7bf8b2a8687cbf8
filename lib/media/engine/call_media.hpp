// callsup (internal): one call's mixing state on its media thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "callsup/media/mix_plan.hpp"
#include "callsup/media/mixer_backend.hpp"
#include "callsup/media/monitoring_tone.hpp"
#include "callsup/media/resampler.hpp"
#include "media/engine/leg_media.hpp"
#include "media/engine/route_mailbox.hpp"
#include "media/engine/udp_io.hpp"

namespace callsup::detail {

/// What a call's tick needs from its thread.
struct TickContext {
  MixerBackend& mixer;
  SendBatch& batch;
  std::vector<std::int64_t>& played_arrivals;  ///< arrival times of frames sent on this tick
  int ptime_ms;
  std::uint64_t period;  ///< the thread's period count: legs pop one frame per period
  const MonitoringToneConfig& tone;
  const std::unordered_map<LegId, LegMedia*>& legs;  ///< every leg on this thread
  Counter& unattached_routes;                        ///< routes naming a leg not on this thread
  bool& placement_stale;                             ///< set when a call's legs changed
};

/// A call's routes as compiled for its legs, and the buffers of one tick. Lives on one thread.
class CallMedia {
 public:
  explicit CallMedia(std::shared_ptr<RouteMailbox> mailbox) : mailbox_(std::move(mailbox)) {}
  CallMedia(const CallMedia&) = delete;
  CallMedia& operator=(const CallMedia&) = delete;
  ~CallMedia() { unlink_forwards(); }

  /// Picks up new routes (from the mailbox), recompiles when legs changed, mixes and queues this
  /// tick's packets. Returns false when the call has ended and can be dropped.
  bool tick(TickContext& context) noexcept;
  /// A leg this call's routes name was attached or detached: recompile before the next tick.
  void mark_dirty() noexcept { dirty_ = true; }
  bool dirty() const noexcept { return dirty_; }
  const RouteSet* routes() const noexcept { return routes_.get(); }
  /// Legs named by the applied routes (attached or not), to find the calls a leg change affects.
  const std::vector<LegId>& named_legs() const noexcept { return named_legs_; }
  std::size_t slot_count() const noexcept { return slot_legs_.size(); }
  const std::vector<LegMedia*>& legs() const noexcept { return slot_legs_; }
  /// `leg` leaves the thread: the forwarding links this call made with it are undone now (the
  /// call recompiles at its next tick; the leg may be gone by then).
  void forget(LegMedia* leg) noexcept;
  /// The sub-tick at which the call is mixed: right after its legs' packets arrive.
  std::size_t sub_tick = 0;
  /// The arrival phase the call was last placed after (Shard::place keeps it while it is as good
  /// as the best, so that a call does not flip between equal places).
  std::optional<std::int64_t> placed_phase;

 private:
  void compile(TickContext& context);
  /// Links every listener that hears one source alone, unchanged (same format, unity gain, no
  /// tone) to it, so that its packets are forwarded on arrival; keeps links that stay.
  void link_forwards();
  void unlink_forwards() noexcept;
  /// Whether the listener, forwarded until now, had this tick's frame of that source already:
  /// then its mix waits (see LegMedia::hold_clock).
  bool heard_on_arrival(const MixListener& listener, LegMedia& out, std::uint64_t period) noexcept;
  void mix_and_send(TickContext& context) noexcept;
  /// A leg as this call's mixer sees it: rate conversion to and from the mix, and the beep it
  /// hears (RtpEndpoint::play_beep). Kept across recompiles while the leg stays in the call.
  struct MixPort {
    std::unique_ptr<Resampler> to_mix, from_mix;  ///< when the call mixes at another rate
    std::vector<std::int16_t> mix_in;             ///< this tick's input at the mix rate
    std::optional<MonitoringTone> beep;           ///< the beep sounding now
    std::uint64_t beep_samples_left = 0;          ///< how much of it is left
  };

  void prepare_port(LegMedia& leg, MixPort& port);
  const std::int16_t* input_at_mix_rate(LegMedia& leg, MixPort& port) noexcept;
  void send_mixed(TickContext& context, std::size_t slot, std::int16_t* mixed, int channels) noexcept;
  void send(TickContext& context, LegMedia& leg, std::size_t length) noexcept;
  /// RtpEndpoint::play_beep: a leg's posted beep starts at this tick, at the call's mix rate.
  void start_posted_beep(LegMedia& leg, MixPort& port) noexcept;
  /// Adds this tick's part of the leg's beep to what it hears; the beep ends when it is played.
  void play_beep(MixPort& port, std::span<std::int16_t> frame, int channels) noexcept;

  std::shared_ptr<RouteMailbox> mailbox_;
  std::shared_ptr<const RouteSet> routes_;
  bool dirty_ = false;
  bool ended_ = false;
  MixPlan plan_;
  std::vector<LegId> named_legs_;
  std::vector<LegMedia*> slot_legs_;
  std::vector<MixPort> ports_;                             ///< one per slot
  std::vector<std::pair<LegMedia*, LegMedia*>> forwards_;  ///< (source, listener) links made here
  int mix_rate_ = 8000;
  std::size_t mix_samples_ = 160;
  std::optional<MonitoringTone> tone_;
  std::vector<const std::int16_t*> inputs_;
  std::vector<std::int16_t*> outputs_;
  std::vector<std::uint8_t> skip_, produced_, needed_;
  std::vector<std::int16_t> output_storage_;
  std::vector<std::int16_t> scratch_;  ///< channel and rate conversion of one output
};

}  // namespace callsup::detail
