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
      profile, field("extension", &ExtensionProfile::extension, "The extension, digits only."),
      field("tenant", &ExtensionProfile::tenant, "The tenant it belongs to."),
      field("site", &ExtensionProfile::site, "Its site; '' when the tenant has no sites."),
      field("display_name", &ExtensionProfile::display_name,
            "The name shown to people (audit, UIs); may be ''."),
      field("roles", &ExtensionProfile::roles,
            "What it is: agent, supervisor, site manager, tenant administrator."),
      field("can_supervise", &ExtensionProfile::can_supervise,
            "'Can Call Spy': whether it may start supervision at all."),
      field("granted_modes", &ExtensionProfile::granted_modes, "The modes it may use ('SPY_PERMISSION')."),
      field("privacy", &ExtensionProfile::privacy,
            "True when nobody may supervise a call it is in ('DISABLE_SPY')."),
      field("managed_sites", &ExtensionProfile::managed_sites, "Site manager: the sites in its scope."),
      field("allow_list", &ExtensionProfile::allow_list, "Extensions it may supervise whatever its role."),
      field("scope", &ExtensionProfile::scope,
            "Whom it may supervise (tenant: any extension of its tenant)."),
      field("channels", &ExtensionProfile::channels, "Where it may start or steer supervision from."),
      field("session_defaults", &ExtensionProfile::session_defaults,
            "Its own session defaults ('SPY_PARAMS')."));
  profile.def("has_role", &ExtensionProfile::has_role, py::arg("role"))
      .def("manages_site", &ExtensionProfile::manages_site, py::arg("site"),
           "True when `site` is one of managed_sites (never for '').")
      .def("allows", &ExtensionProfile::allows, py::arg("target"),
           "True when `target` is on the allow_list.");

  py::class_<Group> group(m, "Group",
                          "A hunt group or queue: its members and the extensions supervising it.\n"
                          "`supervision_allowed` False: being its supervisor gives no scope over it.");
  def_struct(group, field("name", &Group::name, "The group's name, unique in the directory."),
             field("tenant", &Group::tenant, "The tenant it belongs to."),
             field("members", &Group::members, "The extensions whose calls it covers."),
             field("supervisors", &Group::supervisors,
                   "The extensions that supervise its members (if supervision_allowed)."),
             field("supervision_allowed", &Group::supervision_allowed,
                   "Whether its supervisors may supervise it; False: being its supervisor gives no scope."));

  py::class_<Site> site(m, "Site", "A site (office) of a tenant.");
  def_struct(site, field("name", &Site::name, "The site's name, unique in the directory."),
             field("tenant", &Site::tenant, "The tenant it belongs to."));

  py::class_<SupervisionLimits> limits(m, "SupervisionLimits", "Per-tenant caps on supervising one call.");
  def_struct(limits,
             field("max_supervisors_per_call", &SupervisionLimits::max_supervisors_per_call,
                   "Supervisors (in any mode) on one call at once."),
             field("max_bargers_per_call", &SupervisionLimits::max_bargers_per_call,
                   "Of those, how many may barge at once."));

  py::class_<TenantSettings> tenant(m, "TenantSettings",
                                    "Tenant-wide switches, and the tenant's session defaults.");
  def_struct(
      tenant, field("name", &TenantSettings::name, "The tenant's name, unique in the directory."),
      field("supervision_enabled", &TenantSettings::supervision_enabled,
            "'Supervision allowed': whether the tenant's extensions may supervise at all."),
      field("feature_code_plan", &TenantSettings::feature_code_plan,
            "The name of the feature code plan its phones dial."),
      field("limits", &TenantSettings::limits, "Caps on concurrent supervision of one call."),
      field("bridged_only", &TenantSettings::bridged_only, "Supervise only calls whose media is bridged."),
      field("whisper_topology_rule", &TenantSettings::whisper_topology_rule,
            "Whisper only from an on-net agent to an off-net customer."),
      field("session_defaults", &TenantSettings::session_defaults,
            "The tenant's session defaults (over the plan's)."));
}

}  // namespace callsup::python
