// callsup Python bindings: event sinks — Python subclasses, Python callables, and the
// queued forms that keep Python off the delivering thread (EventQueue, EventDispatcher).
#include "bindings.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "callsup/session/event_sink.hpp"
#include "closing.hpp"
#include "gil_safe.hpp"
#include "item_queue.hpp"
#include "py_dispatcher.hpp"
#include "py_wait.hpp"

namespace callsup::python {

namespace {

using namespace pybind11::literals;

/// Lets Python subclasses implement on_event(); the GIL is taken for the call only.
class PyEventSink final : public EventSink, public py::trampoline_self_life_support {
 public:
  void on_event(const Event& event) override {
    const SdkCallbackScope in_callback;
    PYBIND11_OVERRIDE_PURE(void, EventSink, on_event, event);
  }
};

/// An event sink that only queues: the delivering thread never touches Python. The
/// application pops the events on a thread of its choice (libtorrent's pop_alerts).
class EventQueue final : public EventSink {
 public:
  void on_event(const Event& event) override { queue_.push(event); }
  ItemQueue<Event>& queue() { return queue_; }

 private:
  ItemQueue<Event> queue_;
};

/// An event sink that hands each event to a Python callable on a dispatcher thread.
class EventDispatcher final : public EventSink {
 public:
  explicit EventDispatcher(SharedPyObject callback)
      : dispatcher_(std::make_shared<PyDispatcher<Event>>(std::move(callback))) {
    track_dispatcher(dispatcher_);
  }
  void on_event(const Event& event) override { dispatcher_->push(event); }
  PyDispatcher<Event>& dispatcher() { return *dispatcher_; }

 private:
  std::shared_ptr<PyDispatcher<Event>> dispatcher_;
};

void bind_event_sink(py::module_& m) {
  py::classh<EventSink, PyEventSink>(
      m, "EventSink",
      "Receives every supervision event, in sequence order. Subclass it and implement\n"
      "on_event(event).\n\n"
      "The service calls on_event() synchronously, on the thread that made the service call\n"
      "(or the registry / directory change), after its locks are released and before that\n"
      "call returns; the GIL is held for the call only. on_event() may call back into the\n"
      "service: events that causes are delivered after the current one. An exception it\n"
      "raises is counted by the service (sink_failures, last_sink_failure). To keep Python\n"
      "off the delivering thread, use EventQueue or EventDispatcher instead.")
      .def(py::init<>())
      .def("on_event", &EventSink::on_event, "event"_a, py::call_guard<py::gil_scoped_release>(),
           "Receives one event.");

  py::classh<FunctionEventSink, EventSink>(
      m, "FunctionEventSink", py::is_final(),
      "An EventSink that calls `callback(event)`, synchronously, like an EventSink subclass.")
      .def(py::init([](const py::function& callback) {
             return std::make_shared<FunctionEventSink>([held = share_py(callback)](const Event& event) {
               py::gil_scoped_acquire gil;
               const SdkCallbackScope in_callback;
               (*held)(event);  // an exception reaches the service, which counts it
             });
           }),
           "callback"_a);
}

void bind_event_queue(py::module_& m) {
  py::classh<EventQueue, EventSink>(
      m, "EventQueue", py::is_final(),
      "An EventSink that only queues: whatever thread delivers the event never runs Python.\n"
      "Read the events on a thread of your choice with get(), pop_all() or drain(). The queue\n"
      "is unbounded and loses nothing until close(); read it, or close it when done.")
      .def(py::init<>())
      .def(
          "get",
          [](EventQueue& self, const py::object& timeout) -> std::optional<Event> {
            std::vector<Event> got;
            wait_interruptibly(wait_limit(timeout, "EventQueue.get"), [&](std::chrono::nanoseconds slice) {
              got = self.queue().pop(1, slice);
              return !got.empty() || self.queue().closed();
            });
            if (got.empty()) return std::nullopt;
            return std::move(got.front());
          },
          "timeout"_a = py::none(),
          "The oldest event, waiting up to `timeout` (seconds or a timedelta; None: as long as it takes)\n"
          "with the GIL released (Ctrl-C interrupts the wait); None on timeout or when the queue\n"
          "is closed and empty.")
      .def(
          "pop_all", [](EventQueue& self) { return self.queue().pop(0, std::chrono::nanoseconds(0)); },
          "Every queued event, oldest first, without waiting.")
      .def(
          "drain",
          [](EventQueue& self, const py::function& callback) {
            std::vector<Event> events = self.queue().pop(0, std::chrono::nanoseconds(0));
            std::size_t done = 0;
            try {
              for (; done < events.size(); ++done) callback(events[done]);
            } catch (...) {
              // The failing event and those after it stay queued, in order.
              self.queue().unpop(
                  std::vector<Event>(events.begin() + static_cast<std::ptrdiff_t>(done), events.end()));
              throw;
            }
            return done;
          },
          "callback"_a,
          "Calls callback(event) on this thread for every queued event, oldest first; returns how\n"
          "many. If callback raises, that event and the later ones stay queued.")
      .def(
          "close", [](EventQueue& self) { self.queue().close(); },
          "Stops accepting events (later ones are counted in `dropped`); queued ones stay readable.")
      .def_property_readonly(
          "closed", [](EventQueue& self) { return self.queue().closed(); }, "True after close().")
      .def_property_readonly(
          "dropped", [](EventQueue& self) { return self.queue().dropped(); }, "Events refused after close().")
      .def("__len__", [](EventQueue& self) { return self.queue().size(); });
}

void bind_event_dispatcher(py::module_& m) {
  py::classh<EventDispatcher, EventSink> dispatcher(
      m, "EventDispatcher", py::is_final(),
      "An EventSink that queues each event and calls `callback(event)` on a thread of its own\n"
      "(with the GIL), in sequence order: whatever thread delivers the event never runs Python.\n"
      "An exception the callback raises is counted (failures, last_failure) and delivery goes\n"
      "on. flush() waits for the events delivered so far; close() (or leaving a `with` block)\n"
      "delivers what is queued and stops the thread. Dispatchers still open when the\n"
      "interpreter exits are closed first.");
  dispatcher
      .def(py::init([](const py::function& callback) {
             return std::make_shared<EventDispatcher>(share_py(callback));
           }),
           "callback"_a)
      .def(
          "flush",
          [](EventDispatcher& self, const py::object& timeout) {
            const auto limit = wait_limit(timeout, "EventDispatcher.flush");
            const std::uint64_t mark = self.dispatcher().pushed();  // what was received before the call
            return wait_interruptibly(
                limit, [&](std::chrono::nanoseconds slice) { return self.dispatcher().flush(mark, slice); });
          },
          "timeout"_a = py::none(),
          "Waits up to `timeout` (seconds or a timedelta; None: as long as it takes), GIL released,\n"
          "until every event received before the call has been handed to the callback; False on\n"
          "timeout. Not from inside the callback (RuntimeError).")
      .def_property_readonly(
          "pending", [](EventDispatcher& self) { return self.dispatcher().pending(); },
          "Events not yet handed over.")
      .def_property_readonly(
          "delivered", [](EventDispatcher& self) { return self.dispatcher().delivered(); },
          "Events handed to the callback (including those it raised on).")
      .def_property_readonly(
          "failures", [](EventDispatcher& self) { return self.dispatcher().failures(); },
          "Exceptions the callback raised.")
      .def_property_readonly(
          "last_failure", [](EventDispatcher& self) { return self.dispatcher().last_failure(); },
          "The message of the last exception the callback raised ('' when none).")
      .def_property_readonly(
          "dropped", [](EventDispatcher& self) { return self.dispatcher().dropped(); },
          "Events refused after close().");
  def_closing(
      dispatcher,
      [](EventDispatcher& self) {
        py::gil_scoped_release release;
        self.dispatcher().close();
      },
      [](EventDispatcher& self) { return self.dispatcher().closed(); },
      "Delivers the queued events, then stops the thread; later events are counted in `dropped`.");
}

}  // namespace

void bind_events(py::module_& m) {
  bind_event_sink(m);
  bind_event_queue(m);
  bind_event_dispatcher(m);
  // Dispatcher threads must not want the GIL while the interpreter finalises.
  py::module_::import("atexit").attr("register")(py::cpp_function(&close_live_dispatchers));
}

}  // namespace callsup::python
