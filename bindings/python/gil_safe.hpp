// callsup Python bindings: Python objects that C++ keeps, copies and drops on any thread.
#pragma once

#include <pybind11/pybind11.h>

#include <memory>
#include <thread>
#include <utility>

namespace callsup::python {

/// A Python object owned by C++ code that may run on any thread (a callback the
/// service keeps): copying the pointer touches no reference count, and the last owner
/// drops the object with the GIL held.
using SharedPyObject = std::shared_ptr<pybind11::object>;

inline SharedPyObject share_py(pybind11::object object) {
  return SharedPyObject(new pybind11::object(std::move(object)), [](pybind11::object* held) {
    if (!Py_IsInitialized()) {  // the interpreter is gone: leak rather than touch it
      (void)held->release();
      delete held;
      return;
    }
    pybind11::gil_scoped_acquire gil;
    delete held;
  });
}

/// Counts, per thread, the Python callbacks of one kind under way on that thread.
template <class Kind>
class CallbackScope {
 public:
  CallbackScope() noexcept { ++depth(); }
  ~CallbackScope() { --depth(); }
  CallbackScope(const CallbackScope&) = delete;
  CallbackScope& operator=(const CallbackScope&) = delete;

  static bool active() noexcept { return depth() > 0; }

 private:
  static int& depth() noexcept {
    thread_local int value = 0;
    return value;
  }
};

/// Python code that the service runs under its own lock (a policy's decide(),
/// ServiceConfig.wall_clock). It must not call back into the service: the lock is not
/// re-entrant, so the bindings refuse such a call with a clear error instead of hanging.
using LockedCallbackScope = CallbackScope<struct UnderServiceLock>;

/// Any Python code the SDK calls back (sinks, observers, policies). An object whose
/// callback is under way must not be destroyed on this thread: see destroy_elsewhere().
using SdkCallbackScope = CallbackScope<struct FromSdk>;

/// Destroys `object` on a thread of its own, once this thread has left its callbacks:
/// for an owner dropped from inside one of the object's own callbacks (a sink closing
/// the service that is delivering to it), whose destructor waits for those callbacks.
inline void destroy_elsewhere(std::shared_ptr<void> object) {
  std::thread([held = std::move(object)]() mutable { held.reset(); }).detach();
}

}  // namespace callsup::python
