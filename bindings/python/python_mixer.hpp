// callsup Python bindings: MixerBackend subclasses written in Python.
//
// The engine calls a MixerBackend on its media threads, where no Python may run. So the C++
// half of a Python mixer only queues: on_routes() copies the RouteSet for a dispatcher thread
// that calls the Python on_routes() (with the GIL, in order); mix() hands the tick to a mixing
// thread that calls the Python mix() and waits for it with a deadline (MixHandoff).
#pragma once

#include <memory>
#include <string>

#include "bindings.hpp"
#include "callsup/media/mixer_backend.hpp"
#include "mix_handoff.hpp"
#include "py_dispatcher.hpp"

namespace callsup::python {

/// The Python-side view of one tick, as the mixing thread passes it to mix(): memoryviews of
/// the tick's buffers. Released after the call, so that frames kept by Python cannot be mistaken
/// for a later tick's (a numpy array made from one keeps its memory, which stays valid).
struct PyMixFrames {
  std::size_t samples = 0;
  py::tuple inputs;        ///< per slot: a read-only int16 memoryview, or None (silent)
  py::tuple outputs;       ///< per slot: a writable int16 memoryview, or None (nothing to produce)
  py::bytes skip;          ///< per slot: 1 = forwarded by the engine
  py::bytearray produced;  ///< per slot: set by mix() to 0, 1 (mono) or 2 (stereo)
};

/// The trampoline of MixerBackend for Python subclasses.
class PythonMixer final : public MixerBackend, public py::trampoline_self_life_support {
 public:
  /// `deadline_ms`: how long a media thread waits for one tick of mix(). ValueError naming a
  /// value that is not in (0, 1000].
  PythonMixer(bool mixes_audio, double deadline_ms);
  PythonMixer(const PythonMixer&) = delete;
  PythonMixer& operator=(const PythonMixer&) = delete;
  ~PythonMixer() override;

  void on_routes(const RouteSet& routes) override;
  bool mixes_audio() const noexcept override { return mixes_audio_; }
  void mix(const MixPlan& plan, const MixFrames& frames) noexcept override;

  double deadline_ms() const { return deadline_ms_; }
  PyDispatcher<RouteSet>& route_dispatcher() { return *routes_; }
  /// The mixing counters (all zero when mixes_audio is false).
  MixHandoff::Counters mix_counters() const;

 private:
  void deliver_routes(const py::object& routes);  // the dispatcher thread, GIL held
  std::string run_mix(TickJob& job);              // the mixing thread, GIL taken here

  bool mixes_audio_;
  double deadline_ms_;
  std::shared_ptr<PyDispatcher<RouteSet>> routes_;
  std::shared_ptr<MixHandoff> handoff_;  // null unless mixes_audio
};

}  // namespace callsup::python
