// callsup: the media plane's engine: endpoints, clock-driven ticks, mixing, threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "callsup/media/endpoint_config.hpp"
#include "callsup/media/engine_stats.hpp"
#include "callsup/media/mixer_backend.hpp"
#include "callsup/media/monitoring_tone.hpp"
#include "callsup/media/rtp_endpoint.hpp"
#include "callsup/routing/route_set.hpp"
#include "callsup/subscription.hpp"

namespace callsup {

/// How a MediaEngine runs.
struct MediaEngineConfig {
  /// Engine threads (shards); 0 = one per core. Calls are spread over them by call id.
  std::size_t threads = 0;
  /// The tick: every leg sends one frame per tick; legs must use this packet time.
  int ptime_ms = 20;
  /// Address of the shared sockets, and of dedicated sockets that name none.
  std::string bind_ip = "127.0.0.1";
  /// Thread i's shared socket binds port `shared_port_base + i`; 0 = any free port.
  std::uint16_t shared_port_base = 0;
  /// Ports for dedicated sockets (first free one is taken).
  std::uint16_t port_min = 20000;
  /// The last port for dedicated sockets.
  std::uint16_t port_max = 29999;
  /// Who mixes. Null = a SoftwareMixer. Shared by all threads (see MixerBackend).
  std::shared_ptr<MixerBackend> mixer;
  /// The monitoring tone the parties of supervised calls hear, when a session asks for it.
  MonitoringToneConfig monitoring_tone;
  /// SO_RCVBUF / SO_SNDBUF of every socket (bursts of a whole tick's packets must fit).
  int socket_buffer_bytes = 4 << 20;
  /// Jitter buffer: frames queued ahead of playout before the oldest is dropped.
  std::size_t jitter_max_depth = 4;
  /// A leg with a known peer that hears nobody on a tick (not routed yet, private whisper, a
  /// silent source) is sent a frame of silence, as a PBX would: phones hang up on an RTP
  /// timeout, and NAT bindings expire without traffic. false: send nothing.
  bool silence_to_idle_legs = true;
};

/// Moves and mixes the audio of supervised calls. Each leg that callsup carries gets an
/// RtpEndpoint; the control plane's RouteSets say who hears whom. Every tick (ptime), each
/// thread pulls one frame per leg from its jitter buffer, mixes what each listener hears (a
/// listener with a single source at unity gain gets the packet forwarded without decoding),
/// adds the monitoring tone, encodes, protects and sends, in batches. Legs that hear nobody get
/// silence (see `silence_to_idle_legs`).
///
/// Threads: the engine owns `threads` threads (one clock each), or runs on an executor of the
/// integrator's (media_engine_asio.hpp). A call's RouteSet is picked up at its next tick with no
/// lock on the per-packet or per-tick path. Digits received by endpoints are delivered on the
/// engine's control thread, never on a media thread. All methods are thread-safe.
class MediaEngine {
 public:
  /// Starts the engine's own threads. Throws Error(invalid_argument) for a bad config and
  /// Error(io_error) when a shared socket cannot be bound.
  explicit MediaEngine(MediaEngineConfig config = {});
  struct Executor;  ///< defined in media_engine_asio.hpp (an Asio executor of the integrator's)
  /// Runs on the integrator's executor: each of `config.threads` shards (0 = 1) gets a strand.
  MediaEngine(MediaEngineConfig config, const Executor& executor);
  ~MediaEngine();
  MediaEngine(const MediaEngine&) = delete;
  MediaEngine& operator=(const MediaEngine&) = delete;

  /// Attaches an endpoint for `leg`. `media_group` chooses the engine thread: use the call the
  /// leg's audio belongs to — for a supervisor's leg, the call it supervises — so that all legs
  /// named by one RouteSet run on the same thread. Throws Error(duplicate_id) for a leg that
  /// already has one, Error(invalid_argument) for a bad config (codec, SRTP keys, ptime), and
  /// Error(io_error) when no port can be bound.
  std::shared_ptr<RtpEndpoint> add_endpoint(const CallId& media_group, const LegId& leg,
                                            const EndpointConfig& config);
  /// Detaches and closes a leg's endpoint (unknown legs are ignored).
  void remove_endpoint(const LegId& leg);
  /// The endpoint of `leg`, or null.
  std::shared_ptr<RtpEndpoint> endpoint(const LegId& leg) const;

  /// A call's new routes (from SupervisionService's route observer): applied at the call's next
  /// tick. `routes->ended` drops the call's media state.
  void update_routes(std::shared_ptr<const RouteSet> routes);

  /// What a digit handler gets: one struct, so fields can be added without breaking anyone.
  struct OnDtmfParam {
    LegId leg;   ///< the leg whose endpoint received the digit
    char digit;  ///< '0'-'9', '*', '#', 'A'-'D'
  };
  /// Called with each digit an endpoint received (see on_dtmf).
  using DtmfHandler = std::function<void(const OnDtmfParam&)>;
  /// Adds a handler for digits received by endpoints (RFC 4733), called on the control thread;
  /// the returned Subscription removes it. To drive a SupervisionService, use
  /// callsup::connect_media (callsup/supervised_media.hpp).
  Subscription on_dtmf(DtmfHandler handler);
  /// Waits until every digit received so far has been handed to the handlers (tests).
  void flush_control();

  /// Shared sockets, one per thread (where peers of `SocketMode::shared` legs send).
  std::vector<SocketAddress> shared_addresses() const;
  /// The number of media threads.
  std::size_t thread_count() const noexcept;
  /// Counters and percentiles of every thread, and their totals.
  EngineStats stats() const;
  /// Restarts the percentiles of stats() (tick lateness, latency), e.g. after a warm-up; takes
  /// effect at each thread's next turn.
  void reset_percentiles();
  /// Stops the threads and closes every socket; endpoints stay readable. Idempotent.
  void stop();

  class Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace callsup
