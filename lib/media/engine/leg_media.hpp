// callsup (internal): everything the media plane keeps for one leg.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "callsup/media/codec.hpp"
#include "callsup/media/dtmf_receiver.hpp"
#include "callsup/media/dtmf_sender.hpp"
#include "callsup/media/endpoint_config.hpp"
#include "callsup/media/endpoint_stats.hpp"
#include "callsup/media/jitter_buffer.hpp"
#include "callsup/media/loss_concealer.hpp"
#include "callsup/media/monitoring_tone.hpp"
#include "callsup/media/resampler.hpp"
#include "callsup/media/srtp.hpp"
#include "callsup/model/leg.hpp"
#include "media/engine/arrival_phase.hpp"
#include "media/engine/counter.hpp"
#include "media/engine/peer_address.hpp"

namespace callsup::detail {

class DedicatedSocket;
class LegMedia;

/// An audio packet as received, for forwarding on arrival: its header fields and where its
/// payload lies in the buffer it was received into (SRTP already removed).
struct ReceivedAudio {
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;
  std::uint32_t ssrc = 0;
  bool marker = false;
  std::size_t payload_offset = 0;  ///< at least rtp_fixed_header_size: room for our header
  std::size_t payload_size = 0;
};

/// What happened to one received datagram (for the engine's bookkeeping).
struct ReceiveOutcome {
  bool accepted = false;               ///< counted as this leg's packet
  bool relatched = false;              ///< the peer address changed: demultiplexing must follow
  bool new_ssrc = false;               ///< the peer's SSRC changed (or was learnt): likewise
  std::optional<char> digit;           ///< an RFC 4733 digit started
  std::optional<ReceivedAudio> audio;  ///< an audio packet (also queued in the jitter buffer)
};

/// A listener's side of forwarding on arrival (docs/media.md, "Forward on arrival"): the leg it
/// hears alone and unchanged, and how that leg's packets are renumbered into its own stream.
struct ForwardState {
  LegMedia* source = nullptr;  ///< set by the call that routes the source to this listener alone
  bool paused = false;         ///< a beep is mixed in for now: the clock serves the listener
  /// The clock has played out what the source's jitter buffer held: packets may now go out as
  /// they arrive without one being left behind.
  bool ready = false;
  bool synced = false;  ///< the offsets below hold (set by the first packet forwarded)
  std::uint32_t source_ssrc = 0;
  std::uint16_t sequence_offset = 0;
  std::uint32_t timestamp_offset = 0;
  /// The source's last packet forwarded here, until a mix carries the source's later frames
  /// (a mix must not repeat what went out on arrival).
  bool played_any = false;
  std::uint16_t last_source_sequence = 0;
};

/// Where a leg lives for its whole life: the thread whose shared socket its peer sends to (which
/// forwards its packets when the leg runs elsewhere), and its local address.
struct LegHome {
  std::size_t thread = 0;
  int shared_fd = -1;   ///< that thread's shared socket
  SocketAddress local;  ///< the shared socket's address, or the leg's dedicated socket's
};

/// One leg's media state. Identity, config and home are immutable; the `media thread` part is
/// touched only by the engine thread that runs the leg, through the methods below (the thread's
/// schedule, the socket it sends from, what it sent); counters, flags and `remote_text` are read
/// by anyone.
class LegMedia {
 public:
  LegMedia(CallId media_group, LegId leg, EndpointConfig config, LegHome home, int ptime_ms,
           std::size_t jitter_depth);
  LegMedia(const LegMedia&) = delete;
  LegMedia& operator=(const LegMedia&) = delete;
  ~LegMedia();

  // --- identity (immutable after construction) ---
  const CallId media_group;
  const LegId leg;
  const EndpointConfig config;
  const std::uint32_t ssrc;
  const LegHome home;
  /// Unique in the process: tells this leg from a later one allocated at the same address.
  const std::uint64_t serial;

  // --- media thread ---
  /// Checks source, SRTP, RTP and payload type of one datagram (`data` may be modified in place:
  /// SRTP is removed there) and feeds the jitter buffer or the DTMF receiver. Never throws.
  ReceiveOutcome receive(std::span<std::uint8_t> data, std::size_t length, const sockaddr_storage& from,
                         std::int64_t now_ns) noexcept;
  /// Pops this period's frame from the jitter buffer into `frame`, once per period (the call
  /// that mixes the leg and the leg's own sub-tick may both ask).
  void pop_frame(std::uint64_t period) noexcept {
    if (popped_period_ == period) return;
    popped_period_ = period;
    pop_frame_now();
  }
  /// Pops again while the popped frame is audio at or before `sequence` and more are queued.
  void pop_through(std::uint16_t sequence) noexcept {
    while (frame_.kind == JitterBuffer::Frame::Kind::audio &&
           static_cast<std::int16_t>(frame_.sequence - sequence) <= 0 && jitter_.stats().depth > 0)
      pop_frame_now();
  }
  /// Decodes (or conceals) the popped frame into `pcm()`; false when the leg is silent this tick.
  bool decode_frame() noexcept;
  /// Writes the RTP packet of `period` carrying `payload` (already encoded) into `audio_out`,
  /// protects it; returns its length, 0 if it could not be made.
  std::size_t build_audio(std::span<const std::uint8_t> payload, std::uint64_t period) noexcept;
  /// Encodes `pcm` (this leg's rate, its channel count) into `audio_out` and builds the packet
  /// around it, as build_audio does.
  std::size_t encode_and_build(std::span<const std::int16_t> pcm, std::uint64_t period) noexcept;
  /// The RFC 4733 packet of `period`, if a digit is being sent; returns its length or 0.
  std::size_t build_dtmf(std::uint64_t period) noexcept;
  /// The outgoing RTP clock: the timestamp of the frame sent for `period` (the running thread's
  /// period count). It counts on through periods in which nothing is sent.
  std::uint32_t timestamp_for(std::uint64_t period) const noexcept {
    return clock_timestamp_ + static_cast<std::uint32_t>(static_cast<std::int64_t>(period - clock_period_) *
                                                         static_cast<std::int64_t>(samples_per_frame_));
  }
  /// The leg leaves its thread, whose next period is `next_period`: the clock keeps its place
  /// (join_thread picks it up in the new thread's count).
  void leave_thread(std::uint64_t next_period) noexcept {
    clock_timestamp_ = timestamp_for(next_period);
    forward_.synced = false;
    forward_.played_any = false;
    built_any_ = false;
  }
  /// The leg runs on a thread whose next period is `next_period`.
  void join_thread(std::uint64_t next_period) noexcept { clock_period_ = next_period; }

  // Forward on arrival (docs/media.md).
  /// Makes `listener` hear `source` alone, unchanged, forwarded as each packet arrives.
  static void link_forward(LegMedia& source, LegMedia& listener);
  /// Stops forwarding to this listener (its source's list forgets it).
  void unlink_forward() noexcept;
  /// Both ends of every link this leg has (before it leaves its thread).
  void unlink_all_forwards() noexcept;
  const std::vector<LegMedia*>& forward_targets() const noexcept { return forward_to_; }
  const ForwardState& forwarding() const noexcept { return forward_; }
  /// Forwarding to this listener stops while `paused` (a beep is mixed in) and resumes in step.
  void pause_forward(bool paused) noexcept {
    if (forward_.paused && !paused) forward_.synced = forward_.ready = false;
    forward_.paused = paused;
  }
  /// The clock relayed the source's last queued frame: the next packet may be forwarded.
  void ready_to_forward() noexcept { forward_.ready = forward_.source != nullptr; }
  /// Packets are forwarded to this listener as they arrive (its clock does not serve it).
  bool forward_live() const noexcept {
    return forward_.source != nullptr && !forward_.paused && forward_.synced;
  }
  /// Whether relay() sends this listener the source's packets as they arrive.
  bool takes_forwarded() const noexcept { return forward_.ready && !forward_.paused; }
  /// The listener's mix of `period` is skipped (its source's frame went out on arrival): the
  /// next mix follows the last forwarded frame, one frame on, without a timestamp gap.
  /// The tick counts as served (its frame is out): no silence goes in its place.
  void hold_clock(std::uint64_t period) noexcept {
    clock_period_ = period;
    sent_audio_ = true;
  }
  /// Mixes carry the source's frames from `period` on: the clock goes on past the last frame
  /// forwarded (never back over it).
  void forget_forwarded(std::uint64_t period) noexcept {
    forward_.played_any = false;
    if (static_cast<std::int64_t>(period - clock_period_) <= 0) clock_period_ = period - 1;
  }
  /// Frames queued in the jitter buffer after this period's pop.
  std::size_t queued_frames() const noexcept { return jitter_.stats().depth; }
  /// Writes this leg's RTP header in front of a payload received by its source (`in`, inside
  /// `buffer`) and protects the packet in place: the packet starts at in.payload_offset - 12.
  /// `period` is the one whose tick would have played the frame. Returns its length, 0 if it
  /// could not be made.
  std::size_t forward_packet(std::span<std::uint8_t> buffer, const ReceivedAudio& in,
                             std::uint64_t period) noexcept;
  void set_remote(const sockaddr_storage& address, socklen_t length);
  bool has_remote() const noexcept { return !remote_.empty(); }
  const PeerAddress& remote_address() const noexcept { return remote_; }
  std::optional<std::uint32_t> peer_ssrc() const noexcept { return peer_ssrc_; }
  bool sends_dtmf() const noexcept { return dtmf_out_.busy(); }
  void queue_dtmf(const std::string& digits, int duration_ms);

  Codec& codec() noexcept { return *codec_; }
  std::size_t samples_per_frame() const noexcept { return samples_per_frame_; }
  std::span<std::int16_t> pcm() noexcept { return pcm_; }
  const JitterBuffer::Frame& frame() const noexcept { return frame_; }
  std::int64_t arrival_ns(std::uint16_t sequence) const noexcept {
    return arrivals_[sequence % arrivals_.size()];
  }
  std::span<std::uint8_t> audio_out() noexcept { return audio_out_; }
  std::span<std::uint8_t> dtmf_out() noexcept { return dtmf_out_buffer_; }
  /// Same wire format: a single-source frame can be forwarded without decoding.
  bool same_format(const LegMedia& other) const noexcept { return format_ == other.format_; }
  void sync_jitter_stats() noexcept;

  // The thread's schedule: when in the period its packets arrive, and the sub-tick it is served at.
  void note_arrival(std::int64_t phase_ns, std::int64_t period_ns, std::int64_t now_ns) noexcept {
    arrival_.note(phase_ns, period_ns, now_ns);
  }
  /// The late edge of the arrival phase, unless no packet came since `recent_ns`.
  std::optional<std::int64_t> arrival_edge(std::int64_t recent_ns) const noexcept {
    return arrival_.edge(recent_ns);
  }
  std::size_t sub_tick() const noexcept { return sub_tick_; }
  /// Serves the leg at `sub_tick` from placement round `round` on; false (and nothing changes)
  /// when this round placed it already (a leg two calls name: the first call's sub-tick).
  bool place(std::uint64_t round, std::size_t sub_tick) noexcept {
    if (placed_ == round) return false;
    placed_ = round;
    sub_tick_ = sub_tick;
    return true;
  }
  bool placed_in(std::uint64_t round) const noexcept { return placed_ == round; }
  /// A thread that just took the leg serves it at sub-tick 0 until it places it.
  void serve_at_start() noexcept { sub_tick_ = 0; }

  /// The socket the leg sends from on its current thread: its dedicated socket (kept by that
  /// thread), or null for its home thread's shared socket.
  void use_socket(DedicatedSocket* socket, int fd) noexcept {
    socket_ = socket;
    out_fd_ = fd;
  }
  DedicatedSocket* dedicated_socket() const noexcept { return socket_; }
  int out_fd() const noexcept { return out_fd_; }
  /// A packet of `bytes` went out for this leg; audio marks the tick as not silent.
  void count_sent(std::size_t bytes, bool audio) noexcept {
    counters.packets_out.add();
    counters.bytes_out.add(bytes);
    if (audio) sent_audio_ = true;
  }
  /// Whether audio went out since the last call (once per tick).
  bool take_sent_audio() noexcept { return std::exchange(sent_audio_, false); }
  /// The codec's encoding of a silent frame (made once).
  std::span<const std::uint8_t> silence() const noexcept { return silence_; }

  // --- any thread ---
  struct Counters {
    Counter packets_in, bytes_in, packets_out, bytes_out, lost, late, duplicate, concealed, malformed,
        unknown_payload_type, auth_fail, replay, unexpected_source, rtcp, dtmf_in, dtmf_out, send_errors;
  } counters;
  std::atomic<bool> attached{true};
  /// The thread the engine wants the leg on: a thread that receives the leg passes it on when
  /// this changed meanwhile (moves can overtake each other in flight).
  std::atomic<std::size_t> wanted_shard{0};
  std::optional<SocketAddress> remote_text() const;
  EndpointStats stats() const noexcept;
  /// Digits queued from other threads, picked up by the media thread each tick.
  void post_dtmf(std::string digits, int duration_ms);
  void take_posted_dtmf() noexcept;
  /// A beep queued from another thread (a tone config whose period is the beep: it sounds
  /// throughout), started by the call's tick: take_posted_beep() gives it once.
  void post_beep(const MonitoringToneConfig& tone);
  std::optional<MonitoringToneConfig> take_posted_beep() noexcept;
  /// New SRTP contexts (RtpEndpoint::rekey) from another thread; swapped in by the media thread
  /// before its next packet in or out (take_posted_rekey, cheap when there is none).
  void post_rekey(SrtpContext inbound, SrtpContext outbound);
  void take_posted_rekey() noexcept;

 private:
  void pop_frame_now() noexcept;
  void note_built(std::uint64_t period) noexcept {
    if (!built_any_ || static_cast<std::int64_t>(period - built_period_) > 0) built_period_ = period;
    built_any_ = true;
  }
  /// Writes the RTP header in front of `payload_bytes` already in `buffer`, protects the packet;
  /// its length, or 0 (counted) when SRTP fails.
  std::size_t seal(std::span<std::uint8_t> buffer, bool marker, std::uint8_t payload_type,
                   std::uint32_t timestamp, std::size_t payload_bytes) noexcept;
  ArrivalPhase arrival_;
  std::size_t sub_tick_ = 0;           ///< the sub-tick of the period at which the leg is served
  std::uint64_t placed_ = 0;           ///< the thread's placement round that last set sub_tick_
  DedicatedSocket* socket_ = nullptr;  ///< null on the shared socket
  int out_fd_ = -1;                    ///< where its packets are sent from
  bool sent_audio_ = false;            ///< an audio packet went out on this tick
  // Checked per packet or per tick: kept beside the other hot fields (one cache line), the
  // rest of the posting (mutex, queues) at the end.
  std::atomic<bool> dtmf_posted_{false}, beep_posted_{false}, keys_posted_{false};
  std::uint64_t popped_period_ = ~std::uint64_t{0};
  std::unique_ptr<Codec> codec_;
  std::uint8_t audio_payload_type_;  ///< codec_'s, without a virtual call per packet
  std::string format_;               ///< "name/rate/channels": legs with equal formats can forward frames
  std::size_t samples_per_frame_;
  JitterBuffer jitter_;
  LossConcealer concealer_;
  std::optional<SrtpContext> srtp_in_, srtp_out_;
  DtmfReceiver dtmf_in_;
  DtmfSender dtmf_out_;
  PeerAddress remote_;
  bool peer_confirmed_ = false;  ///< a valid packet came from remote_
  std::optional<std::uint32_t> peer_ssrc_;
  std::uint16_t out_sequence_;
  std::uint32_t clock_timestamp_;   ///< the timestamp of the frame of clock_period_
  std::uint64_t clock_period_ = 0;  ///< in the running thread's period count
  std::uint32_t dtmf_timestamp_ = 0;
  bool built_any_ = false;
  std::uint64_t built_period_ = 0;     ///< the latest period the clock sent a frame of
  ForwardState forward_;               ///< as a listener
  std::vector<LegMedia*> forward_to_;  ///< as a source: listeners that get its packets on arrival
  bool first_audio_ = true;
  JitterBuffer::Frame frame_;
  std::vector<std::int16_t> pcm_;
  std::array<std::int64_t, 64> arrivals_{};
  std::vector<std::uint8_t> audio_out_, dtmf_out_buffer_, silence_;
  JitterBufferStats synced_{};
  // RFC 3550 A.3 loss accounting over every packet of the peer's stream (audio and events).
  void count_sequence(std::uint32_t peer_ssrc, std::uint16_t sequence) noexcept;
  bool sequence_started_ = false;
  std::uint32_t sequence_ssrc_ = 0;
  std::uint32_t base_sequence_ = 0, highest_sequence_ = 0;  ///< extended (with wrap cycles)
  std::uint64_t sequence_received_ = 0, lost_before_ = 0;

  mutable std::mutex shared_mutex_;  ///< remote_text_ and posted digits: rare, never per packet
  std::optional<SocketAddress> remote_text_;
  std::vector<std::pair<std::string, int>> posted_dtmf_;
  std::optional<MonitoringToneConfig> posted_beep_;
  std::optional<std::pair<SrtpContext, SrtpContext>> posted_keys_;
};

}  // namespace callsup::detail
