// callsup-pbx: opening a TCP listening socket for the admin endpoint and the console.
#pragma once

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp needs it under C++20 with GCC 12

#include <boost/asio/ip/tcp.hpp>
#include <stdexcept>
#include <string>

#include "callsup/media/socket_address.hpp"

namespace callsup::pbx {

/// Opens, binds (SO_REUSEADDR) and listens on `at`; throws "<setting> <at>: <why>".
inline void listen_on(boost::asio::ip::tcp::acceptor& acceptor, const SocketAddress& at,
                      const std::string& setting) {
  boost::system::error_code error;
  const auto address = boost::asio::ip::make_address(at.ip, error);
  if (!error) {
    const boost::asio::ip::tcp::endpoint endpoint(address, at.port);
    acceptor.open(endpoint.protocol(), error);
    if (!error) acceptor.set_option(boost::asio::socket_base::reuse_address(true), error);
    if (!error) acceptor.bind(endpoint, error);
    if (!error) acceptor.listen(boost::asio::socket_base::max_listen_connections, error);
  }
  if (error) throw std::runtime_error(setting + " " + at.to_string() + ": " + error.message());
}

}  // namespace callsup::pbx
