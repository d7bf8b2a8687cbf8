// callsup: running a MediaEngine on the integrator's Asio executor (needs Boost.Asio).
#pragma once

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp needs it under C++20 with GCC 12

#include <boost/asio/any_io_executor.hpp>

#include "callsup/media/media_engine.hpp"

namespace callsup {

/// The integrator's executor, e.g. `MediaEngine engine(config, {io_context.get_executor()})`.
/// Each engine shard runs on its own strand of it; the integrator runs the io_context (with as
/// many threads as it likes) and must keep running it until `engine.stop()` has returned.
struct MediaEngine::Executor {
  /// The executor whose strands run the engine's shards.
  boost::asio::any_io_executor executor;
};

}  // namespace callsup
