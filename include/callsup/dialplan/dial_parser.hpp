// callsup: recognises supervision codes in a dialled string ("*90744" -> listen to 744).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "callsup/dialplan/feature_code_plan.hpp"
#include "callsup/dialplan/validate.hpp"
#include "callsup/error.hpp"
#include "callsup/mode.hpp"

namespace callsup {

/// A recognised supervision request.
struct DialRequest {
  /// The mode the dial code asks for.
  Mode mode = Mode::listen;
  std::string target;     ///< the extension to supervise; empty when any_call
  bool any_call = false;  ///< the spy-all code was dialled
  std::string code;       ///< the dial code or spy-all code that matched
  /// Member-wise equality.
  friend bool operator==(const DialRequest&, const DialRequest&) = default;
};

/// Parses dialled strings against a plan. Immutable after construction, so one parser
/// may be shared by any number of threads.
class DialParser {
 public:
  /// Throws Error(invalid_plan) if plan_problems(plan) is non-empty (no context).
  explicit DialParser(FeatureCodePlan plan) : plan_(std::move(plan)) { validate(plan_); }

  /// nullopt: not a supervision code ("not ours"), e.g. "744", "+15551234".
  /// Throws Error(malformed_dial_string) naming the string when it starts with one of our
  /// dial codes but the rest is not a well-formed extension (non-digits, more than 15
  /// digits, or empty when the code is not also the spy-all code), or when the string is
  /// empty or has characters other than 0-9 * # +.
  ///
  /// The spy-all code matches only the whole string; otherwise the longest matching dial
  /// code wins and the rest is the extension.
  std::optional<DialRequest> parse(std::string_view dialled) const {
    using namespace detail::dialplan;
    if (dialled.empty())
      throw Error(errc::malformed_dial_string, "dial string " + quoted_text(dialled) + " is empty");
    for (char c : dialled)
      if (!is_dial_char(c) && c != '+')
        throw Error(errc::malformed_dial_string, "dial string " + quoted_text(dialled) + " has character " +
                                                     quoted_char(c) + " (allowed: 0-9 * # +)");

    if (!plan_.spy_any_code.empty() && dialled == plan_.spy_any_code)
      return DialRequest{plan_.spy_any_mode, std::string(), true, plan_.spy_any_code};

    const DialCode* best = nullptr;
    for (const DialCode& dial : plan_.dial_codes)
      if (dialled.starts_with(dial.prefix) && (best == nullptr || dial.prefix.size() > best->prefix.size()))
        best = &dial;
    if (best == nullptr) return std::nullopt;

    std::string_view extension = dialled.substr(best->prefix.size());
    if (extension.empty())
      throw Error(errc::malformed_dial_string, "dial string " + quoted_text(dialled) +
                                                   " has no extension after dial code " +
                                                   quoted(best->prefix));
    for (char c : extension)
      if (!is_digit(c))
        throw Error(errc::malformed_dial_string, "dial string " + quoted_text(dialled) + " has extension " +
                                                     quoted(extension) + " after dial code " +
                                                     quoted(best->prefix) + ", which is not all digits");
    if (extension.size() > max_extension_length)
      throw Error(errc::malformed_dial_string, "dial string " + quoted_text(dialled) + " has extension " +
                                                   quoted(extension) + " longer than " +
                                                   std::to_string(max_extension_length) + " digits");
    return DialRequest{best->mode, std::string(extension), false, best->prefix};
  }

  /// The plan it parses against.
  const FeatureCodePlan& plan() const noexcept { return plan_; }

 private:
  FeatureCodePlan plan_;
};

}  // namespace callsup
