// callsup Python bindings: the MediaEngine, its configuration and its statistics.
#include <memory>
#include <stdexcept>
#include <string>

#include "callsup/media/media_engine.hpp"
#include "callsup/session/supervision_service.hpp"
#include "engine_handle.hpp"
#include "media_bindings.hpp"
#include "service_handle.hpp"
#include "supervised_media_handle.hpp"

namespace callsup::python {

namespace {

using namespace pybind11::literals;

void bind_monitoring_tone(py::module_& m) {
  py::classh<MonitoringToneConfig> tone(
      m, "MonitoringToneConfig",
      "The beep that tells the parties a call is monitored (sessions with monitoring_tone):\n"
      "by default 1,400 Hz, 200 ms every 15 s, at -20 dBFS.");
  def_struct(tone, field("frequency_hz", &MonitoringToneConfig::frequency_hz, "The beep's pitch, in Hz."),
             field("beep_ms", &MonitoringToneConfig::beep_ms, "How long one beep lasts, in milliseconds."),
             field("period_ms", &MonitoringToneConfig::period_ms,
                   "From the start of one beep to the start of the next, in milliseconds."),
             field("level_dbfs", &MonitoringToneConfig::level_dbfs,
                   "The beep's level relative to full scale, in dBFS (negative)."));
  tone.def(
      "validate", [](const MonitoringToneConfig& c) { validate(c); },
      "Raises InvalidArgumentError naming the first field outside its domain.");
}

void bind_engine_stats(py::module_& m) {
  py::classh<EngineThreadStats> thread(m, "EngineThreadStats", "One engine thread's figures (a snapshot).");
  def_record(
      thread, field("calls", &EngineThreadStats::calls, "Calls with routes on this thread."),
      field("legs", &EngineThreadStats::legs, "Endpoints on this thread."),
      field("ticks", &EngineThreadStats::ticks, "Ticks run."),
      field("missed_ticks", &EngineThreadStats::missed_ticks,
            "Ticks that started after the next one was due."),
      field("packets_in", &EngineThreadStats::packets_in, "Datagrams read (all sockets of the thread)."),
      field("packets_out", &EngineThreadStats::packets_out, "Datagrams sent."),
      field("unknown_source", &EngineThreadStats::unknown_source,
            "Datagrams on the shared socket that matched no leg."),
      field("unattached_routes", &EngineThreadStats::unattached_routes,
            "Routes (counted each time a call's routes were applied) naming a leg with no endpoint on the "
            "call's thread."),
      field("moved_legs", &EngineThreadStats::moved_legs,
            "Legs this thread handed to another because the call they serve runs there."),
      field("forwarded_packets", &EngineThreadStats::forwarded_packets,
            "Datagrams read on this thread's shared socket for a leg on another thread, passed on to it."),
      field("receive_batches", &EngineThreadStats::receive_batches, "recvmmsg calls that returned data."),
      field("send_batches", &EngineThreadStats::send_batches, "sendmmsg calls."),
      field("cpu_seconds", &EngineThreadStats::cpu_seconds,
            "User + system time of this thread (0 on an executor it does not own)."),
      field("tick_lateness_p99_ms", &EngineThreadStats::tick_lateness_p99_ms,
            "How late ticks start after their due time, 99th percentile, in milliseconds."),
      field("latency_p99_ms", &EngineThreadStats::latency_p99_ms,
            "Mixed path: packet received to the mix containing it sent, 99th percentile, in milliseconds."),
      field("relayed_on_arrival", &EngineThreadStats::relayed_on_arrival,
            "Datagrams sent as their source's packet arrived (forward on arrival), not at a tick."),
      field("relay_latency_p99_ms", &EngineThreadStats::relay_latency_p99_ms,
            "Forwarded path: packet received to its forwarded copy sent, 99th percentile, in milliseconds."));

  py::classh<EngineStats> stats(m, "EngineStats",
                                "Totals over the engine's threads (percentiles: the worst thread), and\n"
                                "each thread's own figures.");
  // Not def_record: EngineThreadStats has no == in C++, so a vector of them has none either.
  stats
      .def(py::init([](const EngineThreadStats& total, const std::vector<EngineThreadStats>& threads) {
             return EngineStats{total, threads};
           }),
           "total"_a = EngineThreadStats(), "threads"_a = std::vector<EngineThreadStats>())
      .def_readonly("total", &EngineStats::total,
                    "The sums over all threads (for the percentiles: the worst thread's).")
      .def_property_readonly(
          "threads", [](const EngineStats& s) { return py::tuple(py::cast(s.threads)); },
          "One entry per thread.")
      .def("__repr__", [](const EngineStats& s) {
        return "EngineStats(total=" + python::repr(py::cast(s.total)) + ", threads=<" +
               std::to_string(s.threads.size()) + " EngineThreadStats>)";
      });
}

void bind_engine_config(py::module_& m) {
  py::classh<MediaEngineConfig> config(
      m, "MediaEngineConfig",
      "How a MediaEngine runs: `threads` (0: one per core), the tick `ptime_ms` every leg uses,\n"
      "where sockets bind, who mixes (`mixer`, None: a SoftwareMixer), the monitoring tone,\n"
      "socket buffers, jitter buffer depth, and silence to legs that hear nobody.");
  def_struct(
      config,
      field("threads", &MediaEngineConfig::threads,
            "Engine threads (shards); 0 = one per core. Calls are spread over them by call id."),
      field("ptime_ms", &MediaEngineConfig::ptime_ms,
            "The tick: every leg sends one frame per tick; legs must use this packet time."),
      field("bind_ip", &MediaEngineConfig::bind_ip,
            "The address of the shared sockets, and of dedicated sockets that name none."),
      field("shared_port_base", &MediaEngineConfig::shared_port_base,
            "Thread i's shared socket binds port shared_port_base + i; 0 = any free port."),
      field("port_min", &MediaEngineConfig::port_min,
            "The first port for dedicated sockets (the first free one is taken)."),
      field("port_max", &MediaEngineConfig::port_max, "The last port for dedicated sockets."),
      field("mixer", &MediaEngineConfig::mixer, "Who mixes, shared by all threads; None = a SoftwareMixer."),
      field("monitoring_tone", &MediaEngineConfig::monitoring_tone,
            "The monitoring tone the parties of supervised calls hear, when a session asks for it."),
      field("socket_buffer_bytes", &MediaEngineConfig::socket_buffer_bytes,
            "SO_RCVBUF / SO_SNDBUF of every socket (bursts of a whole tick's packets must fit)."),
      field("jitter_max_depth", &MediaEngineConfig::jitter_max_depth,
            "Jitter buffer: frames queued ahead of playout before the oldest is dropped."),
      field("silence_to_idle_legs", &MediaEngineConfig::silence_to_idle_legs,
            "Send a frame of silence to a leg with a known peer that hears nobody on a tick; False: send "
            "nothing."));
}

// --- MediaEngine ------------------------------------------------------------------------

/// callsup.connect_media: the SupervisedMedia of the C++ bridge, built from two lifetime-aware
/// subscriptions because Python objects close independently: the route observer reaches the
/// engine through its EngineCore (never destroying it there), and digits reach the service only
/// while its Python object has not been closed.
std::unique_ptr<PySupervisedMedia> connect_media(const std::shared_ptr<ServiceHandle>& service_handle,
                                                 EngineHandle& handle) {
  if (!service_handle) throw py::type_error("connect_media needs a SupervisionService, got None");
  py::gil_scoped_release release;
  const std::shared_ptr<SupervisionService> service = service_handle->use("add_route_observer");
  std::weak_ptr<EngineCore> weak_core = handle.core();
  auto routes = service->add_route_observer([weak_core](const SupervisionService::OnRoutesParam& p) {
    if (const auto core = weak_core.lock())
      core->use([&](MediaEngine& engine) { engine.update_routes(p.routes); });
  });
  std::weak_ptr<ServiceHandle> weak_service = service_handle;
  auto digits = handle.engine().on_dtmf([weak_service](const MediaEngine::OnDtmfParam& p) {
    const ControlThreadScope scope;  // the service's Python sinks run here and may drop the engine
    const std::shared_ptr<ServiceHandle> owner = weak_service.lock();
    if (!owner || owner->closed()) return;
    std::shared_ptr<SupervisionService> target;
    try {
      target = owner->use("dtmf_from_leg");
    } catch (const std::runtime_error&) {
      return;  // closed meanwhile
    }
    target->dtmf_from_leg(p.leg, p.digit);
  });
  return std::make_unique<PySupervisedMedia>(SupervisedMedia(std::move(routes), std::move(digits)));
}

std::unique_ptr<PySubscription> on_dtmf(EngineHandle& handle, py::function callback) {
  std::string context = "MediaEngine.on_dtmf handler " + python::repr(callback);
  const PythonCallback call(std::move(callback), std::move(context));
  py::gil_scoped_release release;  // the engine's lock is also taken by the control thread
  return std::make_unique<PySubscription>(handle.engine().on_dtmf([call](const MediaEngine::OnDtmfParam& p) {
    const ControlThreadScope scope;
    try {
      call(p);
    } catch (const std::runtime_error&) {
      // Reported to sys.unraisablehook already; the other handlers still get the digit.
    }
  }));
}

void flush_control(EngineHandle& handle) {
  if (ControlThreadScope::active())
    throw std::runtime_error(
        "MediaEngine.flush_control() called from a DTMF handler would wait for its own thread");
  py::gil_scoped_release release;
  handle.engine().flush_control();
}

void stop(EngineHandle& handle) {
  {
    py::gil_scoped_release release;  // joins the media threads, which may wait for a Python mixer
    handle.engine().stop();
  }
  handle.mark_stopped();
}

std::string engine_repr(const EngineHandle& handle) {
  const MediaEngine& engine = handle.engine();
  py::list shared;
  for (const SocketAddress& address : engine.shared_addresses()) shared.append(address.to_string());
  return "MediaEngine(threads=" + std::to_string(engine.thread_count()) +
         ", ptime_ms=" + std::to_string(handle.config().ptime_ms) +
         ", shared_addresses=" + python::repr(py::tuple(shared)) +
         (handle.stopped() ? ", stopped)" : ", running)");
}

void bind_engine_calls(py::classh<EngineHandle>& cls) {
  const auto nogil = py::call_guard<py::gil_scoped_release>();
  cls.def(
         "add_endpoint",
         [](EngineHandle& h, const CallId& media_group, const LegId& leg, const EndpointConfig& config) {
           return h.engine().add_endpoint(media_group, leg, config);
         },
         "media_group"_a, "leg"_a, "config"_a = EndpointConfig(), nogil,
         "Attaches an endpoint for `leg` on the thread of `media_group` (the call the leg's audio\n"
         "belongs to; for a supervisor's leg, the call it supervises). Raises Error(duplicate_id)\n"
         "for a leg that has one, InvalidArgumentError for a bad config, Error(io_error) when no\n"
         "port can be bound.")
      .def(
          "remove_endpoint", [](EngineHandle& h, const LegId& leg) { h.engine().remove_endpoint(leg); },
          "leg"_a, nogil, "Detaches and closes a leg's endpoint (unknown legs are ignored).")
      .def(
          "endpoint", [](const EngineHandle& h, const LegId& leg) { return h.engine().endpoint(leg); },
          "leg"_a, nogil, "The endpoint of `leg`, or None.")
      .def(
          "update_routes",
          [](EngineHandle& h, const RouteSet& routes) {
            auto shared = std::make_shared<const RouteSet>(routes);
            py::gil_scoped_release release;
            h.engine().update_routes(std::move(shared));
          },
          "routes"_a,
          "A call's new routes, applied at its next tick (`ended` drops the call's media state).\n"
          "connect_media() does this for every route change of a service.")
      .def("on_dtmf", &on_dtmf, "callback"_a,
           "Calls callback(param) (an OnDtmfParam: .leg, .digit) for each RFC 4733 digit an endpoint\n"
           "receives, on the engine's control thread (never a media thread) with the GIL held, until\n"
           "the returned Subscription is closed. An exception it raises goes to sys.unraisablehook.")
      .def("flush_control", &flush_control,
           "Waits (GIL released) until every digit received so far has been handed to the handlers.\n"
           "RuntimeError from inside a handler, which would wait for itself.")
      .def(
          "stats", [](const EngineHandle& h) { return h.engine().stats(); }, nogil,
          "Totals and per-thread figures (EngineStats).")
      .def(
          "reset_percentiles", [](EngineHandle& h) { h.engine().reset_percentiles(); }, nogil,
          "Restarts the percentiles of stats(), e.g. after a warm-up.")
      .def("stop", &stop,
           "Stops the threads and closes every socket; endpoints stay readable. Idempotent; also\n"
           "done when leaving a `with` block.");
}

void bind_engine(py::module_& m) {
  py::classh<EngineHandle> cls(
      m, "MediaEngine",
      "Moves and mixes the audio of supervised calls: RTP/SRTP endpoints per leg, clock-driven\n"
      "ticks, calls sharded over threads. The constructor starts the threads; use it as a\n"
      "context manager (`with MediaEngine(config) as engine:`) or call stop().\n\n"
      "The engine's threads never run Python: digits reach Python on its control thread, and a\n"
      "Python MixerBackend gets its calls on threads of its own. Every method releases the GIL\n"
      "while it waits; the engine is destroyed without the GIL held.");
  cls.def(py::init<MediaEngineConfig>(), "config"_a = MediaEngineConfig(),
          "Starts the engine. Raises InvalidArgumentError naming a bad setting (threads, ptime_ms,\n"
          "ports, jitter depth, tone) and Error(io_error) when a shared socket cannot be bound.");
  py::class_<MediaEngine::OnDtmfParam>(cls, "OnDtmfParam", "What an on_dtmf handler gets.")
      .def_property_readonly(
          "leg", [](const MediaEngine::OnDtmfParam& p) { return p.leg; },
          "The leg whose endpoint received the digit.")
      .def_property_readonly(
          "digit", [](const MediaEngine::OnDtmfParam& p) { return std::string(1, p.digit); },
          "'0'-'9', '*', '#', 'A'-'D'.")
      .def("__repr__", [](const MediaEngine::OnDtmfParam& p) {
        return "OnDtmfParam(leg=" + python::repr(py::str(p.leg)) +
               ", digit=" + python::repr(py::str(std::string(1, p.digit))) + ")";
      });
  bind_engine_calls(cls);
  cls.def_property_readonly(
         "shared_addresses",
         [](const EngineHandle& h) { return py::tuple(py::cast(h.engine().shared_addresses())); },
         "The shared sockets, one per thread (where peers of SocketMode.shared legs send).")
      .def_property_readonly(
          "thread_count", [](const EngineHandle& h) { return h.engine().thread_count(); },
          "The engine's threads (config threads 0 resolved).")
      .def_property_readonly(
          "config", [](const EngineHandle& h) { return h.config(); }, "A copy of the configuration given.")
      .def_property_readonly("stopped", &EngineHandle::stopped, "True once stop() was called.")
      .def("__enter__", [](const py::object& self) { return self; })
      .def(
          "__exit__",
          [](EngineHandle& h, const py::object&, const py::object&, const py::object&) { stop(h); },
          "exc_type"_a, "exc_value"_a, "traceback"_a)
      .def("__repr__", &engine_repr);
}

}  // namespace

void bind_media_engine(py::module_& m) {
  bind_monitoring_tone(m);
  bind_engine_stats(m);
  bind_engine_config(m);
  bind_engine(m);
  m.def("connect_media", &connect_media, "service"_a, "engine"_a,
        "Joins `service` and `engine`: the service's route changes drive the engine, and digits the\n"
        "engine's endpoints receive reach service.dtmf_from_leg (on the control thread). Returns\n"
        "the SupervisedMedia connection; close() it (or use `with`) to undo both directions.\n"
        "Neither object keeps the other alive: once the service is closed, digits are no longer\n"
        "handed to it.");
}

}  // namespace callsup::python
