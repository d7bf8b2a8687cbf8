// callsup-demo: the scenario: the default story, and the JSON form integrators write.
#include "scenario.hpp"

#include <cctype>
#include <nlohmann/json.hpp>
#include <set>

#include "callsup/error.hpp"
#include "text_file.hpp"

namespace callsup::demo {

namespace {

using json = nlohmann::json;

[[noreturn]] void bad(const std::string& where, const std::string& what) {
  throw Error(errc::invalid_argument, where + ": " + what);
}

std::string kind_name(Step::Kind kind) {
  switch (kind) {
  case Step::Kind::call: return "call";
  case Step::Kind::dial: return "dial";
  case Step::Kind::dtmf: return "dtmf";
  case Step::Kind::hangup: return "hangup";
  case Step::Kind::end: return "end";
  }
  return "end";
}

/// Only `allowed` keys; each object checked this way so a typo is an error, not ignored.
void only_keys(const json& object, const std::string& where, std::initializer_list<const char*> allowed) {
  if (!object.is_object()) bad(where, "expected an object, got " + object.dump());
  for (const auto& [key, value] : object.items()) {
    bool known = false;
    for (const char* name : allowed) known = known || key == name;
    if (!known) bad(where, "unknown key " + quoted(key));
  }
}

std::string text(const json& object, const std::string& where, const char* key, bool required = true) {
  const auto found = object.find(key);
  if (found == object.end()) {
    if (required) bad(where, std::string("missing key ") + quoted(key));
    return {};
  }
  if (!found->is_string() || found->get<std::string>().empty())
    bad(where + "." + key, "expected a non-empty string, got " + found->dump());
  return found->get<std::string>();
}

void check_party_name(const std::string& name, const std::string& where) {
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'))
      bad(where,
          "party name " + quoted(name) + " may hold only letters, digits, '-' and '_' (it names a file)");
}

Party parse_party(const json& object, const std::string& where) {
  only_keys(object, where, {"name", "extension", "number", "voice"});
  Party party{text(object, where, "name"), text(object, where, "extension", false),
              text(object, where, "number", false), text(object, where, "voice", false)};
  check_party_name(party.name, where + ".name");
  if (party.extension.empty() == party.number.empty())
    bad(where, "party " + quoted(party.name) +
                   " needs exactly one of \"extension\" (on-net) and \"number\" (off-net)");
  if (party.voice.empty()) party.voice = party.name + ".wav";
  return party;
}

Step parse_step(const json& object, const std::string& where, const Scenario& scenario) {
  only_keys(object, where, {"at", "call", "dial", "dtmf", "hangup", "end", "phase"});
  Step step;
  const auto at = object.find("at");
  if (at == object.end()) bad(where, "missing key \"at\" (seconds after the start)");
  if (!at->is_number() || at->get<double>() < 0 || at->get<double>() > 3600)
    bad(where + ".at", "expected seconds in [0, 3600], got " + at->dump());
  step.at_s = at->get<double>();
  step.phase = text(object, where, "phase", false);
  int kinds = 0;
  auto party = [&](const json& body, const std::string& path, const char* key) {
    std::string name = text(body, path, key);
    scenario.party(name);  // throws when unknown
    return name;
  };
  if (const auto call = object.find("call"); call != object.end()) {
    ++kinds;
    const std::string path = where + ".call";
    only_keys(*call, path, {"id", "from", "to"});
    step.kind = Step::Kind::call;
    step.call_id = text(*call, path, "id");
    step.from = party(*call, path, "from");
    step.to = party(*call, path, "to");
    if (step.from == step.to) bad(path, "a party cannot call itself (" + quoted(step.from) + ")");
  }
  for (const char* key : {"dial", "dtmf"}) {
    const auto body = object.find(key);
    if (body == object.end()) continue;
    ++kinds;
    const std::string path = where + "." + key;
    only_keys(*body, path, {"party", "digits"});
    step.kind = std::string_view(key) == "dial" ? Step::Kind::dial : Step::Kind::dtmf;
    step.party = party(*body, path, "party");
    step.digits = text(*body, path, "digits");
    for (char c : step.digits)
      if (!std::isdigit(static_cast<unsigned char>(c)) && c != '*' && c != '#' && (c < 'A' || c > 'D'))
        bad(path + ".digits", "not a DTMF digit in " + quoted(step.digits) + " (expected 0-9 * # A-D)");
  }
  if (const auto hangup = object.find("hangup"); hangup != object.end()) {
    ++kinds;
    only_keys(*hangup, where + ".hangup", {"party"});
    step.kind = Step::Kind::hangup;
    step.party = party(*hangup, where + ".hangup", "party");
  }
  if (const auto end = object.find("end"); end != object.end()) {
    ++kinds;
    only_keys(*end, where + ".end", {});
    step.kind = Step::Kind::end;
  }
  if (kinds != 1) bad(where, "a step needs exactly one of \"call\", \"dial\", \"dtmf\", \"hangup\", \"end\"");
  return step;
}

std::string code_for(const FeatureCodePlan& plan, Mode mode) {
  if (auto key = plan.key_for(mode)) return *key;
  throw Error(errc::invalid_plan, "plan " + quoted(plan.name) + " has no DTMF key for " +
                                      std::string(to_string(mode)) + ": give the demo a --scenario");
}

}  // namespace

const Party& Scenario::party(std::string_view name) const {
  for (const Party& p : parties)
    if (p.name == name) return p;
  throw Error(errc::invalid_argument, "no party named " + quoted(name) + " in the scenario");
}

std::vector<PhaseWindow> Scenario::phases() const {
  std::vector<PhaseWindow> out;
  for (std::size_t i = 0; i + 1 < steps.size(); ++i)
    if (!steps[i].phase.empty()) out.push_back({steps[i].phase, steps[i].at_s, steps[i + 1].at_s});
  return out;
}

Scenario default_scenario(const FeatureCodePlan& plan, const std::string& agent_extension,
                          const std::string& supervisor_extension, double phase_s) {
  std::string listen;
  for (const DialCode& code : plan.dial_codes)
    if (code.mode == Mode::listen && listen.empty()) listen = code.prefix + agent_extension;
  if (listen.empty())
    throw Error(errc::invalid_plan,
                "plan " + quoted(plan.name) + " has no listen dial code: give the demo a --scenario");
  Scenario s;
  s.parties = {{"customer", "", "+15551230000", "customer.wav"},
               {"agent", agent_extension, "", "agent.wav"},
               {"supervisor", supervisor_extension, "", "supervisor.wav"}};
  Step call{0, Step::Kind::call, "c1", "customer", "agent", "", "", "call"};
  Step dial{phase_s, Step::Kind::dial, "", "", "", "supervisor", listen, "listen"};
  Step whisper{2 * phase_s, Step::Kind::dtmf, "", "", "", "supervisor", code_for(plan, Mode::whisper),
               "whisper"};
  Step barge{3 * phase_s, Step::Kind::dtmf, "", "", "", "supervisor", code_for(plan, Mode::barge), "barge"};
  Step hangup{4 * phase_s, Step::Kind::hangup, "", "", "", "customer", "", ""};
  Step end{4 * phase_s + 1, Step::Kind::end, "", "", "", "", "", ""};
  s.steps = {call, dial, whisper, barge, hangup, end};
  return s;
}

Scenario parse_scenario(std::string_view json_text, const std::string& source) {
  json document;
  try {
    document = json::parse(json_text);
  } catch (const json::parse_error& e) {
    bad(source, std::string("invalid JSON: ") + e.what());
  }
  only_keys(document, source, {"parties", "steps"});
  Scenario scenario;
  const auto parties = document.find("parties");
  if (parties == document.end() || !parties->is_array() || parties->empty())
    bad(source, "\"parties\" must be a non-empty array");
  std::set<std::string> names;
  for (std::size_t i = 0; i < parties->size(); ++i) {
    const std::string where = source + ": parties[" + std::to_string(i) + "]";
    Party party = parse_party((*parties)[i], where);
    if (!names.insert(party.name).second) bad(where, "party " + quoted(party.name) + " is named twice");
    scenario.parties.push_back(std::move(party));
  }
  const auto steps = document.find("steps");
  if (steps == document.end() || !steps->is_array() || steps->empty())
    bad(source, "\"steps\" must be a non-empty array");
  std::set<std::string> phase_names;
  for (std::size_t i = 0; i < steps->size(); ++i) {
    const std::string where = source + ": steps[" + std::to_string(i) + "]";
    Step step = parse_step((*steps)[i], where, scenario);
    if (!scenario.steps.empty() && step.at_s < scenario.steps.back().at_s)
      bad(where + ".at", "time goes backwards (" + std::to_string(step.at_s) + " s after " +
                             std::to_string(scenario.steps.back().at_s) + " s)");
    if (!scenario.steps.empty() && scenario.steps.back().kind == Step::Kind::end)
      bad(where, "no step may follow \"end\"");
    if (!step.phase.empty() && !phase_names.insert(step.phase).second)
      bad(where + ".phase", "phase " + quoted(step.phase) + " is named twice");
    if (step.kind == Step::Kind::end && !step.phase.empty())
      bad(where + ".phase", "the \"end\" step cannot open a phase");
    scenario.steps.push_back(std::move(step));
  }
  if (scenario.steps.back().kind != Step::Kind::end)
    scenario.steps.push_back(Step{scenario.steps.back().at_s + 1, Step::Kind::end, "", "", "", "", "", ""});
  return scenario;
}

Scenario load_scenario_file(const std::string& path) {
  return parse_scenario(read_text_file(path, "scenario file"), path);
}

std::string to_json(const Scenario& scenario) {
  json document{{"parties", json::array()}, {"steps", json::array()}};
  for (const Party& p : scenario.parties) {
    json party{{"name", p.name}, {"voice", p.voice}};
    if (!p.extension.empty()) party["extension"] = p.extension;
    if (!p.number.empty()) party["number"] = p.number;
    document["parties"].push_back(party);
  }
  for (const Step& s : scenario.steps) {
    json step{{"at", s.at_s}};
    json body = json::object();
    if (s.kind == Step::Kind::call) body = {{"id", s.call_id}, {"from", s.from}, {"to", s.to}};
    if (s.kind == Step::Kind::dial || s.kind == Step::Kind::dtmf)
      body = {{"party", s.party}, {"digits", s.digits}};
    if (s.kind == Step::Kind::hangup) body = {{"party", s.party}};
    step[kind_name(s.kind)] = body;
    if (!s.phase.empty()) step["phase"] = s.phase;
    document["steps"].push_back(step);
  }
  return document.dump(2);
}

}  // namespace callsup::demo
