// callsup-loadgen: the supervised calls, their engine and their phones.
#pragma once

#include <atomic>
#include <memory>
#include <vector>

#include "callsup/media/media_engine.hpp"
#include "callsup/session/supervision_service.hpp"
#include "callsup/supervised_media.hpp"
#include "options.hpp"
#include "phone_set.hpp"

namespace callsup::loadgen {

/// Everything counted, at one moment.
struct Snapshot {
  double wall_seconds = 0;  ///< since the scenario started
  EngineStats engine;
  sim::PhoneStats phones;          ///< summed over every phone
  double phone_cpu_seconds = 0;    ///< the phone threads
  EndpointStats endpoints;         ///< summed over the engine's endpoints
  std::uint64_t mode_changes = 0;  ///< sessions' mode_changed events
  std::uint64_t sessions_active = 0;
  std::uint64_t rss_bytes = 0;  ///< the process's resident set (engine, phones, everything)
};

/// This process's resident set size in bytes (/proc/self/statm), 0 if it cannot be read.
std::uint64_t resident_bytes();

/// N calls "customer <-> agent" on loopback, each supervised by its own supervisor (a group
/// per call), every leg an endpoint of one MediaEngine and a phone of a PhoneSet.
class Scenario {
 public:
  explicit Scenario(const Options& options);
  ~Scenario();
  /// Starts the phones and has every supervisor dial *90<agent> (listen).
  void start();
  /// Supervisors whose turn has come press the next mode key (1 whisper, 2 barge, 0 listen),
  /// spread evenly over the cycle. Call often (e.g. every 20 ms).
  void press_keys(double elapsed_seconds);
  Snapshot snapshot() const;
  MediaEngine& engine() { return *engine_; }
  /// The process's RSS once the engine and the phone sets existed, right before the calls were set up.
  std::uint64_t rss_bytes_before_calls() const { return rss_before_calls_; }
  void stop();

 private:
  struct CallLegs {
    std::size_t phone_set;
    std::size_t customer, agent, supervisor;  ///< phone indexes in the set
    std::size_t presses = 0;
  };
  class ModeCounter;

  Options options_;
  CallRegistry registry_;
  Directory directory_;
  std::unique_ptr<SupervisionService> service_;
  std::shared_ptr<ModeCounter> modes_;
  std::unique_ptr<MediaEngine> engine_;
  Subscription mode_counting_;
  SupervisedMedia media_;  // after the service and the engine: disconnected before either goes
  std::vector<std::unique_ptr<sim::PhoneSet>> phone_sets_;
  std::vector<CallLegs> calls_;
  std::vector<std::shared_ptr<RtpEndpoint>> endpoints_;
  std::chrono::steady_clock::time_point started_;
  std::uint64_t rss_before_calls_ = 0;
};

}  // namespace callsup::loadgen
