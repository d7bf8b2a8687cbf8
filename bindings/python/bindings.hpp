// callsup Python bindings: what every binding file shares.
//
// Every binding .cpp includes this header first, so all of them see the same pybind11
// type casters (STL containers, std::optional, std::chrono, std::function): mixing
// translation units with and without a caster would break the one-definition rule.
#pragma once

#include <pybind11/chrono.h>
#include <pybind11/functional.h>
#include <pybind11/native_enum.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <concepts>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "subscriptions.hpp"

namespace callsup::python {

namespace py = pybind11;

// --- one function per area; module.cpp calls them in this order -------------------------

void bind_errors(py::module_& m);            // ErrorCode, callsup::Error -> callsup.Error
void bind_enums(py::module_& m);             // Mode, Network, LegState, Role, ...
void bind_mode_set(py::module_& m);          // ModeSet
void bind_channel_set(py::module_& m);       // ChannelSet
void bind_session_defaults(py::module_& m);  // SessionDefaults
void bind_model(py::module_& m);             // MediaFormat, Leg, Call
void bind_subscriptions(py::module_& m);     // Subscription, SupervisedMedia
void bind_call_registry(py::module_& m);     // RegistryEvent, CallRegistry
void bind_profiles(py::module_& m);          // ExtensionProfile, Group, Site, tenant settings
void bind_directory(py::module_& m);         // Directory, DirectoryChange, JSON loading
void bind_feature_codes(py::module_& m);     // FeatureCodePlan and parts, presets, validation
void bind_clocks(py::module_& m);            // Clock, SteadyClock, ManualClock
void bind_dialplan(py::module_& m);          // DialParser, DtmfSwitch
void bind_routes(py::module_& m);            // Channel, Route, RouteSet, SupervisorRoute, Tap, compute_routes
void bind_policy(py::module_& m);            // Reason, SupervisionRequest, Decision, PermissionPolicy and kin
void bind_audit(py::module_& m);             // EventKind, EventSource, EndReason, Event, AuditSink and kin
void bind_events(py::module_& m);            // EventSink, FunctionEventSink, EventQueue, EventDispatcher
void bind_service(py::module_& m);           // SessionOptions, StartRequest, SessionInfo, SupervisionService
void bind_vendor(py::module_& m);            // callsup._core._vendor: vendor terms (callsup.vendor)
void bind_testing(py::module_& m);           // _testing_drive_sessions (test support, not API)
// --- P3: media ---
void bind_mixer(py::module_& m);  // MixPlan, MixFrames, MixerBackend (Python subclasses), SoftwareMixer, ...
void bind_media(py::module_& m);  // codecs, SRTP keys, endpoints, MediaEngine (media.cpp)
// --- end P3 ---

// --- helpers -------------------------------------------------------------------------------

/// repr(value) for use inside other reprs; enum members read `Mode.listen`.
std::string repr(py::handle value);

/// A copy of *found, or None: lookups give Python its own value, never a pointer into C++
/// state that another thread may replace.
template <class Pointer>
auto copy_or_none(const Pointer& found) -> std::optional<std::remove_cvref_t<decltype(*found)>> {
  if (found) return *found;
  return std::nullopt;
}

/// Runs `fn` without the GIL (for C++ calls that may block or call observers back).
template <class Fn>
decltype(auto) without_gil(Fn&& fn) {
  py::gil_scoped_release release;
  return std::forward<Fn>(fn)();
}

/// A Python callable that C++ may keep, copy, call and destroy on any thread: calling
/// and destroying take the GIL. Arguments are passed as copies, so Python may keep them.
/// A Python exception is reported through sys.unraisablehook (naming `context`) and then
/// thrown as std::runtime_error, which C++ notifiers count as a failed observer.
class PythonCallback {
 public:
  PythonCallback(py::function function, std::string context)
      : function_(new py::function(std::move(function)),
                  [](py::function* held) {
                    py::gil_scoped_acquire gil;
                    delete held;
                  }),
        context_(std::move(context)) {}

  template <class... Args>
  void operator()(const Args&... args) const {
    py::gil_scoped_acquire gil;
    try {
      (*function_)(py::cast(args, py::return_value_policy::copy)...);
    } catch (py::error_already_set& error) {
      error.discard_as_unraisable(context_.c_str());
      throw std::runtime_error(context_ + " raised a Python exception");
    }
  }

 private:
  std::shared_ptr<py::function> function_;  // shared: std::function copies it
  std::string context_;
};

/// subscribe(callback) -> Subscription and observer_failures for a C++ notifier with an
/// ObserverList (CallRegistry, Directory); `event` names the argument type for the docs.
template <class Notifier, class... Extra>
void def_subscriptions(py::class_<Notifier, Extra...>& cls, const std::string& event) {
  const std::string owner = cls.attr("__name__").template cast<std::string>();
  cls.def(
         "subscribe",
         [owner](Notifier& self, py::function callback) {
           const std::string context = owner + " subscriber " + python::repr(callback);
           return std::make_unique<PySubscription>(
               self.subscribe(PythonCallback(std::move(callback), context)));
         },
         py::arg("callback"),
         ("Calls callback(" + event +
          ") after each change, on the thread that made the change, with the GIL held, in the "
          "order of the changes. It may read and change the " +
          owner +
          ". An exception it raises goes to sys.unraisablehook and is counted in "
          "observer_failures. Returns a Subscription: close() it (or use `with`) to unsubscribe.")
             .c_str())
      .def_property_readonly("observer_failures", &Notifier::observer_failures,
                             "How many exceptions subscribers have raised.");
}

// --- plain structs as Python value classes -------------------------------------------------

template <class M>
inline constexpr bool is_vector = false;
template <class X, class A>
inline constexpr bool is_vector<std::vector<X, A>> = true;
template <class M>
inline constexpr bool is_set = false;
template <class X, class C, class A>
inline constexpr bool is_set<std::set<X, C, A>> = true;

/// A copy of a C++ value as Python sees it: vectors as tuples and sets as frozensets, so
/// that `profile.roles.append(...)` fails loudly instead of changing a temporary list.
template <class M>
py::object to_python(const M& value) {
  if constexpr (is_vector<M>)
    return py::tuple(py::cast(value));
  else if constexpr (is_set<M>)
    return py::reinterpret_steal<py::object>(PyFrozenSet_New(py::cast(value).ptr()));
  else
    return py::cast(value, py::return_value_policy::copy);
}

/// One data member of T exposed to Python under `name`, with `doc` as its docstring.
template <class T, class M>
struct Field {
  const char* name;
  M T::*member;
  const char* doc;
};

/// A field and its docstring (one short sentence, from the member's comment in the C++
/// header). The docstring is required: a field without one, or with an empty one, does not
/// compile (consteval: the throw makes the call not a constant expression).
template <class T, class M>
consteval Field<T, M> field(const char* name, M T::*member, const char* doc) {
  if (doc == nullptr || doc[0] == '\0') throw "callsup::python::field: the docstring must not be empty";
  return {name, member, doc};
}

namespace fields_impl {

template <class M>
bool equal_values(const M& a, const M& b) {
  if constexpr (std::equality_comparable<M>)
    return a == b;
  else
    return to_python(a).equal(to_python(b));  // a bound struct: its own __eq__
}

template <class T, class Class, class M>
void def_field(Class& cls, const Field<T, M>& f, bool writable) {
  if constexpr (is_vector<M> || is_set<M>) {
    auto get = [member = f.member](const T& self) { return to_python(self.*member); };
    if (writable)
      cls.def_property(
          f.name, get, [member = f.member](T& self, M value) { self.*member = std::move(value); }, f.doc);
    else
      cls.def_property_readonly(f.name, get, f.doc);
  } else if (writable) {
    cls.def_readwrite(f.name, f.member, f.doc);
  } else {
    cls.def_readonly(f.name, f.member, f.doc);
  }
}

/// __repr__ ("Leg(id='A1', ...)"), __eq__ field by field (mutable: unhashable) and
/// __reduce__ (pickle, copy and deepcopy through the all-fields constructor; by keyword
/// when `keywords`, for a constructor whose arguments are keyword-only).
template <class T, class... Extra, class... Ms>
void def_value_methods(py::class_<T, Extra...>& cls, bool keywords, Field<T, Ms>... fields) {
  const std::string name = cls.attr("__name__").template cast<std::string>();
  cls.def("__repr__", [name, fields...](const T& self) {
    std::string out = name + "(";
    bool first = true;
    ((out +=
      (first ? "" : ", ") + std::string(fields.name) + "=" + python::repr(to_python(self.*(fields.member))),
      first = false),
     ...);
    return out + ")";
  });
  cls.def(
      "__eq__",
      [fields...](const T& self, const py::object& other) -> py::object {
        if (!py::isinstance<T>(other)) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
        const T& that = other.cast<const T&>();
        return py::bool_((equal_values(self.*(fields.member), that.*(fields.member)) && ...));
      },
      py::arg("other"));
  cls.attr("__hash__") = py::none();
  cls.def("__reduce__", [keywords, fields...](const py::object& self) -> py::tuple {
    const T& value = self.cast<const T&>();
    if (!keywords)
      return py::make_tuple(py::type::of(self), py::make_tuple(to_python(value.*(fields.member))...));
    py::dict values;
    ((values[fields.name] = to_python(value.*(fields.member))), ...);
    // functools.partial(T, **values)(): pickles as a reference to T and the values.
    const py::object partial = py::module_::import("functools").attr("partial");
    return py::make_tuple(partial(py::type::of(self), **values), py::tuple());
  });
}

template <class T, class... Extra, class... Ms>
void def_fields(py::class_<T, Extra...>& cls, bool writable, bool keywords, Field<T, Ms>... fields) {
  const T defaults{};
  auto make = [fields...](Ms... values) {
    T object{};
    ((object.*(fields.member) = std::move(values)), ...);
    return object;
  };
  if (keywords)
    cls.def(py::init(make), py::kw_only(), (py::arg(fields.name) = to_python(defaults.*(fields.member)))...);
  else
    cls.def(py::init(make), (py::arg(fields.name) = to_python(defaults.*(fields.member)))...);
  (def_field(cls, fields, writable), ...);
  def_value_methods(cls, keywords, fields...);
}

}  // namespace fields_impl

/// A plain C++ struct as a Python value class: a constructor taking every field
/// positionally or by keyword (defaults from T{}), read-write properties, repr, ==, pickle.
/// Enum and class types of the fields must be bound before (the defaults are converted here).
template <class T, class... Extra, class... Ms>
void def_struct(py::class_<T, Extra...>& cls, Field<T, Ms>... fields) {
  fields_impl::def_fields(cls, /*writable=*/true, /*keywords=*/false, fields...);
}

/// def_struct with a keyword-only constructor, for a struct whose fields are easily
/// swapped when given by position (Route(from_leg=..., to=...)).
template <class T, class... Extra, class... Ms>
void def_keyword_struct(py::class_<T, Extra...>& cls, Field<T, Ms>... fields) {
  fields_impl::def_fields(cls, /*writable=*/true, /*keywords=*/true, fields...);
}

/// A struct the SDK produces (an event, a change): read-only properties, repr and ==.
/// It keeps the all-fields constructor, which pickling and copying need.
template <class T, class... Extra, class... Ms>
void def_record(py::class_<T, Extra...>& cls, Field<T, Ms>... fields) {
  fields_impl::def_fields(cls, /*writable=*/false, /*keywords=*/false, fields...);
}

}  // namespace callsup::python
