// callsup-mediabench null-relay: the kernel's ceiling. One socket per leg; every datagram read on
// socket i (recvmmsg) is sent as is to forward_to[i] (sendmmsg, in the same buffers): no parsing,
// no copies, one thread, epoll. What any relay must at least spend per packet.
//
// Config (stdin, one line):  {"forward_to": ["127.0.0.1:40002", "127.0.0.1:40001", ...]}
// Addresses (stdout):        {"legs": ["127.0.0.1:35001", ...]}   (socket i forwards to forward_to[i])
// Runs until stdin closes or SIGTERM, then prints {"packets_in": n, "packets_out": n, ...} on stderr.
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <iostream>

#include "callsup/error.hpp"
#include "io_json.hpp"
#include "owned_fd.hpp"
#include "subcommands.hpp"
#include "udp_batch.hpp"

namespace callsup::mediabench {

namespace {

constexpr std::size_t batch_size = 64;
constexpr std::size_t max_datagram = 2048;

/// recvmmsg and sendmmsg over the same buffers.
struct Batch {
  std::array<std::array<std::uint8_t, max_datagram>, batch_size> data{};
  std::array<iovec, batch_size> iov{};
  std::array<mmsghdr, batch_size> msgs{};
  std::uint64_t in = 0, out = 0, send_failures = 0;

  void relay(int fd, sockaddr_in& to) noexcept {
    for (int round = 0; round < 64; ++round) {  // bounded: other sockets get their turn
      for (std::size_t i = 0; i < batch_size; ++i) {
        iov[i] = iovec{data[i].data(), max_datagram};
        msgs[i] = mmsghdr{};
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
      }
      const int got = ::recvmmsg(fd, msgs.data(), batch_size, MSG_DONTWAIT, nullptr);
      if (got <= 0) return;
      in += static_cast<std::uint64_t>(got);
      for (int i = 0; i < got; ++i) {
        iov[static_cast<std::size_t>(i)].iov_len = msgs[static_cast<std::size_t>(i)].msg_len;
        msgs[static_cast<std::size_t>(i)].msg_hdr.msg_name = &to;
        msgs[static_cast<std::size_t>(i)].msg_hdr.msg_namelen = sizeof to;
      }
      int done = 0;
      while (done < got) {
        const int sent =
            ::sendmmsg(fd, &msgs[static_cast<std::size_t>(done)], static_cast<unsigned>(got - done), 0);
        if (sent <= 0) {
          if (sent < 0 && errno == EINTR) continue;
          send_failures += static_cast<std::uint64_t>(got - done);  // full or unreachable: dropped
          break;
        }
        done += sent;
        out += static_cast<std::uint64_t>(sent);
      }
      if (static_cast<std::size_t>(got) < batch_size) return;
    }
  }
};

}  // namespace

int run_null_relay(const Args& args) {
  if (!args.empty())
    throw Error(errc::invalid_argument, "null-relay takes no arguments, got " + quoted(args[0]));
  raise_fd_limit();
  install_stop_signals();
  const json config = read_json_line(std::cin, "null-relay config");
  const auto list = config.find("forward_to");
  if (list == config.end() || !list->is_array() || list->empty())
    throw Error(errc::invalid_argument,
                "null-relay config: \"forward_to\" must be a non-empty list of ip:port");
  std::vector<sockaddr_in> targets;
  std::vector<sim::UdpSocket> sockets;
  json addresses = json::array();
  for (const json& entry : *list) {
    if (!entry.is_string())
      throw Error(errc::invalid_argument, "null-relay config: not an address: " + entry.dump());
    targets.push_back(sim::to_sockaddr(parse_address(entry.get<std::string>())));
    sockets.emplace_back(sim::Address{"127.0.0.1", 0}, 1 << 20);
    addresses.push_back(sockets.back().local_address().to_string());
  }
  sim::OwnedFd epoll(::epoll_create1(EPOLL_CLOEXEC));
  if (epoll.get() < 0) throw Error(errc::io_error, "epoll_create1 failed");
  for (std::size_t i = 0; i <= sockets.size(); ++i) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = i;  // sockets.size(): stdin
    const int fd = i < sockets.size() ? sockets[i].fd() : STDIN_FILENO;
    // stdin may be a file (epoll refuses those): then only SIGTERM stops us.
    if (::epoll_ctl(epoll.get(), EPOLL_CTL_ADD, fd, &event) != 0 && i < sockets.size())
      throw Error(errc::io_error, "epoll_ctl failed for socket " + std::to_string(i));
  }
  print_json_line({{"legs", addresses}});

  Batch batch;
  std::array<epoll_event, 256> events{};
  bool running = true;
  while (running && !stop_requested()) {
    const int ready = ::epoll_wait(epoll.get(), events.data(), static_cast<int>(events.size()), 200);
    for (int i = 0; i < ready; ++i) {
      const auto index = static_cast<std::size_t>(events[static_cast<std::size_t>(i)].data.u64);
      if (index == sockets.size()) {
        running = !stdin_closed_or_stopped(0);
        continue;
      }
      batch.relay(sockets[index].fd(), targets[index]);
    }
  }
  std::cerr << json{{"packets_in", batch.in},
                    {"packets_out", batch.out},
                    {"send_failures", batch.send_failures}}
                   .dump()
            << std::endl;
  return 0;
}

}  // namespace callsup::mediabench
