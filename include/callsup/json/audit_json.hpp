// callsup: the JSON form of an audit record (one line of a JSON Lines audit log).
#pragma once

#include <string>
#include <string_view>

#include "callsup/audit/event.hpp"

namespace callsup {

/// One JSON object, no trailing newline. Keys: seq, time (ISO-8601 UTC with
/// milliseconds, "2026-11-21T10:15:02.123Z"; finer precision is truncated), kind,
/// tenant, session, call, supervisor, supervisor_leg, target, target_leg, mode and
/// from_mode (string or null), decision ("allowed"/"denied"), reason, rule, end_reason
/// ("none" when not ended), source, detail.
std::string to_json_line(const AuditRecord& record);

/// The inverse of to_json_line: parse_audit_line(to_json_line(r)) == r for any record
/// whose time is a whole number of milliseconds. Every key is required and no other key
/// is accepted. Throws Error(invalid_argument) naming the offending field and value.
AuditRecord parse_audit_line(std::string_view line);

}  // namespace callsup
