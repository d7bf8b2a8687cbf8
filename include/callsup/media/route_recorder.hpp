// callsup: a backend that records route updates, as an external media server would receive them.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

#include "callsup/media/mix_plan.hpp"
#include "callsup/media/mixer_backend.hpp"
#include "callsup/model/leg.hpp"
#include "callsup/routing/route_set.hpp"

namespace callsup {

/// Records every route update as an external media server would receive them (thread-safe);
/// for tests and as the example of an external-mixer integration: a real one would translate
/// each RouteSet into its server's commands in on_routes() (e.g. conference bridge edges).
/// mixes_audio() is false, so the engine leaves the media to that server.
class RouteRecorder final : public MixerBackend {
 public:
  /// One received update and when it arrived.
  struct Update {
    std::chrono::steady_clock::time_point at;  ///< when it was recorded (non-decreasing in order)
    /// The routes of the update, as the service published them.
    RouteSet routes;
  };

  /// Appends a copy of `routes` and wakes wait_for(). Updates of one call keep their order
  /// (the engine sends one call's updates from one thread).
  void on_routes(const RouteSet& routes) override;
  /// False: an external server mixes; the engine never calls mix().
  bool mixes_audio() const noexcept override { return false; }
  /// Not called by the engine (mixes_audio() is false); marks every slot as "nothing produced".
  void mix(const MixPlan& plan, const MixFrames& frames) noexcept override;

  /// A copy of every update so far, in arrival order.
  std::vector<Update> updates() const;
  /// The newest RouteSet received for `call`, or nullopt when none was.
  std::optional<RouteSet> latest(const CallId& call) const;
  /// How many updates were received.
  std::size_t size() const;
  /// Blocks until `pred(updates)` holds or `timeout` passes (tests wait on it). Returns
  /// pred's last value. `pred` runs under the recorder's lock: it must not call the recorder.
  /// Throws Error(invalid_argument) when `pred` is empty.
  bool wait_for(std::function<bool(const std::vector<Update>&)> pred,
                std::chrono::milliseconds timeout) const;

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::vector<Update> updates_;
};

}  // namespace callsup
