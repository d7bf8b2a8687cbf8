// callsup Python bindings: test support only. Drives sessions from C++ threads that
// Python never created, so the tests can check what reaches Python callbacks from them.
#include "bindings.hpp"

#include <mutex>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "service_handle.hpp"

namespace callsup::python {

namespace {

using Worker = std::tuple<std::string, std::string, std::string>;  // leg prefix, supervisor, dialled

std::vector<std::string> drive_sessions(const ServiceHandle& handle, const std::vector<Worker>& workers,
                                        int iterations, const std::string& digits) {
  if (iterations < 0) throw py::value_error("iterations must be >= 0, got " + std::to_string(iterations));
  py::gil_scoped_release release;
  const auto service = handle.use("_testing_drive_sessions");
  std::mutex mutex;
  std::vector<std::string> failures;
  auto fail = [&](std::string what) {
    std::lock_guard lock(mutex);
    failures.push_back(std::move(what));
  };
  std::vector<std::thread> threads;
  for (const auto& [prefix, supervisor, dialled] : workers) {
    threads.emplace_back([&, prefix = prefix, supervisor = supervisor, dialled = dialled] {
      try {
        for (int n = 0; n < iterations; ++n) {
          const std::string leg = prefix + "-" + std::to_string(n);
          const StartOutcome out = service->dial(leg, supervisor, dialled);
          if (out.status != StartOutcome::Status::started) {
            fail(leg + ": " + std::string(to_string(out.status)) + " " +
                 std::string(to_string(out.decision.reason)));
            continue;
          }
          for (char digit : digits) service->dtmf(out.session, digit);
          if (!service->stop(out.session)) fail(leg + ": stop() found the session ended");
        }
      } catch (const std::exception& error) {
        fail(prefix + ": " + error.what());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  return failures;
}

}  // namespace

void bind_testing(py::module_& m) {
  m.def("_testing_drive_sessions", &drive_sessions, py::arg("service"), py::arg("workers"),
        py::arg("iterations"), py::arg("digits") = "120",
        "Test support only, not API. One C++ thread per (leg_prefix, supervisor, dialled) worker runs\n"
        "`iterations` sessions: dial(leg_prefix-N, supervisor, dialled), one dtmf() per character of\n"
        "`digits`, stop(). Returns the problems seen (empty when none). The GIL is released meanwhile.");
}

}  // namespace callsup::python
