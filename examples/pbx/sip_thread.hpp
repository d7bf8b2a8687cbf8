// callsup-pbx: the SIP thread: libre's re_main loop, which owns every libre object.
#pragma once

#include <functional>
#include <future>
#include <mutex>
#include <thread>

struct mqueue;

namespace callsup::pbx {

/// Runs libre on a thread of its own, as baresip does: libre is not thread-safe, so every
/// libre object is made, used and freed on this thread. Other threads hand it work through
/// post(), which goes over libre's mqueue (a pipe the loop polls).
class SipThread {
 public:
  SipThread() = default;
  ~SipThread();
  SipThread(const SipThread&) = delete;
  SipThread& operator=(const SipThread&) = delete;

  /// Starts the thread, runs `setup` on it and waits for it; `teardown` runs on the thread when
  /// the loop ends, before libre is closed. Rethrows what `setup` threw (the thread is gone then).
  void start(std::function<void()> setup, std::function<void()> teardown);
  /// Runs `work` on the SIP thread soon. Safe from any thread; dropped once stopped.
  void post(std::function<void()> work);
  /// Ends the loop (teardown runs) and joins. Idempotent.
  void stop();

 private:
  void run(std::promise<void>& ready);
  static void on_message(int id, void* data, void* arg);

  std::function<void()> setup_, teardown_;
  std::thread thread_;
  struct mqueue* queue_ = nullptr;
  std::mutex mutex_;  ///< posts against the loop's end: none reaches a queue being freed
  bool running_ = false;
};

}  // namespace callsup::pbx
