// callsup-demo: the call centre, run in real time.
#include "call_centre.hpp"

#include <algorithm>
#include <thread>

#include "callsup/dialplan/presets.hpp"
#include "callsup/json/directory_json.hpp"
#include "callsup/media/media_engine.hpp"
#include "callsup/policy/standard_policy.hpp"
#include "callsup/supervised_media.hpp"
#include "phone_set.hpp"
#include "sdes_keys.hpp"
#include "wav.hpp"

namespace callsup::demo {

namespace {

constexpr int demo_sample_rate = 8000;
constexpr std::uint32_t first_engine_ssrc = 0x5000;

std::vector<std::int16_t> load_voice(const Party& party, const std::vector<std::filesystem::path>& dirs) {
  std::filesystem::path path = party.voice;
  if (path.is_relative())
    for (const auto& dir : dirs)
      if (std::filesystem::exists(dir / path)) {
        path = dir / path;
        break;
      }
  const Pcm pcm = read_wav(path.string());
  if (pcm.sample_rate != demo_sample_rate || pcm.channels != 1)
    throw Error(errc::invalid_argument,
                "voice " + quoted(path.string()) + " of " + party.name + " is " +
                    std::to_string(pcm.sample_rate) + " Hz, " + std::to_string(pcm.channels) +
                    " channel(s); the phones need 8000 Hz mono (sox in.wav -r 8000 -c 1 -b 16 out.wav)");
  if (pcm.samples.empty())
    throw Error(errc::invalid_argument, "voice " + quoted(path.string()) + " is empty");
  return pcm.samples;
}

/// The call a party's media is grouped with first (engine threads are chosen by it; the
/// engine moves a leg when it later serves another call).
std::string first_media_group(const Scenario& scenario, const Party& party) {
  for (const Step& step : scenario.steps) {
    if (step.kind == Step::Kind::call && (step.from == party.name || step.to == party.name))
      return step.call_id;
    if (step.kind == Step::Kind::dial && step.party == party.name) return "sc-" + party.name;
  }
  return "idle-" + party.name;
}

/// Everything one run owns, in construction order (destroyed in reverse: phones, engine, service).
class Centre {
 public:
  Centre(const Scenario& scenario, const CentreConfig& config, Timeline& timeline,
         const std::vector<std::shared_ptr<AuditSink>>& audit_sinks)
      : scenario_(scenario), config_(config), timeline_(timeline) {
    load_directory();
    service_ =
        std::make_unique<SupervisionService>(registry_, directory_, std::make_shared<StandardPolicy>());
    subscriptions_.push_back(service_->add_event_sink(timeline_.event_sink()));
    for (const auto& sink : audit_sinks) subscriptions_.push_back(service_->add_audit_sink(sink));
    MediaEngineConfig engine_config;
    engine_config.threads = 2;  // the supervisor's leg lives on another thread than the call until it joins
    engine_ = std::make_unique<MediaEngine>(engine_config);
    media_ = connect_media(*service_, *engine_);
    phones_ = std::make_unique<sim::PhoneSet>();
    for (std::size_t i = 0; i < scenario_.parties.size(); ++i) add_party(i);
  }

  RunResult run() {
    RunResult result;
    if (config_.srtp) result.srtp_suite = "AES_CM_128_HMAC_SHA1_80";
    result.plan = plan_of_first_tenant();
    for (const PhaseWindow& window : scenario_.phases()) result.phases.push_back({window, 0, {}, {}, {}});
    phones_->start();
    const auto start = std::chrono::steady_clock::now();
    timeline_.restart(start);
    timeline_.add("note", "phones started: every party talks from now on");
    std::vector<std::map<std::string, std::size_t>> mark_start(result.phases.size()),
        mark_end(result.phases.size());
    for (const Agenda& item : agenda(result.phases)) {
      std::this_thread::sleep_until(start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                                std::chrono::duration<double>(item.at_s)));
      if (item.step) {
        execute(*item.step);
        continue;
      }
      PhaseRun& phase = result.phases[item.phase];
      auto& sizes = item.phase_start ? mark_start[item.phase] : mark_end[item.phase];
      for (std::size_t i = 0; i < scenario_.parties.size(); ++i) {
        const std::size_t size = phones_->recording(i).size();
        sizes[scenario_.parties[i].name] = size;
        clock_marks_[i].push_back({timeline_.now_s(), size});
      }
      (item.phase_start ? phase.at_start : phase.at_end) = positions_now(registry_, *service_, party_names());
      if (item.phase_start) {
        phase.measured_from_s = item.at_s;
        timeline_.add("note", "measuring phase " + quoted(phase.window.name));
      }
    }
    phones_->stop();
    collect(result, mark_start, mark_end);
    return result;
  }

 private:
  struct Agenda {
    double at_s = 0;
    const Step* step = nullptr;  ///< a step, or else a phase probe:
    std::size_t phase = 0;
    bool phase_start = false;
  };

  void load_directory() {
    try {
      load_directory_json(directory_, config_.directory_json);
    } catch (const Error& e) {
      throw Error(e.code(), config_.directory_source + ": " + e.what());
    }
    for (const Party& party : scenario_.parties) {
      if (party.extension.empty()) continue;
      if (!directory_.find_extension(party.extension))
        throw Error(errc::invalid_argument, "party " + quoted(party.name) + ": extension " +
                                                quoted(party.extension) + " is not in the directory (" +
                                                config_.directory_source + ")");
      if (config_.plan.empty()) continue;
      TenantSettings tenant = *directory_.tenant(tenant_of(party));
      tenant.feature_code_plan = preset(config_.plan).name;  // throws naming an unknown preset
      directory_.set_tenant(tenant);
    }
  }

  std::string tenant_of(const Party& party) const { return directory_.extension(party.extension)->tenant; }

  std::string plan_of_first_tenant() const {
    for (const Party& party : scenario_.parties)
      if (!party.extension.empty()) return directory_.tenant(tenant_of(party))->feature_code_plan;
    return {};
  }

  std::vector<std::string> party_names() const {
    std::vector<std::string> names;
    for (const Party& party : scenario_.parties) names.push_back(party.name);
    return names;
  }

  void add_party(std::size_t index) {
    const Party& party = scenario_.parties[index];
    voices_.push_back(load_voice(party, config_.voice_dirs));
    const std::uint32_t engine_ssrc = first_engine_ssrc + static_cast<std::uint32_t>(index) + 1;
    sim::PhoneConfig phone;
    phone.name = party.name;
    phone.signal = sim::samples_loop(voices_.back());
    phone.record = true;
    phone.expected_remote_ssrc = engine_ssrc;
    phone.send_offset_ms = static_cast<int>((index * 7) % 20);  // real phones are not in step
    EndpointConfig endpoint;
    endpoint.local_ssrc = engine_ssrc;
    if (config_.srtp) sim::share_sdes_keys(phone, endpoint);
    const std::size_t id = phones_->add(phone);
    const sim::Address at = phones_->local_address(id);
    endpoint.remote = SocketAddress{at.ip, at.port};
    endpoint.remote_ssrc = phones_->ssrc(id);
    endpoints_.push_back(engine_->add_endpoint(first_media_group(scenario_, party), party.name, endpoint));
    const SocketAddress local = endpoints_.back()->local_address();
    phones_->set_remote(id, {local.ip, local.port});
    clock_marks_.emplace_back();
  }

  std::vector<Agenda> agenda(const std::vector<PhaseRun>& phases) const {
    std::vector<Agenda> items;
    for (const Step& step : scenario_.steps) items.push_back({step.at_s, &step, 0, false});
    for (std::size_t p = 0; p < phases.size(); ++p) {
      const PhaseWindow& w = phases[p].window;
      const double from = std::min(w.start_s + settle_s(w.name), w.end_s);
      items.push_back({from, nullptr, p, true});
      items.push_back({std::max(from, w.end_s - 0.01), nullptr, p, false});
    }
    // By time; at equal times a phase's end comes before the step that closes it.
    std::stable_sort(items.begin(), items.end(), [](const Agenda& a, const Agenda& b) {
      if (a.at_s != b.at_s) return a.at_s < b.at_s;
      return a.step == nullptr && b.step != nullptr;
    });
    return items;
  }

  /// How long phase `name` waits before it is measured: config.settle_s, plus the time its
  /// step's extra digits take to play (160 ms each: 100 ms tone, 60 ms gap).
  double settle_s(const std::string& name) const {
    for (const Step& step : scenario_.steps)
      if (step.phase == name && step.kind == Step::Kind::dtmf && step.digits.size() > 1)
        return config_.settle_s + 0.16 * static_cast<double>(step.digits.size() - 1);
    return config_.settle_s;
  }

  std::size_t index_of(const std::string& name) const {
    for (std::size_t i = 0; i < scenario_.parties.size(); ++i)
      if (scenario_.parties[i].name == name) return i;
    throw Error(errc::invalid_argument, "no party " + quoted(name));
  }

  Leg leg_of(const Party& party) const {
    return party.extension.empty() ? Leg::off_net(party.name, party.number, LegState::up)
                                   : Leg::on_net(party.name, party.extension, LegState::up);
  }

  std::string who(const Party& party) const {
    return party.name + " (" + (party.extension.empty() ? party.number : party.extension) + ")";
  }

  void execute(const Step& step) {
    const std::string phase = step.phase.empty() ? "" : "  [phase " + step.phase + "]";
    switch (step.kind) {
    case Step::Kind::call: {
      const Party& from = scenario_.party(step.from);
      const Party& to = scenario_.party(step.to);
      const Party& on_net = from.extension.empty() ? to : from;
      if (on_net.extension.empty())
        throw Error(errc::invalid_argument,
                    "call " + quoted(step.call_id) + ": both parties are off-net; one must be an extension");
      timeline_.add("step", who(from) + " calls " + who(to) + ": call " + step.call_id +
                                " answered and bridged" + phase);
      registry_.add_call(step.call_id, tenant_of(on_net));
      registry_.add_leg(step.call_id, leg_of(from));
      registry_.add_leg(step.call_id, leg_of(to));
      registry_.bridge(step.call_id);
      return;
    }
    case Step::Kind::dial: {
      const Party& party = scenario_.party(step.party);
      if (party.extension.empty())
        throw Error(errc::invalid_argument,
                    "dial: " + quoted(party.name) + " is off-net; only extensions dial feature codes");
      timeline_.add("step", who(party) + " dials " + step.digits + phase);
      if (!registry_.find_call_of_leg(party.name)) {
        registry_.add_call("sc-" + party.name, tenant_of(party));
        registry_.add_leg("sc-" + party.name, leg_of(party));
      }
      const StartOutcome outcome = service_->dial(party.name, party.extension, step.digits);
      if (outcome.status == StartOutcome::Status::not_ours)
        timeline_.add("note",
                      quoted(step.digits) + " is no supervision code of " + party.extension + "'s plan");
      return;
    }
    case Step::Kind::dtmf:
      timeline_.add("step", who(scenario_.party(step.party)) + " presses " + step.digits +
                                " (RFC 4733 from its phone" + (config_.srtp ? ", in SRTP)" : ")") + phase);
      phones_->send_dtmf(index_of(step.party), step.digits);
      return;
    case Step::Kind::hangup: {
      const Party& party = scenario_.party(step.party);
      timeline_.add("step", who(party) + " hangs up" + phase);
      const auto call = registry_.find_call_of_leg(party.name);
      if (!call) {
        timeline_.add("note", party.name + " is in no call");
        return;
      }
      registry_.remove_leg(party.name);
      const auto left = registry_.find_call(call->id);
      if (left && left->legs.size() < 2) {
        timeline_.add("note", "the PBX ends call " + call->id + " (one party left)");
        registry_.end_call(call->id);
      }
      return;
    }
    case Step::Kind::end: timeline_.add("step", "end of the scenario"); return;
    }
  }

  /// When phone i's recording started, on the demo clock: each probe saw `size` samples at
  /// `at_s`, so it started at at_s - size / rate; the median of those.
  double recording_start_s(std::size_t i) const {
    std::vector<double> starts;
    for (const auto& [at_s, size] : clock_marks_[i])
      if (size > 0) starts.push_back(at_s - static_cast<double>(size) / demo_sample_rate);
    if (starts.empty()) return 0;
    std::sort(starts.begin(), starts.end());
    return std::max(0.0, starts[starts.size() / 2]);
  }

  void collect(RunResult& result, const std::vector<std::map<std::string, std::size_t>>& mark_start,
               const std::vector<std::map<std::string, std::size_t>>& mark_end) {
    for (std::size_t i = 0; i < scenario_.parties.size(); ++i) {
      const std::string& name = scenario_.parties[i].name;
      const std::vector<std::int16_t> recording = phones_->recording(i);
      PartyAudio audio{name, voices_[i], {}, 0, 0, 0};
      audio.heard.assign(static_cast<std::size_t>(recording_start_s(i) * demo_sample_rate), 0);
      audio.heard.insert(audio.heard.end(), recording.begin(), recording.end());
      const sim::PhoneStats stats = phones_->stats(i);
      audio.packets_received = stats.received;
      audio.lost = stats.lost;
      audio.auth_fail = stats.auth_fail;
      result.audio.push_back(std::move(audio));
      for (std::size_t p = 0; p < result.phases.size(); ++p) {
        const std::size_t from = std::min(mark_start[p].at(name), recording.size());
        const std::size_t to = std::clamp(mark_end[p].at(name), from, recording.size());
        result.phases[p].heard[name].assign(recording.begin() + static_cast<std::ptrdiff_t>(from),
                                            recording.begin() + static_cast<std::ptrdiff_t>(to));
      }
      const EndpointStats engine = endpoints_[i]->stats();
      result.engine_packets_in += engine.packets_in;
      result.engine_packets_out += engine.packets_out;
      result.engine_auth_fail += engine.auth_fail;
      result.engine_dtmf_digits += engine.dtmf_digits_in;
    }
  }

  const Scenario& scenario_;
  const CentreConfig& config_;
  Timeline& timeline_;
  Directory directory_;
  CallRegistry registry_;
  std::vector<Subscription> subscriptions_;  // before the service: its shutdown events still arrive
  std::unique_ptr<SupervisionService> service_;
  std::unique_ptr<MediaEngine> engine_;
  SupervisedMedia media_;  // after the service and the engine: disconnected before either goes
  std::unique_ptr<sim::PhoneSet> phones_;
  std::vector<std::shared_ptr<RtpEndpoint>> endpoints_;
  std::vector<std::vector<std::int16_t>> voices_;
  std::vector<std::vector<std::pair<double, std::size_t>>> clock_marks_;  // per phone: (at_s, samples)
};

}  // namespace

RunResult run_call_centre(const Scenario& scenario, const CentreConfig& config, Timeline& timeline,
                          const std::vector<std::shared_ptr<AuditSink>>& audit_sinks) {
  Centre centre(scenario, config, timeline, audit_sinks);
  return centre.run();
}

}  // namespace callsup::demo
