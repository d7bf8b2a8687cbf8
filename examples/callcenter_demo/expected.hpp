// callsup-demo: who should hear whom, by DESIGN.md's table, from where each party stands.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "callsup/mode.hpp"
#include "callsup/model/call_registry.hpp"
#include "callsup/session/supervision_service.hpp"

namespace callsup::demo {

/// Where one party stands at a moment: in which call as an original party, and which call
/// it supervises (an active session), in which mode, whispering to whom.
struct Position {
  std::string call;             ///< the call its leg is up in ("" when in none)
  std::string supervised_call;  ///< "" when not supervising
  Mode mode = Mode::listen;
  std::string whisper_leg;  ///< whisper: the leg that hears the supervisor
  friend bool operator==(const Position&, const Position&) = default;
};

/// Positions by party name (each party's leg id is its name).
using Positions = std::map<std::string, Position>;

/// heard[listener][source]: for every ordered pair of distinct parties.
using Matrix = std::map<std::string, std::map<std::string, bool>>;

/// Reads the positions of `parties` from the PBX's registry and the service's active sessions.
Positions positions_now(const CallRegistry& registry, const SupervisionService& service,
                        const std::vector<std::string>& parties);

/// DESIGN.md's "who hears whom" for the parties in `positions` (no options: both directions,
/// mono, whisper heard by its target): parties of one call hear each other; a supervisor hears
/// the parties of the call it supervises; a party or another supervisor hears a supervisor
/// when it barges, and the whisper target hears it when it whispers; nobody else hears anybody.
/// Written independently of compute_routes, so the demo checks the product, not itself.
Matrix expected_hearing(const Positions& positions);

/// One line per position, for the timeline and the report ("supervisor: supervises c1 (whisper to agent)").
std::string describe(const std::string& party, const Position& position);

}  // namespace callsup::demo
