// callsup: the bridge between the control plane and the media plane.
//
// Neither side knows the other: SupervisionService publishes route sets and takes digits,
// MediaEngine applies route sets and reports digits. connect_media() joins them and returns
// the connection that undoes it.
#pragma once

#include "callsup/media/media_engine.hpp"
#include "callsup/session/supervision_service.hpp"
#include "callsup/subscription.hpp"

namespace callsup {

/// A service and an engine joined in both directions: the service's new route sets drive
/// the engine (MediaEngine::update_routes), and digits the engine's endpoints receive reach
/// SupervisionService::dtmf_from_leg. Destroying it (or disconnect()) undoes both; after
/// that neither side calls the other. The service and the engine must outlive the
/// connection: declare it after both, so that it goes first.
class [[nodiscard]] SupervisedMedia {
 public:
  SupervisedMedia() = default;
  /// Holds the two directions' subscriptions (made by connect_media).
  SupervisedMedia(Subscription routes, Subscription digits)
      : routes_(std::move(routes)), digits_(std::move(digits)) {}

  /// Undoes both directions now; idempotent.
  void disconnect() noexcept {
    digits_.reset();
    routes_.reset();
  }
  /// Lets go of the handle but stays connected for as long as both sides live.
  void release() noexcept {
    digits_.release();
    routes_.release();
  }
  /// True until disconnect() or release() (or a move out of it).
  bool connected() const noexcept { return routes_.active(); }

 private:
  Subscription routes_;
  Subscription digits_;
};

/// Joins `service` and `engine` (see SupervisedMedia). Connecting one engine to several
/// services, or one service to several engines, is allowed: each connection is its own.
[[nodiscard]] SupervisedMedia connect_media(SupervisionService& service, MediaEngine& engine);

}  // namespace callsup
