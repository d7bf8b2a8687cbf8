// callsup Python bindings: the MediaEngine as Python holds it.
//
// The engine's destructor joins its threads, among them the control thread that runs DTMF
// handlers; a Python handler there holds the GIL. So the engine is never destroyed with the GIL
// held, never on its own control thread, and never by an observer that only feeds it.
#pragma once

#include <pybind11/pybind11.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

#include "callsup/media/media_engine.hpp"
#include "py_dispatcher.hpp"

namespace callsup::python {

/// Marks a thread while it runs a handler the bindings gave an engine's control thread (a Python
/// DTMF handler, connect()'s hand-over to the service). Code there must neither wait for that
/// thread (flush_control) nor destroy the engine, which joins it.
class ControlThreadScope {
 public:
  ControlThreadScope() noexcept { ++depth(); }
  ~ControlThreadScope() { --depth(); }
  ControlThreadScope(const ControlThreadScope&) = delete;
  ControlThreadScope& operator=(const ControlThreadScope&) = delete;

  static bool active() noexcept { return depth() > 0; }

 private:
  static int& depth() noexcept {
    thread_local int value = 0;
    return value;
  }
};

/// The engine, shared by its EngineHandle and by what feeds it (a service's route observer, the
/// interpreter's exit hook). Only the handle destroys the engine, once nobody uses it, so an
/// observer never ends up destroying it on a thread the engine would have to join.
class EngineCore final : public ClosableDispatcher {
 public:
  explicit EngineCore(MediaEngineConfig config) : engine_(std::make_unique<MediaEngine>(std::move(config))) {}

  /// For the handle's own calls: the engine lives as long as the handle.
  MediaEngine& engine() { return *engine_; }

  /// Runs fn(engine) unless the engine is already destroyed; it is not destroyed meanwhile.
  template <class Fn>
  void use(Fn&& fn) {
    {
      std::lock_guard lock(mutex_);
      if (!engine_) return;
      ++users_;
    }
    struct Done {
      EngineCore& core;
      ~Done() {
        std::lock_guard lock(core.mutex_);
        --core.users_;
        core.idle_.notify_all();
      }
    } done{*this};
    fn(*engine_);
  }

  /// Stops and destroys the engine once no use() runs. Call without the GIL.
  void destroy() {
    std::unique_ptr<MediaEngine> engine;
    {
      std::unique_lock lock(mutex_);
      idle_.wait(lock, [&] { return users_ == 0; });
      engine = std::move(engine_);
    }
    engine.reset();
  }

  /// At interpreter exit: stops the threads and delivers the digits already received, so that
  /// no engine thread wants the GIL once Python is gone.
  void close() override {
    detail::release_gil_if_held([&] {
      use([](MediaEngine& engine) {
        engine.stop();
        engine.flush_control();
      });
    });
  }

 private:
  std::mutex mutex_;
  std::condition_variable idle_;
  int users_ = 0;
  std::unique_ptr<MediaEngine> engine_;
};

/// What the Python MediaEngine object owns.
class EngineHandle {
 public:
  explicit EngineHandle(MediaEngineConfig config) : config_(config) {
    {
      pybind11::gil_scoped_release release;  // starting threads and binding sockets
      core_ = std::make_shared<EngineCore>(std::move(config));
    }
    track_dispatcher(core_);
  }
  EngineHandle(const EngineHandle&) = delete;
  EngineHandle& operator=(const EngineHandle&) = delete;

  ~EngineHandle() {
    std::shared_ptr<EngineCore> core = std::move(core_);
    if (ControlThreadScope::active()) {
      // A Python handler on a control thread dropped the engine: joining from here would wait
      // for this very thread, so another thread does it once the handler has returned.
      std::thread([core] { core->destroy(); }).detach();
      return;
    }
    detail::release_gil_if_held([&] { core->destroy(); });
  }

  MediaEngine& engine() const { return core_->engine(); }
  const std::shared_ptr<EngineCore>& core() const { return core_; }
  /// The configuration as given (threads 0 stays 0: see MediaEngine.thread_count).
  const MediaEngineConfig& config() const { return config_; }
  bool stopped() const { return stopped_; }
  void mark_stopped() { stopped_ = true; }

 private:
  MediaEngineConfig config_;
  std::shared_ptr<EngineCore> core_;
  bool stopped_ = false;  // changed and read with the GIL held
};

}  // namespace callsup::python
