// End to end over loopback UDP: plain two-leg calls relayed by the engine, the phones of each
// call sending at their own instant of the 20 ms period (the second phone 0, 2, ..., 18 ms after
// the first: the whole period, half a period included). Every frame carries its sender's tag
// (tools/phonesim/frame_tags.hpp), so a frame the engine drops shows at the receiving phone even
// though the engine renumbers what it sends. A clean stream loses nothing, whatever the phases.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include "callsup/media/media_engine.hpp"
#include "callsup/supervised_media.hpp"
#include "phone_set.hpp"
#include "support/acme.hpp"
#include "support/udp_peer.hpp"

using namespace callsup;
using namespace std::chrono_literals;

namespace {

struct RelayedCall {
  int offset_ms = 0;  ///< of the agent's phone after the customer's
  std::size_t customer = 0, agent = 0;
};

sim::PhoneStats stats_of(sim::PhoneSet& phones, std::size_t phone) { return phones.stats(phone); }

}  // namespace

TEST_CASE("integration: a relayed call loses no frame whatever the phases of its two phones") {
  constexpr int calls = 10;
  testing::Acme world;
  MediaEngineConfig config;
  config.threads = 1;  // every call on one clock: the placements compete
  MediaEngine engine(config);
  SupervisedMedia media = connect_media(*world.service, engine);
  sim::PhoneSet phones;
  std::vector<RelayedCall> relayed;
  std::uint32_t ssrc = 0x7000;
  for (int i = 0; i < calls; ++i) {
    const std::string id = "relay" + std::to_string(i);
    world.external_call(id, "744", id + "-customer", id + "-agent");
    RelayedCall call{2 * i};
    const std::uint32_t customer_ssrc = ++ssrc, agent_ssrc = ++ssrc;
    std::size_t* slots[] = {&call.customer, &call.agent};
    for (int side = 0; side < 2; ++side) {
      sim::PhoneConfig phone;
      phone.name = id + (side == 0 ? "-customer" : "-agent");
      phone.ssrc = side == 0 ? customer_ssrc : agent_ssrc;
      phone.count_frames_from = side == 0 ? agent_ssrc : customer_ssrc;
      phone.tag_frames = true;
      phone.signal = sim::sine(side == 0 ? 500 : 1000, 6000);
      phone.send_offset_ms = side == 0 ? 0 : call.offset_ms;
      phone.expected_remote_ssrc = 0x9000 + ssrc + static_cast<std::uint32_t>(side);
      EndpointConfig endpoint;
      endpoint.local_ssrc = *phone.expected_remote_ssrc;
      *slots[side] = phones.add(phone);
      const sim::Address at = phones.local_address(*slots[side]);
      endpoint.remote = SocketAddress{at.ip, at.port};
      endpoint.remote_ssrc = phone.ssrc;
      const auto added = engine.add_endpoint(id, side == 0 ? id + "-customer" : id + "-agent", endpoint);
      const SocketAddress local = added->local_address();
      phones.set_remote(*slots[side], {local.ip, local.port});
    }
    relayed.push_back(call);
  }
  phones.start();

  // Warm-up: the streams settle (the first placement, the jitter buffers' first frames).
  const auto all_have = [&](std::uint64_t frames) {
    for (const RelayedCall& call : relayed)
      for (std::size_t phone : {call.customer, call.agent})
        if (stats_of(phones, phone).frames_tagged < frames) return false;
    return true;
  };
  REQUIRE(test::eventually([&] { return all_have(25); }, 5s));
  std::vector<sim::PhoneStats> before;
  for (const RelayedCall& call : relayed)
    for (std::size_t phone : {call.customer, call.agent}) before.push_back(stats_of(phones, phone));
  // 3 s: long enough for placements to be redone several times (every 25 periods).
  REQUIRE(test::eventually([&] { return all_have(25 + 150); }, 10s));

  const EngineThreadStats engine_stats = engine.stats().total;
  INFO("engine: " << engine_stats.missed_ticks << " missed ticks, tick lateness p99 "
                  << engine_stats.tick_lateness_p99_ms << " ms");
  std::size_t k = 0;
  for (const RelayedCall& call : relayed)
    for (std::size_t phone : {call.customer, call.agent}) {
      const sim::PhoneStats now = stats_of(phones, phone), then = before[k++];
      const std::string who = phone == call.customer ? "the customer" : "the agent";
      INFO("call with the agent " << call.offset_ms << " ms after the customer, " << who
                                  << " receiving: " << now.frames_tagged - then.frames_tagged << " frames, "
                                  << now.frames_lost - then.frames_lost << " lost, "
                                  << now.frames_replaced - then.frames_replaced << " replaced, "
                                  << now.frames_untagged - then.frames_untagged << " untagged");
      CHECK(now.frames_lost - then.frames_lost == 0);
      CHECK(now.frames_untagged - then.frames_untagged == 0);
    }
  phones.stop();
}
