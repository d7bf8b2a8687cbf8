// callsup-pbx console: HTTP/1.1 and WebSocket over Boost.Beast, on the control thread's io_context.
#pragma once

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp needs it under C++20 with GCC 12

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "callsup/media/socket_address.hpp"

namespace callsup::pbx {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;
/// Answers a request; called exactly once per request, from any thread.
using Respond = std::function<void(HttpResponse)>;

class WebSocketPeer;

/// What the server asks of the application. Called on the io_context's thread, inside the
/// connection's strand.
class HttpHandler {
 public:
  virtual ~HttpHandler() = default;
  /// Answers `request` from `peer_ip` now or later (through `respond`).
  virtual void handle(HttpRequest request, const std::string& peer_ip, Respond respond) = 0;
  /// A WebSocket upgrade request: nullopt accepts it (attach follows), a response refuses it.
  virtual std::optional<HttpResponse> check_upgrade(const HttpRequest& request) = 0;
  /// An accepted WebSocket, open.
  virtual void attach(const std::shared_ptr<WebSocketPeer>& peer, const HttpRequest& request) = 0;
};

/// One WebSocket client: text messages out, in order; what it sends is read and ignored (only
/// close frames and pings matter). Thread-safe send().
class WebSocketPeer {
 public:
  virtual ~WebSocketPeer() = default;
  virtual void send(std::string text) = 0;
  virtual void close() = 0;
  /// Called once (on the io_context) when the socket is gone, whoever closed it.
  virtual void on_closed(std::function<void()> callback) = 0;
};

/// Accepts on `at`; each connection gets its own strand. Request bodies over 8 KiB get 413, a
/// malformed request 400; a connection idle for 60 s is closed.
class HttpServer {
 public:
  /// Binds `at` (throws naming it when it cannot). `handler` must outlive the server.
  HttpServer(boost::asio::io_context& io, const SocketAddress& at, HttpHandler& handler);
  void close();
  /// The port bound (for a listen port 0).
  std::uint16_t port() const;

 private:
  void accept();

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  HttpHandler& handler_;
};

/// A JSON response with `status` (and Cache-Control: no-store).
HttpResponse json_response(unsigned status, const std::string& body, unsigned version = 11);
/// {"error": message} with `status`.
HttpResponse error_response(unsigned status, const std::string& message, unsigned version = 11);

}  // namespace callsup::pbx
