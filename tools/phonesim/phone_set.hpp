// callsup: simulated phones: RTP/SRTP legs with a known signal, driven by one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "address.hpp"
#include "callsup/media/codec.hpp"
#include "callsup/media/srtp.hpp"
#include "signals.hpp"

namespace callsup::sim {

/// One simulated phone: what it sends, where, and how it is keyed.
struct PhoneConfig {
  std::string name;  ///< for messages only
  /// The engine endpoint this phone talks to. Port 0: the phone does not send (listen only).
  Address remote;
  std::uint32_t ssrc = 0;  ///< 0: random (unique within the set)
  /// The SSRC of the stream this phone receives (the engine leg's). Required with
  /// Sockets::shared, where it is how packets find their phone; with per-phone sockets,
  /// packets with another SSRC are dropped and counted in SetStats::unknown when set.
  std::optional<std::uint32_t> expected_remote_ssrc;
  CodecSpec codec{"PCMU"};
  int ptime_ms = 20;  ///< a whole number of codec clock units
  /// When in each ptime the phone sends (0 <= offset < ptime): real phones are not in phase with
  /// each other, and a media server sees their packets spread over the period.
  int send_offset_ms = 0;
  /// RFC 4733 payload type, same clock rate as the codec; -1: no DTMF sent or understood.
  int telephone_event_pt = 101;
  std::optional<SrtpKeyMaterial> srtp_send;     ///< encrypt what this phone sends
  std::optional<SrtpKeyMaterial> srtp_receive;  ///< decrypt what it receives
  SignalFn signal = silence();                  ///< what the phone says, frame by frame
  bool record = false;  ///< keep the decoded audio received (integration tests; costs memory)
  /// Load tests: encode the signal once, at add(), and replay the payloads: the first frame
  /// that repeats frame 0 closes the cycle (one frame for a sine with whole periods per
  /// frame, silence), else 50 frames (1 s) are looped. SRTP still protects every packet (its
  /// keystream and tag depend on the sequence number, so nothing can be reused).
  bool precompute = false;
  /// Write this phone's SSRC and the frame's index into the first 8 bytes of every audio
  /// payload (frame_tags.hpp), so the receiving phone can count the frames the engine lost.
  bool tag_frames = false;
  /// Count the tagged frames of the phone with this SSRC (the one this phone talks to) as
  /// received: PhoneStats::frames_*. Meaningful where the engine forwards that phone's stream.
  std::optional<std::uint32_t> count_frames_from;
};

/// Per-phone counters. Loss, duplicates and reordering come from the RTP sequence numbers
/// of the packets received (see SequenceTracker: wrap-safe, counted from the stream's first
/// packet on, a restart of the sender's sequence space counts nothing).
struct PhoneStats {
  std::uint64_t sent = 0;      ///< packets sent (audio and telephone-event)
  std::uint64_t received = 0;  ///< valid RTP packets received (after SRTP), duplicates included
  std::uint64_t lost = 0;      ///< sequence numbers never received (so far)
  std::uint64_t duplicates = 0;
  std::uint64_t reordered = 0;           ///< arrived after a later packet
  std::uint64_t malformed = 0;           ///< not RTP (parse_rtp failed), or SRTP said malformed
  std::uint64_t auth_fail = 0;           ///< SRTP authentication failed (wrong key, tampering)
  std::uint64_t replay = 0;              ///< SRTP replay protection dropped it
  std::uint64_t wrong_payload_type = 0;  ///< neither the codec's nor the telephone-event type
  std::uint64_t dtmf_sent = 0;           ///< digits whose first telephone-event packet was sent
  std::uint64_t dtmf_received = 0;       ///< digits received (DtmfReceiver: each press once)
  // With count_frames_from, end to end (whatever sequence numbers the engine wrote):
  std::uint64_t frames_tagged = 0;    ///< frames of that phone received
  std::uint64_t frames_lost = 0;      ///< frames of that phone never received
  std::uint64_t frames_replaced = 0;  ///< missing frames whose slot a mixed or concealed frame took
  std::uint64_t frames_untagged = 0;  ///< audio frames received without that phone's tag
  std::uint64_t frames_repeated = 0;  ///< frames of that phone received again (or after a later one)
  /// Audio packets whose timestamp does not follow the previous one's by one frame, though their
  /// sequence number follows it by one (a stream the engine stitched together badly).
  std::uint64_t timestamp_jumps = 0;

  PhoneStats& operator+=(const PhoneStats& other) noexcept;
  friend bool operator==(const PhoneStats&, const PhoneStats&) = default;
};

/// Counters of the set as a whole.
struct SetStats {
  std::uint64_t ticks = 0;        ///< ticks elapsed (frames_sent())
  std::uint64_t late_ticks = 0;   ///< ticks that ran late (the thread overran a tick and caught up)
  std::uint64_t unknown = 0;      ///< packets whose SSRC is no phone's (see expected_remote_ssrc)
  std::uint64_t malformed = 0;    ///< shared socket: datagrams too short or not RTP version 2
  std::uint64_t rtcp = 0;         ///< RTCP datagrams (RFC 5761 muxed), ignored
  std::uint64_t send_errors = 0;  ///< packets the kernel refused, or SRTP could not protect
  double thread_cpu_seconds = 0;  ///< CPU time of the set's thread so far (user + system)
};

/// A set of simulated phones, all driven by one thread: every ptime each phone sends one
/// RTP packet (to its remote), and everything received is accounted for (and recorded when
/// asked). Cheap enough for load tests: one thread serves thousands of phones, packets go
/// out in sendmmsg batches and come in through recvmmsg, the tick allocates nothing.
///
/// Sockets: per_phone binds one UDP socket per phone (at add(), so the engine can be told
/// the address); shared binds one socket for the whole set (in the constructor): every
/// phone has the same local address and incoming packets are demultiplexed by their SSRC,
/// which must be each phone's expected_remote_ssrc.
///
/// Timing: the tick is the greatest common divisor of the phones' ptimes and send offsets; a
/// timerfd with absolute expiries drives it, so the schedule does not drift; ticks the thread
/// missed are caught up (and counted late). A phone with ptime p and offset o sends on the ticks
/// at o, o + p, o + 2p... (each tick visits only the phones due then).
///
/// DTMF: while a digit plays, the phone sends RFC 4733 packets *instead of* audio (as
/// hardware phones do), on the audio's SSRC and sequence space, marker on each event's
/// first packet, timestamp = the media timestamp of the event's first packet; the media
/// timestamp and the signal's frame index keep advancing, so audio resumes in phase.
///
/// Lifecycle: configure (add, set_remote), start() once, stop() (or destroy). The
/// accessors marked thread-safe may be called while running, from any thread.
class PhoneSet {
 public:
  enum class Sockets : std::uint8_t { per_phone, shared };

  /// Throws Error(invalid_argument) for a local_ip that is not IPv4, and Error(io_error)
  /// when the shared socket cannot be bound.
  explicit PhoneSet(Sockets sockets = Sockets::per_phone, std::string local_ip = "127.0.0.1");
  ~PhoneSet();  ///< stops
  PhoneSet(const PhoneSet&) = delete;
  PhoneSet& operator=(const PhoneSet&) = delete;

  /// Adds a phone (before start()); returns its index. Builds its codec, SRTP contexts and
  /// (per_phone) binds its socket. Throws Error(invalid_argument) naming the bad value: a
  /// codec make_codec rejects, a ptime that is not a whole number of clock units, bad SRTP
  /// keys, an SSRC already used in the set, a shared-socket phone without (or with a
  /// duplicate) expected_remote_ssrc, a bad remote ip, an empty signal, or add() after start().
  std::size_t add(PhoneConfig config);
  /// Number of phones.
  std::size_t size() const noexcept;

  /// Where phone `phone` receives: tell the engine. Throws Error(invalid_argument) for a bad index.
  Address local_address(std::size_t phone) const;
  /// The SSRC phone `phone` sends with (the random one when configured 0).
  std::uint32_t ssrc(std::size_t phone) const;
  /// Points phone `phone` at `remote` (before start(); port 0: do not send). Throws
  /// Error(invalid_argument) for a bad index, a bad ip, or when running.
  void set_remote(std::size_t phone, Address remote);

  /// Starts the thread: the first tick is immediate. Throws Error(invalid_argument) when
  /// called twice (a set runs once).
  void start();
  /// Stops and joins the thread; idempotent.
  void stop();
  /// True between start() and stop().
  bool running() const noexcept;

  /// Queues DTMF digits (0-9 * # A-D) for phone `phone`; they play from its next tick.
  /// Thread-safe. Throws Error(invalid_argument) for a bad index, a bad digit or duration
  /// (as DtmfSender::send), or a phone without telephone_event_pt.
  void send_dtmf(std::size_t phone, std::string_view digits, int duration_ms = 100, int gap_ms = 60);

  /// A snapshot of phone `phone`'s counters. Thread-safe.
  PhoneStats stats(std::size_t phone) const;
  /// The sum over all phones. Thread-safe.
  PhoneStats total() const;
  /// The set's own counters. Thread-safe.
  SetStats set_stats() const;

  /// A copy of the decoded audio phone `phone` received (record = true), at the codec's
  /// rate, in arrival order: one frame per packet; a forward timestamp jump (lost packets,
  /// a DTMF event that replaced audio) is filled with silence, up to 10 s; duplicates are
  /// left out. Thread-safe.
  std::vector<std::int16_t> recording(std::size_t phone) const;
  /// Forgets what was recorded so far (e.g. the start-up transient). Thread-safe.
  void clear_recording(std::size_t phone);
  /// The DTMF digits phone `phone` received as telephone events, in order. Thread-safe.
  std::string dtmf_received(std::size_t phone) const;

  /// Ticks elapsed since start(). Thread-safe.
  std::uint64_t frames_sent() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace callsup::sim
