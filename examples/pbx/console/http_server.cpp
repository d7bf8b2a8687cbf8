// callsup-pbx console: the Beast listener, HTTP connections and WebSockets.
#include "http_server.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <deque>
#include <nlohmann/json.hpp>

#include "log.hpp"
#include "tcp_listen.hpp"

namespace callsup::pbx {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;

namespace {

constexpr std::size_t max_body = 8 * 1024;
constexpr std::size_t max_header = 16 * 1024;
constexpr std::size_t max_queued_messages = 4096;  // a client that reads nothing is cut off
constexpr auto idle_timeout = std::chrono::seconds(60);

/// A WebSocket on its connection's strand.
class WebSocketSession final : public WebSocketPeer, public std::enable_shared_from_this<WebSocketSession> {
 public:
  explicit WebSocketSession(beast::tcp_stream stream) : ws_(std::move(stream)) {}

  void start(HttpRequest request, HttpHandler& handler) {
    beast::get_lowest_layer(ws_).expires_never();  // the WebSocket's own timeouts from here on
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.read_message_max(4096);
    auto self = shared_from_this();
    ws_.async_accept(request, [self, request, &handler](beast::error_code error) {
      if (error) return self->closed();
      handler.attach(self, request);
      self->read();
    });
  }

  void send(std::string text) override {
    asio::dispatch(ws_.get_executor(), [self = shared_from_this(), text = std::move(text)]() mutable {
      if (self->gone_) return;
      if (self->queue_.size() >= max_queued_messages) {
        log_line("console", "WebSocket client reads nothing: closed");
        return self->close_now();
      }
      self->queue_.push_back(std::move(text));
      if (self->queue_.size() == 1) self->write();
    });
  }

  void close() override {
    asio::dispatch(ws_.get_executor(), [self = shared_from_this()] { self->close_now(); });
  }

  void on_closed(std::function<void()> callback) override {
    asio::dispatch(ws_.get_executor(), [self = shared_from_this(), callback = std::move(callback)]() mutable {
      if (self->gone_)
        callback();
      else
        self->on_closed_ = std::move(callback);
    });
  }

 private:
  void read() {
    ws_.async_read(in_, [self = shared_from_this()](beast::error_code error, std::size_t) {
      if (error) return self->closed();
      self->in_.consume(self->in_.size());  // the console says nothing the server needs
      self->read();
    });
  }

  void write() {
    ws_.text(true);
    ws_.async_write(asio::buffer(queue_.front()),
                    [self = shared_from_this()](beast::error_code error, std::size_t) {
                      if (error) return self->closed();
                      self->queue_.pop_front();
                      if (!self->queue_.empty()) self->write();
                    });
  }

  void close_now() {
    if (gone_ || closing_) return;
    closing_ = true;
    ws_.async_close(websocket::close_code::normal,
                    [self = shared_from_this()](beast::error_code) { self->closed(); });
  }

  void closed() {
    if (gone_) return;
    gone_ = true;
    queue_.clear();
    if (on_closed_) std::exchange(on_closed_, nullptr)();
  }

  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer in_;
  std::deque<std::string> queue_;
  std::function<void()> on_closed_;
  bool closing_ = false;
  bool gone_ = false;
};

/// One HTTP connection: requests one after the other (keep-alive), each answered before the next
/// is read.
class HttpConnection : public std::enable_shared_from_this<HttpConnection> {
 public:
  HttpConnection(asio::ip::tcp::socket socket, HttpHandler& handler)
      : stream_(std::move(socket)), handler_(handler) {
    beast::error_code error;
    const auto endpoint = stream_.socket().remote_endpoint(error);
    peer_ip_ = error ? std::string("?") : endpoint.address().to_string();
  }

  void start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read(); });
  }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(max_body);
    parser_->header_limit(static_cast<std::uint32_t>(max_header));
    stream_.expires_after(idle_timeout);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code error, std::size_t) { self->on_read(error); });
  }

  void on_read(beast::error_code error) {
    if (error == http::error::end_of_stream || error == beast::error::timeout || error == asio::error::eof ||
        error == asio::error::connection_reset || error == asio::error::operation_aborted)
      return close();
    if (error == http::error::body_limit)
      return write(error_response(413, "request body over " + std::to_string(max_body) + " bytes"), true);
    if (error == http::error::header_limit)
      return write(error_response(431, "request header over " + std::to_string(max_header) + " bytes"), true);
    if (error) return write(error_response(400, "malformed HTTP request: " + error.message()), true);

    HttpRequest request = parser_->release();
    if (websocket::is_upgrade(request)) {
      if (auto refusal = handler_.check_upgrade(request)) return write(std::move(*refusal), true);
      stream_.expires_never();
      std::make_shared<WebSocketSession>(std::move(stream_))->start(std::move(request), handler_);
      return;
    }
    const unsigned version = request.version();
    const bool keep_alive = request.keep_alive();
    handler_.handle(std::move(request), peer_ip_,
                    [self = shared_from_this(), version, keep_alive](HttpResponse response) {
                      asio::dispatch(self->stream_.get_executor(),
                                     [self, version, keep_alive, response = std::move(response)]() mutable {
                                       response.version(version);
                                       response.keep_alive(keep_alive);
                                       self->write(std::move(response), !keep_alive);
                                     });
                    });
  }

  void write(HttpResponse response, bool close_after) {
    response.set(http::field::server, "callsup-pbx");
    response.prepare_payload();
    auto message = std::make_shared<HttpResponse>(std::move(response));
    stream_.expires_after(idle_timeout);
    http::async_write(
        stream_, *message,
        [self = shared_from_this(), message, close_after](beast::error_code error, std::size_t) {
          if (error || close_after) return self->close();
          self->read();
        });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  HttpHandler& handler_;
  std::string peer_ip_;
};

}  // namespace

HttpResponse json_response(unsigned status, const std::string& body, unsigned version) {
  HttpResponse response{static_cast<http::status>(status), version};
  response.set(http::field::content_type, "application/json");
  response.set(http::field::cache_control, "no-store");
  response.body() = body;
  return response;
}

HttpResponse error_response(unsigned status, const std::string& message, unsigned version) {
  return json_response(status, nlohmann::json{{"error", message}}.dump(), version);
}

HttpServer::HttpServer(asio::io_context& io, const SocketAddress& at, HttpHandler& handler)
    : io_(io), acceptor_(io), handler_(handler) {
  listen_on(acceptor_, at, "console.listen");
  accept();
}

std::uint16_t HttpServer::port() const {
  beast::error_code error;
  return acceptor_.local_endpoint(error).port();
}

void HttpServer::close() {
  beast::error_code ignored;
  acceptor_.close(ignored);
}

void HttpServer::accept() {
  acceptor_.async_accept(asio::make_strand(io_),
                         [this](beast::error_code error, asio::ip::tcp::socket socket) {
                           if (error == asio::error::operation_aborted) return;
                           if (!error) std::make_shared<HttpConnection>(std::move(socket), handler_)->start();
                           accept();
                         });
}

}  // namespace callsup::pbx
