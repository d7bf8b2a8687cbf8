// callsup Python bindings: supervision events / audit records, audit sinks (Python
// subclasses too) and the JSON Lines form of a record.
#include "bindings.hpp"

#include <optional>
#include <string>
#include <tuple>

#include "callsup/audit/memory_audit_sink.hpp"
#include "callsup/json/audit_json.hpp"
#include "callsup/json/json_lines_audit_sink.hpp"
#include "gil_safe.hpp"
#include "py_time.hpp"

namespace callsup::python {

namespace {

using namespace pybind11::literals;

/// Lets Python subclasses implement do_write() (and do_flush()). The service calls
/// write() on the thread that delivers its events, after its own locks are released;
/// the GIL is taken for the hook only. An exception the hook raises reaches write()'s
/// caller; the service counts it in sink_failures.
class PyAuditSink final : public AuditSink, public py::trampoline_self_life_support {
 protected:
  void do_write(const AuditRecord& record) override {
    const SdkCallbackScope in_callback;
    PYBIND11_OVERRIDE_PURE(void, AuditSink, do_write, record);
  }
  void do_flush() override {
    const SdkCallbackScope in_callback;
    PYBIND11_OVERRIDE(void, AuditSink, do_flush, );
  }
};

void bind_event_enums(py::module_& m) {
  py::native_enum<EventKind>(m, "EventKind", "enum.Enum", "What a supervision event reports.")
      .value("attempt", EventKind::attempt, "a supervision request arrived (dial, API); a decision follows")
      .value("denied", EventKind::denied, "the policy refused (reason, rule)")
      .value("started", EventKind::started, "a session started (or a pre-armed one became active)")
      .value("armed", EventKind::armed, "a session waits for the target's next call")
      .value("mode_changed", EventKind::mode_changed, "mode switched (from_mode -> mode)")
      .value("target_changed", EventKind::target_changed,
             "the session moved to another call or agent (detail: the previous one)")
      .value("ended", EventKind::ended, "the session ended (end_reason)")
      .value("agent_notified", EventKind::agent_notified, "the agent is told it is whispered to / barged on")
      .value("action_requested", EventKind::action_requested,
             "the PBX is asked to act (detail: 'end_call' or 'takeover')")
      .value("security", EventKind::security,
             "the PBX reported a security incident (rule: what, detail: where from)")
      .finalize();
  py::native_enum<EventSource>(m, "EventSource", "enum.Enum", "Where the cause of an event came from.")
      .value("api", EventSource::api)
      .value("dial", EventSource::dial)
      .value("dtmf", EventSource::dtmf)
      .value("registry", EventSource::registry)
      .value("directory", EventSource::directory)
      .finalize();
  py::native_enum<EndReason> end_reason(m, "EndReason", "enum.Enum",
                                        "Why a session ended; the names are stable (audit records).");
  for (EndReason value : all_end_reasons) end_reason.value(std::string(to_string(value)).c_str(), value);
  end_reason.finalize();
}

auto fields_of(const Event& e) {
  return std::tie(e.kind, e.sequence, e.time, e.session, e.tenant, e.call, e.supervisor, e.supervisor_leg,
                  e.target, e.target_leg, e.mode, e.from_mode, e.allowed, e.reason, e.rule, e.end_reason,
                  e.source, e.channel, e.detail);
}

// The constructor's parameters, in the C++ member order (pickling passes them back).
constexpr const char* event_field_names[] = {
    "kind",           "sequence",   "time",       "session", "tenant",    "call",    "supervisor",
    "supervisor_leg", "target",     "target_leg", "mode",    "from_mode", "allowed", "reason",
    "rule",           "end_reason", "source",     "channel", "detail"};

py::tuple event_values(const Event& e) {
  return py::make_tuple(e.kind, e.sequence, to_datetime(e.time), e.session, e.tenant, e.call, e.supervisor,
                        e.supervisor_leg, e.target, e.target_leg, e.mode, e.from_mode, e.allowed, e.reason,
                        e.rule, e.end_reason, e.source, e.channel, e.detail);
}

Event make_event(EventKind kind, std::uint64_t sequence, const py::object& time, SessionId session,
                 std::string tenant, std::string call, std::string supervisor, std::string supervisor_leg,
                 std::string target, std::string target_leg, std::optional<Mode> mode,
                 std::optional<Mode> from_mode, bool allowed, Reason reason, std::string rule,
                 EndReason end_reason, EventSource source, RequestChannel channel, std::string detail) {
  Event e;
  e.kind = kind;
  e.sequence = sequence;
  if (!time.is_none()) e.time = from_datetime(time, "Event.time");
  e.session = session;
  e.tenant = std::move(tenant);
  e.call = std::move(call);
  e.supervisor = std::move(supervisor);
  e.supervisor_leg = std::move(supervisor_leg);
  e.target = std::move(target);
  e.target_leg = std::move(target_leg);
  e.mode = mode;
  e.from_mode = from_mode;
  e.allowed = allowed;
  e.reason = reason;
  e.rule = std::move(rule);
  e.end_reason = end_reason;
  e.source = source;
  e.channel = channel;
  e.detail = std::move(detail);
  return e;
}

void bind_event(py::module_& m) {
  const Event d;
  py::classh<Event> event(m, "Event",
                          "One supervision event, which is also its audit record (AuditRecord is the same\n"
                          "class). The service stamps `sequence` (strictly increasing per service) and\n"
                          "`time` (an aware UTC datetime) before handing it to the sinks. `session` is 0\n"
                          "when no session exists (a denied attempt); `mode` / `from_mode` may be None.");
  event.def(py::init(&make_event), "kind"_a = d.kind, "sequence"_a = d.sequence, "time"_a = py::none(),
            "session"_a = d.session, "tenant"_a = d.tenant, "call"_a = d.call, "supervisor"_a = d.supervisor,
            "supervisor_leg"_a = d.supervisor_leg, "target"_a = d.target, "target_leg"_a = d.target_leg,
            "mode"_a = d.mode, "from_mode"_a = d.from_mode, "allowed"_a = d.allowed, "reason"_a = d.reason,
            "rule"_a = d.rule, "end_reason"_a = d.end_reason, "source"_a = d.source, "channel"_a = d.channel,
            "detail"_a = d.detail,
            "`time` None means the epoch (unset); otherwise a timezone-aware datetime.");
  event
      .def_readwrite("kind", &Event::kind,
                     "What happened (an attempt, a denial, a start, a mode change, an end ...).")
      .def_readwrite("sequence", &Event::sequence,
                     "Position in the service's event stream, strictly increasing.")
      .def_property(
          "time", [](const Event& e) { return to_datetime(e.time); },
          [](Event& e, const py::object& value) { e.time = from_datetime(value, "Event.time"); },
          "UTC time, an aware datetime (microsecond precision).")
      .def_readwrite("session", &Event::session, "The session; 0 when none exists (a denied attempt).")
      .def_readwrite("tenant", &Event::tenant, "The tenant of the call.")
      .def_readwrite("call", &Event::call, "The supervised call's id.")
      .def_readwrite("supervisor", &Event::supervisor, "The supervisor's extension.")
      .def_readwrite("supervisor_leg", &Event::supervisor_leg, "The supervisor's leg on the PBX.")
      .def_readwrite("target", &Event::target,
                     "The supervised agent's extension ('' for spy-all before a target).")
      .def_readwrite("target_leg", &Event::target_leg,
                     "The supervised agent's leg (\"\" while no target is chosen).")
      .def_readwrite("mode", &Event::mode, "The mode after the event; None when it has none (an end).")
      .def_readwrite("from_mode", &Event::from_mode, "For a mode change: the mode before it.")
      .def_readwrite("allowed", &Event::allowed, "The decision behind this event.")
      .def_readwrite("reason", &Event::reason, "The decision's reason.")
      .def_readwrite("rule", &Event::rule, "The rule that decided.")
      .def_readwrite("end_reason", &Event::end_reason,
                     "Why the session ended (end events only; none otherwise).")
      .def_readwrite("source", &Event::source,
                     "What caused it: an API call, a dialled code, DTMF, a registry or a directory change.")
      .def_readwrite("channel", &Event::channel,
                     "The channel of the request behind it: a denied attempt's own; for a session's\n"
                     "events, the channel of the request that last steered it (JSON key 'channel').")
      .def_readwrite("detail", &Event::detail, "Dialled string, previous target, requested action.")
      .def("__repr__",
           [](const Event& e) {
             const py::tuple values = event_values(e);
             std::string out = "Event(";
             for (std::size_t i = 0; i < values.size(); ++i)
               out += (i ? ", " : "") + std::string(event_field_names[i]) + "=" + python::repr(values[i]);
             return out + ")";
           })
      .def(
          "__eq__",
          [](const Event& self, const py::object& other) -> py::object {
            if (!py::isinstance<Event>(other)) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
            return py::bool_(fields_of(self) == fields_of(other.cast<const Event&>()));
          },
          "other"_a)
      .def("__reduce__", [](const py::object& self) {
        return py::make_tuple(py::type::of(self), event_values(self.cast<const Event&>()));
      });
  event.attr("__hash__") = py::none();
  m.attr("AuditRecord") = event;
}

void bind_sinks(py::module_& m) {
  py::classh<AuditSink, PyAuditSink>(
      m, "AuditSink",
      "Receives every audit record. Subclass it and implement do_write(record) (and, when\n"
      "records are buffered, do_flush()); write() and flush() take the sink's lock and call\n"
      "them, so a subclass needs no locking of its own. When write() returns, the record\n"
      "must be as durable as the sink promises.\n\n"
      "The service calls write() synchronously, in sequence order, on the thread that made\n"
      "the service call (or the registry / directory change), after the service's locks are\n"
      "released; the GIL is held for the hook only. An exception the hook raises reaches\n"
      "write()'s caller; the service counts it (sink_failures, last_sink_failure).")
      .def(py::init<>())
      .def("write", &AuditSink::write, "record"_a, py::call_guard<py::gil_scoped_release>(),
           "Stores one record (takes the sink's lock, calls do_write).")
      .def("flush", &AuditSink::flush, py::call_guard<py::gil_scoped_release>(),
           "Pushes buffered records to their destination (takes the lock, calls do_flush).")
      .def(
          "do_write",
          [](AuditSink&, const AuditRecord&) {
            PyErr_SetString(
                PyExc_NotImplementedError,
                "AuditSink.do_write(record) is the hook a subclass implements; call write(record)");
            throw py::error_already_set();
          },
          "record"_a, "Hook: store one record. Called with the sink's lock held, never concurrently.")
      .def(
          "do_flush", [](AuditSink&) {}, "Hook: flush buffered records (default: nothing to do).");

  py::classh<MemoryAuditSink, AuditSink>(m, "MemoryAuditSink", py::is_final(),
                                         "Keeps every record in memory, in order (tests, small tools).")
      .def(py::init<>())
      .def("records", &MemoryAuditSink::records, "A copy of the records written so far, in write order.")
      .def("of_kind", &MemoryAuditSink::of_kind, "kind"_a, "The records of one kind, in write order.")
      .def("clear", &MemoryAuditSink::clear, "Forgets every record.")
      .def("__len__", &MemoryAuditSink::size);

  py::classh<JsonLinesOptions> options(
      m, "JsonLinesOptions",
      "Durability of JsonLinesAuditSink: `fsync_each_record` survives a power\n"
      "loss, at the cost of one disk flush per record.");
  def_struct(options, field("fsync_each_record", &JsonLinesOptions::fsync_each_record,
                            "fsync() after every record: survives a power loss or kernel crash, at the cost "
                            "of one disk flush per record."));

  py::classh<JsonLinesAuditSink, AuditSink>(
      m, "JsonLinesAuditSink", py::is_final(),
      "Appends each record as one line of JSON (see to_json_line) to a file, opened in append\n"
      "mode, created (mode 0640) when absent and never truncated. Each record reaches the\n"
      "kernel in one write() before write() returns. Raises callsup.Error (io_error) naming\n"
      "the path when it cannot be opened or written.")
      .def(py::init([](const py::object& path, const JsonLinesOptions& opts) {
             const py::object text = py::module_::import("os").attr("fspath")(path);
             if (!py::isinstance<py::str>(text))
               throw py::type_error("JsonLinesAuditSink path must be a str or os.PathLike of str, got " +
                                    python::repr(path));
             return std::make_shared<JsonLinesAuditSink>(text.cast<std::string>(), opts);
           }),
           "path"_a, "options"_a = JsonLinesOptions())
      .def_property_readonly("path", &JsonLinesAuditSink::path, "The file the records are appended to.")
      .def_property_readonly("options", &JsonLinesAuditSink::options, "The options it was opened with.")
      .def("__repr__", [](const JsonLinesAuditSink& s) {
        return "JsonLinesAuditSink(" + python::repr(py::str(s.path())) + ")";
      });
}

}  // namespace

void bind_audit(py::module_& m) {
  bind_event_enums(m);
  bind_event(m);
  bind_sinks(m);
  m.def("to_json_line", &to_json_line, "record"_a,
        "One JSON object, no newline: the line JsonLinesAuditSink writes (time in UTC, milliseconds).");
  m.def("parse_audit_line", &parse_audit_line, "line"_a,
        "The record of one JSON Lines audit line; raises callsup.Error (invalid_argument) naming\n"
        "the offending field and value.");
}

}  // namespace callsup::python
