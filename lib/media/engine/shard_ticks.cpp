// callsup (internal): Shard, the clock: one tick per period, split in sub-ticks, each call served right after
// its legs' packets arrived.
#include "media/engine/shard.hpp"

#include <pthread.h>
#include <time.h>

#include <algorithm>
#include <future>

#include <unistd.h>

#include "media/engine/shard_support.hpp"

namespace callsup::detail {
namespace {

/// A forwarded listener whose source still sends: a packet that comes after the listener's
/// sub-tick is on its way, so no silence is sent in its place.
bool forwarded_stream_flows(const LegMedia& leg, std::int64_t recent_ns) noexcept {
  const ForwardState& f = leg.forwarding();
  return f.source != nullptr && !f.paused && f.synced && f.source->arrival_edge(recent_ns).has_value();
}

}  // namespace

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
  const std::int64_t recent = steady_ns() - 3 * period_.count();
  for (LegMedia* leg : legs_at_[sub_tick]) {
    leg->pop_frame(period_index_);  // a leg no call mixes still plays out (and counts) its frames
    leg->take_posted_dtmf();
    leg->take_posted_rekey();
    const int fd = leg->out_fd();
    if (!leg->take_sent_audio() && config_.silence_to_idle_legs && leg->has_remote() &&
        !forwarded_stream_flows(*leg, recent)) {
      if (const std::size_t length = leg->build_audio(leg->silence(), period_index_); length != 0) {
        send_.add(fd, leg->audio_out().first(length), leg->remote_address());
        leg->count_sent(length, false);
      }
    }
    if (const std::size_t length = leg->build_dtmf(period_index_); length != 0 && leg->has_remote()) {
      send_.add(fd, leg->dtmf_out().first(length), leg->remote_address());
      leg->count_sent(length, false);
    }
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
        if (auto edge = leg->arrival_edge(recent)) phases_.push_back(*edge);
      if (auto all_in = all_arrived_phase_sticky(phases_, period, call->placed_phase, sub)) {
        call->placed_phase = *all_in;
        call->sub_tick = sub_tick_after(*all_in, arrival_margin_ns, sub, sub_ticks_);
      }
      for (LegMedia* leg : call->legs()) leg->place(placement_round_, call->sub_tick);
    }
    calls_at_[call->sub_tick].push_back(call.get());
  }
  for (LegMedia* leg : order_) {
    if (!leg->placed_in(placement_round_)) {
      const auto edge = leg->arrival_edge(recent);
      leg->place(placement_round_,
                 edge ? sub_tick_after(*edge, arrival_margin_ns, sub, sub_ticks_) : leg->sub_tick());
    }
    legs_at_[leg->sub_tick()].push_back(leg);
  }
}

}  // namespace callsup::detail
