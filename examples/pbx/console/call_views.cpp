// callsup-pbx console: the calls a user sees, and the buttons the policy allows on each.
#include "call_views.hpp"

#include <algorithm>
#include <ctime>
#include <set>

namespace callsup::pbx {

namespace {

constexpr Mode all_modes[] = {Mode::listen, Mode::whisper, Mode::barge};

/// Reasons that say the call is in the supervisor's scope but cannot be taken now, or not in
/// every mode: the call is listed (buttons disabled, reason shown). The others (scope, tenant,
/// channel, not a supervisor) hide it: nothing of a call out of scope reaches the page.
bool listed_despite(Reason reason) {
  switch (reason) {
  case Reason::privacy:
  case Reason::mode_not_granted:
  case Reason::not_bridged:
  case Reason::whisper_topology:
  case Reason::supervisor_cap:
  case Reason::barge_cap: return true;
  default: return false;
  }
}

std::string display_name(const Directory& directory, const std::string& extension) {
  const auto profile = directory.find_extension(extension);
  return profile ? profile->display_name : std::string();
}

std::set<LegId> supervisor_legs(const SupervisionService& service) {
  std::set<LegId> legs;
  for (const auto& session : service.sessions()) legs.insert(session.supervisor_leg);
  return legs;
}

/// The on-net parties that may be an agent: present, and no supervisor's phone.
std::vector<const Leg*> agent_legs(const callsup::Call& call, const std::set<LegId>& supervisors) {
  std::vector<const Leg*> out;
  for (const Leg& leg : call.legs)
    if (leg.network == Network::on_net && leg.state != LegState::gone && !supervisors.count(leg.id))
      out.push_back(&leg);
  return out;
}

std::string other_party(const callsup::Call& call, const LegId& agent_leg,
                        const std::set<LegId>& supervisors) {
  for (const Leg& leg : call.legs) {
    if (leg.id == agent_leg || leg.state == LegState::gone || supervisors.count(leg.id)) continue;
    return leg.network == Network::off_net ? leg.remote_number : leg.extension;
  }
  return {};
}

std::size_t parties(const callsup::Call& call, const std::set<LegId>& supervisors) {
  return static_cast<std::size_t>(std::count_if(call.legs.begin(), call.legs.end(), [&](const Leg& leg) {
    return leg.state != LegState::gone && !supervisors.count(leg.id);
  }));
}

nlohmann::json view_of(const callsup::Call& call, const std::string& agent, const LegId& agent_leg, bool mine,
                       const std::set<LegId>& supervisors, const ViewSources& sources) {
  nlohmann::json view = {{"id", call.id},
                         {"agent", agent},
                         {"agent_name", display_name(sources.directory, agent)},
                         {"customer", other_party(call, agent_leg, supervisors)},
                         {"queue", call.group},
                         {"answered", call.bridged},
                         {"mine", mine},
                         {"modes", {{"listen", false}, {"whisper", false}, {"barge", false}}},
                         {"denial", nullptr},
                         {"assistance", nullptr}};
  const auto times = sources.times.by_call.find(call.id);
  view["started_at"] =
      times == sources.times.by_call.end() ? nlohmann::json() : nlohmann::json(times->second.started_at);
  view["answered_at"] = times == sources.times.by_call.end() || times->second.answered_at.empty()
                            ? nlohmann::json()
                            : nlohmann::json(times->second.answered_at);
  auto supervising = nlohmann::json::array();
  for (const auto& session : sources.service.sessions_on_call(call.id)) {
    if (session.state != SessionState::active) continue;
    if (mine) {  // the agent sees what the tenant lets it know
      const auto told = sources.notified.find(session.id);
      const bool notified = told != sources.notified.end() && told->second;
      if (session.mode == Mode::listen ? !sources.agent_sees_listening : !notified) continue;
    }
    supervising.push_back({{"session", session.id},
                           {"supervisor", session.supervisor},
                           {"name", display_name(sources.directory, session.supervisor)},
                           {"mode", std::string(to_string(session.mode))}});
  }
  view["supervisors"] = std::move(supervising);
  const auto help = sources.assistance.find(agent);
  if (help != sources.assistance.end() && help->second.call == call.id)
    view["assistance"] = assistance_json(help->second);
  return view;
}

}  // namespace

ConsoleUser console_user(const ExtensionProfile& profile) {
  return {profile, profile.can_supervise, profile.has_role(Role::tenant_admin)};
}

nlohmann::json assistance_json(const Assistance& assistance) {
  return {{"agent", assistance.agent},
          {"agent_name", assistance.agent_name},
          {"call", assistance.call},
          {"requested_at", assistance.requested_at}};
}

std::optional<ScopedCall> scope_call(const ConsoleUser& user,
                                     const std::shared_ptr<const callsup::Call>& call,
                                     const ViewSources& sources) {
  if (!user.supervisor || call->tenant != user.profile.tenant) return std::nullopt;
  const auto supervisors = supervisor_legs(sources.service);
  std::uint32_t others = 0, bargers = 0;
  for (const auto& session : sources.service.sessions_on_call(call->id)) {
    if (session.state != SessionState::active || session.supervisor == user.profile.extension) continue;
    ++others;
    if (session.mode == Mode::barge) ++bargers;
  }
  std::optional<ScopedCall> hidden;
  for (const Leg* leg : agent_legs(*call, supervisors)) {
    ScopedCall scoped{call, leg->extension, leg->id, {}, false};
    for (Mode mode : all_modes) {
      SupervisionRequest request;
      request.supervisor = user.profile.extension;
      request.target = leg->extension;
      request.mode = mode;
      request.other_supervisors = others;
      request.other_bargers = bargers;
      request.channel = RequestChannel::web;
      Decision decision;
      try {
        decision = sources.policy.decide(request, *call, sources.directory);
      } catch (const std::exception&) {
        decision = Decision::deny(Reason::custom, "policy_error");  // fail closed, as the SDK does
      }
      scoped.visible = scoped.visible || decision.allowed || listed_despite(decision.reason);
      scoped.decisions.emplace(mode, std::move(decision));
    }
    if (scoped.visible) return scoped;
    if (!hidden) hidden = std::move(scoped);
  }
  return hidden;  // not visible: the caller may still want the decision (a forged request's 403)
}

std::string first_agent(const callsup::Call& call, const SupervisionService& service) {
  const auto legs = agent_legs(call, supervisor_legs(service));
  return legs.empty() ? std::string() : legs.front()->extension;
}

std::map<CallId, nlohmann::json> call_views(const ConsoleUser& user, const ViewSources& sources) {
  std::map<CallId, nlohmann::json> out;
  const auto supervisors = supervisor_legs(sources.service);
  for (const auto& call : sources.registry.all_calls()) {
    if (call->tenant != user.profile.tenant || parties(*call, supervisors) < 2) continue;
    if (const Leg* own = call->leg_of_extension(user.profile.extension); own && !supervisors.count(own->id)) {
      out.emplace(call->id, view_of(*call, user.profile.extension, own->id, true, supervisors, sources));
      continue;
    }
    const auto scoped = scope_call(user, call, sources);
    if (!scoped || !scoped->visible) continue;
    nlohmann::json view = view_of(*call, scoped->agent, scoped->agent_leg, false, supervisors, sources);
    for (const auto& [mode, decision] : scoped->decisions)
      view["modes"][std::string(to_string(mode))] = decision.allowed;
    const auto listen = scoped->decisions.at(Mode::listen);
    const auto refused = std::find_if(scoped->decisions.begin(), scoped->decisions.end(),
                                      [](const auto& entry) { return !entry.second.allowed; });
    if (!listen.allowed)
      view["denial"] = {{"reason", std::string(to_string(listen.reason))}, {"rule", listen.rule}};
    else if (refused != scoped->decisions.end() && refused->second.reason != Reason::mode_not_granted)
      view["denial"] = {{"reason", std::string(to_string(refused->second.reason))},
                        {"rule", refused->second.rule}};
    out.emplace(call->id, std::move(view));
  }
  return out;
}

nlohmann::json session_view(const SessionInfo& info, const Directory& directory) {
  return {{"id", info.id},
          {"state", info.state == SessionState::armed ? "armed" : "active"},
          {"call", info.call},
          {"agent", info.target},
          {"agent_name", display_name(directory, info.target)},
          {"mode", std::string(to_string(info.mode))},
          {"channel", std::string(to_string(info.channel))}};
}

std::string iso_time(std::chrono::system_clock::time_point time) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  char out[40];
  std::snprintf(out, sizeof out, "%s.%03dZ", text, static_cast<int>(ms % 1000));
  return out;
}

}  // namespace callsup::pbx
