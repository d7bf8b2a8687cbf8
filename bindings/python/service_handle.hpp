// callsup Python bindings: the SupervisionService as Python holds it.
#pragma once

#include <pybind11/pybind11.h>

#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

#include "callsup/session/supervision_service.hpp"
#include "gil_safe.hpp"
#include "py_dispatcher.hpp"

namespace callsup::python {

/// ServiceConfig as Python builds it: the C++ config plus the owners of what it points to.
struct PyServiceConfig {
  ServiceConfig config;
  std::shared_ptr<Clock> clock;  ///< config.clock points into it
  SharedPyObject wall_clock;     ///< the Python callable behind config.wall_clock, or null
};

/// A SupervisionService together with what it refers to (registry, directory, clock),
/// which must outlive it: the service is declared last, so it is destroyed first.
struct OwnedService {
  std::shared_ptr<CallRegistry> registry;
  std::shared_ptr<Directory> directory;
  std::shared_ptr<Clock> clock;
  std::unique_ptr<SupervisionService> service;
};

/// The SupervisionService as Python holds it. Python calls go through use(); the
/// service is destroyed by close() or by the last call still running, never with the
/// GIL held (its destructor waits for a registry callback on another thread, which may
/// be waiting for the GIL).
class ServiceHandle {
 public:
  ServiceHandle(std::shared_ptr<CallRegistry> registry, std::shared_ptr<Directory> directory,
                std::shared_ptr<const PermissionPolicy> policy, const PyServiceConfig& config) {
    if (!registry) throw pybind11::type_error("SupervisionService needs a CallRegistry, got None");
    if (!directory) throw pybind11::type_error("SupervisionService needs a Directory, got None");
    auto owned = std::make_shared<OwnedService>(
        OwnedService{std::move(registry), std::move(directory), config.clock, {}});
    pybind11::gil_scoped_release release;
    owned->service = std::make_unique<SupervisionService>(*owned->registry, *owned->directory,
                                                          std::move(policy), config.config);
    owned_ = std::move(owned);
  }
  ServiceHandle(const ServiceHandle&) = delete;
  ServiceHandle& operator=(const ServiceHandle&) = delete;
  ~ServiceHandle() { close(); }

  /// The service for one call (keeping it and what it refers to alive); `operation` names
  /// the call in errors. Raises RuntimeError when the service is closed, or when called
  /// from code the service runs under its lock (a policy's decide(), wall_clock): that
  /// would deadlock.
  std::shared_ptr<SupervisionService> use(const char* operation) const {
    if (LockedCallbackScope::active())
      throw std::runtime_error(std::string("SupervisionService.") + operation +
                               "() called from a PermissionPolicy.decide() or ServiceConfig.wall_clock: the "
                               "service runs those under its lock, so calling back would deadlock");
    std::lock_guard lock(mutex_);
    if (!owned_)
      throw std::runtime_error(std::string("SupervisionService.") + operation + "(): the service is closed");
    return {owned_, owned_->service.get()};
  }

  /// Ends the sessions (reason shutdown, with their events) and drops the service.
  /// Idempotent; a call still running on another thread finishes first. From inside a
  /// callback (a sink, an observer, a policy) the service ends on another thread, as
  /// soon as this thread has left it.
  void close() {
    std::shared_ptr<OwnedService> owned;
    {
      std::lock_guard lock(mutex_);
      owned.swap(owned_);
    }
    if (owned && SdkCallbackScope::active()) {
      // Inside a callback this service may be delivering: its destructor must not run
      // on this thread, under the delivery it would wait for.
      destroy_elsewhere(std::move(owned));
      return;
    }
    detail::release_gil_if_held([&] { owned.reset(); });
  }

  bool closed() const {
    std::lock_guard lock(mutex_);
    return !owned_;
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<OwnedService> owned_;
};

/// Runs fn(service) with the GIL released; the service reference is dropped before the
/// GIL is taken back, so a concurrent close() never destroys the service with it held.
template <class Fn>
decltype(auto) with_service(const ServiceHandle& handle, const char* operation, Fn&& fn) {
  pybind11::gil_scoped_release release;
  const std::shared_ptr<SupervisionService> service = handle.use(operation);
  return fn(*service);
}

}  // namespace callsup::python
