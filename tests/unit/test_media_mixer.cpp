// Over 400 lines: one short case per mixing rule, around shared frame builders.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "callsup/media/mix_plan.hpp"
#include "callsup/media/mixer_backend.hpp"
#include "callsup/media/null_mixer.hpp"
#include "callsup/media/route_recorder.hpp"
#include "callsup/media/software_mixer.hpp"
#include "callsup/routing/compute_routes.hpp"
#include "support/media_call.hpp"

#include "support/checks.hpp"

using namespace callsup;
using namespace callsup::testing::media_call;

namespace {

constexpr std::int16_t sentinel = 0x5A5A;  // in output slack: shows what a mixer wrote
constexpr std::size_t slack = 8;

MixPlan plan_for(const RouteSet& routes, const std::vector<LegId>& slots) {
  return compile_mix_plan(std::make_shared<const RouteSet>(routes), slots);
}

/// A route set with one listener "l" hearing the given (source, gain, channel) routes.
RouteSet one_listener_routes(std::vector<Route> routes) {
  RouteSet set;
  set.call = "c9";
  set.routes = std::move(routes);
  return set;
}

/// The engine's side of one tick: per-slot input frames (or silence), output buffers with
/// sentinel slack after the 2 * samples the mixer may write, skip and produced flags.
struct Tick {
  std::size_t samples;
  std::vector<std::vector<std::int16_t>> in;
  std::vector<bool> silent;
  std::vector<std::vector<std::int16_t>> out;
  std::vector<const std::int16_t*> inputs;
  std::vector<std::int16_t*> outputs;
  std::vector<std::uint8_t> skip;
  std::vector<std::uint8_t> produced;

  Tick(std::size_t slots, std::size_t n)
      : samples(n),
        in(slots, std::vector<std::int16_t>(n, 0)),
        silent(slots, false),
        out(slots, std::vector<std::int16_t>(2 * n + slack, sentinel)),
        skip(slots, 0),
        produced(slots, 0xEE) {}

  MixFrames frames() {
    inputs.clear();
    outputs.clear();
    for (std::size_t i = 0; i < in.size(); ++i) {
      inputs.push_back(silent[i] ? nullptr : in[i].data());
      outputs.push_back(out[i].data());
    }
    return {samples, inputs, outputs, skip, produced};
  }
  void run(MixerBackend& mixer, const MixPlan& plan) { mixer.mix(plan, frames()); }
  /// Channel `c` (0 left, 1 right) of a stereo output.
  std::vector<std::int16_t> side(std::size_t slot, int c) const {
    std::vector<std::int16_t> v;
    for (std::size_t i = 0; i < samples; ++i) v.push_back(out[slot][2 * i + static_cast<std::size_t>(c)]);
    return v;
  }
  std::vector<std::int16_t> mono(std::size_t slot) const {
    return {out[slot].begin(), out[slot].begin() + static_cast<std::ptrdiff_t>(samples)};
  }
  /// Nothing written past `written` samples of this slot's buffer.
  bool untouched_after(std::size_t slot, std::size_t written) const {
    return std::all_of(out[slot].begin() + static_cast<std::ptrdiff_t>(written), out[slot].end(),
                       [](std::int16_t v) { return v == sentinel; });
  }
};

std::vector<std::int16_t> random_frame(std::mt19937& rng, std::size_t n, int amplitude) {
  std::uniform_int_distribution<int> d(-amplitude, std::min(amplitude, 32767));
  std::vector<std::int16_t> v(n);
  for (auto& s : v) s = static_cast<std::int16_t>(d(rng));
  return v;
}

std::int16_t clamp16(long v) { return static_cast<std::int16_t>(std::clamp<long>(v, -32768, 32767)); }

/// The float reference: round(sum of sample * gain), clamped.
std::int16_t float_mix(std::initializer_list<std::pair<std::int16_t, float>> terms) {
  double sum = 0;
  for (const auto& [s, g] : terms) sum += static_cast<double>(s) * g;
  return clamp16(std::lround(sum));
}

RouteSet version(const CallId& call, std::uint64_t v, bool ended = false) {
  RouteSet set;
  set.call = call;
  set.version = v;
  set.routes.push_back({"a-" + call, "b-" + call, 1.0f, Channel::mono});
  set.ended = ended;
  return set;
}

}  // namespace

TEST_SUITE("media: software mixer") {
  TEST_CASE("media: mixer — gain 1 sums are exact, in every path (fused pair, block accumulator)") {
    std::mt19937 rng(7);
    // A 4-party conference: 3 unity sources per listener (the accumulator path); barge: 2 (fused).
    Call conf = two_party();
    conf.legs.push_back(Leg::on_net("third", "101", LegState::up));
    conf.legs.push_back(Leg::on_net("fourth", "102", LegState::up));
    for (std::size_t n : {160u, 7u, 481u, 1000u}) {
      CAPTURE(n);
      for (const bool four : {false, true}) {
        const RouteSet routes =
            four ? compute_routes(conf, std::vector<SupervisorRoute>{})
                 : compute_routes(two_party(), std::vector<SupervisorRoute>{sup("s", Mode::barge)});
        const std::vector<LegId> slots = four ? std::vector<LegId>{agent, customer, "third", "fourth"}
                                              : std::vector<LegId>{agent, customer, "s"};
        const MixPlan plan = plan_for(routes, slots);
        Tick tick(slots.size(), n);
        for (auto& frame : tick.in) frame = random_frame(rng, n, 10000);
        SoftwareMixer mixer;
        tick.run(mixer, plan);
        for (std::size_t l = 0; l < slots.size(); ++l) {
          CAPTURE(l);
          CHECK(tick.produced[l] == 1);
          CHECK(tick.untouched_after(l, n));
          bool exact = true;
          for (std::size_t i = 0; i < n; ++i) {
            long sum = 0;
            for (std::size_t s = 0; s < slots.size(); ++s)
              if (s != l) sum += tick.in[s][i];
            exact = exact && tick.out[l][i] == sum;  // |sum| <= 30000: no clamping here
          }
          CHECK(exact);
        }
      }
    }
  }

  TEST_CASE("media: mixer — a single unity source is copied untouched when not skipped") {
    const MixPlan plan =
        plan_for(compute_routes(two_party(), std::vector<SupervisorRoute>{}), {agent, customer});
    Tick tick(2, 160);
    std::mt19937 rng(1);
    tick.in[0] = random_frame(rng, 160, 32768);
    tick.in[1] = random_frame(rng, 160, 32768);
    SoftwareMixer mixer;
    tick.run(mixer, plan);
    CHECK(tick.mono(0) == tick.in[1]);
    CHECK(tick.mono(1) == tick.in[0]);
    CHECK(tick.produced == std::vector<std::uint8_t>{1, 1});
    CHECK(tick.untouched_after(0, 160));
  }

  TEST_CASE("media: mixer — sums clamp to [-32768, 32767] once, at the end") {
    const std::vector<LegId> slots{"a", "b", "c", "l2", "l3", "lg"};
    const MixPlan plan = plan_for(one_listener_routes({
                                      {"a", "l2", 1.0f, Channel::mono},
                                      {"b", "l2", 1.0f, Channel::mono},
                                      {"a", "l3", 1.0f, Channel::mono},
                                      {"b", "l3", 1.0f, Channel::mono},
                                      {"c", "l3", 1.0f, Channel::mono},
                                      {"a", "lg", 2.0f, Channel::mono},
                                      {"c", "lg", 1.0f, Channel::mono},
                                  }),
                                  slots);
    Tick tick(slots.size(), 6);
    tick.in[0] = {30000, -30000, 32767, -32768, 20000, -20000};
    tick.in[1] = {30000, -30000, 32767, -32768, -20000, 20000};
    tick.in[2] = {-30000, 30000, -32768, 32767, 15000, -15000};
    SoftwareMixer mixer;
    tick.run(mixer, plan);
    // Two sources (fused pass).
    CHECK(tick.mono(3) == std::vector<std::int16_t>{32767, -32768, 32767, -32768, 0, 0});
    // Three sources: intermediate sums leave int16 (60000, 65534, -65536), the final ones
    // are back inside, except -32769.
    CHECK(tick.mono(4) == std::vector<std::int16_t>{30000, -30000, 32766, -32768, 15000, -15000});
    // Gain 2 on "a" (the accumulator path), then + "c".
    CHECK(tick.mono(5) == std::vector<std::int16_t>{30000, -30000, 32766, -32768, 32767, -32768});
  }

  TEST_CASE("media: mixer — gains 0.5, 2.0 and every volume step are within 1 LSB of the float math") {
    std::vector<float> gains{0.5f, 2.0f, 0.25f, 1.5f, 0.1f};
    for (int step = -4; step <= 4; ++step) gains.push_back(volume_gain(step));
    std::mt19937 rng(3);
    std::vector<std::int16_t> samples = random_frame(rng, 500, 32768);
    for (int s : {-32768, -32767, -3, -2, -1, 0, 1, 2, 3, 16383, 32767})
      samples.push_back(static_cast<std::int16_t>(s));
    for (float gain : gains) {
      CAPTURE(gain);
      const std::vector<LegId> slots{"a", "b", "one", "two"};
      const MixPlan plan = plan_for(one_listener_routes({
                                        {"a", "one", gain, Channel::mono},
                                        {"a", "two", gain, Channel::mono},
                                        {"b", "two", 0.75f, Channel::mono},
                                    }),
                                    slots);
      Tick tick(slots.size(), samples.size());
      tick.in[0] = samples;
      tick.in[1].assign(samples.rbegin(), samples.rend());
      SoftwareMixer mixer;
      tick.run(mixer, plan);
      int worst_one = 0;
      int worst_two = 0;
      for (std::size_t i = 0; i < samples.size(); ++i) {
        const int one = tick.out[2][i] - float_mix({{tick.in[0][i], gain}});
        const int two = tick.out[3][i] - float_mix({{tick.in[0][i], gain}, {tick.in[1][i], 0.75f}});
        worst_one = std::max(worst_one, std::abs(one));
        worst_two = std::max(worst_two, std::abs(two));
      }
      CHECK(worst_one <= 1);
      CHECK(worst_two <= 2);  // each gained source rounds on its own: 1 LSB each
    }
  }

  TEST_CASE("media: mixer — silent inputs count as zero; all silent still produces silence") {
    const MixPlan plan =
        plan_for(compute_routes(two_party(), std::vector<SupervisorRoute>{sup("s", Mode::barge)}),
                 {agent, customer, "s"});
    Tick tick(3, 160);
    std::mt19937 rng(5);
    for (auto& frame : tick.in) frame = random_frame(rng, 160, 10000);
    tick.silent[1] = true;  // the customer sends nothing this tick
    SoftwareMixer mixer;
    tick.run(mixer, plan);
    CHECK(tick.mono(0) == tick.in[2]);  // agent: cust (silent) + sup
    CHECK(tick.mono(2) == tick.in[0]);  // sup: agent + cust (silent)
    CHECK(tick.produced == std::vector<std::uint8_t>{1, 1, 1});

    tick.silent = {true, true, true};
    std::fill(tick.out[0].begin(), tick.out[0].end(), sentinel);
    tick.run(mixer, plan);
    CHECK(tick.produced == std::vector<std::uint8_t>{1, 1, 1});
    for (std::size_t l = 0; l < 3; ++l) CHECK(tick.mono(l) == std::vector<std::int16_t>(160, 0));
    CHECK(tick.untouched_after(0, 160));

    // Stereo, all silent: interleaved silence, produced 2.
    SupervisorRoute s = sup("s", Mode::listen);
    s.stereo = true;
    const MixPlan stereo =
        plan_for(compute_routes(two_party(), std::vector<SupervisorRoute>{s}), {agent, customer, "s"});
    Tick quiet(3, 40);
    quiet.silent = {true, true, true};
    quiet.skip = {1, 1, 0};
    quiet.run(mixer, stereo);
    CHECK(quiet.produced == std::vector<std::uint8_t>{0, 0, 2});
    CHECK(
        std::all_of(quiet.out[2].begin(), quiet.out[2].begin() + 80, [](std::int16_t v) { return v == 0; }));
    CHECK(quiet.untouched_after(2, 80));
  }

  TEST_CASE("media: mixer — skipped listeners and slots that hear nothing are left alone") {
    SupervisorRoute s = sup("s", Mode::listen);
    const MixPlan plan = plan_for(compute_routes(two_party(), std::vector<SupervisorRoute>{s}),
                                  {agent, customer, "s", "idle"});
    Tick tick(4, 160);
    std::mt19937 rng(9);
    for (auto& frame : tick.in) frame = random_frame(rng, 160, 10000);
    tick.skip = {1, 1, 0, 0};  // the engine forwards the parties itself
    SoftwareMixer mixer;
    tick.run(mixer, plan);
    CHECK(tick.produced == std::vector<std::uint8_t>{0, 0, 1, 0});
    CHECK(tick.untouched_after(0, 0));
    CHECK(tick.untouched_after(1, 0));
    CHECK(tick.untouched_after(3, 0));  // "idle" hears nothing: not in the plan
    CHECK(plan.listener(3) == nullptr);
    CHECK(tick.untouched_after(2, 160));
    // An empty skip span means "skip nothing".
    tick.skip.clear();
    tick.run(mixer, plan);
    CHECK(tick.produced == std::vector<std::uint8_t>{1, 1, 1, 0});
  }

  TEST_CASE("media: mixer — stereo: left/right routes on their side, mono routes on both") {
    const std::vector<LegId> slots{"a", "b", "c", "l"};
    const MixPlan plan = plan_for(one_listener_routes({
                                      {"a", "l", 1.0f, Channel::left},
                                      {"b", "l", 1.0f, Channel::right},
                                      {"c", "l", 0.5f, Channel::mono},
                                  }),
                                  slots);
    for (std::size_t n : {160u, 1001u}) {
      CAPTURE(n);
      Tick tick(4, n);
      std::mt19937 rng(11);
      for (auto& frame : tick.in) frame = random_frame(rng, n, 10000);
      SoftwareMixer mixer;
      tick.run(mixer, plan);
      CHECK(tick.produced[3] == 2);
      CHECK(tick.untouched_after(3, 2 * n));
      bool left_ok = true;
      bool right_ok = true;
      for (std::size_t i = 0; i < n; ++i) {
        const int half = (tick.in[2][i] + 1) >> 1;  // 0.5 in Q14, rounded half up
        left_ok = left_ok && tick.side(3, 0)[i] == tick.in[0][i] + half;
        right_ok = right_ok && tick.side(3, 1)[i] == tick.in[1][i] + half;
      }
      CHECK(left_ok);
      CHECK(right_ok);
    }
  }

  TEST_CASE("media: mixer — a stereo supervisor hears the agent left and the customer right") {
    SupervisorRoute s = sup("s", Mode::listen);
    s.stereo = true;
    const MixPlan plan =
        plan_for(compute_routes(two_party(), std::vector<SupervisorRoute>{s}), {customer, "s", agent});
    Tick tick(3, 160);
    std::mt19937 rng(13);
    for (auto& frame : tick.in) frame = random_frame(rng, 160, 32768);
    SoftwareMixer mixer;
    tick.run(mixer, plan);
    CHECK(tick.produced == std::vector<std::uint8_t>{1, 2, 1});
    CHECK(tick.side(1, 0) == tick.in[2]);  // left: agent, untouched
    CHECK(tick.side(1, 1) == tick.in[0]);  // right: customer, untouched
  }

  TEST_CASE("media: mixer — reproduces the who-hears-whom table (signals powers of two apart)") {
    // Each leg sends (1 << bit) * pattern[t]; a listener's output divided by pattern[t] is the
    // bit set of the legs it hears, the same at every t.
    const std::vector<std::int16_t> pattern{1, 3, -2, 5, -7, 2, 1, -1};
    auto bits_heard = [&](const Tick& tick, const std::vector<std::int16_t>& out) -> int {
      const int mask = out[0] / pattern[0];
      for (std::size_t t = 0; t < tick.samples; ++t)
        if (out[t] != mask * pattern[t % pattern.size()]) return -1;  // not a clean sum
      return mask;
    };
    struct Case {
      Mode mode;
      bool stereo;
      ListenDirection direction;
    };
    const std::vector<LegId> slots{agent, customer, "s1", "s2", "rec", "rec_w"};
    for (const Case c :
         {Case{Mode::listen, false, ListenDirection::both}, Case{Mode::whisper, false, ListenDirection::both},
          Case{Mode::barge, false, ListenDirection::both}, Case{Mode::listen, true, ListenDirection::both},
          Case{Mode::whisper, true, ListenDirection::agent_only},
          Case{Mode::listen, false, ListenDirection::customer_only}}) {
      CAPTURE(c.mode);
      CAPTURE(c.stereo);
      SupervisorRoute first = sup("s1", c.mode);
      first.stereo = c.stereo;
      first.direction = c.direction;
      const SupervisorRoute second = sup("s2", Mode::barge);  // a second session, heard by all
      const RouteSet routes = compute_routes(two_party(), std::vector<SupervisorRoute>{first, second},
                                             std::vector<Tap>{{"rec", false}, {"rec_w", true}});
      const MixPlan plan = plan_for(routes, slots);
      Tick tick(slots.size(), 160);
      for (std::size_t leg = 0; leg < slots.size(); ++leg)
        for (std::size_t t = 0; t < 160; ++t)
          tick.in[leg][t] = static_cast<std::int16_t>((1 << (leg + 4)) * pattern[t % pattern.size()]);
      SoftwareMixer mixer;
      tick.run(mixer, plan);
      for (std::size_t l = 0; l < slots.size(); ++l) {
        CAPTURE(slots[l]);
        int expected_left = 0;
        int expected_right = 0;
        for (std::size_t src = 0; src < slots.size(); ++src) {
          const Route* r = routes.find(slots[l], slots[src]);
          if (!r) continue;
          if (r->channel != Channel::right) expected_left |= 1 << (src + 4);
          if (r->channel != Channel::left) expected_right |= 1 << (src + 4);
        }
        const bool stereo = c.stereo && slots[l] == "s1";
        if (expected_left == 0 && expected_right == 0) {
          CHECK(tick.produced[l] == 0);
        } else if (stereo) {
          REQUIRE(tick.produced[l] == 2);
          CHECK(bits_heard(tick, tick.side(l, 0)) == expected_left);
          CHECK(bits_heard(tick, tick.side(l, 1)) == expected_right);
        } else {
          REQUIRE(tick.produced[l] == 1);
          CHECK(bits_heard(tick, tick.mono(l)) == expected_left);
        }
      }
      // And the routes themselves follow DESIGN.md's table for the first supervisor's mode.
      const int a = 1 << 4, cu = 1 << 5, s1 = 1 << 6, s2 = 1 << 7;
      const int agent_hears = bits_heard(tick, tick.mono(0));
      const int customer_hears = bits_heard(tick, tick.mono(1));
      CHECK(agent_hears == (cu | s2 | (c.mode == Mode::listen ? 0 : s1)));
      CHECK(customer_hears == (a | s2 | (c.mode == Mode::barge ? s1 : 0)));
      CHECK(bits_heard(tick, tick.mono(4)) == (a | cu | s2 | (c.mode == Mode::barge ? s1 : 0)));   // rec
      CHECK(bits_heard(tick, tick.mono(5)) == (a | cu | s2 | (c.mode == Mode::listen ? 0 : s1)));  // rec_w
    }
  }

  TEST_CASE("media: mixer — negative or NaN gains (never published) mix as silence") {
    const std::vector<LegId> slots{"a", "b", "l"};
    const MixPlan plan = plan_for(one_listener_routes({
                                      {"a", "l", -1.0f, Channel::mono},
                                      {"b", "l", std::numeric_limits<float>::quiet_NaN(), Channel::mono},
                                  }),
                                  slots);
    Tick tick(3, 16);
    tick.in[0].assign(16, 1000);
    tick.in[1].assign(16, -1000);
    SoftwareMixer mixer;
    tick.run(mixer, plan);
    CHECK(tick.produced[2] == 1);
    CHECK(tick.mono(2) == std::vector<std::int16_t>(16, 0));
  }

  TEST_CASE("media: mixer — bad frames produce nothing and write nothing") {
    const MixPlan plan =
        plan_for(compute_routes(two_party(), std::vector<SupervisorRoute>{sup("s", Mode::barge)}),
                 {agent, customer, "s"});
    SoftwareMixer mixer;
    SUBCASE("longer than max_mix_samples") {
      Tick tick(3, max_mix_samples + 1);
      tick.run(mixer, plan);
      CHECK(tick.produced == std::vector<std::uint8_t>{0, 0, 0});
      CHECK(tick.untouched_after(0, 0));
    }
    SUBCASE("no samples") {
      Tick tick(3, 0);
      tick.run(mixer, plan);
      CHECK(tick.produced == std::vector<std::uint8_t>{0, 0, 0});
    }
    SUBCASE("spans shorter than the plan's slots") {
      Tick tick(3, 160);
      MixFrames frames = tick.frames();
      frames.inputs = frames.inputs.first(2);
      mixer.mix(plan, frames);
      CHECK(tick.produced == std::vector<std::uint8_t>{0, 0, 0});
      CHECK(tick.untouched_after(0, 0));
    }
    SUBCASE("max_mix_samples itself is mixed") {
      Tick tick(3, max_mix_samples);
      tick.in[0].assign(max_mix_samples, 100);
      tick.in[1].assign(max_mix_samples, 20);
      tick.in[2].assign(max_mix_samples, 3);
      tick.run(mixer, plan);
      CHECK(tick.produced == std::vector<std::uint8_t>{1, 1, 1});
      CHECK(tick.mono(2) == std::vector<std::int16_t>(max_mix_samples, 120));
      CHECK(tick.untouched_after(2, max_mix_samples));
    }
  }

  TEST_CASE("media: mixer — one SoftwareMixer mixes many calls on several threads at once") {
    SoftwareMixer mixer;
    // A 4-party conference: three unity sources per listener take the block accumulator.
    Call conf = two_party();
    conf.legs.push_back(Leg::on_net("third", "101", LegState::up));
    conf.legs.push_back(Leg::on_net("fourth", "102", LegState::up));
    const MixPlan plan =
        plan_for(compute_routes(conf, std::vector<SupervisorRoute>{}), {agent, customer, "third", "fourth"});
    std::atomic<int> wrong{0};
    std::vector<std::thread> threads;
    threads.reserve(4);
    for (int t = 0; t < 4; ++t)
      threads.emplace_back([&, t] {
        Tick tick(4, 1000);  // more than one accumulator block
        for (std::size_t leg = 0; leg < 4; ++leg)
          tick.in[leg].assign(1000, static_cast<std::int16_t>((t + 1) << leg));
        for (int i = 0; i < 200; ++i) {
          tick.run(mixer, plan);
          if (tick.mono(3) != std::vector<std::int16_t>(1000, static_cast<std::int16_t>(7 * (t + 1))))
            ++wrong;
        }
      });
    for (auto& th : threads) th.join();
    CHECK(wrong == 0);
  }

  TEST_CASE("media: mixer — SoftwareMixer mixes in process and needs nothing from on_routes") {
    SoftwareMixer mixer;
    CHECK(mixer.mixes_audio());
    mixer.on_routes(compute_routes(two_party(), std::vector<SupervisorRoute>{}));  // no effect, no throw
  }
}

TEST_SUITE("media: null mixer") {
  TEST_CASE("media: NullMixer produces nothing and writes nothing") {
    const MixPlan plan =
        plan_for(compute_routes(two_party(), std::vector<SupervisorRoute>{sup("s", Mode::barge)}),
                 {agent, customer, "s"});
    Tick tick(3, 160);
    tick.in[0].assign(160, 1000);
    NullMixer mixer;
    CHECK(mixer.mixes_audio());
    mixer.on_routes(*plan.routes);
    tick.run(mixer, plan);
    CHECK(tick.produced == std::vector<std::uint8_t>{0, 0, 0});
    for (std::size_t l = 0; l < 3; ++l) CHECK(tick.untouched_after(l, 0));
  }
}

TEST_SUITE("media: route recorder") {
  TEST_CASE("media: RouteRecorder keeps every update, in order per call, from several threads") {
    RouteRecorder recorder;
    CHECK_FALSE(recorder.mixes_audio());
    CHECK(recorder.size() == 0);
    CHECK_FALSE(recorder.latest("c0").has_value());
    constexpr int calls = 4;
    constexpr std::uint64_t versions = 200;
    std::vector<std::thread> threads;
    threads.reserve(calls);
    for (int c = 0; c < calls; ++c)
      threads.emplace_back([&recorder, c] {
        for (std::uint64_t v = 1; v <= versions; ++v)
          recorder.on_routes(version("c" + std::to_string(c), v, v == versions));
      });
    for (auto& t : threads) t.join();
    const auto updates = recorder.updates();
    CHECK(updates.size() == calls * versions);
    CHECK(recorder.size() == calls * versions);
    std::vector<std::uint64_t> last(calls, 0);
    bool in_order = true;
    bool times_ordered = true;
    for (std::size_t i = 0; i < updates.size(); ++i) {
      const auto& u = updates[i];
      const auto c = static_cast<std::size_t>(std::stoi(u.routes.call.substr(1)));
      in_order = in_order && u.routes.version == last[c] + 1;
      last[c] = u.routes.version;
      in_order = in_order && u.routes.routes.at(0).from == "a-" + u.routes.call;  // the copy is whole
      if (i > 0) times_ordered = times_ordered && updates[i - 1].at <= u.at;
    }
    CHECK(in_order);
    CHECK(times_ordered);
    for (int c = 0; c < calls; ++c) {
      const auto latest = recorder.latest("c" + std::to_string(c));
      REQUIRE(latest.has_value());
      CHECK(latest->version == versions);
      CHECK(latest->ended);
    }
  }

  TEST_CASE("media: RouteRecorder::wait_for wakes on an update and gives up after the timeout") {
    using namespace std::chrono_literals;
    RouteRecorder recorder;
    std::thread later([&] {
      std::this_thread::sleep_for(30ms);
      recorder.on_routes(version("c1", 1));
      recorder.on_routes(version("c1", 2));
    });
    const auto start = std::chrono::steady_clock::now();
    const bool got = recorder.wait_for(
        [](const std::vector<RouteRecorder::Update>& u) {
          return !u.empty() && u.back().routes.version == 2;
        },
        10s);
    const auto waited = std::chrono::steady_clock::now() - start;
    later.join();
    CHECK(got);
    CHECK(waited < 5s);

    const auto before = std::chrono::steady_clock::now();
    CHECK_FALSE(recorder.wait_for([](const auto& u) { return u.size() > 2; }, 50ms));
    CHECK(std::chrono::steady_clock::now() - before >= 50ms);
    // Already true: no wait at all.
    CHECK(recorder.wait_for([](const auto& u) { return u.size() == 2; }, 0ms));
    CHECK_CALLSUP_ERROR(recorder.wait_for(nullptr, 1ms), errc::invalid_argument, "predicate");
  }

  TEST_CASE("media: RouteRecorder never mixes") {
    RouteRecorder recorder;
    const MixPlan plan =
        plan_for(compute_routes(two_party(), std::vector<SupervisorRoute>{}), {agent, customer});
    Tick tick(2, 160);
    tick.run(recorder, plan);
    CHECK(tick.produced == std::vector<std::uint8_t>{0, 0});
    CHECK(tick.untouched_after(0, 0));
  }
}
