// callsup-pbx: the admin endpoint: GET /counters answers the counters as JSON (HTTP/1.0).
#pragma once

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp needs it under C++20 with GCC 12

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <memory>

#include "callsup/media/socket_address.hpp"
#include "counters.hpp"

namespace callsup::pbx {

/// Serves on the control thread's io_context: one request per connection, read up to 8 KiB,
/// answered and closed. Only GET /counters (200, JSON) exists; anything else is 404 or 400.
class AdminServer {
 public:
  /// Binds `at`; throws naming the address when it cannot.
  AdminServer(boost::asio::io_context& io, const SocketAddress& at, const Counters& counters);
  void close();

 private:
  void accept();

  boost::asio::ip::tcp::acceptor acceptor_;
  const Counters& counters_;
};

}  // namespace callsup::pbx
