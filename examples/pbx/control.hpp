// callsup-pbx: the control thread: an Asio io_context that owns the SDK's objects.
#pragma once

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp needs it under C++20 with GCC 12

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "admin_server.hpp"
#include "callsup/media/media_engine.hpp"
#include "callsup/model/call_registry.hpp"
#include "callsup/model/directory.hpp"
#include "callsup/policy/standard_policy.hpp"
#include "callsup/session/supervision_service.hpp"
#include "callsup/supervised_media.hpp"
#include "config.hpp"
#include "counters.hpp"

namespace callsup::pbx {

/// The SDK side of the PBX: directory, call registry, supervision service and media engine,
/// driven by one io_context thread. The SIP thread posts each SIP event here (asio::post), so
/// the registry sees the PBX's events in the order the SIP thread saw them; the SDK's calls are
/// thread-safe, but one thread keeps the order obvious and the SIP loop free of SDK work.
class Control {
 public:
  /// Loads the directory, opens the audit log and starts the engine. Throws Error naming what
  /// it could not set up.
  Control(const PbxConfig& config, Counters& counters);
  ~Control();
  Control(const Control&) = delete;
  Control& operator=(const Control&) = delete;

  /// Runs `work` on the control thread; exceptions are logged and counted (sdk_errors).
  void post(std::function<void()> work);
  /// Waits until everything posted so far ran (shutdown, tests).
  void drain();
  void stop();

  Directory& directory() { return directory_; }
  CallRegistry& registry() { return registry_; }
  SupervisionService& service() { return *service_; }
  MediaEngine& engine() { return *engine_; }
  /// The policy the service decides with (the console asks it which buttons to offer).
  const PermissionPolicy& policy() const { return *policy_; }
  boost::asio::io_context& io() { return io_; }
  /// Starts the admin endpoint (config.admin_listen) on this io_context. Throws when it cannot bind.
  void serve_admin();

 private:
  const PbxConfig& config_;
  Counters& counters_;
  Directory directory_;
  CallRegistry registry_;
  std::shared_ptr<const PermissionPolicy> policy_;
  Subscription audit_trail_;  // before the service: its shutdown records (sessions ended) reach the file
  std::unique_ptr<SupervisionService> service_;
  std::unique_ptr<MediaEngine> engine_;
  SupervisedMedia media_;  // after the service and the engine: disconnected before either goes
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::unique_ptr<AdminServer> admin_;
  std::thread thread_;
};

}  // namespace callsup::pbx
