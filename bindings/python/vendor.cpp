// callsup Python bindings: vendor terms (callsup/vendor/*.hpp) in the private submodule
// callsup._core._vendor; the package callsup.vendor (python/callsup/vendor/) re-exports it
// as callsup.vendor.tronic, .asterisk_spy, .portaswitch, .stratus, .lead_center.
//
// The helpers change the record they are given in place: a Python ExtensionProfile,
// TenantSettings or Group is the C++ object itself, so `tronic.can_call_spy(profile)`
// changes `profile` (and returns None, as Python's in-place methods do).
#include "bindings.hpp"

#include <string>
#include <utility>

#include "callsup/vendor/terms.hpp"

namespace callsup::python {

namespace {

using namespace pybind11::literals;

// Classes and enums say the public module they are reached through, so that their repr,
// help() and pickle name callsup.vendor..., not the private module that made them.
void publish(py::module_& scope, const char* name, const std::string& public_module) {
  scope.attr(name).attr("__module__") = public_module;
}

py::module_ submodule(py::module_& parent, const char* name, const char* doc) {
  return parent.def_submodule(name, doc);
}

void bind_tronic(py::module_& parent) {
  py::module_ m =
      submodule(parent, "tronic", "Tronic's Call Spy terms, each one setting of an ExtensionProfile.");
  m.def("can_call_spy", &vendor::tronic::can_call_spy, "profile"_a, "on"_a = true,
        "'Can Call Spy': the extension may spy on any call of its tenant in listen, whisper and\n"
        "barge (can_supervise, granted_modes all, scope tenant). Off: it may not. Changes `profile`.");
  m.def("call_spy_privacy", &vendor::tronic::call_spy_privacy, "profile"_a, "on"_a = true,
        "'Call Spy Privacy': nobody may spy on a call this extension is in (privacy). Changes `profile`.");
}

void bind_asterisk_spy(py::module_& parent) {
  py::module_ m = submodule(parent, "asterisk_spy",
                            "The per-user spy variables of Asterisk-based PBXs (the *91/*92/*93 plan): "
                            "SPY_PERMISSION, DISABLE_SPY and SPY_PARAMS.");
  py::native_enum<vendor::asterisk_spy::DisableSpyReading>(m, "DisableSpyReading", "enum.Enum",
                                                           "What DISABLE_SPY=yes means.")
      .value("cannot_be_monitored", vendor::asterisk_spy::DisableSpyReading::cannot_be_monitored,
             "privacy: nobody may spy on a call of this user (the default: what admins rely on)")
      .value("may_not_monitor", vendor::asterisk_spy::DisableSpyReading::may_not_monitor,
             "this user may not spy on others (SPY_PERMISSION is overruled)")
      .finalize();
  publish(m, "DisableSpyReading", "callsup.vendor.asterisk_spy");
  m.def("spy_permission", &vendor::asterisk_spy::spy_permission, "profile"_a, "value"_a,
        "SPY_PERMISSION = 'listen' / 'whisper' / 'barge': may spy on any extension of its tenant up\n"
        "to that mode; 'no' (or ''): may not spy. InvalidArgumentError naming any other value.\n"
        "Changes `profile`.");
  m.def("disable_spy", &vendor::asterisk_spy::disable_spy, "profile"_a, "yes"_a,
        "reading"_a = vendor::asterisk_spy::DisableSpyReading::cannot_be_monitored,
        "DISABLE_SPY = yes / no, read as `reading` says (default: the user cannot be monitored).\n"
        "Changes `profile`.");
  m.def("spy_params", &vendor::asterisk_spy::spy_params, "profile"_a, "letters"_a,
        "SPY_PARAMS = ChanSpy option letters ('Ssb'): the user's session defaults\n"
        "(chanspy_defaults(letters)); the dialled code still decides the mode. InvalidArgumentError\n"
        "for bad letters. Changes `profile`.");
}

void bind_portaswitch(py::module_& parent) {
  py::module_ m = submodule(parent, "portaswitch",
                            "PortaSwitch's call supervision terms: the customer's (tenant's) switch, a hunt "
                            "group's 'Supervision allowed' and its supervisors.");
  m.def("call_supervision", &vendor::portaswitch::call_supervision, "tenant"_a, "on"_a = true,
        "The customer's Call Supervision switch (supervision_enabled). Changes `tenant`.");
  m.def("supervision_allowed", &vendor::portaswitch::supervision_allowed, "group"_a, "on"_a = true,
        "A hunt group's 'Supervision allowed': its supervisors may supervise its members and the\n"
        "calls that come through it. Changes `group`.");
  m.def("make_group_supervisor", &vendor::portaswitch::make_group_supervisor, "profile"_a,
        "What being made a hunt group's supervisor gives an extension: can_supervise, and all modes\n"
        "when it had no grants. Its scope stays the groups it supervises. Changes `profile`.");
  m.def(
      "add_group_supervisor",
      [](Directory& directory, const std::string& group, const std::string& extension) {
        without_gil([&] { vendor::portaswitch::add_group_supervisor(directory, group, extension); });
      },
      "directory"_a, "group"_a, "extension"_a,
      "'Add <extension> to the hunt group's supervisors', one step as on PortaSwitch: the group lists\n"
      "it and its profile gets make_group_supervisor, in the directory. NotFoundError for an unknown\n"
      "group or extension, InvalidArgumentError for another tenant's extension.");
}

void bind_stratus(py::module_& parent) {
  py::module_ m = submodule(
      parent, "stratus", "Stratus's user roles and its *81 'speak with the caller' key, each one setting.");
  using vendor::stratus::SpeakWith;
  using vendor::stratus::UserRole;
  py::native_enum<UserRole>(m, "UserRole", "enum.Enum", "Stratus user roles, lowest first.")
      .value("basic_user", UserRole::basic_user, "007 phone code only, on the users of its allow-list")
      .value("call_centre_supervisor", UserRole::call_centre_supervisor,
             "the call centres (groups) it supervises; phone and web Audio Monitoring")
      .value("office_manager", UserRole::office_manager, "every user of its office (site); phone and web")
      .value("administrator", UserRole::administrator, "every user of the tenant; phone and web")
      .finalize();
  publish(m, "UserRole", "callsup.vendor.stratus");
  py::native_enum<SpeakWith>(m, "SpeakWith", "enum.Enum",
                             "Whom Stratus's *81 'speak with the caller' speaks to.")
      .value("agent", SpeakWith::agent, "the agent only (the default: Stratus's help page says so)")
      .value("caller", SpeakWith::caller, "the other party (the customer)")
      .finalize();
  publish(m, "SpeakWith", "callsup.vendor.stratus");
  m.def("role", &vendor::stratus::role, "profile"_a, "value"_a,
        "Gives the profile what the role gives a Stratus user: every role may listen, whisper (*81)\n"
        "and barge (*82); basic users by the 007 phone code only (channels feature_code and dtmf);\n"
        "the scope follows the role; an office manager with no managed sites manages its own site.\n"
        "Changes `profile`.");
  m.def("speak_with_caller", &vendor::stratus::speak_with_caller, "tenant"_a, "value"_a,
        "The tenant's reading of *81: its session default whisper_to (agent: target, caller:\n"
        "other_party). Changes `tenant`.");
}

void bind_lead_center(py::module_& parent) {
  py::module_ m = submodule(parent, "lead_center",
                            "Lead Center's monitoring terms: the administrator, and an agent given the "
                            "ability to monitor any call using the softphone.");
  m.def("administrator", &vendor::lead_center::administrator, "profile"_a,
        "Administrator: monitors any call of the account in every mode, from the web and the phone\n"
        "(roles [tenant_admin]). Changes `profile`.");
  m.def("monitor_any_call", &vendor::lead_center::monitor_any_call, "profile"_a, "on"_a = true,
        "'Give agent ability to monitor any call using softphone': any call of the account, every\n"
        "mode, from its phone only (scope tenant, channels feature_code and dtmf). Off: it may not\n"
        "monitor. Changes `profile`.");
}

// A TermInfo row with owned strings (the C++ one views a static table).
struct TermRow {
  std::string vendor;
  std::string record;
  std::string term;
  std::string values;
  std::string setting;
};

std::vector<TermRow> term_rows() {
  std::vector<TermRow> rows;
  for (const vendor::TermInfo& info : vendor::terms())
    rows.push_back({std::string(info.vendor), std::string(info.record), std::string(info.term),
                    std::string(info.values), std::string(info.setting)});
  return rows;
}

// Terms as a mapping (term -> value, in its order) or an iterable of (term, value) pairs;
// a value is a str as the vendor writes it, or a bool (yes / no).
vendor::TermValues term_values(const py::handle& terms) {
  vendor::TermValues out;
  const py::object pairs =
      py::hasattr(terms, "items") ? terms.attr("items")() : py::reinterpret_borrow<py::object>(terms);
  if (py::isinstance<py::str>(pairs) || !py::isinstance<py::iterable>(pairs))
    throw py::type_error("vendor terms are a mapping or an iterable of (term, value) pairs, not " +
                         python::repr(terms));
  for (py::handle pair : pairs) {
    py::tuple items;
    if (py::isinstance<py::tuple>(pair) || py::isinstance<py::list>(pair))
      items = py::tuple(py::reinterpret_borrow<py::object>(pair));
    if (items.size() != 2 || !py::isinstance<py::str>(items[0]))
      throw py::type_error("a vendor term is a (term, value) pair with a str term, not " +
                           python::repr(pair));
    const std::string term = items[0].cast<std::string>();
    const py::handle value = items[1];
    if (py::isinstance<py::bool_>(value))
      out.emplace_back(term, value.cast<bool>() ? "yes" : "no");
    else if (py::isinstance<py::str>(value))
      out.emplace_back(term, value.cast<std::string>());
    else
      throw py::type_error("vendor term " + python::repr(py::str(term)) + " takes a str or a bool, not " +
                           python::repr(value));
  }
  return out;
}

// Applies `apply` to a copy of `record` and keeps the copy only when every term applied:
// a bad term leaves the record as it was.
template <class Record, class Apply>
void all_or_nothing(Record& record, const std::string& vendor_name, const py::handle& terms, Apply apply) {
  const vendor::TermValues values = term_values(terms);
  Record changed = record;
  apply(changed, vendor_name, values);
  record = std::move(changed);
}

}  // namespace

void bind_vendor(py::module_& m) {
  py::module_ vendor_module = m.def_submodule(
      "_vendor", "Vendor terms (callsup.vendor re-exports this module; use it through that package).");
  bind_tronic(vendor_module);
  bind_asterisk_spy(vendor_module);
  bind_portaswitch(vendor_module);
  bind_stratus(vendor_module);
  bind_lead_center(vendor_module);

  py::class_<TermRow> row(vendor_module, "TermInfo",
                          "One row of the vendor-terms table (docs/policy.md prints the same): `record`\n"
                          "is what the term is set on ('extension', 'group' or 'tenant'), `values` what it\n"
                          "takes, `setting` what it sets in callsup.");
  def_record(row,
             field("vendor", &TermRow::vendor,
                   "The vendor: 'tronic', 'asterisk_spy', 'portaswitch', 'stratus' or 'lead_center'."),
             field("record", &TermRow::record, "What it is set on: 'extension', 'group' or 'tenant'."),
             field("term", &TermRow::term, "The term as the vendor writes it."),
             field("values", &TermRow::values, "What it takes."),
             field("setting", &TermRow::setting, "What it sets in callsup."));
  publish(vendor_module, "TermInfo", "callsup.vendor");
  vendor_module.def("terms", &term_rows, "Every vendor term callsup knows, in vendor order.");

  vendor_module.def(
      "apply_extension_terms",
      [](ExtensionProfile& profile, const std::string& vendor_name, const py::handle& terms) {
        all_or_nothing(profile, vendor_name, terms, vendor::apply_extension_terms);
      },
      "profile"_a, "vendor"_a, "terms"_a,
      "Applies a vendor's extension terms to `profile`, in order: `terms` is a mapping\n"
      "({'SPY_PERMISSION': 'listen'}) or (term, value) pairs; a value is a str as the vendor\n"
      "writes it or a bool (yes/no). InvalidArgumentError naming an unknown vendor, term or value;\n"
      "then `profile` is left unchanged.");
  vendor_module.def(
      "apply_tenant_terms",
      [](TenantSettings& tenant, const std::string& vendor_name, const py::handle& terms) {
        all_or_nothing(tenant, vendor_name, terms, vendor::apply_tenant_terms);
      },
      "tenant"_a, "vendor"_a, "terms"_a,
      "Applies a vendor's tenant terms (portaswitch call_supervision, stratus speak_with_caller)\n"
      "to `tenant`, as apply_extension_terms does.");
  vendor_module.def(
      "apply_group_terms",
      [](Group& group, const std::string& vendor_name, const py::handle& terms) {
        all_or_nothing(group, vendor_name, terms, vendor::apply_group_terms);
      },
      "group"_a, "vendor"_a, "terms"_a,
      "Applies a vendor's group terms that concern the group alone (portaswitch\n"
      "supervision_allowed) to `group`; portaswitch's supervisors also change profiles: use\n"
      "portaswitch.add_group_supervisor.");
}

}  // namespace callsup::python
