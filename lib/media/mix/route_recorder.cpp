// callsup: RouteRecorder — route updates kept in arrival order behind one lock.
#include "callsup/media/route_recorder.hpp"

#include <algorithm>
#include <utility>

#include "callsup/error.hpp"

namespace callsup {

void RouteRecorder::on_routes(const RouteSet& routes) {
  // Copy outside the lock; stamp under it, so that times follow the recorded order.
  Update update{{}, routes};
  {
    std::lock_guard lock(mutex_);
    update.at = std::chrono::steady_clock::now();
    updates_.push_back(std::move(update));
  }
  changed_.notify_all();
}

void RouteRecorder::mix(const MixPlan&, const MixFrames& frames) noexcept {
  std::fill(frames.produced.begin(), frames.produced.end(), std::uint8_t{0});
}

std::vector<RouteRecorder::Update> RouteRecorder::updates() const {
  std::lock_guard lock(mutex_);
  return updates_;
}

std::optional<RouteSet> RouteRecorder::latest(const CallId& call) const {
  std::lock_guard lock(mutex_);
  auto it = std::find_if(updates_.rbegin(), updates_.rend(),
                         [&](const Update& update) { return update.routes.call == call; });
  if (it == updates_.rend()) return std::nullopt;
  return it->routes;
}

std::size_t RouteRecorder::size() const {
  std::lock_guard lock(mutex_);
  return updates_.size();
}

bool RouteRecorder::wait_for(std::function<bool(const std::vector<Update>&)> pred,
                             std::chrono::milliseconds timeout) const {
  if (!pred) throw Error(errc::invalid_argument, "RouteRecorder::wait_for: the predicate is empty");
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return pred(updates_); });
}

}  // namespace callsup
