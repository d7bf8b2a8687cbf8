// Over 400 lines: one case per row of DESIGN.md's who-hears-whom tables.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <ostream>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "callsup/error.hpp"
#include "callsup/routing/compute_routes.hpp"

#include "support/checks.hpp"

using namespace callsup;

namespace {

// The 2-party call of most tests: agent_leg (on-net 100) talking to customer (off-net), both up.
const LegId agent_leg = "agent";
const LegId customer = "cust";

Call two_party(LegState agent_state = LegState::up, LegState customer_state = LegState::up) {
  Call call;
  call.id = "c1";
  call.tenant = "acme";
  call.bridged = true;
  call.legs.push_back(Leg::on_net(agent_leg, "100", agent_state));
  call.legs.push_back(Leg::off_net(customer, "+15550001", customer_state));
  return call;
}

SupervisorRoute sup(const LegId& leg, Mode mode, const LegId& target = agent_leg) {
  SupervisorRoute s;
  s.supervisor_leg = leg;
  s.mode = mode;
  s.target_leg = target;
  return s;
}

Tap tap(const LegId& id, bool hears_whisper = false) { return {id, hears_whisper}; }

/// "from>to" of every route, in the set's order (readable in a failed CHECK).
std::string edges(const RouteSet& set) {
  std::string out;
  for (const Route& r : set.routes) out += (out.empty() ? "" : " ") + r.from + ">" + r.to;
  return out;
}

std::string joined(const std::vector<LegId>& ids) {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : ",") + id;
  return out;
}

/// Invariants of every route set: sorted by (to, from), no duplicate edge, nobody
/// hears themselves, every id belongs to this call's legs, supervisors or taps.
void check_invariants(const RouteSet& set, const Call& call, const std::vector<SupervisorRoute>& sups,
                      const std::vector<Tap>& taps) {
  CHECK(set.call == call.id);
  std::set<LegId> known;
  for (const Leg& leg : call.legs) known.insert(leg.id);
  for (const auto& s : sups) known.insert(s.supervisor_leg);
  for (const auto& t : taps) known.insert(t.id);
  std::set<std::pair<LegId, LegId>> seen;
  for (std::size_t i = 0; i < set.routes.size(); ++i) {
    const Route& r = set.routes[i];
    CAPTURE(r.from);
    CAPTURE(r.to);
    CHECK(r.from != r.to);
    CHECK(known.count(r.from) == 1);
    CHECK(known.count(r.to) == 1);
    CHECK(seen.insert({r.from, r.to}).second);
    for (const auto& t : taps) CHECK(r.from != t.id);  // a tap is never heard
    if (i > 0) {
      const Route& p = set.routes[i - 1];
      CHECK((p.to < r.to || (p.to == r.to && p.from < r.from)));
    }
  }
}

RouteSet routes_checked(const Call& call, const std::vector<SupervisorRoute>& sups,
                        const std::vector<Tap>& taps = {}) {
  RouteSet set = compute_routes(call, sups, taps);
  check_invariants(set, call, sups, taps);
  return set;
}

/// An independent reading of DESIGN.md's table and options: does `listener` hear
/// `source`, and with which gain and channel?
struct Expected {
  bool hears = false;
  float gain = 1.0f;
  Channel channel = Channel::mono;
};

Expected oracle(const Call& call, const std::vector<SupervisorRoute>& sups, const std::vector<Tap>& taps,
                const LegId& listener, const LegId& source) {
  auto party = [&](const LegId& id) -> const Leg* {
    const Leg* leg = call.find_leg(id);
    return leg && leg->state == LegState::up ? leg : nullptr;
  };
  auto supervisor = [&](const LegId& id) -> const SupervisorRoute* {
    for (const auto& s : sups)
      if (s.supervisor_leg == id && s.supervisor_up) return &s;
    return nullptr;
  };
  auto a_tap = [&](const LegId& id) -> const Tap* {
    for (const auto& t : taps)
      if (t.id == id) return &t;
    return nullptr;
  };
  Expected no;
  if (listener == source) return no;
  if (a_tap(source)) return no;
  const Leg* source_party = party(source);
  const SupervisorRoute* source_sup = supervisor(source);
  if (!source_party && !source_sup) return no;

  if (const Leg* l = party(listener)) {
    if (source_party) return {true};
    if (source_sup->mode == Mode::barge) return {true};
    if (source_sup->mode == Mode::whisper) return {source_sup->whisper_target() == l->id};
    return no;
  }
  if (const SupervisorRoute* l = supervisor(listener)) {
    if (l->mode == Mode::whisper && l->private_whisper) return no;
    Expected yes{true, l->gain, Channel::mono};
    if (source_party) {
      if (l->mode != Mode::barge) {
        if (l->direction == ListenDirection::agent_only && source != l->target_leg) return no;
        if (l->direction == ListenDirection::customer_only && source == l->target_leg) return no;
      }
      if (l->stereo) yes.channel = source == l->target_leg ? Channel::left : Channel::right;
      return yes;
    }
    if (source_sup->mode != Mode::barge) return no;
    if (l->stereo) yes.channel = Channel::right;
    return yes;
  }
  if (const Tap* t = a_tap(listener)) {
    if (source_party) return {true};
    if (source_sup->mode == Mode::barge) return {true};
    if (source_sup->mode == Mode::whisper) return {t->hears_whisper};
    return no;
  }
  return no;
}

}  // namespace

TEST_SUITE("compute_routes") {
  TEST_CASE("compute_routes: an unsupervised 2-party call: the parties hear each other") {
    const Call call = two_party();
    const RouteSet set = routes_checked(call, {});
    CHECK(edges(set) == "cust>agent agent>cust");
    for (const Route& r : set.routes) {
      CHECK(r.gain == 1.0f);
      CHECK(r.channel == Channel::mono);
    }
    CHECK(set.tone_listeners.empty());
    CHECK_FALSE(set.ended);
  }

  TEST_CASE("compute_routes: a 3-party conference: everyone hears everyone else") {
    Call call = two_party();
    call.legs.push_back(Leg::on_net("third", "101", LegState::up));
    const RouteSet set = routes_checked(call, {});
    CHECK(set.routes.size() == 6);
    for (const Leg& a : call.legs)
      for (const Leg& b : call.legs) CHECK(set.hears(a.id, b.id) == (a.id != b.id));
    CHECK(edges(set) == "cust>agent third>agent agent>cust third>cust agent>third cust>third");
  }

  TEST_CASE("compute_routes: listen — the table, cell by cell") {
    const Call call = two_party();
    const RouteSet set = routes_checked(call, {sup("sup", Mode::listen)}, {tap("rec"), tap("rec_w", true)});
    // party (agent_leg) hears: other party yes, listening supervisor no.
    CHECK(set.hears(agent_leg, customer));
    CHECK_FALSE(set.hears(agent_leg, "sup"));
    // party (customer) hears: other party yes, listening supervisor no.
    CHECK(set.hears(customer, agent_leg));
    CHECK_FALSE(set.hears(customer, "sup"));
    // supervisor hears both parties.
    CHECK(set.hears("sup", agent_leg));
    CHECK(set.hears("sup", customer));
    // taps hear the parties, not the listening supervisor (whatever hears_whisper says).
    CHECK(set.hears("rec", agent_leg));
    CHECK(set.hears("rec", customer));
    CHECK_FALSE(set.hears("rec", "sup"));
    CHECK(set.hears("rec_w", agent_leg));
    CHECK(set.hears("rec_w", customer));
    CHECK_FALSE(set.hears("rec_w", "sup"));
    // taps are never heard; nobody hears themselves.
    CHECK(set.listeners_of("rec").empty());
    CHECK(set.listeners_of("rec_w").empty());
    for (const char* id : {"agent", "cust", "sup", "rec", "rec_w"}) CHECK_FALSE(set.hears(id, id));
    CHECK(edges(set) == "cust>agent agent>cust agent>rec cust>rec agent>rec_w cust>rec_w agent>sup cust>sup");
  }

  TEST_CASE("compute_routes: whisper — the table, cell by cell") {
    const Call call = two_party();
    const RouteSet set = routes_checked(call, {sup("sup", Mode::whisper)}, {tap("rec"), tap("rec_w", true)});
    CHECK(set.hears(agent_leg, customer));
    CHECK(set.hears(agent_leg, "sup"));  // the whisper target hears the whisper
    CHECK(set.hears(customer, agent_leg));
    CHECK_FALSE(set.hears(customer, "sup"));  // the customer never does
    CHECK(set.hears("sup", agent_leg));
    CHECK(set.hears("sup", customer));
    CHECK(set.hears("rec", agent_leg));
    CHECK(set.hears("rec", customer));
    CHECK_FALSE(set.hears("rec", "sup"));  // not unless configured
    CHECK(set.hears("rec_w", "sup"));      // configured
    CHECK(set.hears("rec_w", agent_leg));
    CHECK(set.hears("rec_w", customer));
    CHECK(joined(set.listeners_of("sup")) == "agent,rec_w");
    CHECK(edges(set) ==
          "cust>agent sup>agent agent>cust agent>rec cust>rec agent>rec_w cust>rec_w sup>rec_w agent>sup "
          "cust>sup");
  }

  TEST_CASE("compute_routes: barge — the table, cell by cell") {
    const Call call = two_party();
    const RouteSet set = routes_checked(call, {sup("sup", Mode::barge)}, {tap("rec"), tap("rec_w", true)});
    CHECK(set.hears(agent_leg, customer));
    CHECK(set.hears(agent_leg, "sup"));
    CHECK(set.hears(customer, agent_leg));
    CHECK(set.hears(customer, "sup"));
    CHECK(set.hears("sup", agent_leg));
    CHECK(set.hears("sup", customer));
    CHECK(set.hears("rec", "sup"));
    CHECK(set.hears("rec_w", "sup"));
    CHECK(set.hears("rec", agent_leg));
    CHECK(set.hears("rec", customer));
    CHECK(joined(set.listeners_of("sup")) == "agent,cust,rec,rec_w");
    CHECK(joined(set.sources_of("sup")) == "agent,cust");
  }

  TEST_CASE("compute_routes: a second supervisor in each mode, heard by the first in each mode") {
    const Call call = two_party();
    for (Mode first : all_modes)
      for (Mode second : all_modes) {
        CAPTURE(to_string(first));
        CAPTURE(to_string(second));
        const std::vector<SupervisorRoute> sups{sup("s1", first), sup("s2", second)};
        const RouteSet set = routes_checked(call, sups, {tap("rec")});
        // supervisor hears: listening supervisor no, whispering no, barging yes.
        CHECK(set.hears("s1", "s2") == (second == Mode::barge));
        CHECK(set.hears("s2", "s1") == (first == Mode::barge));
        // parties: as for one supervisor, independently of the other.
        CHECK(set.hears(agent_leg, "s2") == (second != Mode::listen));
        CHECK(set.hears(customer, "s2") == (second == Mode::barge));
        CHECK(set.hears(agent_leg, "s1") == (first != Mode::listen));
        CHECK(set.hears(customer, "s1") == (first == Mode::barge));
        CHECK(set.hears("rec", "s2") == (second == Mode::barge));
        // supervisors always hear the parties (no private whisper here).
        CHECK(set.hears("s1", agent_leg));
        CHECK(set.hears("s1", customer));
        CHECK(set.hears("s2", agent_leg));
        CHECK(set.hears("s2", customer));
      }
  }

  TEST_CASE("compute_routes: held, ringing and gone parties neither hear nor are heard") {
    Call call = two_party();
    call.legs.push_back(Leg::on_net("held", "101", LegState::held));
    call.legs.push_back(Leg::on_net("ringing", "102", LegState::ringing));
    call.legs.push_back(Leg::off_net("gone", "+15550002", LegState::gone));
    for (Mode mode : all_modes) {
      CAPTURE(to_string(mode));
      SupervisorRoute s = sup("sup", mode);
      s.monitoring_tone = true;
      const RouteSet set = routes_checked(call, {s}, {tap("rec", true)});
      for (const char* absent : {"held", "ringing", "gone"}) {
        CAPTURE(absent);
        CHECK(set.sources_of(absent).empty());
        CHECK(set.listeners_of(absent).empty());
        CHECK(std::count(set.tone_listeners.begin(), set.tone_listeners.end(), absent) == 0);
      }
      CHECK(set.hears(agent_leg, customer));
      CHECK(set.hears(customer, agent_leg));
    }
  }

  TEST_CASE("compute_routes: a held agent does not get the whisper; held customer does not hear the barge") {
    const Call held_agent = two_party(LegState::held, LegState::up);
    const RouteSet whisper = routes_checked(held_agent, {sup("sup", Mode::whisper)});
    CHECK_FALSE(whisper.hears(agent_leg, "sup"));
    CHECK_FALSE(whisper.hears("sup", agent_leg));
    CHECK(whisper.hears("sup", customer));
    CHECK_FALSE(whisper.hears(customer, agent_leg));

    const Call held_customer = two_party(LegState::up, LegState::held);
    const RouteSet barge = routes_checked(held_customer, {sup("sup", Mode::barge)});
    CHECK(edges(barge) == "sup>agent agent>sup");
  }

  TEST_CASE("compute_routes: a supervisor whose leg is not up neither hears nor is heard") {
    const Call call = two_party();
    for (Mode mode : all_modes) {
      CAPTURE(to_string(mode));
      SupervisorRoute down = sup("down", mode);
      down.supervisor_up = false;
      SupervisorRoute other = sup("other", Mode::barge);
      const RouteSet set = routes_checked(call, {down, other}, {tap("rec", true)});
      CHECK(set.sources_of("down").empty());
      CHECK(set.listeners_of("down").empty());
      // The other supervisor is unaffected.
      CHECK(set.hears(agent_leg, "other"));
      CHECK(set.hears("other", agent_leg));
    }
    SupervisorRoute alone = sup("down", Mode::barge);
    alone.supervisor_up = false;
    alone.monitoring_tone = true;
    CHECK(edges(routes_checked(call, {alone})) == "cust>agent agent>cust");
  }

  TEST_CASE("compute_routes: listen direction agent_only and customer_only") {
    Call call = two_party();
    call.legs.push_back(Leg::off_net("cust2", "+15550003", LegState::up));  // a second outside party
    for (Mode mode : {Mode::listen, Mode::whisper}) {
      CAPTURE(to_string(mode));
      SupervisorRoute agent_only = sup("sup", mode);
      agent_only.direction = ListenDirection::agent_only;
      CHECK(joined(routes_checked(call, {agent_only}).sources_of("sup")) == "agent");

      SupervisorRoute customer_only = sup("sup", mode);
      customer_only.direction = ListenDirection::customer_only;
      const RouteSet set = routes_checked(call, {customer_only});
      CHECK(joined(set.sources_of("sup")) == "cust,cust2");
      // The direction is about what the supervisor hears, not about the whisper.
      CHECK(set.hears(agent_leg, "sup") == (mode == Mode::whisper));
    }
  }

  TEST_CASE("compute_routes: listen direction does not apply in barge") {
    const Call call = two_party();
    for (ListenDirection direction : {ListenDirection::agent_only, ListenDirection::customer_only}) {
      CAPTURE(to_string(direction));
      SupervisorRoute s = sup("sup", Mode::barge);
      s.direction = direction;
      const RouteSet set = routes_checked(call, {s});
      CHECK(joined(set.sources_of("sup")) == "agent,cust");
      CHECK(joined(set.listeners_of("sup")) == "agent,cust");
    }
  }

  TEST_CASE("compute_routes: stereo puts the agent on the left and everyone else on the right") {
    Call call = two_party();
    call.legs.push_back(Leg::off_net("cust2", "+15550003", LegState::up));
    for (Mode mode : all_modes) {
      CAPTURE(to_string(mode));
      SupervisorRoute s = sup("sup", mode);
      s.stereo = true;
      const RouteSet set = routes_checked(call, {s, sup("barger", Mode::barge)}, {tap("rec", true)});
      REQUIRE(set.find("sup", agent_leg));
      CHECK(set.find("sup", agent_leg)->channel == Channel::left);
      REQUIRE(set.find("sup", customer));
      CHECK(set.find("sup", customer)->channel == Channel::right);
      REQUIRE(set.find("sup", "cust2"));
      CHECK(set.find("sup", "cust2")->channel == Channel::right);
      REQUIRE(set.find("sup", "barger"));
      CHECK(set.find("sup", "barger")->channel == Channel::right);
      // Everyone else stays mono, including what the stereo supervisor sends.
      for (const Route& r : set.routes)
        if (r.to != "sup") CHECK(r.channel == Channel::mono);
    }
    // Without stereo the supervisor is mono.
    const RouteSet mono = routes_checked(call, {sup("sup", Mode::listen), sup("barger", Mode::barge)});
    for (const Route& r : mono.routes) CHECK(r.channel == Channel::mono);
  }

  TEST_CASE("compute_routes: stereo follows the session's target, not the leg order") {
    const Call call = two_party();
    SupervisorRoute s = sup("sup", Mode::listen, customer);  // supervising the customer side
    s.stereo = true;
    const RouteSet set = routes_checked(call, {s});
    CHECK(set.find("sup", customer)->channel == Channel::left);
    CHECK(set.find("sup", agent_leg)->channel == Channel::right);
  }

  TEST_CASE("compute_routes: private whisper — the supervisor hears nothing while whispering") {
    const Call call = two_party();
    SupervisorRoute s = sup("sup", Mode::whisper);
    s.private_whisper = true;
    const RouteSet set = routes_checked(call, {s, sup("barger", Mode::barge)}, {tap("rec", true)});
    CHECK(set.sources_of("sup").empty());
    CHECK(set.hears(agent_leg, "sup"));
    CHECK_FALSE(set.hears(customer, "sup"));
    CHECK(set.hears("rec", "sup"));
    // private_whisper only matters while whispering.
    for (Mode mode : {Mode::listen, Mode::barge}) {
      CAPTURE(to_string(mode));
      SupervisorRoute other = sup("sup", mode);
      other.private_whisper = true;
      CHECK(joined(routes_checked(call, {other}).sources_of("sup")) == "agent,cust");
    }
  }

  TEST_CASE("compute_routes: whisper aimed at the customer") {
    const Call call = two_party();
    SupervisorRoute s = sup("sup", Mode::whisper);
    s.whisper_leg = customer;
    CHECK(s.whisper_target() == customer);
    const RouteSet set = routes_checked(call, {s}, {tap("rec")});
    CHECK(set.hears(customer, "sup"));
    CHECK_FALSE(set.hears(agent_leg, "sup"));
    CHECK_FALSE(set.hears("rec", "sup"));
    CHECK(joined(set.sources_of("sup")) == "agent,cust");
    // In listen and barge the whisper leg changes nothing.
    s.mode = Mode::listen;
    CHECK(routes_checked(call, {s}).listeners_of("sup").empty());
    s.mode = Mode::barge;
    CHECK(joined(routes_checked(call, {s}).listeners_of("sup")) == "agent,cust");
  }

  TEST_CASE("compute_routes: gain applies only to what the supervisor hears") {
    const Call call = two_party();
    SupervisorRoute s = sup("sup", Mode::whisper);
    s.gain = volume_gain(2);
    SupervisorRoute loud = sup("barger", Mode::barge);
    loud.gain = volume_gain(-3);
    const RouteSet set = routes_checked(call, {s, loud}, {tap("rec", true)});
    for (const Route& r : set.routes) {
      CAPTURE(r.from);
      CAPTURE(r.to);
      if (r.to == "sup")
        CHECK(r.gain == s.gain);
      else if (r.to == "barger")
        CHECK(r.gain == loud.gain);
      else
        CHECK(r.gain == 1.0f);
    }
    CHECK(set.find("sup", "barger")->gain == s.gain);  // another supervisor heard at the listener's gain
    CHECK(set.find("barger", agent_leg)->gain == loud.gain);
    CHECK(set.find(agent_leg, "sup")->gain ==
          1.0f);  // the whisper is not scaled by the whisperer's listening volume
  }

  TEST_CASE("compute_routes: monitoring tone — the up parties hear it") {
    Call call = two_party();
    call.legs.push_back(Leg::on_net("held", "101", LegState::held));
    SupervisorRoute s = sup("sup", Mode::listen);
    CHECK(routes_checked(call, {s}).tone_listeners.empty());
    s.monitoring_tone = true;
    for (Mode mode : all_modes) {
      s.mode = mode;
      const RouteSet set = routes_checked(call, {sup("quiet", Mode::listen), s}, {tap("rec")});
      std::vector<LegId> tone = set.tone_listeners;
      std::sort(tone.begin(), tone.end());
      CHECK(joined(tone) == "agent,cust");
    }
  }

  TEST_CASE("compute_routes: routes are sorted by (to, from) and never duplicated") {
    Call call;
    call.id = "c9";
    call.legs.push_back(Leg::on_net("z", "100", LegState::up));
    call.legs.push_back(Leg::off_net("b", "+1", LegState::up));
    call.legs.push_back(Leg::on_net("m", "101", LegState::up));
    const std::vector<SupervisorRoute> sups{sup("y", Mode::barge, "z"), sup("a", Mode::whisper, "m"),
                                            sup("k", Mode::listen, "z")};
    const RouteSet set = routes_checked(call, sups, {tap("c", true), tap("x")});
    CHECK(set.call == "c9");
    CHECK(std::is_sorted(set.routes.begin(), set.routes.end(), [](const Route& l, const Route& r) {
      return l.to != r.to ? l.to < r.to : l.from < r.from;
    }));
    CHECK(edges(set) ==
          "b>a m>a y>a z>a m>b y>b z>b a>c b>c m>c y>c z>c b>k m>k y>k z>k a>m b>m y>m z>m b>x m>x y>x z>x "
          "b>y m>y z>y b>z m>z y>z");
  }

  TEST_CASE("compute_routes: the table holds for random calls, sessions and taps") {
    std::mt19937 rng(20240611);
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    const LegState states[] = {LegState::up,   LegState::up,      LegState::up,
                               LegState::held, LegState::ringing, LegState::gone};
    int mismatches = 0;
    for (int round = 0; round < 2000; ++round) {
      Call call;
      call.id = "r" + std::to_string(round);
      const int legs = 1 + pick(4);
      for (int i = 0; i < legs; ++i) {
        const LegId id = "p" + std::to_string(i);
        const LegState state = states[pick(6)];
        call.legs.push_back(pick(2) ? Leg::on_net(id, "10" + std::to_string(i), state)
                                    : Leg::off_net(id, "+1555" + std::to_string(i), state));
      }
      std::vector<SupervisorRoute> sups;
      const int count = pick(4);
      for (int i = 0; i < count; ++i) {
        SupervisorRoute s = sup("s" + std::to_string(i), all_modes[static_cast<std::size_t>(pick(3))],
                                "p" + std::to_string(pick(legs)));
        s.supervisor_up = pick(5) != 0;
        if (pick(3) == 0) s.whisper_leg = "p" + std::to_string(pick(legs));
        s.direction = static_cast<ListenDirection>(pick(3));
        s.stereo = pick(2);
        s.private_whisper = pick(3) == 0;
        s.gain = volume_gain(pick(9) - 4);
        s.monitoring_tone = pick(4) == 0;
        sups.push_back(s);
      }
      std::vector<Tap> taps;
      const int tap_count = pick(3);
      for (int i = 0; i < tap_count; ++i) taps.push_back(tap("t" + std::to_string(i), pick(2)));

      const RouteSet set = routes_checked(call, sups, taps);
      std::vector<LegId> everyone;
      for (const Leg& leg : call.legs) everyone.push_back(leg.id);
      for (const auto& s : sups) everyone.push_back(s.supervisor_leg);
      for (const auto& t : taps) everyone.push_back(t.id);
      std::size_t expected_routes = 0;
      for (const auto& listener : everyone)
        for (const auto& source : everyone) {
          const Expected want = oracle(call, sups, taps, listener, source);
          const Route* got = set.find(listener, source);
          expected_routes += want.hears ? 1 : 0;
          bool ok = want.hears == (got != nullptr);
          if (ok && got) ok = got->gain == want.gain && got->channel == want.channel;
          if (!ok && ++mismatches <= 5)
            FAIL_CHECK("round " << round << ": " << listener << " <- " << source << " expected "
                                << (want.hears ? "a route" : "no route") << ", got " << edges(set));
        }
      CHECK(set.routes.size() == expected_routes);

      std::vector<LegId> tone;
      if (std::any_of(sups.begin(), sups.end(),
                      [](const auto& s) { return s.supervisor_up && s.monitoring_tone; }))
        for (const Leg& leg : call.legs)
          if (leg.state == LegState::up) tone.push_back(leg.id);
      std::vector<LegId> got_tone = set.tone_listeners;
      std::sort(got_tone.begin(), got_tone.end());
      std::sort(tone.begin(), tone.end());
      CHECK(got_tone == tone);
    }
    CHECK(mismatches == 0);
  }

  TEST_CASE("compute_routes: the span overload gives the same result") {
    const Call call = two_party();
    const std::vector<SupervisorRoute> sups{sup("sup", Mode::whisper)};
    const std::vector<Tap> taps{tap("rec", true)};
    const RouteSet a = compute_routes(call, sups, taps);
    const RouteSet b =
        compute_routes(call, std::span<const SupervisorRoute>(sups), std::span<const Tap>(taps));
    CHECK(a.same_routing(b));
    CHECK(edges(a) == edges(b));
  }

  TEST_CASE("compute_routes: id collisions and empty ids are errors naming the id") {
    const Call call = two_party();
    CHECK_CALLSUP_ERROR(compute_routes(call, {sup(agent_leg, Mode::listen)}), errc::duplicate_id, "'agent'");
    CHECK_CALLSUP_ERROR(compute_routes(call, {sup(customer, Mode::barge)}), errc::duplicate_id, "'cust'");
    CHECK_CALLSUP_ERROR(compute_routes(call, {sup("sup", Mode::listen), sup("sup", Mode::barge)}),
                        errc::duplicate_id, "'sup'");
    CHECK_CALLSUP_ERROR(compute_routes(call, {}, {tap(agent_leg)}), errc::duplicate_id, "'agent'");
    CHECK_CALLSUP_ERROR(compute_routes(call, {sup("sup", Mode::listen)}, {tap("sup")}), errc::duplicate_id,
                        "'sup'");
    CHECK_CALLSUP_ERROR(compute_routes(call, {}, {tap("rec"), tap("rec", true)}), errc::duplicate_id,
                        "'rec'");
    CHECK_CALLSUP_ERROR(compute_routes(call, {sup("", Mode::listen)}), errc::invalid_argument,
                        "supervisor leg");
    CHECK_CALLSUP_ERROR(compute_routes(call, {}, {tap("")}), errc::invalid_argument, "tap id");
    // A supervisor that is not up still may not reuse an id.
    SupervisorRoute down = sup(agent_leg, Mode::listen);
    down.supervisor_up = false;
    CHECK_CALLSUP_ERROR(compute_routes(call, {down}), errc::duplicate_id, "'agent'");
    // A gone leg's id is still taken.
    const Call with_gone = two_party(LegState::gone);
    CHECK_CALLSUP_ERROR(compute_routes(with_gone, {sup(agent_leg, Mode::listen)}), errc::duplicate_id,
                        "'agent'");
  }

  TEST_CASE("compute_routes: volume_gain") {
    CHECK(volume_gain(0) == 1.0f);
    CHECK(volume_gain(2) == doctest::Approx(1.9953).epsilon(0.0005));
    CHECK(volume_gain(-2) == doctest::Approx(1.0 / 1.9953).epsilon(0.0005));
    CHECK(volume_gain(4) == doctest::Approx(3.981).epsilon(0.001));
    CHECK(volume_gain(-4) == doctest::Approx(0.2512).epsilon(0.001));
    for (int step = -4; step < 4; ++step) {
      CAPTURE(step);
      CHECK(volume_gain(step) < volume_gain(step + 1));
      CHECK(volume_gain(step) > 0.0f);
      // 3 dB per step: the ratio of neighbours is constant.
      CHECK(volume_gain(step + 1) / volume_gain(step) ==
            doctest::Approx(std::pow(10.0, 0.15)).epsilon(0.0001));
    }
  }

}  // TEST_SUITE
