// callsup-pbx: the admin endpoint.
#include "admin_server.hpp"

#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <regex>

#include "log.hpp"
#include "tcp_listen.hpp"

namespace callsup::pbx {

namespace asio = boost::asio;

namespace {

constexpr std::size_t max_request = 8192;

std::string counters_json(const Counters& counters) {
  // "a=1 b=2" -> {"a":1,"b":2}
  std::string json = "{";
  static const std::regex pair(R"((\w+)=(\d+))");
  const std::string line = counters.format();
  for (auto it = std::sregex_iterator(line.begin(), line.end(), pair); it != std::sregex_iterator(); ++it)
    json += std::string(json.size() > 1 ? "," : "") + "\"" + (*it)[1].str() + "\":" + (*it)[2].str();
  return json + "}\n";
}

std::string response(int status, const char* reason, const std::string& type, const std::string& body) {
  return "HTTP/1.0 " + std::to_string(status) + " " + reason + "\r\nContent-Type: " + type +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

/// One connection: reads the request head, writes the answer, closes.
struct Exchange : std::enable_shared_from_this<Exchange> {
  Exchange(asio::ip::tcp::socket s, const Counters& c)
      : socket(std::move(s)), buffer(max_request), counters(c) {}

  void start() {
    asio::async_read_until(socket, buffer, "\r\n\r\n", [self = shared_from_this()](auto error, std::size_t) {
      self->answer(error ? std::string() : self->request_line());
    });
  }

  std::string request_line() {
    std::istream in(&buffer);
    std::string line;
    std::getline(in, line);
    return line;
  }

  void answer(const std::string& line) {
    if (line.rfind("GET /counters ", 0) == 0)
      reply = response(200, "OK", "application/json", counters_json(counters));
    else if (line.rfind("GET ", 0) == 0)
      reply = response(404, "Not Found", "text/plain", "only GET /counters\n");
    else
      reply = response(400, "Bad Request", "text/plain", "bad request\n");
    asio::async_write(socket, asio::buffer(reply), [self = shared_from_this()](auto, std::size_t) {
      boost::system::error_code ignored;
      self->socket.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    });
  }

  asio::ip::tcp::socket socket;
  asio::streambuf buffer;
  const Counters& counters;
  std::string reply;
};

}  // namespace

AdminServer::AdminServer(asio::io_context& io, const SocketAddress& at, const Counters& counters)
    : acceptor_(io), counters_(counters) {
  listen_on(acceptor_, at, "admin.listen");
  accept();
}

void AdminServer::close() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
}

void AdminServer::accept() {
  acceptor_.async_accept([this](boost::system::error_code error, asio::ip::tcp::socket socket) {
    if (error == asio::error::operation_aborted) return;
    if (!error) std::make_shared<Exchange>(std::move(socket), counters_)->start();
    accept();
  });
}

}  // namespace callsup::pbx
