// callsup: loading a Directory from a JSON document.
#pragma once

#include <string>
#include <string_view>

#include "callsup/model/directory.hpp"

namespace callsup {

/// Loads tenants, sites, extensions and groups from a JSON document into `directory`.
/// All or nothing: the document is first loaded into a scratch Directory (so every
/// record is validated), then applied in the order tenants, sites, extensions, groups.
///
/// Document shape (every top-level key optional, each an array of objects):
///
///     { "tenants":    [{"name", "supervision_enabled", "feature_code_plan",
///                       "limits": {"max_supervisors_per_call", "max_bargers_per_call"},
///                       "bridged_only", "whisper_topology_rule"}],
///       "sites":      [{"name", "tenant"}],
///       "extensions": [{"extension", "tenant", "site", "display_name", "roles",
///                       "can_supervise", "granted_modes", "privacy", "managed_sites",
///                       "allow_list"}],
///       "groups":     [{"name", "tenant", "members", "supervisors"}] }
///
/// Required: a tenant's and group's "name" and "tenant" (groups), a site's "name" and
/// "tenant", an extension's "extension" and "tenant"; the rest default to the struct
/// defaults of profile.hpp. "granted_modes" is an array of mode names, or one string:
/// a mode name meaning "up to" that mode ("whisper" = listen + whisper) or "none".
///
/// Tenants are set (a tenant already in `directory` gets the document's settings);
/// sites, extensions and groups are added, so one that `directory` already holds is an
/// Error(duplicate_id). Records may refer to tenants, sites and extensions that
/// `directory` already holds.
///
/// Throws Error(malformed_directory) for invalid JSON, an unknown or duplicate key, a
/// missing required key, a value of the wrong type or out of range, naming the JSON
/// path ("extensions[2]: unknown key 'privcy'"). Errors the Directory raises keep their
/// code and are prefixed by the record's path ("extensions[3]: extension '74a' must be
/// digits only"). On any error `directory` is left untouched — provided nobody else
/// changes it while the load runs: Directory has no transactions, so a concurrent
/// writer can still make the final apply step fail part-way.
void load_directory_json(Directory& directory, std::string_view json_text);

/// Reads the file at `path` and loads it with load_directory_json. Throws
/// Error(io_error) naming the path when it cannot be read; other errors are those of
/// load_directory_json, prefixed by the path.
void load_directory_file(Directory& directory, const std::string& path);

}  // namespace callsup
