// Test support: the custom plan of seed example (b): dial *21/*22/*23, DTMF 1/2/3.
#pragma once

#include "callsup/dialplan/feature_code_plan.hpp"

namespace callsup::testing {

inline FeatureCodePlan custom_plan() {
  FeatureCodePlan plan;
  plan.name = "custom";
  plan.dial_codes = {{"*21", Mode::listen}, {"*22", Mode::whisper}, {"*23", Mode::barge}};
  plan.dtmf_codes = {{"1", DtmfCommand::switch_to(Mode::listen)},
                     {"2", DtmfCommand::switch_to(Mode::whisper)},
                     {"3", DtmfCommand::switch_to(Mode::barge)}};
  return plan;
}

}  // namespace callsup::testing
