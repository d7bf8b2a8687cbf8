// callsup-pbx: libre's loop on its own thread, fed through mqueue.
#include "sip_thread.hpp"

#include <pthread.h>

#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

#include "libre.hpp"
#include "log.hpp"

namespace callsup::pbx {

namespace {

constexpr int work_message = 1;
constexpr int stop_message = 2;

}  // namespace

SipThread::~SipThread() { stop(); }

void SipThread::start(std::function<void()> setup, std::function<void()> teardown) {
  setup_ = std::move(setup);
  teardown_ = std::move(teardown);
  std::promise<void> ready;
  auto started = ready.get_future();
  thread_ = std::thread([this, &ready] { run(ready); });
  try {
    started.get();
  } catch (...) {
    thread_.join();
    throw;
  }
}

void SipThread::run(std::promise<void>& ready) {
  pthread_setname_np(pthread_self(), "callsup-sip");
  int err = libre_init();
  if (!err) err = mqueue_alloc(&queue_, &SipThread::on_message, this);
  if (err) {
    ready.set_exception(std::make_exception_ptr(
        std::runtime_error("libre could not start: " + std::string(std::strerror(err)))));
    libre_close();
    return;
  }
  try {
    setup_();
  } catch (...) {
    queue_ = static_cast<struct mqueue*>(mem_deref(queue_));
    libre_close();
    ready.set_exception(std::current_exception());
    return;
  }
  {
    std::lock_guard lock(mutex_);
    running_ = true;
  }
  ready.set_value();
  (void)re_main(nullptr);
  {
    std::lock_guard lock(mutex_);
    running_ = false;
  }
  teardown_();
  queue_ = static_cast<struct mqueue*>(mem_deref(queue_));
  libre_close();
}

void SipThread::on_message(int id, void* data, void* arg) {
  auto* self = static_cast<SipThread*>(arg);
  (void)self;
  if (id == stop_message) {
    re_cancel();
    return;
  }
  std::unique_ptr<std::function<void()>> work(static_cast<std::function<void()>*>(data));
  try {
    (*work)();
  } catch (const std::exception& e) {
    log_line("sip", std::string("error in posted work: ") + e.what());
  }
}

void SipThread::post(std::function<void()> work) {
  auto item = std::make_unique<std::function<void()>>(std::move(work));
  std::lock_guard lock(mutex_);
  if (!running_) return;  // the loop is over: the work is dropped here, not leaked in the queue
  if (mqueue_push(queue_, work_message, item.get()) == 0) item.release();
}

void SipThread::stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    if (running_) (void)mqueue_push(queue_, stop_message, nullptr);
  }
  thread_.join();
}

}  // namespace callsup::pbx
