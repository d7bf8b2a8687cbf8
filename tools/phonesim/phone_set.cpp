// Over 400 lines: one event loop: the tick, receive and send paths share its state.
// callsup: PhoneSet: one thread, a timerfd tick and batched UDP I/O for many simulated phones.
#include "phone_set.hpp"

#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <exception>
#include <numeric>
#include <random>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "callsup/error.hpp"
#include "callsup/media/rtp_packet.hpp"
#include "counter_bump.hpp"
#include "owned_fd.hpp"
#include "phone.hpp"
#include "udp_batch.hpp"

namespace callsup::sim {
namespace {

constexpr int shared_buffer_bytes = 8 << 20;     // a tick's burst for thousands of phones
constexpr int per_phone_buffer_bytes = 1 << 20;  // a few hundred packets of backlog each
constexpr std::size_t send_batch_packets = 512;
constexpr std::size_t receive_batch_packets = 64;
constexpr std::size_t max_datagram = 8192;     // larger ones are cut and counted malformed
constexpr std::size_t max_drain_batches = 64;  // then back to epoll, so a flood cannot starve ticks
constexpr std::uint64_t timer_tag = ~std::uint64_t{0};
constexpr std::uint64_t stop_tag = timer_tag - 1;

[[noreturn]] void throw_errno(const std::string& what) {
  throw Error(errc::io_error, what + ": " + std::strerror(errno));
}

std::uint32_t read_ssrc(const std::uint8_t* packet) noexcept {
  return std::uint32_t{packet[8]} << 24 | std::uint32_t{packet[9]} << 16 | std::uint32_t{packet[10]} << 8 |
         packet[11];
}

}  // namespace

struct PhoneSet::Impl {
  Sockets mode;
  std::string local_ip;
  std::optional<UdpSocket> shared_socket;
  std::vector<std::unique_ptr<Phone>> phones;
  std::vector<UdpSocket> phone_sockets;                           // per_phone: phone i's socket
  std::unordered_map<std::uint32_t, std::size_t> by_remote_ssrc;  // shared: demultiplexing
  std::unordered_set<std::uint32_t> ssrcs;                        // ours, unique within the set
  std::mt19937 rng{std::random_device{}()};

  std::atomic<bool> started{false}, running{false};
  std::atomic<bool> stopping{false};  // read between caught-up ticks: an overloaded set stops at once
  OwnedFd stop_event{::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)};
  std::thread thread;
  std::exception_ptr failure;

  std::atomic<std::uint64_t> ticks{0}, late_ticks{0}, unknown{0}, malformed{0}, rtcp{0}, send_errors{0};
  std::atomic<std::int64_t> cpu_ns{0};

  // The thread's working state, sized at start().
  std::int64_t tick_ns = 20'000'000;
  std::vector<std::vector<std::size_t>> due;  // due[t % due.size()]: the phones that send on tick t
  std::optional<SendBatch> send_batch;
  std::optional<RecvBatch> receive_batch;
  std::vector<std::uint8_t> packet;   // per_phone: one packet at a time
  std::vector<std::int16_t> decoded;  // decode scratch for recordings

  void check_index(std::size_t phone) const {
    if (phone >= phones.size())
      throw Error(errc::invalid_argument,
                  "phone index " + std::to_string(phone) + " is not below " + std::to_string(phones.size()));
  }
  void check_not_started(const char* what) const {
    if (started.load()) throw Error(errc::invalid_argument, std::string(what) + " after start()");
  }

  void prepare();
  void halt() noexcept;  // stops and joins the thread, if running
  void run();
  void loop();
  void tick(std::uint64_t index);
  void drain(int fd, std::size_t owner);
  void dispatch(std::size_t i, std::size_t owner);
  void update_cpu() noexcept;
};

// --- configuration ------------------------------------------------------------------------

PhoneSet::PhoneSet(Sockets sockets, std::string local_ip) : impl_(std::make_unique<Impl>()) {
  impl_->mode = sockets;
  impl_->local_ip = std::move(local_ip);
  to_sockaddr({impl_->local_ip, 0});  // validates
  if (impl_->stop_event.get() < 0) throw_errno("eventfd");
  if (sockets == Sockets::shared)
    impl_->shared_socket.emplace(Address{impl_->local_ip, 0}, shared_buffer_bytes);
}

PhoneSet::~PhoneSet() { impl_->halt(); }

std::size_t PhoneSet::add(PhoneConfig config) {
  Impl& s = *impl_;
  s.check_not_started("PhoneSet::add");
  const bool shared = s.mode == Sockets::shared;
  const std::string label =
      config.name.empty() ? "phone " + std::to_string(s.phones.size()) : "phone " + quoted(config.name);
  if (shared && !config.expected_remote_ssrc)
    throw Error(errc::invalid_argument, label + ": a shared-socket phone needs expected_remote_ssrc");
  if (shared && s.by_remote_ssrc.count(*config.expected_remote_ssrc))
    throw Error(errc::invalid_argument, label + ": expected_remote_ssrc " +
                                            std::to_string(*config.expected_remote_ssrc) +
                                            " is already another phone's");
  std::uint32_t ssrc = config.ssrc;
  if (ssrc != 0 && s.ssrcs.count(ssrc))
    throw Error(errc::invalid_argument,
                label + ": SSRC " + std::to_string(ssrc) + " is already used in the set");
  while (ssrc == 0 || s.ssrcs.count(ssrc)) ssrc = static_cast<std::uint32_t>(s.rng());

  const std::optional<std::uint32_t> expected = config.expected_remote_ssrc;
  auto phone = std::make_unique<Phone>(std::move(config), ssrc, s.rng);
  if (!shared) s.phone_sockets.emplace_back(Address{s.local_ip, 0}, per_phone_buffer_bytes);
  // Nothing below throws (but bad_alloc): the set stays consistent when add() fails.
  s.ssrcs.insert(ssrc);
  if (shared) s.by_remote_ssrc.emplace(*expected, s.phones.size());
  s.phones.push_back(std::move(phone));
  return s.phones.size() - 1;
}

std::size_t PhoneSet::size() const noexcept { return impl_->phones.size(); }

Address PhoneSet::local_address(std::size_t phone) const {
  impl_->check_index(phone);
  return impl_->mode == Sockets::shared ? impl_->shared_socket->local_address()
                                        : impl_->phone_sockets[phone].local_address();
}

std::uint32_t PhoneSet::ssrc(std::size_t phone) const {
  impl_->check_index(phone);
  return impl_->phones[phone]->ssrc();
}

void PhoneSet::set_remote(std::size_t phone, Address remote) {
  impl_->check_index(phone);
  impl_->check_not_started("PhoneSet::set_remote");
  impl_->phones[phone]->set_remote(remote);
}

void PhoneSet::send_dtmf(std::size_t phone, std::string_view digits, int duration_ms, int gap_ms) {
  impl_->check_index(phone);
  impl_->phones[phone]->queue_dtmf(digits, duration_ms, gap_ms);
}

// --- lifecycle ----------------------------------------------------------------------------

void PhoneSet::start() {
  Impl& s = *impl_;
  if (s.started.exchange(true)) throw Error(errc::invalid_argument, "PhoneSet::start() called twice");
  s.prepare();
  s.running.store(true);
  s.thread = std::thread([&s] {
    ::pthread_setname_np(::pthread_self(), "phonesim");  // shows in top -H and perf
    s.run();
  });
}

void PhoneSet::stop() {
  impl_->halt();
  if (impl_->failure) std::rethrow_exception(std::exchange(impl_->failure, nullptr));
}

void PhoneSet::Impl::halt() noexcept {
  if (!thread.joinable()) return;
  const std::uint64_t one = 1;
  stopping.store(true, std::memory_order_relaxed);
  [[maybe_unused]] const ssize_t n = ::write(stop_event.get(), &one, sizeof one);
  thread.join();
  running.store(false);
}

bool PhoneSet::running() const noexcept { return impl_->running.load(); }

void PhoneSet::Impl::prepare() {
  // The tick is the gcd of the ptimes: with equal ptimes (the usual case) it is the ptime.
  int tick_ms = 0;
  std::size_t cycle = 1;  // ticks after which the schedule repeats: the lcm of the ptimes
  std::size_t max_packet = rtp_fixed_header_size;
  for (const auto& phone : phones) {
    tick_ms = std::gcd(tick_ms, std::gcd(phone->config().ptime_ms, phone->config().send_offset_ms));
    max_packet = std::max(max_packet, phone->max_packet_bytes());
  }
  if (tick_ms == 0) tick_ms = 20;
  for (const auto& phone : phones)
    cycle = std::lcm(cycle, static_cast<std::size_t>(phone->config().ptime_ms / tick_ms));
  due.assign(cycle, {});
  for (std::size_t i = 0; i < phones.size(); ++i) {
    const auto every = static_cast<std::size_t>(phones[i]->config().ptime_ms / tick_ms);
    for (auto t = static_cast<std::size_t>(phones[i]->config().send_offset_ms / tick_ms); t < cycle;
         t += every)
      due[t].push_back(i);
  }
  tick_ns = std::int64_t{tick_ms} * 1'000'000;
  if (mode == Sockets::shared) send_batch.emplace(send_batch_packets, max_packet);
  packet.assign(max_packet, 0);
  receive_batch.emplace(receive_batch_packets, max_datagram);
  decoded.assign(max_datagram, 0);  // G.711 decodes one sample per byte, the most of any codec
}

// --- the thread ---------------------------------------------------------------------------

void PhoneSet::Impl::run() {
  try {
    loop();
  } catch (...) {
    // A signal that threw, or the kernel refusing epoll/timerfd: stop() rethrows it.
    failure = std::current_exception();
  }
  update_cpu();
}

void PhoneSet::Impl::loop() {
  OwnedFd timer(::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC));
  OwnedFd epoll(::epoll_create1(EPOLL_CLOEXEC));
  if (timer.get() < 0) throw_errno("timerfd_create");
  if (epoll.get() < 0) throw_errno("epoll_create1");
  const auto watch = [&](int fd, std::uint64_t tag) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = tag;
    if (::epoll_ctl(epoll.get(), EPOLL_CTL_ADD, fd, &event) != 0) throw_errno("epoll_ctl");
  };
  watch(timer.get(), timer_tag);
  watch(stop_event.get(), stop_tag);
  if (mode == Sockets::shared) watch(shared_socket->fd(), 0);
  for (std::size_t i = 0; i < phone_sockets.size(); ++i) watch(phone_sockets[i].fd(), i);

  // Absolute expiries from one start instant: the kernel keeps the period, so no drift.
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  itimerspec spec{};
  spec.it_value = now;
  spec.it_interval.tv_sec = tick_ns / 1'000'000'000;
  spec.it_interval.tv_nsec = tick_ns % 1'000'000'000;
  if (::timerfd_settime(timer.get(), TFD_TIMER_ABSTIME, &spec, nullptr) != 0) throw_errno("timerfd_settime");

  std::array<epoll_event, 256> events{};
  std::uint64_t next_tick = 0;
  for (;;) {
    const int ready = ::epoll_wait(epoll.get(), events.data(), static_cast<int>(events.size()), -1);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) throw_errno("epoll_wait");
    for (int e = 0; e < ready; ++e) {
      const std::uint64_t tag = events[static_cast<std::size_t>(e)].data.u64;
      if (tag == stop_tag) return;
      if (tag == timer_tag) {
        std::uint64_t expirations = 0;
        if (::read(timer.get(), &expirations, sizeof expirations) != sizeof expirations) continue;
        // Missed ticks are caught up back to back, so every phone keeps its packet rate.
        if (expirations > 1) bump(late_ticks, expirations - 1);
        for (std::uint64_t k = 0; k < expirations; ++k) {
          if (k % 16 == 15) update_cpu();
          if (stopping.load(std::memory_order_relaxed)) return;
          tick(next_tick++);
          // One cheap recvmmsg per tick keeps the shared socket's queue short even while
          // missed ticks are caught up (its receive buffer holds only a few ticks' worth).
          if (mode == Sockets::shared) drain(shared_socket->fd(), 0);
        }
        update_cpu();
        continue;
      }
      drain(mode == Sockets::shared ? shared_socket->fd() : phone_sockets[tag].fd(),
            static_cast<std::size_t>(tag));
    }
  }
}

void PhoneSet::Impl::tick(std::uint64_t index) {
  const bool shared = mode == Sockets::shared;
  for (const std::size_t i : due[index % due.size()]) {
    Phone& phone = *phones[i];
    if (!phone.sends()) continue;
    if (shared) {
      if (send_batch->full()) bump(send_errors, send_batch->flush(shared_socket->fd()));
      const std::size_t length = phone.next_packet(send_batch->next_buffer());
      if (length == 0)
        bump(send_errors);
      else
        send_batch->commit(length, phone.remote());
      continue;
    }
    const std::size_t length = phone.next_packet(packet);
    if (length == 0) {
      bump(send_errors);
      continue;
    }
    const sockaddr_in& to = phone.remote();
    const ssize_t sent = ::sendto(phone_sockets[i].fd(), packet.data(), length, 0,
                                  reinterpret_cast<const sockaddr*>(&to), sizeof to);
    if (sent != static_cast<ssize_t>(length)) bump(send_errors);
  }
  if (shared && !send_batch->empty()) bump(send_errors, send_batch->flush(shared_socket->fd()));
  bump(ticks);
}

void PhoneSet::Impl::drain(int fd, std::size_t owner) {
  RecvBatch& batch = *receive_batch;
  for (std::size_t round = 0; round < max_drain_batches; ++round) {
    const std::size_t count = batch.receive(fd);
    for (std::size_t i = 0; i < count; ++i) dispatch(i, owner);
    if (count < batch.capacity()) return;  // drained; epoll reports the next arrival
  }
}

void PhoneSet::Impl::dispatch(std::size_t i, std::size_t owner) {
  RecvBatch& batch = *receive_batch;
  const bool shared = mode == Sockets::shared;
  const std::size_t length = batch.length(i);
  const std::span<std::uint8_t> buffer = batch.buffer(i);
  if (looks_like_rtcp(buffer.first(length))) return bump(rtcp);
  if (batch.truncated(i) || length < rtp_fixed_header_size || (buffer[0] >> 6) != 2) {
    if (shared) return bump(malformed);
    return phones[owner]->count_malformed();
  }
  // The SSRC is in the clear in SRTP too, so demultiplexing needs no key.
  const std::uint32_t ssrc = read_ssrc(buffer.data());
  std::size_t phone = owner;
  if (shared) {
    const auto it = by_remote_ssrc.find(ssrc);
    if (it == by_remote_ssrc.end()) return bump(unknown);
    phone = it->second;
  } else if (const auto& expected = phones[phone]->config().expected_remote_ssrc;
             expected && *expected != ssrc) {
    return bump(unknown);
  }
  phones[phone]->on_datagram(buffer, length, decoded);
}

void PhoneSet::Impl::update_cpu() noexcept {
  timespec cpu{};
  if (::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu) == 0)
    cpu_ns.store(std::int64_t{cpu.tv_sec} * 1'000'000'000 + cpu.tv_nsec, std::memory_order_relaxed);
}

// --- observation --------------------------------------------------------------------------

PhoneStats PhoneSet::stats(std::size_t phone) const {
  impl_->check_index(phone);
  return impl_->phones[phone]->stats();
}

PhoneStats PhoneSet::total() const {
  PhoneStats sum;
  for (const auto& phone : impl_->phones) sum += phone->stats();
  return sum;
}

SetStats PhoneSet::set_stats() const {
  const Impl& s = *impl_;
  SetStats out;
  out.ticks = s.ticks.load(std::memory_order_relaxed);
  out.late_ticks = s.late_ticks.load(std::memory_order_relaxed);
  out.unknown = s.unknown.load(std::memory_order_relaxed);
  out.malformed = s.malformed.load(std::memory_order_relaxed);
  out.rtcp = s.rtcp.load(std::memory_order_relaxed);
  out.send_errors = s.send_errors.load(std::memory_order_relaxed);
  out.thread_cpu_seconds = static_cast<double>(s.cpu_ns.load(std::memory_order_relaxed)) / 1e9;
  return out;
}

std::vector<std::int16_t> PhoneSet::recording(std::size_t phone) const {
  impl_->check_index(phone);
  return impl_->phones[phone]->recording();
}

void PhoneSet::clear_recording(std::size_t phone) {
  impl_->check_index(phone);
  impl_->phones[phone]->clear_recording();
}

std::string PhoneSet::dtmf_received(std::size_t phone) const {
  impl_->check_index(phone);
  return impl_->phones[phone]->dtmf_received();
}

std::uint64_t PhoneSet::frames_sent() const noexcept { return impl_->ticks.load(std::memory_order_relaxed); }

}  // namespace callsup::sim
