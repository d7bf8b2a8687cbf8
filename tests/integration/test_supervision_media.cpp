// End to end over loopback UDP: a customer, an agent and a supervisor, each a simulated phone
// sending its own tone; the supervisor starts listening by dialling *90744 and switches to
// whisper and barge with RFC 4733 digits sent from its phone. Who hears whom is measured from
// the audio each phone received, and must be DESIGN.md's table — plain RTP and SRTP.
#include <doctest/doctest.h>

#include <chrono>
#include <map>
#include <string>
#include <thread>

#include "callsup/media/media_engine.hpp"
#include "callsup/supervised_media.hpp"
#include "phone_set.hpp"
#include "sdes_keys.hpp"
#include "support/acme.hpp"
#include "support/udp_peer.hpp"
#include "tone_analysis.hpp"

using namespace callsup;
using namespace std::chrono_literals;
using callsup::test::eventually;

namespace {

struct Party {
  std::string name;
  LegId leg;
  CallId media_group;
  double hz;
  std::size_t phone = 0;
  std::shared_ptr<RtpEndpoint> endpoint;
};

/// Heard[listener][source], measured from the listener's recording.
using Heard = std::map<std::string, std::map<std::string, bool>>;

struct Setup {
  bool srtp = false;
  CodecSpec supervisor_codec{"PCMU"};
  MonitoringToneConfig tone;
};

class SupervisedCall {
 public:
  explicit SupervisedCall(const Setup& setup)
      : engine_(engine_config(setup)), media_(connect_media(*world_.service, engine_)) {
    world_.external_call("c1", "744", "customer", "agent");
    world_.supervisor_call("sc", "sup700", "700");
    std::uint32_t engine_ssrc = 0x5000;
    for (Party& party : parties_) {
      sim::PhoneConfig phone;
      phone.name = party.name;
      phone.signal = sim::sine(party.hz, 6000);
      phone.record = true;
      phone.expected_remote_ssrc = ++engine_ssrc;
      EndpointConfig endpoint;
      endpoint.local_ssrc = engine_ssrc;
      if (party.name == "supervisor") phone.codec = endpoint.codec = setup.supervisor_codec;
      if (setup.srtp) sim::share_sdes_keys(phone, endpoint);
      party.phone = phones_.add(phone);
      const sim::Address at = phones_.local_address(party.phone);
      endpoint.remote = SocketAddress{at.ip, at.port};
      endpoint.remote_ssrc = phones_.ssrc(party.phone);
      party.endpoint = engine_.add_endpoint(party.media_group, party.leg, endpoint);
      const SocketAddress local = party.endpoint->local_address();
      phones_.set_remote(party.phone, {local.ip, local.port});
    }
    phones_.start();
  }

  /// Lets the routes settle, then records `window` and says who heard whom.
  Heard measure(std::chrono::milliseconds window = 600ms) {
    std::this_thread::sleep_for(150ms);
    for (const Party& p : parties_) phones_.clear_recording(p.phone);
    std::this_thread::sleep_for(window);
    Heard heard;
    for (const Party& listener : parties_) {
      const std::vector<std::int16_t> audio = phones_.recording(listener.phone);
      INFO(listener.name << " recorded " << audio.size() << " samples");
      CHECK(audio.size() >= static_cast<std::size_t>(window.count()) * 8 / 2);
      for (const Party& source : parties_)
        if (source.name != listener.name)
          heard[listener.name][source.name] = sim::tone_present(audio, source.hz);
    }
    return heard;
  }

  testing::Acme& world() { return world_; }
  sim::PhoneSet& phones() { return phones_; }
  MediaEngine& engine() { return engine_; }
  const Party& party(const std::string& name) const {
    for (const Party& p : parties_)
      if (p.name == name) return p;
    throw std::logic_error("no party " + name);
  }

 private:
  static MediaEngineConfig engine_config(const Setup& setup) {
    MediaEngineConfig config;
    config.threads = 2;
    config.monitoring_tone = setup.tone;
    return config;
  }

  testing::Acme world_;
  MediaEngine engine_;
  SupervisedMedia media_;  // after the service and the engine: disconnected before either goes
  sim::PhoneSet phones_;
  std::vector<Party> parties_{{"customer", "customer", "c1", 500, 0, nullptr},
                              {"agent", "agent", "c1", 1000, 0, nullptr},
                              {"supervisor", "sup700", "c1", 1500, 0, nullptr}};
};

/// Share of 100 ms blocks of `audio` in which a sine at `hz` is present (a beep comes and goes).
double blocks_with_tone(const std::vector<std::int16_t>& audio, double hz) {
  constexpr std::size_t block = 800;
  std::size_t with = 0, blocks = 0;
  for (std::size_t at = 0; at + block <= audio.size(); at += block, ++blocks)
    if (sim::tone_present(std::span(audio).subspan(at, block), hz)) ++with;
  return blocks == 0 ? 0.0 : static_cast<double>(with) / static_cast<double>(blocks);
}

void check_matrix(const Heard& heard, const Heard& expected, const char* phase) {
  for (const auto& [listener, sources] : expected)
    for (const auto& [source, yes] : sources) {
      INFO(phase << ": does " << listener << " hear " << source << "?");
      CHECK(heard.at(listener).at(source) == yes);
    }
}

void run_phases(bool srtp) {
  Setup setup;
  setup.srtp = srtp;
  SupervisedCall call(setup);
  // Before supervision: a plain two-party call; the supervisor's own call has nobody to hear.
  check_matrix(call.measure(400ms),
               {{"customer", {{"agent", true}, {"supervisor", false}}},
                {"agent", {{"customer", true}, {"supervisor", false}}},
                {"supervisor", {{"customer", false}, {"agent", false}}}},
               "before");

  const StartOutcome started = call.world().service->dial("sup700", "700", "*90744");
  REQUIRE(started.status == StartOutcome::Status::started);
  const SessionId session = started.session;
  check_matrix(call.measure(),
               {{"customer", {{"agent", true}, {"supervisor", false}}},
                {"agent", {{"customer", true}, {"supervisor", false}}},
                {"supervisor", {{"customer", true}, {"agent", true}}}},
               "listen");

  call.phones().send_dtmf(call.party("supervisor").phone, "1");
  REQUIRE(eventually([&] { return call.world().info(session).mode == Mode::whisper; }));
  check_matrix(call.measure(),
               {{"customer", {{"agent", true}, {"supervisor", false}}},
                {"agent", {{"customer", true}, {"supervisor", true}}},
                {"supervisor", {{"customer", true}, {"agent", true}}}},
               "whisper");

  call.phones().send_dtmf(call.party("supervisor").phone, "2");
  REQUIRE(eventually([&] { return call.world().info(session).mode == Mode::barge; }));
  check_matrix(call.measure(),
               {{"customer", {{"agent", true}, {"supervisor", true}}},
                {"agent", {{"customer", true}, {"supervisor", true}}},
                {"supervisor", {{"customer", true}, {"agent", true}}}},
               "barge");

  call.phones().stop();
  for (const std::string name : {"customer", "agent", "supervisor"}) {
    const EndpointStats s = call.party(name).endpoint->stats();
    INFO(name);
    CHECK(s.auth_fail == 0);
    CHECK(s.malformed == 0);
    CHECK(s.unexpected_source == 0);
    CHECK(s.packets_in > 0);
  }
  CHECK(call.party("supervisor").endpoint->stats().dtmf_digits_in == 2);
}

}  // namespace

TEST_CASE("integration: who hears whom over plain RTP, modes switched by RFC 4733 digits") {
  run_phases(false);
}

TEST_CASE("integration: who hears whom over SRTP, modes switched by RFC 4733 digits") { run_phases(true); }

TEST_CASE("integration: stereo supervisor output and the monitoring tone, from the audio") {
  Setup setup;
  setup.supervisor_codec = CodecSpec{"L16", 8000, 2, 96};
  setup.tone.beep_ms = 500;  // a beep in every 1 s window
  setup.tone.period_ms = 1000;
  SupervisedCall call(setup);
  SessionOptions options;
  options.stereo = true;
  options.monitoring_tone = true;
  const StartOutcome started = call.world().service->dial("sup700", "700", "*90744", options);
  REQUIRE(started.status == StartOutcome::Status::started);
  std::this_thread::sleep_for(150ms);
  for (const std::string name : {"customer", "agent", "supervisor"})
    call.phones().clear_recording(call.party(name).phone);
  std::this_thread::sleep_for(1000ms);

  const std::vector<std::int16_t> stereo = call.phones().recording(call.party("supervisor").phone);
  REQUIRE(stereo.size() >= 8000);
  std::vector<std::int16_t> left, right;
  for (std::size_t i = 0; i + 1 < stereo.size(); i += 2) {
    left.push_back(stereo[i]);
    right.push_back(stereo[i + 1]);
  }
  CHECK(sim::tone_present(left, 1000));  // the agent on the left
  CHECK(!sim::tone_present(left, 500));
  CHECK(sim::tone_present(right, 500));  // the customer on the right
  CHECK(!sim::tone_present(right, 1000));
  for (const std::string name : {"customer", "agent"}) {
    // 500 ms beep every second: about half of the 100 ms blocks carry it.
    const double share = blocks_with_tone(call.phones().recording(call.party(name).phone), 1400);
    INFO(name << " hears the monitoring tone in " << share * 100 << " % of 100 ms blocks");
    CHECK(share >= 0.3);
    CHECK(share <= 0.7);
  }
  CHECK(blocks_with_tone(left, 1400) == 0.0);  // the supervisor hears no beep
  CHECK(blocks_with_tone(right, 1400) == 0.0);
}

TEST_CASE("integration: a beep played to the agent's leg is heard by the agent alone, once") {
  SupervisedCall call(Setup{});
  const std::shared_ptr<RtpEndpoint> agent = call.party("agent").endpoint;
  CHECK_THROWS_WITH_AS(agent->play_beep(BeepConfig{440.0, 5, -16.0}), doctest::Contains("duration_ms 5"),
                       Error);
  CHECK_THROWS_WITH_AS(agent->play_beep(BeepConfig{4400.0, 250, -16.0}), doctest::Contains("frequency_hz"),
                       Error);
  std::this_thread::sleep_for(150ms);  // the plain call's routes are in place
  for (const std::string name : {"customer", "agent", "supervisor"})
    call.phones().clear_recording(call.party(name).phone);
  agent->play_beep(BeepConfig{2000.0, 400, -16.0});
  std::this_thread::sleep_for(1000ms);  // the recording window: the beep and what follows

  const std::vector<std::int16_t> heard = call.phones().recording(call.party("agent").phone);
  REQUIRE(heard.size() >= 6000);
  // 400 ms of beep in a 1 s window: about four of the ten 100 ms blocks carry it.
  const double share = blocks_with_tone(heard, 2000);
  INFO("the agent hears the beep in " << share * 100 << " % of 100 ms blocks");
  CHECK(share >= 0.2);
  CHECK(share <= 0.6);
  CHECK(sim::tone_present(heard, 500));  // still the customer, beneath the beep
  CHECK(blocks_with_tone(call.phones().recording(call.party("customer").phone), 2000) == 0.0);
  CHECK(blocks_with_tone(call.phones().recording(call.party("supervisor").phone), 2000) == 0.0);

  call.phones().clear_recording(call.party("agent").phone);  // once: the beep is over
  std::this_thread::sleep_for(500ms);
  CHECK(blocks_with_tone(call.phones().recording(call.party("agent").phone), 2000) == 0.0);
}
