// callsup: checks that a feature-code plan is unambiguous and fits the PBX.
#pragma once

#include <chrono>
#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "callsup/dialplan/feature_code_plan.hpp"
#include "callsup/error.hpp"

namespace callsup {

/// What the PBX around a plan looks like; validation needs it to spot ambiguities.
struct PlanContext {
  std::set<std::size_t> extension_lengths;  ///< lengths of the PBX's extensions, e.g. {3, 4}
  std::vector<std::string>
      reserved_codes;  ///< codes the integrator uses for its phones (voicemail, pickup...)
};

namespace detail::dialplan {

inline bool is_strict_prefix(std::string_view shorter, std::string_view longer) noexcept {
  return shorter.size() < longer.size() && longer.starts_with(shorter);
}

/// "'*9a' has character 'a'" when `code` holds a character outside the class; empty otherwise.
template <class IsAllowed>
std::string bad_char(std::string_view code, IsAllowed is_allowed) {
  for (char c : code)
    if (!is_allowed(c)) return quoted_text(code) + " has character " + quoted_char(c);
  return {};
}

inline std::string ms(std::chrono::milliseconds value) { return std::to_string(value.count()) + "ms"; }

}  // namespace detail::dialplan

/// Every problem found, each message naming the codes concerned; empty when valid.
inline std::vector<std::string> plan_problems(const FeatureCodePlan& plan, const PlanContext& context = {}) {
  using namespace detail::dialplan;
  std::vector<std::string> problems;
  const auto& dials = plan.dial_codes;
  const auto& dtmfs = plan.dtmf_codes;
  const std::string& spy = plan.spy_any_code;

  if (plan.name.empty()) problems.push_back("plan name is empty");
  if (dials.empty() && spy.empty()) problems.push_back("plan has no dial code and no spy-all code");

  // Character checks first; empty codes are left out of the pairwise checks below,
  // since "" is a prefix of everything and would only repeat the same problem.
  for (const DialCode& dial : dials) {
    if (dial.prefix.empty())
      problems.push_back("dial code for " + std::string(to_string(dial.mode)) + " is empty");
    else if (auto bad = bad_char(dial.prefix, is_dial_char); !bad.empty())
      problems.push_back("dial code " + bad + " (allowed: 0-9 * #)");
  }
  if (!spy.empty())
    if (auto bad = bad_char(spy, is_dial_char); !bad.empty())
      problems.push_back("spy-all code " + bad + " (allowed: 0-9 * #)");
  for (const DtmfCode& dtmf : dtmfs) {
    if (dtmf.digits.empty())
      problems.push_back("DTMF code for " + std::string(to_string(dtmf.command.action)) + " is empty");
    else if (auto bad = bad_char(dtmf.digits, is_dtmf_char); !bad.empty())
      problems.push_back("DTMF code " + bad + " (allowed: 0-9 * # A-D)");
  }

  // Dial codes: unique and prefix-free, otherwise "*90744" has two readings.
  for (std::size_t i = 0; i < dials.size(); ++i) {
    for (std::size_t j = i + 1; j < dials.size(); ++j) {
      const auto& a = dials[i].prefix;
      const auto& b = dials[j].prefix;
      if (a.empty() || b.empty()) continue;
      if (a == b)
        problems.push_back("dial code " + quoted(a) + " is used twice (" +
                           std::string(to_string(dials[i].mode)) + " and " +
                           std::string(to_string(dials[j].mode)) + ")");
      else if (is_strict_prefix(a, b))
        problems.push_back("dial code " + quoted(a) + " is a prefix of " + quoted(b));
      else if (is_strict_prefix(b, a))
        problems.push_back("dial code " + quoted(b) + " is a prefix of " + quoted(a));
    }
  }

  // Spy-all against the dial prefixes. Equal is fine when the modes agree (Tronic:
  // bare "*95" = any call, "*95"+ext = that extension); a spy-all code that reads as
  // prefix + a valid extension is not.
  if (!spy.empty()) {
    for (const DialCode& dial : dials) {
      if (dial.prefix.empty()) continue;
      if (spy == dial.prefix) {
        if (dial.mode != plan.spy_any_mode)
          problems.push_back("spy-all code " + quoted(spy) + " equals dial code " + quoted(dial.prefix) +
                             " for " + std::string(to_string(dial.mode)) + " but the spy-all mode is " +
                             std::string(to_string(plan.spy_any_mode)));
      } else if (is_strict_prefix(dial.prefix, spy)) {
        std::string_view rest = std::string_view(spy).substr(dial.prefix.size());
        bool all_digits = true;
        for (char c : rest) all_digits = all_digits && is_digit(c);
        if (all_digits && context.extension_lengths.contains(rest.size()))
          problems.push_back("spy-all code " + quoted(spy) + " could be " + quoted(dial.prefix) +
                             " + extension " + quoted(rest));
      }
    }
  }

  // DTMF codes: unique and prefix-free, otherwise the switch cannot know when a code is
  // complete. One command on several codes is fine.
  for (std::size_t i = 0; i < dtmfs.size(); ++i) {
    for (std::size_t j = i + 1; j < dtmfs.size(); ++j) {
      const auto& a = dtmfs[i].digits;
      const auto& b = dtmfs[j].digits;
      if (a.empty() || b.empty()) continue;
      if (a == b)
        problems.push_back("DTMF code " + quoted(a) + " is used twice");
      else if (is_strict_prefix(a, b))
        problems.push_back("DTMF code " + quoted(a) + " is a prefix of " + quoted(b));
      else if (is_strict_prefix(b, a))
        problems.push_back("DTMF code " + quoted(b) + " is a prefix of " + quoted(a));
    }
  }

  // The integrator's own codes: a clash either way would steal or shadow them.
  for (std::size_t r = 0; r < context.reserved_codes.size(); ++r) {
    const std::string& reserved = context.reserved_codes[r];
    if (reserved.empty()) {
      problems.push_back("reserved code #" + std::to_string(r + 1) + " is empty");
      continue;
    }
    auto collides = [&](const std::string& code) {
      return !code.empty() && (code.starts_with(reserved) || reserved.starts_with(code));
    };
    for (const DialCode& dial : dials)
      if (collides(dial.prefix))
        problems.push_back("dial code " + quoted(dial.prefix) + " collides with reserved code " +
                           quoted(reserved));
    if (collides(spy))
      problems.push_back("spy-all code " + quoted(spy) + " collides with reserved code " + quoted(reserved));
  }

  for (std::size_t length : context.extension_lengths)
    if (length == 0 || length > max_extension_length)
      problems.push_back("extension length " + quoted(std::to_string(length)) + " is out of range (1.." +
                         std::to_string(max_extension_length) + ")");

  constexpr std::chrono::milliseconds max_timeout{10000};
  if (plan.inter_digit_timeout <= std::chrono::milliseconds::zero() || plan.inter_digit_timeout > max_timeout)
    problems.push_back("inter-digit timeout " + quoted(ms(plan.inter_digit_timeout)) +
                       " is out of range (1ms.." + ms(max_timeout) + ")");
  if (const auto step = plan.session_defaults.volume_step; step && (*step < -4 || *step > 4))
    problems.push_back("session default volume step " + quoted(std::to_string(*step)) + " is outside -4..4");
  return problems;
}

/// Throws Error(errc::invalid_plan) whose message joins all problems with "; ".
inline void validate(const FeatureCodePlan& plan, const PlanContext& context = {}) {
  auto problems = plan_problems(plan, context);
  if (problems.empty()) return;
  std::string message;
  for (const auto& problem : problems) {
    if (!message.empty()) message += "; ";
    message += problem;
  }
  throw Error(errc::invalid_plan, message);
}

}  // namespace callsup
