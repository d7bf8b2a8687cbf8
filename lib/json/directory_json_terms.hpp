// callsup (internal): the parts of a directory record that say a vendor's terms and
// session defaults ("asterisk_spy": {"SPY_PERMISSION": "listen"}, "session_defaults": {...}).
#pragma once

#include <string>
#include <vector>

#include "callsup/model/profile.hpp"
#include "json_object_reader.hpp"

namespace callsup::detail::json_reader {

/// Record keys naming a vendor, per record kind.
inline constexpr const char* extension_vendor_keys[] = {"tronic", "asterisk_spy", "stratus", "lead_center"};
inline constexpr const char* tenant_vendor_keys[] = {"portaswitch", "stratus"};
inline constexpr const char* group_vendor_keys[] = {"portaswitch"};

/// `key` of `in` (absent: nothing set): an object of SessionOptions field names, plus
/// "chanspy" (ChanSpy letters, applied before the other fields).
SessionDefaults read_session_defaults(const ObjectReader& in, const char* key);

/// Applies the vendor objects of an extension, tenant or group record, in the order above.
void apply_extension_vendor_terms(const ObjectReader& in, ExtensionProfile& profile);
void apply_tenant_vendor_terms(const ObjectReader& in, TenantSettings& tenant);
/// Returns portaswitch's "supervisors" (also added to the group's supervisors).
std::vector<std::string> apply_group_vendor_terms(const ObjectReader& in, Group& group);

/// Reads "scope" and "channels" of an extension record.
SupervisionScope read_scope(const ObjectReader& in);
ChannelSet read_channels(const ObjectReader& in);

}  // namespace callsup::detail::json_reader
