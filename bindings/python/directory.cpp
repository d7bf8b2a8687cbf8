// Directory (tenants, sites, extensions, groups), its change notifications and JSON loading.
#include "bindings.hpp"

#include "callsup/json/directory_json.hpp"
#include "callsup/model/directory.hpp"

namespace callsup::python {

namespace {

// A mutator taking a record: the record is copied while the GIL is held (Python may be
// changing that object on another thread), then applied without it, since the
// directory's subscribers may need the GIL.
template <class Record>
auto record_mutator(void (Directory::*method)(Record)) {
  return [method](Directory& self, const Record& record) {
    without_gil([&, copy = record]() mutable { (self.*method)(std::move(copy)); });
  };
}

void bind_directory_change(py::module_& m) {
  py::class_<DirectoryChange> cls(m, "DirectoryChange", "What changed in the directory.");
  py::native_enum<DirectoryChange::Kind>(cls, "Kind", "enum.Enum", "The kind of record that changed.")
      .value("tenant", DirectoryChange::Kind::tenant)
      .value("site", DirectoryChange::Kind::site)
      .value("extension", DirectoryChange::Kind::extension)
      .value("group", DirectoryChange::Kind::group)
      .finalize();
  def_record(
      cls,
      field("kind", &DirectoryChange::kind, "What kind of record changed: tenant, site, extension or group."),
      field("name", &DirectoryChange::name, "The name of the tenant, site, extension or group that changed."),
      field("removed", &DirectoryChange::removed,
            "True when the record was removed (False: added or replaced)."),
      field("version", &DirectoryChange::version, "The directory's version after the change."));
}

}  // namespace

void bind_directory(py::module_& m) {
  bind_directory_change(m);

  py::class_<Directory, std::shared_ptr<Directory>> cls(
      m, "Directory",
      "Tenants, sites, extensions and groups, validated on the way in (a tenant before its sites, "
      "extensions and groups; group members of the group's tenant). Thread-safe. Lookups return "
      "copies.\n\nChanges release the GIL and return once every subscriber has seen them.");
  const auto nogil = py::call_guard<py::gil_scoped_release>();
  cls.def(py::init<>())
      .def("set_tenant", record_mutator(&Directory::set_tenant), py::arg("settings"),
           "Adds or replaces a tenant's settings.")
      .def("add_site", record_mutator(&Directory::add_site), py::arg("site"))
      .def("add_extension", record_mutator(&Directory::add_extension), py::arg("profile"))
      .def("update_extension", record_mutator(&Directory::update_extension), py::arg("profile"),
           "Replaces an existing extension's profile.")
      .def("remove_extension", &Directory::remove_extension, py::arg("extension"), nogil,
           "Removes an extension that is in no group.")
      .def("add_group", record_mutator(&Directory::add_group), py::arg("group"))
      .def("update_group", record_mutator(&Directory::update_group), py::arg("group"))
      .def("remove_group", &Directory::remove_group, py::arg("name"), nogil)
      .def(
          "load_json", [](Directory& self, const std::string& text) { load_directory_json(self, text); },
          py::arg("text"), nogil,
          "Loads a JSON document (tenants, sites, extensions, groups; see docs/python.md), all or "
          "nothing. Raises InvalidArgumentError (malformed_directory) naming the JSON path.")
      .def(
          "load_dict",
          [](Directory& self, const py::object& document) {
            const auto text = py::module_::import("json").attr("dumps")(document).cast<std::string>();
            without_gil([&] { load_directory_json(self, text); });
          },
          py::arg("document"), "Loads a document given as Python data (what json.loads returns).")
      .def(
          "load_file",
          [](Directory& self, const py::object& path) {
            const auto name = py::module_::import("os").attr("fspath")(path).cast<std::string>();
            without_gil([&] { load_directory_file(self, name); });
          },
          py::arg("path"), "Loads a JSON file; Error(io_error) naming the path when it cannot be read.")
      .def(
          "find_extension",
          [](const Directory& self, const std::string& extension) {
            return copy_or_none(self.find_extension(extension));
          },
          py::arg("extension"), "The extension's profile, or None.")
      .def(
          "extension",
          [](const Directory& self, const std::string& extension) { return *self.extension(extension); },
          py::arg("extension"), "The extension's profile; raises NotFoundError (unknown_extension).")
      .def(
          "find_tenant",
          [](const Directory& self, const std::string& name) { return copy_or_none(self.find_tenant(name)); },
          py::arg("name"), "The tenant's settings, or None.")
      .def(
          "tenant", [](const Directory& self, const std::string& name) { return *self.tenant(name); },
          py::arg("name"), "The tenant's settings; raises NotFoundError (unknown_tenant).")
      .def(
          "find_group",
          [](const Directory& self, const std::string& name) { return copy_or_none(self.find_group(name)); },
          py::arg("name"), "The group, or None.")
      .def("has_site", &Directory::has_site, py::arg("name"))
      .def("supervises_member", &Directory::supervises_member, py::arg("supervisor"), py::arg("member"),
           "True when `supervisor` supervises a group that `member` belongs to.")
      .def("supervises_group", &Directory::supervises_group, py::arg("supervisor"), py::arg("group"),
           "True when `supervisor` is one of the group's supervisors.")
      .def(
          "extension_lengths", [](const Directory& self) { return to_python(self.extension_lengths()); },
          "The distinct lengths of the extensions present (for PlanContext).")
      .def("extensions", &Directory::extensions, "Every extension, sorted.")
      .def_property_readonly("extension_count", &Directory::extension_count, "How many extensions there are.")
      .def_property_readonly("version", &Directory::version, "Counts the successful changes.");
  def_subscriptions(cls, "DirectoryChange");
}

}  // namespace callsup::python
