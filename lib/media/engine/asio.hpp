// callsup (internal): the parts of Boost.Asio the engine uses (never in a public header but
// media_engine_asio.hpp).
#pragma once

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp needs it under C++20 with GCC 12

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

namespace callsup::detail {
namespace asio = boost::asio;
}
