// callsup-mediabench: the generator's plan and legs (see generator_legs.hpp).
#include "generator_legs.hpp"

#include <cmath>
#include <unordered_map>

#include "callsup/error.hpp"

namespace callsup::mediabench {

namespace {

double seconds_member(const json& plan, const char* key, double fallback) {
  const auto it = plan.find(key);
  if (it == plan.end()) return fallback;
  if (!it->is_number() || !std::isfinite(it->get<double>()) || it->get<double>() < 0 ||
      it->get<double>() > 3600)
    throw Error(errc::invalid_argument, std::string("plan: \"") + key +
                                            "\" must be a number of seconds in 0..3600, got " + it->dump());
  return it->get<double>();
}

}  // namespace

Plan parse_plan(const json& plan) {
  Plan out;
  out.warmup_seconds = seconds_member(plan, "warmup_seconds", out.warmup_seconds);
  out.window_seconds = seconds_member(plan, "window_seconds", out.window_seconds);
  if (out.window_seconds <= 0)
    throw Error(errc::invalid_argument, "plan: \"window_seconds\" must be above 0");
  if (const auto slot = plan.find("send_slot_us"); slot != plan.end()) {
    if (!slot->is_number_integer() || slot->get<std::int64_t>() < 1 || slot->get<std::int64_t>() > 20000)
      throw Error(errc::invalid_argument,
                  "plan: \"send_slot_us\" must be an integer in 1..20000, got " + slot->dump());
    out.send_slot_us = slot->get<int>();
  }
  const auto calls = plan.find("calls");
  if (calls == plan.end() || !calls->is_array() || calls->empty())
    throw Error(errc::invalid_argument, "plan: \"calls\" must be a non-empty list");
  if (calls->size() > 5000)
    throw Error(errc::invalid_argument, "plan: " + std::to_string(calls->size()) + " calls, more than 5000");
  for (std::size_t i = 0; i < calls->size(); ++i) {
    const json& call = (*calls)[i];
    const std::string where = "plan: call " + std::to_string(i);
    const auto legs = call.is_object() ? call.find("legs") : call.end();
    if (legs == call.end() || !legs->is_array() || legs->size() != 2 || !(*legs)[0].is_string() ||
        !(*legs)[1].is_string())
      throw Error(errc::invalid_argument,
                  where + ": \"legs\" must be a list of two leg ids, got " + call.dump());
    out.leg_ids.push_back((*legs)[0].get<std::string>());
    out.leg_ids.push_back((*legs)[1].get<std::string>());
  }
  return out;
}

std::vector<GeneratorLeg> bind_legs(const Plan& plan, std::int64_t period_ns) {
  std::vector<GeneratorLeg> legs;
  legs.reserve(plan.leg_ids.size());
  const auto calls = static_cast<std::int64_t>(plan.leg_ids.size() / 2);
  for (std::size_t i = 0; i < plan.leg_ids.size(); ++i) {
    // 1 MB buffers: a relay's burst after a stall must not be dropped at our end.
    GeneratorLeg leg(plan.leg_ids[i], sim::UdpSocket(sim::Address{"127.0.0.1", 0}, 1 << 20));
    leg.ssrc = 0x4d420000u + static_cast<std::uint32_t>(i);
    leg.sequence = static_cast<std::uint16_t>(i * 7919u);
    leg.timestamp = static_cast<std::uint32_t>(i) * 100'003u;
    leg.offset_ns = static_cast<std::int64_t>(i / 2) * period_ns / calls;
    legs.push_back(std::move(leg));
  }
  return legs;
}

json addresses_of(const std::vector<GeneratorLeg>& legs) {
  json list = json::array();
  for (const GeneratorLeg& leg : legs)
    list.push_back({{"id", leg.id}, {"address", leg.socket.local_address().to_string()}, {"ssrc", leg.ssrc}});
  return {{"legs", list}};
}

void apply_targets(const json& targets, std::vector<GeneratorLeg>& legs) {
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < legs.size(); ++i) index[legs[i].id] = i;
  const auto list = targets.find("legs");
  if (list == targets.end() || !list->is_array())
    throw Error(errc::invalid_argument, "targets: \"legs\" must be a list");
  std::vector<bool> seen(legs.size(), false);
  for (const json& entry : *list) {
    if (!entry.is_object())
      throw Error(errc::invalid_argument, "targets: entry is not an object: " + entry.dump());
    const std::string id = string_member(entry, "id", "targets");
    const auto found = index.find(id);
    if (found == index.end()) throw Error(errc::invalid_argument, "targets: unknown leg " + quoted(id));
    GeneratorLeg& leg = legs[found->second];
    const std::string where = "targets: leg " + quoted(id);
    leg.target = sim::to_sockaddr(parse_address(string_member(entry, "send_to", where)));
    const bool has_send = entry.contains("srtp_send"), has_receive = entry.contains("srtp_receive");
    if (has_send != has_receive)
      throw Error(errc::invalid_argument, where + ": give both srtp_send and srtp_receive, or neither");
    if (has_send) {
      leg.protect.emplace(SrtpContext::Direction::outbound,
                          inline_key(string_member(entry, "srtp_send", where), where));
      leg.unprotect.emplace(SrtpContext::Direction::inbound,
                            inline_key(string_member(entry, "srtp_receive", where), where));
    }
    seen[found->second] = true;
  }
  for (std::size_t i = 0; i < legs.size(); ++i)
    if (!seen[i]) throw Error(errc::invalid_argument, "targets: no entry for leg " + quoted(legs[i].id));
}

}  // namespace callsup::mediabench
