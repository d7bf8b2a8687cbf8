// Subscription (what add_*_sink, add_route_observer, subscribe, on_dtmf return) and
// SupervisedMedia (what connect_media returns).
#include "subscriptions.hpp"

#include "bindings.hpp"
#include "supervised_media_handle.hpp"

namespace callsup::python {

namespace {

template <class Handle, class Close>
void def_closing(py::class_<Handle>& cls, Close close, const char* what) {
  cls.def("close", close, py::call_guard<py::gil_scoped_release>(),
          (std::string("Ends the ") + what +
           " now; idempotent. Once it returns, no callback runs again (one under way on another "
           "thread is waited for).")
              .c_str())
      .def("__enter__", [](py::object self) { return self; })
      .def(
          "__exit__",
          [close](Handle& self, const py::object&, const py::object&, const py::object&) {
            py::gil_scoped_release release;
            close(self);
          },
          py::arg("exc_type"), py::arg("exc_value"), py::arg("traceback"));
}

}  // namespace

void bind_subscriptions(py::module_& m) {
  py::class_<PySubscription> subscription(
      m, "Subscription",
      "A registration (a sink, an observer, a handler). close() or leaving a `with` block ends it;\n"
      "a Subscription dropped unclosed keeps the registration for as long as its source lives.");
  def_closing(
      subscription, [](PySubscription& s) { s.subscription.reset(); }, "registration");
  subscription.def_property_readonly(
      "active", [](const PySubscription& s) { return s.subscription.active(); }, "True until close().");
  subscription.def("__repr__", [](const PySubscription& s) {
    return std::string("Subscription(") + (s.subscription.active() ? "active" : "closed") + ")";
  });

  py::class_<PySupervisedMedia> media(
      m, "SupervisedMedia",
      "A SupervisionService and a MediaEngine joined by connect_media(). close() (or leaving a\n"
      "`with` block) undoes both directions; dropped unclosed, it stays connected while both live.");
  def_closing(
      media, [](PySupervisedMedia& s) { s.media.disconnect(); }, "connection");
  media.def_property_readonly(
      "connected", [](const PySupervisedMedia& s) { return s.media.connected(); }, "True until close().");
  media.def("__repr__", [](const PySupervisedMedia& s) {
    return std::string("SupervisedMedia(") + (s.media.connected() ? "connected" : "closed") + ")";
  });
}

}  // namespace callsup::python
