// End to end over loopback UDP: the customer and the agent hear each other forwarded on arrival
// until a supervisor's whisper or barge makes one of them a mixed listener, and forwarded again
// when the supervisor goes back to listening or leaves; a beep played to the agent mixes it for a
// while too. Each switch must be seamless for the receiving phone: no frame lost, none repeated,
// sequence numbers without a gap, timestamps one frame apart (docs/media.md, "Forward on arrival").
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include "callsup/media/media_engine.hpp"
#include "callsup/supervised_media.hpp"
#include "phone_set.hpp"
#include "sdes_keys.hpp"
#include "support/acme.hpp"
#include "support/udp_peer.hpp"

using namespace callsup;
using namespace std::chrono_literals;
using callsup::test::eventually;

namespace {

struct Phone {
  std::string leg;
  std::size_t index = 0;
  std::shared_ptr<RtpEndpoint> endpoint;
};

class ForwardedCall {
 public:
  explicit ForwardedCall(bool srtp) : media_(connect_media(*world_.service, engine_)) {
    world_.external_call("c1", "744", "customer", "agent");
    world_.supervisor_call("sc", "sup700", "700");
    const std::uint32_t customer_ssrc = 0x11110000, agent_ssrc = 0x22220000;
    add(customer_, 500, customer_ssrc, agent_ssrc, srtp);
    add(agent_, 1000, agent_ssrc, customer_ssrc, srtp);
    add(supervisor_, 1500, 0x33330000, std::nullopt, srtp);
    phones_.start();
  }

  /// Waits until both parties have received `frames` more audio frames (tagged or not).
  void run_for(std::uint64_t frames) {
    const std::uint64_t customer = audio_frames(customer_), agent = audio_frames(agent_);
    REQUIRE(eventually(
        [&] {
          return audio_frames(customer_) >= customer + frames && audio_frames(agent_) >= agent + frames;
        },
        10s));
  }

  testing::Acme& world() { return world_; }
  MediaEngine& engine() { return engine_; }
  sim::PhoneSet& phones() { return phones_; }
  const Phone& customer() const { return customer_; }
  const Phone& agent() const { return agent_; }

 private:
  void add(Phone& phone, double hz, std::uint32_t ssrc, std::optional<std::uint32_t> counts, bool srtp) {
    sim::PhoneConfig config;
    config.name = phone.leg;
    config.ssrc = ssrc;
    config.signal = sim::sine(hz, 6000);
    config.tag_frames = true;
    config.count_frames_from = counts;
    config.expected_remote_ssrc = ssrc + 1;
    EndpointConfig endpoint;
    endpoint.local_ssrc = ssrc + 1;
    if (srtp) sim::share_sdes_keys(config, endpoint);
    phone.index = phones_.add(config);
    const sim::Address at = phones_.local_address(phone.index);
    endpoint.remote = SocketAddress{at.ip, at.port};
    endpoint.remote_ssrc = ssrc;
    phone.endpoint = engine_.add_endpoint(phone.leg == "sup700" ? "sc" : "c1", phone.leg, endpoint);
    const SocketAddress local = phone.endpoint->local_address();
    phones_.set_remote(phone.index, {local.ip, local.port});
  }

  std::uint64_t audio_frames(const Phone& phone) {
    const sim::PhoneStats s = phones_.stats(phone.index);
    return s.frames_tagged + s.frames_untagged;
  }

  testing::Acme world_;
  MediaEngine engine_{MediaEngineConfig{}};
  SupervisedMedia media_;
  sim::PhoneSet phones_;
  Phone customer_{"customer", 0, nullptr}, agent_{"agent", 0, nullptr}, supervisor_{"sup700", 0, nullptr};
};

/// What kept the stream from being clean (an overloaded machine: a sanitizer build beside other
/// tests): periods the engine's clock skipped, frames that were not there at their tick (so the
/// mixed path concealed them and played later, until the jitter buffer caught up by dropping
/// one), packets that came too late to be played at all, ticks the phones' thread sent late.
struct Disturbances {
  std::uint64_t missed_ticks = 0, concealed = 0, late_packets = 0, late_phone_ticks = 0;
  std::uint64_t total() const { return missed_ticks + concealed + late_packets + late_phone_ticks; }
};

/// Seamless: nothing lost, repeated or out of step, unless the stream itself was disturbed, and
/// then no more than one flaw per disturbance.
void check_seamless(const sim::PhoneStats& s, const std::string& who, const Disturbances& d) {
  INFO(who << " received " << s.received << " packets: " << s.frames_tagged << " frames of the other party, "
           << s.frames_untagged << " mixed, " << s.frames_lost << " lost, " << s.frames_repeated
           << " repeated, " << s.lost << " sequence gaps, " << s.duplicates << " duplicates, "
           << s.timestamp_jumps << " timestamp jumps; disturbances: " << d.missed_ticks
           << " missed engine ticks, " << d.concealed << " concealed frames, " << d.late_packets
           << " late packets, " << d.late_phone_ticks << " late phone ticks");
  CHECK(s.frames_lost + s.frames_repeated + s.timestamp_jumps <= d.total());
  CHECK(s.lost == 0);
  CHECK(s.duplicates == 0);
  CHECK(s.reordered == 0);
  CHECK(s.auth_fail == 0);
}

void run_switches(bool srtp) {
  ForwardedCall call(srtp);
  auto& service = *call.world().service;
  call.run_for(25);  // a plain call: both directions forwarded on arrival
  const EngineThreadStats plain = call.engine().stats().total;
  CHECK(plain.relayed_on_arrival > 0);
  // From here on (the stream's first frames may be silence sent before the other party's first).
  const sim::PhoneStats customer_before = call.phones().stats(call.customer().index);
  const sim::PhoneStats agent_before = call.phones().stats(call.agent().index);

  const StartOutcome started = service.dial("sup700", "700", "*90744");
  REQUIRE(started.status == StartOutcome::Status::started);
  const SessionId session = started.session;
  for (int round = 0; round < 3; ++round) {
    call.run_for(15);  // listen: both still forwarded
    REQUIRE(service.switch_mode(session, Mode::whisper).allowed);
    call.run_for(15);  // the agent mixed (customer + supervisor), the customer forwarded
    REQUIRE(service.switch_mode(session, Mode::barge).allowed);
    call.run_for(15);  // both mixed
    REQUIRE(service.switch_mode(session, Mode::listen).allowed);
  }
  call.run_for(15);
  REQUIRE(service.stop(session));
  call.run_for(15);
  call.agent().endpoint->play_beep(BeepConfig{2000.0, 200, -16.0});  // mixed for the beep, then forwarded
  call.run_for(30);

  const sim::PhoneStats customer = call.phones().stats(call.customer().index);
  const sim::PhoneStats agent = call.phones().stats(call.agent().index);
  Disturbances disturbed;
  disturbed.missed_ticks = call.engine().stats().total.missed_ticks;
  for (const Phone* party : {&call.customer(), &call.agent()}) {
    const EndpointStats endpoint = party->endpoint->stats();
    disturbed.concealed += endpoint.concealed;
    disturbed.late_packets += endpoint.late;
  }
  disturbed.late_phone_ticks = call.phones().set_stats().late_ticks;
  check_seamless(customer, "the customer", disturbed);
  check_seamless(agent, "the agent", disturbed);
  // The switches happened: each mixed frame took the place of a forwarded one (none was added to
  // the stream, none left out), and forwarding resumed.
  const auto mixed = [](const sim::PhoneStats& now, const sim::PhoneStats& then) {
    return now.frames_untagged - then.frames_untagged;
  };
  const auto replaced = [](const sim::PhoneStats& now, const sim::PhoneStats& then) {
    return now.frames_replaced - then.frames_replaced;
  };
  CHECK(mixed(agent, agent_before) >= 3 * 15);
  CHECK(mixed(customer, customer_before) >= 3 * 10);
  CHECK(mixed(agent, agent_before) - replaced(agent, agent_before) <= disturbed.total());
  CHECK(mixed(customer, customer_before) - replaced(customer, customer_before) <= disturbed.total());
  CHECK(call.engine().stats().total.relayed_on_arrival > plain.relayed_on_arrival);
  call.phones().stop();
}

}  // namespace

TEST_CASE("integration: switching between forwarded and mixed is seamless for the phones, plain RTP") {
  run_switches(false);
}

TEST_CASE("integration: switching between forwarded and mixed is seamless for the phones, SRTP") {
  run_switches(true);
}
