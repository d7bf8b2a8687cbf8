// callsup-pbx: the control thread and the SDK objects it owns.
#include "control.hpp"

#include <pthread.h>

#include <boost/asio/post.hpp>
#include <future>

#include "callsup/json/directory_json.hpp"
#include "callsup/json/json_lines_audit_sink.hpp"
#include "log.hpp"

namespace callsup::pbx {

Control::Control(const PbxConfig& config, Counters& counters)
    : config_(config),
      counters_(counters),
      policy_(std::make_shared<StandardPolicy>()),
      work_(io_.get_executor()) {
  load_directory_json(directory_, config_.directory_json);
  service_ = std::make_unique<SupervisionService>(registry_, directory_, policy_);
  if (!config_.audit_log.empty())
    audit_trail_ = service_->add_audit_sink(std::make_shared<JsonLinesAuditSink>(config_.audit_log));
  MediaEngineConfig engine;
  engine.threads = 1;
  engine.bind_ip = config_.rtp_address;
  engine.port_min = config_.rtp_port_min;
  engine.port_max = config_.rtp_port_max;
  engine_ = std::make_unique<MediaEngine>(engine);
  media_ = connect_media(*service_, *engine_);
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "callsup-ctl");
    io_.run();
  });
}

Control::~Control() { stop(); }

void Control::post(std::function<void()> work) {
  boost::asio::post(io_, [this, work = std::move(work)] {
    try {
      work();
    } catch (const std::exception& e) {
      ++counters_.sdk_errors;
      log_line("sdk", std::string("error: ") + e.what());
    }
  });
}

void Control::serve_admin() {
  if (!config_.admin_listen) return;
  // Bound here, served by the control thread (the acceptor is only touched there afterwards).
  std::promise<void> bound;
  auto done = bound.get_future();
  boost::asio::post(io_, [this, &bound] {
    try {
      admin_ = std::make_unique<AdminServer>(io_, *config_.admin_listen, counters_);
      bound.set_value();
    } catch (...) {
      bound.set_exception(std::current_exception());
    }
  });
  done.get();
}

void Control::drain() {
  if (!thread_.joinable()) return;
  std::promise<void> done;
  auto finished = done.get_future();
  boost::asio::post(io_, [&done] { done.set_value(); });
  finished.wait();
}

void Control::stop() {
  if (!thread_.joinable()) return;
  boost::asio::post(io_, [this] {
    if (admin_) admin_->close();
  });
  drain();
  engine_->stop();
  work_.reset();
  io_.stop();
  thread_.join();
}

}  // namespace callsup::pbx
