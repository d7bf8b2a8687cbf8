// callsup Python bindings: PythonMixer — route updates and mixing ticks handed to Python threads.
#include "python_mixer.hpp"

#include <chrono>
#include <cmath>
#include <cstring>
#include <vector>

namespace callsup::python {

namespace {

/// Memoryviews over one tick's buffers, and their release once mix() has returned.
class TickViews {
 public:
  explicit TickViews(TickJob& job) {
    const std::size_t n = job.slots;
    const std::size_t samples = job.samples;
    const py::object inputs = keep(py::memoryview(py::cast(job.inputs)));
    const py::object outputs = keep(py::memoryview(py::cast(job.outputs)));
    py::tuple in(n), out(n);
    for (std::size_t slot = 0; slot < n; ++slot) {
      in[slot] = job.has_input[slot] == 0 ? py::none() : slice(inputs, slot * samples, samples);
      const std::size_t channels = job.output_channels[slot];
      if (channels == 0) {
        out[slot] = py::none();
        continue;
      }
      std::int16_t* start = job.outputs->data.get() + slot * 2 * samples;
      std::memset(start, 0, channels * samples * sizeof(std::int16_t));  // silence unless written
      out[slot] = slice(outputs, slot * 2 * samples, channels * samples);
    }
    const py::bytes skip(reinterpret_cast<const char*>(job.skip.data()), n);
    produced_ = py::bytearray(std::string(n, '\0'));
    frames_ = py::cast(PyMixFrames{samples, in, out, skip, produced_});
  }
  TickViews(const TickViews&) = delete;
  TickViews& operator=(const TickViews&) = delete;
  ~TickViews() { release(); }

  const py::object& frames() const { return frames_; }

  /// Copies what mix() set in frames.produced; "" or why it cannot be used.
  std::string read_produced(std::vector<std::uint8_t>& produced) const {
    const auto values = static_cast<std::string>(produced_);
    if (values.size() != produced.size())
      return "frames.produced was resized to " + std::to_string(values.size()) +
             " entries; it has one per slot (" + std::to_string(produced.size()) + ")";
    std::memcpy(produced.data(), values.data(), values.size());
    return {};
  }

 private:
  py::object keep(py::object view) {
    views_.push_back(view);
    return view;
  }
  py::object slice(const py::object& whole, std::size_t start, std::size_t count) {
    return keep(
        whole[py::slice(static_cast<py::ssize_t>(start), static_cast<py::ssize_t>(start + count), 1)]);
  }
  void release() noexcept {
    // Slices first, then the whole views. A view numpy still exports (np.frombuffer kept by
    // the mixer) refuses, with BufferError: its memory stays valid, only stale.
    for (auto view = views_.rbegin(); view != views_.rend(); ++view) {
      if (PyObject* result = PyObject_CallMethod(view->ptr(), "release", nullptr)) {
        Py_DECREF(result);
      } else {
        PyErr_Clear();
      }
    }
    views_.clear();
  }

  std::vector<py::object> views_;
  py::bytearray produced_;
  py::object frames_;
};

double checked_deadline(double deadline_ms) {
  if (!std::isfinite(deadline_ms) || deadline_ms <= 0 || deadline_ms > 1000)
    throw py::value_error("MixerBackend deadline_ms must be in (0, 1000], got " +
                          python::repr(py::float_(deadline_ms)));
  return deadline_ms;
}

}  // namespace

PythonMixer::PythonMixer(bool mixes_audio, double deadline_ms)
    : mixes_audio_(mixes_audio), deadline_ms_(checked_deadline(deadline_ms)) {
  routes_ = std::make_shared<PyDispatcher<RouteSet>>(
      share_py(py::cpp_function([this](const py::object& routes) { deliver_routes(routes); })));
  track_dispatcher(routes_);
  if (mixes_audio_) {
    const auto budget = std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::duration<double, std::milli>(deadline_ms_));
    handoff_ = MixHandoff::start(budget, [this](TickJob& job) { return run_mix(job); });
    track_dispatcher(handoff_);
  }
}

PythonMixer::~PythonMixer() {
  // Both threads call into this object: stop them before it goes.
  if (handoff_) handoff_->close();
  routes_->close();  // dropped from inside our own on_routes(): its worker ends on its own state
}

void PythonMixer::on_routes(const RouteSet& routes) {
  if (handoff_ && routes.ended) handoff_->forget(routes.call);
  routes_->push(routes);  // a copy, for the dispatcher thread; no Python here
}

void PythonMixer::mix(const MixPlan& plan, const MixFrames& frames) noexcept {
  if (handoff_) {
    handoff_->mix(plan, frames);
  } else {
    std::fill(frames.produced.begin(), frames.produced.end(), std::uint8_t{0});
  }
}

MixHandoff::Counters PythonMixer::mix_counters() const {
  return handoff_ ? handoff_->counters() : MixHandoff::Counters{};
}

void PythonMixer::deliver_routes(const py::object& routes) {
  const py::function override = py::get_override(static_cast<const MixerBackend*>(this), "on_routes");
  if (!override) throw py::type_error("this MixerBackend subclass does not implement on_routes(routes)");
  override(routes);
}

std::string PythonMixer::run_mix(TickJob& job) {
  py::gil_scoped_acquire gil;
  try {
    const py::function override = py::get_override(static_cast<const MixerBackend*>(this), "mix");
    if (!override)
      return "this MixerBackend subclass has mixes_audio=True but does not implement mix(plan, frames)";
    TickViews views(job);
    override(py::cast(job.plan), views.frames());
    return views.read_produced(job.produced);
  } catch (py::error_already_set& error) {
    return error.what();
  }
}

}  // namespace callsup::python
