// The dial-plan context most dial-plan tests check against.
#pragma once

#include "callsup/dialplan/validate.hpp"

namespace callsup::test {

/// A PBX whose extensions have three or four digits, with no other codes of its own.
inline const PlanContext three_or_four{{3, 4}, {}};

}  // namespace callsup::test
