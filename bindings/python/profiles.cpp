// Directory records as value classes: ExtensionProfile, Group, Site, SupervisionLimits, TenantSettings.
#include "bindings.hpp"

#include "callsup/model/profile.hpp"

namespace callsup::python {

void bind_profiles(py::module_& m) {
  py::class_<ExtensionProfile> profile(
      m, "ExtensionProfile",
      "One extension's supervision profile. `scope` tenant: any extension of its tenant without\n"
      "being an administrator; `channels`: where it may start or steer supervision from;\n"
      "`session_defaults`: its own (ChanSpy's SPY_PARAMS), over its tenant's.");
  def_struct(
      profile, field("extension", &ExtensionProfile::extension), field("tenant", &ExtensionProfile::tenant),
      field("site", &ExtensionProfile::site), field("display_name", &ExtensionProfile::display_name),
      field("roles", &ExtensionProfile::roles), field("can_supervise", &ExtensionProfile::can_supervise),
      field("granted_modes", &ExtensionProfile::granted_modes), field("privacy", &ExtensionProfile::privacy),
      field("managed_sites", &ExtensionProfile::managed_sites),
      field("allow_list", &ExtensionProfile::allow_list), field("scope", &ExtensionProfile::scope),
      field("channels", &ExtensionProfile::channels),
      field("session_defaults", &ExtensionProfile::session_defaults));
  profile.def("has_role", &ExtensionProfile::has_role, py::arg("role"))
      .def("manages_site", &ExtensionProfile::manages_site, py::arg("site"),
           "True when `site` is one of managed_sites (never for '').")
      .def("allows", &ExtensionProfile::allows, py::arg("target"),
           "True when `target` is on the allow_list.");

  py::class_<Group> group(m, "Group",
                          "A hunt group or queue: its members and the extensions supervising it.\n"
                          "`supervision_allowed` False: being its supervisor gives no scope over it.");
  def_struct(group, field("name", &Group::name), field("tenant", &Group::tenant),
             field("members", &Group::members), field("supervisors", &Group::supervisors),
             field("supervision_allowed", &Group::supervision_allowed));

  py::class_<Site> site(m, "Site", "A site (office) of a tenant.");
  def_struct(site, field("name", &Site::name), field("tenant", &Site::tenant));

  py::class_<SupervisionLimits> limits(m, "SupervisionLimits", "Per-tenant caps on supervising one call.");
  def_struct(limits, field("max_supervisors_per_call", &SupervisionLimits::max_supervisors_per_call),
             field("max_bargers_per_call", &SupervisionLimits::max_bargers_per_call));

  py::class_<TenantSettings> tenant(m, "TenantSettings",
                                    "Tenant-wide switches, and the tenant's session defaults.");
  def_struct(tenant, field("name", &TenantSettings::name),
             field("supervision_enabled", &TenantSettings::supervision_enabled),
             field("feature_code_plan", &TenantSettings::feature_code_plan),
             field("limits", &TenantSettings::limits), field("bridged_only", &TenantSettings::bridged_only),
             field("whisper_topology_rule", &TenantSettings::whisper_topology_rule),
             field("session_defaults", &TenantSettings::session_defaults));
}

}  // namespace callsup::python
