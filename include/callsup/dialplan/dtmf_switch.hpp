// callsup: turns the DTMF digits a supervisor presses into session commands.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "callsup/dialplan/clock.hpp"
#include "callsup/dialplan/feature_code_plan.hpp"
#include "callsup/dialplan/validate.hpp"
#include "callsup/error.hpp"

namespace callsup {

/// The outcome of one DtmfSwitch::feed or poll.
struct DtmfResult {
  /// What a feed or poll decided.
  enum class Kind : std::uint8_t {
    pending,       ///< nothing decided yet (digits: what is buffered so far)
    command,       ///< a code was completed (digits: the code)
    unrecognised,  ///< digits that cannot start or complete any code were discarded
    timed_out,     ///< an incomplete code was discarded after the inter-digit timeout
  };
  /// What was decided; the other fields say about what.
  Kind kind = Kind::pending;
  DtmfCommand command;  ///< when kind == command
  std::string digits;   ///< the digits consumed by this outcome (the code, or the discarded sequence)
  /// Member-wise equality.
  friend bool operator==(const DtmfResult&, const DtmfResult&) = default;
};

/// The result kind's name ("pending", "command", ...).
constexpr std::string_view to_string(DtmfResult::Kind kind) noexcept {
  switch (kind) {
  case DtmfResult::Kind::pending: return "pending";
  case DtmfResult::Kind::command: return "command";
  case DtmfResult::Kind::unrecognised: return "unrecognised";
  case DtmfResult::Kind::timed_out: return "timed_out";
  }
  return "unknown";
}

/// Collects one supervisor's DTMF digits and matches them against the plan's DTMF codes.
/// Not thread-safe: use one per session, fed from one thread (or under the session's lock).
class DtmfSwitch {
 public:
  /// Throws Error(invalid_plan) if plan_problems(plan) is non-empty. Keeps a reference to
  /// `clock`, which must outlive the switch.
  DtmfSwitch(FeatureCodePlan plan, const Clock& clock) : plan_(std::move(plan)), clock_(&clock) {
    validate(plan_);
    std::size_t longest = 0;
    for (const DtmfCode& code : plan_.dtmf_codes) longest = std::max(longest, code.digits.size());
    buffer_.reserve(longest);
  }
  /// A temporary clock would dangle.
  DtmfSwitch(FeatureCodePlan plan, const Clock&& clock) = delete;

  /// The digit as feed() takes it (a-d as A-D); throws Error(invalid_argument) naming a
  /// character that is not 0-9 * # A-D.
  static char check_digit(char digit) {
    using namespace detail::dialplan;
    if (digit >= 'a' && digit <= 'd') digit = static_cast<char>(digit - 'a' + 'A');
    if (!is_dtmf_char(digit))
      throw Error(errc::invalid_argument, "DTMF digit " + quoted_char(digit) + " is not one of 0-9 * # A-D");
    return digit;
  }

  /// Feeds one digit (0-9 * # A-D, lower-case a-d accepted); throws Error(invalid_argument)
  /// naming any other character.
  ///
  /// A digit that arrives after the inter-digit timeout first discards the stale buffer,
  /// as poll() would (call poll() first to observe that as timed_out). When a digit breaks
  /// a sequence, the sequence is reported unrecognised; if that digit alone begins a
  /// code, the buffer restarts with it, and if it alone is a whole code its command is
  /// returned instead (a completed command matters more than reporting the noise before it).
  DtmfResult feed(char digit) {
    using namespace detail::dialplan;
    digit = check_digit(digit);

    const Clock::time_point now = clock_->now();
    if (!buffer_.empty() && expired(now)) buffer_.clear();

    buffer_ += digit;
    switch (match(buffer_)) {
    case Match::complete: return take_command();
    case Match::partial: last_digit_ = now; return {DtmfResult::Kind::pending, {}, buffer_};
    case Match::none: break;
    }

    const std::string_view alone(&buffer_.back(), 1);
    const Match restart = buffer_.size() > 1 ? match(alone) : Match::none;
    if (restart == Match::complete) {
      buffer_.erase(0, buffer_.size() - 1);
      return take_command();
    }
    DtmfResult result{DtmfResult::Kind::unrecognised, {}, {}};
    if (restart == Match::partial) {
      result.digits.assign(buffer_, 0, buffer_.size() - 1);
      buffer_.erase(0, buffer_.size() - 1);
      last_digit_ = now;
    } else {
      result.digits = buffer_;
      buffer_.clear();
    }
    return result;
  }

  /// Call periodically (or before feed): if digits are pending and the inter-digit timeout
  /// has passed (now - last digit >= timeout), discards them -> timed_out with those digits.
  /// Otherwise returns pending with what is buffered (possibly nothing).
  DtmfResult poll() {
    if (!buffer_.empty() && expired(clock_->now())) {
      DtmfResult result{DtmfResult::Kind::timed_out, {}, std::move(buffer_)};
      buffer_.clear();
      return result;
    }
    return {DtmfResult::Kind::pending, {}, buffer_};
  }

  /// Forgets any buffered digits (e.g. when the session changes target).
  void reset() noexcept { buffer_.clear(); }

  /// The digits buffered towards an incomplete code.
  std::string_view pending() const noexcept { return buffer_; }

  /// The plan whose codes it recognises.
  const FeatureCodePlan& plan() const noexcept { return plan_; }

 private:
  enum class Match : std::uint8_t { none, partial, complete };

  bool expired(Clock::time_point now) const noexcept {
    return now - last_digit_ >= plan_.inter_digit_timeout;
  }

  Match match(std::string_view digits) const noexcept {
    Match best = Match::none;
    for (const DtmfCode& code : plan_.dtmf_codes) {
      if (code.digits == digits) return Match::complete;
      if (code.digits.size() > digits.size() && std::string_view(code.digits).starts_with(digits))
        best = Match::partial;
    }
    return best;
  }

  DtmfResult take_command() {
    for (const DtmfCode& code : plan_.dtmf_codes) {
      if (code.digits == buffer_) {
        buffer_.clear();
        return {DtmfResult::Kind::command, code.command, code.digits};
      }
    }
    buffer_.clear();  // unreachable: only called after match() said complete
    return {DtmfResult::Kind::unrecognised, {}, {}};
  }

  FeatureCodePlan plan_;
  const Clock* clock_;  // a pointer, not a reference, so the switch stays assignable
  std::string buffer_;
  Clock::time_point last_digit_{};
};

}  // namespace callsup
