// callsup: every vendor term callsup knows, by name, so a directory document (or a script)
// can say "asterisk_spy: SPY_PERMISSION=listen" and get what the vendor's PBX does.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "callsup/vendor/asterisk_spy.hpp"
#include "callsup/vendor/lead_center.hpp"
#include "callsup/vendor/portaswitch.hpp"
#include "callsup/vendor/stratus.hpp"
#include "callsup/vendor/term_value.hpp"
#include "callsup/vendor/tronic.hpp"

namespace callsup::vendor {

/// One row of the vendor-terms table (docs/policy.md prints the same table).
struct TermInfo {
  std::string_view vendor;   ///< "tronic", "asterisk_spy", "portaswitch", "stratus", "lead_center"
  std::string_view record;   ///< what it is set on: "extension", "group" or "tenant"
  std::string_view term;     ///< as the vendor writes it
  std::string_view values;   ///< what it takes
  std::string_view setting;  ///< what it sets in callsup
};

/// The table, in vendor order; within a vendor, the order terms are applied in (whatever
/// order a record lists them): DISABLE_SPY after SPY_PERMISSION, Lead Center's admin role
/// after "monitor any call".
inline const std::vector<TermInfo>& terms() {
  static const std::vector<TermInfo> table{
      {"tronic", "extension", "can_call_spy", "yes/no",
       "can_supervise, granted_modes = all, scope = tenant (helper tronic::can_call_spy)"},
      {"tronic", "extension", "call_spy_privacy", "yes/no", "privacy"},
      {"asterisk_spy", "extension", "SPY_PERMISSION", "listen/whisper/barge/no",
       "can_supervise, granted_modes = up_to(mode), scope = tenant"},
      {"asterisk_spy", "extension", "DISABLE_SPY", "yes/no",
       "privacy (default reading); can_supervise = false with disable_spy_means = may_not_monitor"},
      {"asterisk_spy", "extension", "disable_spy_means", "cannot_be_monitored/may_not_monitor",
       "how DISABLE_SPY of the same record is read"},
      {"asterisk_spy", "extension", "SPY_PARAMS", "ChanSpy letters (\"Ssb\")", "session_defaults"},
      {"portaswitch", "tenant", "call_supervision", "yes/no", "supervision_enabled"},
      {"portaswitch", "group", "supervision_allowed", "yes/no", "Group::supervision_allowed"},
      {"portaswitch", "group", "supervisors", "extensions",
       "Group::supervisors, and each gets can_supervise + granted_modes = all"},
      {"stratus", "extension", "role", "basic_user/call_centre_supervisor/office_manager/administrator",
       "can_supervise, granted_modes = all, roles, scope, channels (basic_user: phone only)"},
      {"stratus", "tenant", "speak_with_caller", "agent/caller",
       "session_defaults.whisper_to (target / other_party)"},
      {"lead_center", "extension", "monitor_any_call", "yes/no",
       "can_supervise, granted_modes = all, scope = tenant, channels = phone"},
      {"lead_center", "extension", "role", "admin/agent", "admin: tenant_admin, all modes; agent: nothing"},
  };
  return table;
}

/// Terms with their values, in the order written.
using TermValues = std::vector<std::pair<std::string, std::string>>;

namespace detail {

[[noreturn]] inline void unknown_term(std::string_view vendor, std::string_view record,
                                      std::string_view term) {
  std::string known;
  for (const TermInfo& info : terms())
    if (info.vendor == vendor && info.record == record)
      known += (known.empty() ? "" : ", ") + std::string(info.term);
  throw Error(errc::invalid_argument,
              "unknown " + std::string(vendor) + " " + std::string(record) + " term " + quoted(term) +
                  (known.empty() ? " (that vendor has no " + std::string(record) + " terms)"
                                 : " (expected one of " + known + ")"));
}

// The values in the table's order for `vendor`; terms the table does not know last, in
// their own order (they are refused when applied).
inline TermValues in_table_order(std::string_view vendor, std::string_view record, const TermValues& values) {
  auto rank = [&](const std::string& term) {
    std::size_t index = 0;
    for (const TermInfo& info : terms()) {
      if (info.vendor == vendor && info.record == record && info.term == term) return index;
      ++index;
    }
    return index;
  };
  TermValues sorted = values;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [&](const auto& a, const auto& b) { return rank(a.first) < rank(b.first); });
  return sorted;
}

inline std::string value_of(const TermValues& values, std::string_view term, std::string fallback) {
  for (const auto& [key, value] : values)
    if (key == term) return value;
  return fallback;
}

}  // namespace detail

/// Applies a vendor's extension terms to `target`, in the table's order, all or nothing:
/// throws Error(invalid_argument) naming an unknown vendor, term or value, and then
/// `target` is as it was.
inline void apply_extension_terms(ExtensionProfile& target, std::string_view vendor,
                                  const TermValues& values) {
  ExtensionProfile profile = target;
  using detail::unknown_term;
  const auto disable_spy_reading = asterisk_spy::parse_disable_spy_reading(
      detail::value_of(values, "disable_spy_means", "cannot_be_monitored"));
  for (const auto& [term, value] : detail::in_table_order(vendor, "extension", values)) {
    if (vendor == "tronic") {
      if (term == "can_call_spy") {
        tronic::can_call_spy(profile, parse_switch(term, value));
      } else if (term == "call_spy_privacy") {
        tronic::call_spy_privacy(profile, parse_switch(term, value));
      } else {
        unknown_term(vendor, "extension", term);
      }
    } else if (vendor == "asterisk_spy") {
      if (term == "SPY_PERMISSION") {
        asterisk_spy::spy_permission(profile, value);
      } else if (term == "DISABLE_SPY") {
        asterisk_spy::disable_spy(profile, parse_switch(term, value), disable_spy_reading);
      } else if (term == "SPY_PARAMS") {
        asterisk_spy::spy_params(profile, value);
      } else if (term != "disable_spy_means") {
        unknown_term(vendor, "extension", term);
      }
    } else if (vendor == "stratus") {
      if (term != "role") unknown_term(vendor, "extension", term);
      stratus::role(profile, stratus::parse_user_role(value));
    } else if (vendor == "lead_center") {
      if (term == "role" && value == "admin") {
        lead_center::administrator(profile);
      } else if (term == "role" && value != "agent") {
        throw Error(errc::invalid_argument,
                    "lead_center role is " + quoted(value) + ", expected admin or agent");
      } else if (term == "monitor_any_call") {
        lead_center::monitor_any_call(profile, parse_switch(term, value));
      } else if (term != "role") {
        unknown_term(vendor, "extension", term);
      }
    } else {
      unknown_term(vendor, "extension", term);
    }
  }
  target = std::move(profile);
}

/// Applies a vendor's tenant terms, all or nothing.
inline void apply_tenant_terms(TenantSettings& target, std::string_view vendor, const TermValues& values) {
  TenantSettings tenant = target;
  for (const auto& [term, value] : detail::in_table_order(vendor, "tenant", values)) {
    if (vendor == "portaswitch" && term == "call_supervision") {
      portaswitch::call_supervision(tenant, parse_switch(term, value));
    } else if (vendor == "stratus" && term == "speak_with_caller") {
      stratus::speak_with_caller(tenant, stratus::parse_speak_with(value));
    } else {
      detail::unknown_term(vendor, "tenant", term);
    }
  }
  target = std::move(tenant);
}

/// Applies a vendor's group terms that concern the group alone (portaswitch's
/// `supervisors` also changes profiles: portaswitch::add_group_supervisor).
inline void apply_group_terms(Group& target, std::string_view vendor, const TermValues& values) {
  Group group = target;
  for (const auto& [term, value] : detail::in_table_order(vendor, "group", values)) {
    if (vendor == "portaswitch" && term == "supervision_allowed") {
      portaswitch::supervision_allowed(group, parse_switch(term, value));
    } else {
      detail::unknown_term(vendor, "group", term);
    }
  }
  target = std::move(group);
}

}  // namespace callsup::vendor
