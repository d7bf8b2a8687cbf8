// callsup Python bindings: mixer backends — MixPlan and its parts, MixFrames, MixerBackend
// (Python subclasses: python_mixer.hpp), SoftwareMixer, NullMixer and RouteRecorder.
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>

#include "callsup/media/mix_plan.hpp"
#include "callsup/media/null_mixer.hpp"
#include "callsup/media/route_recorder.hpp"
#include "callsup/media/software_mixer.hpp"
#include "media_bindings.hpp"
#include "py_wait.hpp"
#include "python_mixer.hpp"

namespace callsup::python {

namespace {

using namespace pybind11::literals;

[[noreturn]] void not_implemented(const char* what) {
  PyErr_SetString(PyExc_NotImplementedError, what);
  throw py::error_already_set();
}

void bind_mix_plan(py::module_& m) {
  m.attr("unity_gain_q") = unity_gain_q;

  py::classh<MixSource> source(m, "MixSource",
                               "One source of a listener, by slot, with its gain (also in Q14).");
  def_record(source, field("slot", &MixSource::slot, "The source's slot in the call's mix."),
             field("gain", &MixSource::gain, "The route's linear gain, as published."),
             field("gain_q", &MixSource::gain_q, "The same gain in Q14 (gain_to_q14), what mixers use."),
             field("channel", &MixSource::channel, "Where it lands in a stereo listener."));

  py::classh<MixListener> listener(
      m, "MixListener",
      "One listener slot and what it hears. `stereo`: its output is interleaved\n"
      "L/R; `unity_single`: one mono source at gain 1 (the engine may forward it).");
  def_record(listener, field("slot", &MixListener::slot, "The listener's slot in the call's mix."),
             field("stereo", &MixListener::stereo,
                   "True when some source lands on left/right: the output is interleaved L/R."),
             field("unity_single", &MixListener::unity_single,
                   "True with exactly one source, gain 1, mono: it can be forwarded untouched."),
             field("sources", &MixListener::sources,
                   "The sources it hears, sorted by slot, so a tick reads the inputs in order."));

  auto flags = [](const std::vector<std::uint8_t>& values) {
    py::tuple out(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) out[i] = py::bool_(values[i] != 0);
    return out;
  };
  py::classh<MixPlan> plan(
      m, "MixPlan",
      "A call's RouteSet compiled to slots: slot i is the leg slots[i]; a mixing tick's\n"
      "frames are indexed by slot. Immutable.");
  def_made_by(plan, "compile_mix_plan() and the engine");
  plan.def_property_readonly(
          "routes",
          [](const MixPlan& p) -> std::optional<RouteSet> {
            if (p.routes) return *p.routes;
            return std::nullopt;
          },
          "A copy of the RouteSet it was compiled from.")
      .def_property_readonly(
          "slots", [](const MixPlan& p) { return py::tuple(py::cast(p.slots)); }, "The leg of each slot.")
      .def_property_readonly(
          "listeners", [](const MixPlan& p) { return py::tuple(py::cast(p.listeners)); },
          "The slots that hear something, in slot order.")
      .def_property_readonly(
          "needed_as_source", [flags](const MixPlan& p) { return flags(p.needed_as_source); },
          "Per slot: some listener hears it.")
      .def_property_readonly(
          "hears_tone", [flags](const MixPlan& p) { return flags(p.hears_tone); },
          "Per slot: it hears the monitoring tone.")
      .def_readonly("unattached_routes", &MixPlan::unattached_routes,
                    "Routes left out because a leg has no slot (no endpoint).")
      .def("slot_of", &MixPlan::slot_of, "leg"_a, "The slot of `leg`, or None.")
      .def(
          "listener", [](const MixPlan& p, std::uint16_t slot) { return copy_or_none(p.listener(slot)); },
          "slot"_a, "The listener entry of `slot`, or None when it hears nothing.")
      .def("__repr__", [](const MixPlan& p) {
        return "MixPlan(call=" + python::repr(py::str(p.routes ? p.routes->call : std::string())) +
               ", version=" + std::to_string(p.routes ? p.routes->version : 0) +
               ", slots=" + python::repr(py::tuple(py::cast(p.slots))) +
               ", listeners=" + std::to_string(p.listeners.size()) + ")";
      });

  m.def(
      "compile_mix_plan",
      [](const RouteSet& routes, const std::vector<LegId>& slots) {
        return compile_mix_plan(std::make_shared<const RouteSet>(routes), slots);
      },
      "routes"_a, "slots"_a,
      "Compiles `routes` for the legs `slots` (slot i is slots[i]), as the engine does; routes\n"
      "naming a leg without a slot are left out. To try a mixer's mix() without an engine.\n"
      "InvalidArgumentError for an empty or repeated slot id.");
}

void bind_mix_frames(py::module_& m) {
  // What the memoryviews of a tick export: int16 samples the media thread copies in and out.
  py::classh<SampleBuffer>(m, "_SampleBuffer", py::buffer_protocol()).def_buffer([](SampleBuffer& b) {
    return py::buffer_info(b.data.get(), sizeof(std::int16_t), py::format_descriptor<std::int16_t>::format(),
                           1, {static_cast<py::ssize_t>(b.size)},
                           {static_cast<py::ssize_t>(sizeof(std::int16_t))}, b.readonly);
  });

  py::classh<PyMixFrames>(
      m, "MixFrames",
      "One mixing tick of one call, indexed by slot (see MixPlan): `inputs[i]` is slot i's frame\n"
      "(`samples` int16 samples, read-only memoryview) or None when silent; `outputs[i]` is where\n"
      "listener i's mix goes (writable memoryview of `samples`, or 2 * `samples` interleaved L/R\n"
      "for a stereo listener, zeroed) or None when there is nothing to produce for it (not a\n"
      "listener, or forwarded by the engine: `skip[i]` is 1). mix() sets `produced[i]` to 1 (mono)\n"
      "or 2 (stereo) for each output it wrote. Zero-copy: np.frombuffer(frames.inputs[i],\n"
      "np.int16) and np.frombuffer(frames.outputs[i], np.int16) are views, no copies. Valid only\n"
      "during mix(): the views are released when it returns.")
      .def(py::init([](std::size_t samples, const py::iterable& inputs, const py::iterable& outputs,
                       const py::bytes& skip, std::optional<py::bytearray> produced) {
             py::tuple in(inputs), out(outputs);
             if (!produced) produced = py::bytearray(std::string(in.size(), '\0'));
             return PyMixFrames{samples, in, out, skip, *produced};
           }),
           "samples"_a, "inputs"_a, "outputs"_a, "skip"_a = py::bytes(), "produced"_a = py::none(),
           "Frames of your own, to call a mixer's mix() without an engine (`produced` defaults to\n"
           "zeros, one per input).")
      .def_readonly("samples", &PyMixFrames::samples, "Samples per channel (160: 8 kHz, 20 ms).")
      .def_readonly("inputs", &PyMixFrames::inputs,
                    "Per slot: a read-only int16 memoryview, or None (silent).")
      .def_readonly("outputs", &PyMixFrames::outputs,
                    "Per slot: a writable int16 memoryview, or None (nothing to produce).")
      .def_readonly("skip", &PyMixFrames::skip, "Per slot: 1 = forwarded by the engine (nothing to mix).")
      .def_readonly("produced", &PyMixFrames::produced,
                    "Per slot: set by mix() to 0, 1 (mono) or 2 (stereo).")
      .def("__repr__", [](const PyMixFrames& f) {
        return "MixFrames(samples=" + std::to_string(f.samples) +
               ", slots=" + std::to_string(f.inputs.size()) + ")";
      });
}

PythonMixer* python_mixer(MixerBackend& backend) { return dynamic_cast<PythonMixer*>(&backend); }

template <class Value, class Get>
void def_counter(py::classh<MixerBackend, PythonMixer>& cls, const char* name, Get get, const char* doc) {
  cls.def_property_readonly(
      name,
      [get](MixerBackend& self) -> Value {
        PythonMixer* mixer = python_mixer(self);
        return mixer ? Value(get(*mixer)) : Value{};
      },
      doc);
}

void bind_backend_counters(py::classh<MixerBackend, PythonMixer>& cls) {
  def_counter<std::uint64_t>(
      cls, "routes_delivered", [](PythonMixer& p) { return p.route_dispatcher().delivered(); },
      "Route updates handed to on_routes() (including those it raised on).");
  def_counter<std::uint64_t>(
      cls, "route_failures", [](PythonMixer& p) { return p.route_dispatcher().failures(); },
      "Exceptions on_routes() raised.");
  def_counter<std::string>(
      cls, "last_route_failure", [](PythonMixer& p) { return p.route_dispatcher().last_failure(); },
      "The message of the last one ('' when none).");
  def_counter<std::size_t>(
      cls, "pending_routes", [](PythonMixer& p) { return p.route_dispatcher().pending(); },
      "Route updates queued, not yet handed to on_routes().");
  def_counter<std::uint64_t>(
      cls, "mixed_ticks", [](PythonMixer& p) { return p.mix_counters().mixed; },
      "Ticks whose mix() result reached the engine in time.");
  def_counter<std::uint64_t>(
      cls, "late_ticks", [](PythonMixer& p) { return p.mix_counters().late; },
      "Ticks given up at the deadline: nothing was sent for their mixed listeners.");
  def_counter<std::uint64_t>(
      cls, "failures", [](PythonMixer& p) { return p.mix_counters().failures; },
      "Ticks mix() failed (raised, or set a bad `produced`): nothing was sent for them.");
  def_counter<std::string>(
      cls, "last_failure", [](PythonMixer& p) { return p.mix_counters().last_failure; },
      "The message of the last failure ('' when none).");
}

void bind_backend(py::module_& m) {
  py::classh<MixerBackend, PythonMixer> cls(
      m, "MixerBackend",
      "Who mixes, for a MediaEngine (MediaEngineConfig.mixer). Subclass it in Python and\n"
      "implement on_routes(routes) and, with mixes_audio=True, mix(plan, frames).\n\n"
      "No Python runs on a media thread. on_routes() is called on a dispatcher thread of this\n"
      "object, with the GIL, in the order the engine applied the updates (per call: version\n"
      "order, then the `ended` one); the engine does not wait for it. mix() is the slow path: each\n"
      "tick of each call that needs mixing, the media thread copies the input frames into this\n"
      "object's buffers, hands the tick to a mixing thread of this object (which takes the GIL and\n"
      "calls mix()) and waits at most `deadline_ms`; a late or failed tick sends nothing for its\n"
      "mixed listeners and is counted (late_ticks, failures). One tick is mixed at a time.\n"
      "Exceptions never reach the engine: they are counted (route_failures, failures) with their\n"
      "message. The counters read 0 on the C++ mixers, which run on the media threads.");
  cls.def(py::init<bool, double>(), "mixes_audio"_a = false, "deadline_ms"_a = 10.0,
          "`mixes_audio`: whether the engine calls mix() (False: an external media server mixes;\n"
          "the engine sends no audio). `deadline_ms`: how long a media thread waits for one tick\n"
          "of mix(), in (0, 1000]; keep it under half the ptime.")
      .def(
          "on_routes",
          [](MixerBackend&, const RouteSet&) { not_implemented("MixerBackend.on_routes(routes)"); },
          "routes"_a, "A call's routes changed (or ended: routes.ended). Implement it.")
      .def(
          "mix",
          [](MixerBackend&, const py::object&, const py::object&) {
            not_implemented("MixerBackend.mix(plan, frames)");
          },
          "plan"_a, "frames"_a, "Mixes one tick (see MixFrames). Implement it when mixes_audio is True.")
      .def_property_readonly(
          "mixes_audio", [](const MixerBackend& b) { return b.mixes_audio(); },
          "True when the engine calls mix() every tick.")
      .def_property_readonly(
          "deadline_ms",
          [](MixerBackend& b) -> std::optional<double> {
            if (PythonMixer* mixer = python_mixer(b)) return mixer->deadline_ms();
            return std::nullopt;
          },
          "How long a media thread waits for mix() (None for the C++ mixers).")
      .def(
          "flush_routes",
          [](MixerBackend& b, const py::object& timeout) {
            const auto limit = wait_limit(timeout, "MixerBackend.flush_routes");
            PythonMixer* mixer = python_mixer(b);
            if (!mixer) return true;
            PyDispatcher<RouteSet>& routes = mixer->route_dispatcher();
            if (routes.on_own_thread())
              throw std::runtime_error(
                  "MixerBackend.flush_routes() called from on_routes() would wait for itself");
            const std::uint64_t mark = routes.pushed();
            return wait_interruptibly(
                limit, [&](std::chrono::nanoseconds slice) { return routes.flush(mark, slice); });
          },
          "timeout"_a = py::none(),
          "Waits up to `timeout` (seconds or a timedelta; None: as long as it takes), GIL released,\n"
          "until every route update received so far has been handed to on_routes(); False on\n"
          "timeout. RuntimeError from inside on_routes().");
  bind_backend_counters(cls);
}

template <class Mixer>
py::classh<Mixer, MixerBackend> bind_cpp_mixer(py::module_& m, const char* name, const char* doc) {
  py::classh<Mixer, MixerBackend> cls(m, name, py::is_final(), doc);
  cls.def(py::init<>())
      .def("on_routes", &Mixer::on_routes, "routes"_a, "Takes a route update as the engine gives it.")
      .def("__repr__", [name](const Mixer&) { return std::string(name) + "()"; });
  return cls;
}

void bind_route_recorder(py::module_& m) {
  auto recorder = bind_cpp_mixer<RouteRecorder>(
      m, "RouteRecorder",
      "Records every route update as an external media server would receive it (mixes_audio is\n"
      "False: the engine sends no audio). Thread-safe; the updates of one call keep their order.");
  // At module level (RouteUpdate) rather than nested: stubs name pybind11 classes there only.
  py::classh<RouteRecorder::Update> update(m, "RouteUpdate",
                                           "One update a RouteRecorder received, and when (steady clock).");
  def_record(update,
             field("at", &RouteRecorder::Update::at, "When it was recorded (non-decreasing in order)."),
             field("routes", &RouteRecorder::Update::routes,
                   "The routes of the update, as the service published them."));
  recorder.def("updates", &RouteRecorder::updates, "A copy of every update so far, in arrival order.")
      .def("latest", &RouteRecorder::latest, "call"_a, "The newest RouteSet received for `call`, or None.")
      .def("__len__", &RouteRecorder::size)
      .def(
          "wait_for",
          [](const RouteRecorder& r, std::size_t count, const py::object& timeout) {
            const auto limit = wait_limit(timeout, "RouteRecorder.wait_for");
            const auto enough = [count](const std::vector<RouteRecorder::Update>& updates) {
              return updates.size() >= count;
            };
            return wait_interruptibly(limit, [&](std::chrono::nanoseconds slice) {
              return r.wait_for(enough, std::chrono::duration_cast<std::chrono::milliseconds>(slice));
            });
          },
          "count"_a, "timeout"_a = 5.0,
          "Waits (GIL released) until `count` updates have arrived or `timeout` (seconds or a\n"
          "timedelta; None: no limit) passes; returns whether they did.");
}

}  // namespace

void bind_mixer(py::module_& m) {
  bind_mix_plan(m);
  bind_mix_frames(m);
  bind_backend(m);
  bind_cpp_mixer<SoftwareMixer>(m, "SoftwareMixer",
                                "The default in-process mixer: 32-bit accumulate, per-route gain, clamp,\n"
                                "on the media threads.");
  bind_cpp_mixer<NullMixer>(
      m, "NullMixer", "Mixes nothing: listeners that need a mix get silence; forwarding still happens.");
  bind_route_recorder(m);
}

}  // namespace callsup::python
