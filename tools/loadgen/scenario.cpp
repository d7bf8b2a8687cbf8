// callsup-loadgen: building and driving the calls.
#include "scenario.hpp"

#include <unistd.h>

#include <fstream>
#include <random>
#include <string>

#include "callsup/policy/standard_policy.hpp"
#include "sdes_keys.hpp"

namespace callsup::loadgen {

/// Counts mode changes (an EventSink; events arrive on the service's delivering threads).
class Scenario::ModeCounter final : public EventSink {
 public:
  void on_event(const Event& event) override {
    if (event.kind == EventKind::mode_changed) changes.fetch_add(1, std::memory_order_relaxed);
    if (event.kind == EventKind::started) active.fetch_add(1, std::memory_order_relaxed);
    if (event.kind == EventKind::ended) active.fetch_sub(1, std::memory_order_relaxed);
  }
  std::atomic<std::uint64_t> changes{0};
  std::atomic<std::int64_t> active{0};
};

namespace {

const std::string tenant = "load";
std::string agent_ext(std::size_t i) { return std::to_string(100000 + i); }
std::string supervisor_ext(std::size_t i) { return std::to_string(500000 + i); }

ExtensionProfile profile(const std::string& ext, bool supervisor) {
  ExtensionProfile p;
  p.extension = ext;
  p.tenant = tenant;
  p.roles = {supervisor ? Role::supervisor : Role::agent};
  p.can_supervise = supervisor;
  p.granted_modes = supervisor ? ModeSet::all() : ModeSet{};
  return p;
}

MediaEngineConfig engine_config(const Options& options) {
  MediaEngineConfig config;
  config.threads = options.threads;
  config.port_min = 30000;
  config.port_max = 65000;
  config.socket_buffer_bytes = 16 << 20;
  return config;
}

}  // namespace

std::uint64_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::uint64_t size = 0, resident = 0;  // in pages
  if (!(statm >> size >> resident)) return 0;
  return resident * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
}

Scenario::Scenario(const Options& options) : options_(options), modes_(std::make_shared<ModeCounter>()) {
  TenantSettings settings;
  settings.name = tenant;
  settings.feature_code_plan = "portaswitch";
  directory_.set_tenant(settings);
  service_ = std::make_unique<SupervisionService>(registry_, directory_, std::make_shared<StandardPolicy>());
  mode_counting_ = service_->add_event_sink(modes_);
  engine_ = std::make_unique<MediaEngine>(engine_config(options));
  media_ = connect_media(*service_, *engine_);
  for (std::size_t i = 0; i < options.phone_threads; ++i)
    phone_sets_.push_back(std::make_unique<sim::PhoneSet>(
        options.phone_socket_per_leg ? sim::PhoneSet::Sockets::per_phone : sim::PhoneSet::Sockets::shared));

  rss_before_calls_ = resident_bytes();
  std::uint32_t next_ssrc = 0x10000000;
  std::mt19937 phase_rng(20261121);  // fixed seed: runs are comparable
  for (std::size_t i = 0; i < options.calls; ++i) {
    directory_.add_extension(profile(agent_ext(i), false));
    directory_.add_extension(profile(supervisor_ext(i), true));
    directory_.add_group({"g" + std::to_string(i), tenant, {agent_ext(i)}, {supervisor_ext(i)}});
    const CallId call = "c" + std::to_string(i);
    registry_.add_call(call, tenant);
    registry_.add_leg(call, Leg::off_net("cust" + std::to_string(i), "+15550000000", LegState::up));
    registry_.add_leg(call, Leg::on_net("agent" + std::to_string(i), agent_ext(i), LegState::up));
    registry_.bridge(call);
    registry_.add_call("s" + std::to_string(i), tenant);
    registry_.add_leg("s" + std::to_string(i),
                      Leg::on_net("sup" + std::to_string(i), supervisor_ext(i), LegState::up));

    CallLegs legs{};
    legs.phone_set = i % phone_sets_.size();
    sim::PhoneSet& phones = *phone_sets_[legs.phone_set];
    const struct {
      const char* prefix;
      double hz;
      std::size_t CallLegs::*index;
    } roles[] = {{"cust", 500, &CallLegs::customer},
                 {"agent", 1000, &CallLegs::agent},
                 {"sup", 1500, &CallLegs::supervisor}};
    // The customer and the agent tag their frames and count each other's, end to end: the
    // engine forwards their streams to each other except while the supervisor's voice is mixed in.
    const std::uint32_t customer_ssrc = 0x20000000u + 2u * static_cast<std::uint32_t>(i);
    const std::uint32_t agent_ssrc = customer_ssrc + 1;
    for (const auto& role : roles) {
      const std::uint32_t engine_ssrc = ++next_ssrc;
      sim::PhoneConfig phone;
      phone.name = role.prefix + std::to_string(i);
      phone.signal = sim::sine(role.hz, 4000);
      phone.precompute = true;
      if (role.index != &CallLegs::supervisor) {
        const bool customer = role.index == &CallLegs::customer;
        phone.ssrc = customer ? customer_ssrc : agent_ssrc;
        phone.tag_frames = true;
        phone.count_frames_from = customer ? agent_ssrc : customer_ssrc;
      }
      if (!options.phones_in_phase)
        phone.send_offset_ms = std::uniform_int_distribution<int>(0, 19)(phase_rng);
      phone.expected_remote_ssrc = engine_ssrc;
      EndpointConfig endpoint;
      endpoint.socket = options.dedicated_sockets ? SocketMode::dedicated : SocketMode::shared;
      endpoint.local_ssrc = engine_ssrc;
      if (options.srtp) sim::share_sdes_keys(phone, endpoint);
      const std::size_t index = phones.add(phone);
      legs.*(role.index) = index;
      const sim::Address at = phones.local_address(index);
      endpoint.remote = SocketAddress{at.ip, at.port};
      endpoint.remote_ssrc = phones.ssrc(index);
      // The supervisor's leg runs with the call it supervises (one RouteSet, one thread).
      auto created = engine_->add_endpoint(call, phone.name, endpoint);
      const SocketAddress local = created->local_address();
      phones.set_remote(index, {local.ip, local.port});
      endpoints_.push_back(std::move(created));
    }
    calls_.push_back(legs);
  }
}

Scenario::~Scenario() { stop(); }

void Scenario::start() {
  started_ = std::chrono::steady_clock::now();
  for (auto& phones : phone_sets_) phones->start();
  for (std::size_t i = 0; i < calls_.size(); ++i)
    service_->dial("sup" + std::to_string(i), supervisor_ext(i), "*90" + agent_ext(i));
}

void Scenario::press_keys(double elapsed) {
  static constexpr const char* keys[] = {"1", "2", "0"};  // whisper, barge, listen
  const double cycle = options_.mode_cycle_seconds;
  for (std::size_t i = 0; i < calls_.size(); ++i) {
    CallLegs& legs = calls_[i];
    // Call i presses at offset (i / N) of each cycle: an even spread, no burst.
    const double offset = cycle * static_cast<double>(i) / static_cast<double>(calls_.size());
    const double due = offset + cycle * static_cast<double>(legs.presses + 1);
    if (elapsed < due) continue;
    phone_sets_[legs.phone_set]->send_dtmf(legs.supervisor, keys[legs.presses % 3]);
    ++legs.presses;
  }
}

Snapshot Scenario::snapshot() const {
  Snapshot s;
  s.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  s.engine = engine_->stats();
  for (const auto& phones : phone_sets_) {
    s.phones += phones->total();
    s.phone_cpu_seconds += phones->set_stats().thread_cpu_seconds;
  }
  for (const auto& endpoint : endpoints_) {
    const EndpointStats e = endpoint->stats();
    s.endpoints.packets_in += e.packets_in;
    s.endpoints.packets_out += e.packets_out;
    s.endpoints.lost += e.lost;
    s.endpoints.late += e.late;
    s.endpoints.duplicate += e.duplicate;
    s.endpoints.concealed += e.concealed;
    s.endpoints.malformed += e.malformed;
    s.endpoints.auth_fail += e.auth_fail;
    s.endpoints.replay += e.replay;
    s.endpoints.unexpected_source += e.unexpected_source;
    s.endpoints.dtmf_digits_in += e.dtmf_digits_in;
  }
  s.mode_changes = modes_->changes.load();
  s.sessions_active = static_cast<std::uint64_t>(std::max<std::int64_t>(0, modes_->active.load()));
  s.rss_bytes = resident_bytes();
  return s;
}

void Scenario::stop() {
  for (auto& phones : phone_sets_) phones->stop();
  if (engine_) engine_->stop();
}

}  // namespace callsup::loadgen
