// callsup-pbx: wiring the threads together and waiting for signals.
#include "pbx.hpp"

#include <csignal>
#include <cstdio>
#include <memory>

#include "console/console.hpp"
#include "control.hpp"
#include "libre_output.hpp"
#include "log.hpp"
#include "registry_log.hpp"
#include "sip_stack.hpp"
#include "sip_thread.hpp"

namespace callsup::pbx {

namespace {

/// The media engine's totals as one line (SIGUSR1): whether its ticks kept time and what it carried.
std::string engine_stats(const MediaEngine& engine) {
  const EngineThreadStats total = engine.stats().total;
  char text[320];
  std::snprintf(
      text, sizeof text,
      "calls=%llu legs=%llu ticks=%llu missed_ticks=%llu packets_in=%llu packets_out=%llu "
      "tick_lateness_p99_ms=%.1f latency_p99_ms=%.1f cpu_seconds=%.2f",
      static_cast<unsigned long long>(total.calls), static_cast<unsigned long long>(total.legs),
      static_cast<unsigned long long>(total.ticks), static_cast<unsigned long long>(total.missed_ticks),
      static_cast<unsigned long long>(total.packets_in), static_cast<unsigned long long>(total.packets_out),
      total.tick_lateness_p99_ms, total.latency_p99_ms, total.cpu_seconds);
  return text;
}

std::string describe(const Event& e) {
  std::string line = std::string(to_string(e.kind)) + " session=" + std::to_string(e.session) +
                     " call=" + (e.call.empty() ? "-" : e.call) + " supervisor=" + e.supervisor +
                     " target=" + (e.target.empty() ? "-" : e.target);
  if (e.mode) line += " mode=" + std::string(to_string(*e.mode));
  if (e.from_mode) line += " from=" + std::string(to_string(*e.from_mode));
  if (!e.allowed) line += " reason=" + std::string(to_string(e.reason)) + " rule=" + e.rule;
  if (e.end_reason != EndReason::none) line += " end=" + std::string(to_string(e.end_reason));
  line += " source=" + std::string(to_string(e.source));
  if (!e.detail.empty()) line += " detail=" + quoted(e.detail);
  return line;
}

/// Supervision events: logged; the ones that ask the PBX to act are carried out in SIP.
[[nodiscard]] Subscription watch_events(const PbxConfig& config, Control& control, SipThread& thread,
                                        std::unique_ptr<SipStack>& stack, Takeovers& takeovers) {
  return control.service().add_event_sink(std::make_shared<FunctionEventSink>([&](const Event& e) {
    if (e.kind == EventKind::security) return;  // SecurityReporter logged it
    log_line("supervision", describe(e));
    if (e.kind == EventKind::action_requested && e.detail == "takeover") {
      // Asked while the PBX reports the agent's departure: call_table_sdk.cpp carries it out.
      takeovers.request(e.call, {e.supervisor_leg, e.supervisor});
    } else if (e.kind == EventKind::action_requested) {
      thread.post([&stack, call = e.call, detail = e.detail] {
        if (stack) stack->calls().end_by_sdk(call, "the SDK asked: " + detail);
      });
    }
    if (e.kind == EventKind::ended && e.end_reason != EndReason::supervisor_left &&
        e.end_reason != EndReason::shutdown && e.end_reason != EndReason::taken_over &&
        !e.supervisor_leg.empty()) {
      // The session is over (its call ended, the agent left, the right was lost...): the
      // supervisor's phone has nothing left to hear, so its call is hung up too.
      thread.post([&stack, leg = e.supervisor_leg, why = std::string(to_string(e.end_reason))] {
        if (stack) stack->calls().end_call_of_leg(leg, "supervision ended: " + why);
      });
    }
    if (e.kind == EventKind::agent_notified && config.tenant(e.tenant).notifies_by_beep()) {
      if (auto endpoint = control.engine().endpoint(e.target_leg)) {
        endpoint->play_beep();
        log_line("media", "beep to " + e.target_leg + " (supervisor " + e.supervisor + " " +
                              (e.mode ? std::string(to_string(*e.mode)) : std::string("joined")) + ")");
      }
    }
    if (e.kind == EventKind::agent_notified && config.tenant(e.tenant).notifies_by_info()) {
      const std::string text = "callsup: supervisor " + e.supervisor + " " +
                               (e.mode ? std::string(to_string(*e.mode)) : std::string("joined"));
      thread.post([&stack, leg = e.target_leg, text] {
        if (stack) stack->calls().notify_agent(leg, text);
      });
    }
  }));
}

}  // namespace

/// Makes the console (when configured) on the control thread, which serves it from then on.
std::unique_ptr<Console> start_console(const PbxConfig& config, Control& control, SipThread& thread,
                                       std::unique_ptr<SipStack>& stack, ConsoleLink& link,
                                       const std::string& executable) {
  if (!config.console) return nullptr;
  std::unique_ptr<Console> console;
  std::exception_ptr failure;
  control.post([&] {
    try {
      console = std::make_unique<Console>(config, control, thread, stack, link, executable);
    } catch (...) {
      failure = std::current_exception();
    }
  });
  control.drain();
  if (failure) std::rethrow_exception(failure);
  return console;
}

int run_pbx(const PbxConfig& config, const std::string& executable) {
  // Signals go to the thread that waits for them below, never to libre's or Asio's threads.
  sigset_t signals;
  sigemptyset(&signals);
  for (int s : {SIGINT, SIGTERM, SIGUSR1, SIGHUP}) sigaddset(&signals, s);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  Counters counters;
  SecurityReporter security;
  LibreOutput libre_output(counters, security);
  libre_output.start();
  Control control(config, counters);
  const auto audited = security.attach(control);
  control.serve_admin();
  SipThread thread;
  std::unique_ptr<SipStack> stack;
  const auto registry_log = log_registry_changes(control.registry());
  Takeovers takeovers;
  const auto event_log = watch_events(config, control, thread, stack, takeovers);
  ConsoleLink link;
  auto console = start_console(config, control, thread, stack, link, executable);
  thread.start(
      [&] {
        stack = std::make_unique<SipStack>(config, counters, control, thread, security, takeovers, link);
      },
      [&] { stack.reset(); });
  log_line("pbx",
           "ready: SIP udp+tcp " + config.sip_listen.to_string() + ", RTP " + config.rtp_address + ":" +
               std::to_string(config.rtp_port_min) + "-" + std::to_string(config.rtp_port_max) + ", " +
               std::to_string(config.accounts.size()) + " accounts" +
               (config.trunk ? ", trunk " + config.trunk->address.to_string() : std::string()) +
               (config.admin_listen ? ", admin http://" + config.admin_listen->to_string() + "/counters"
                                    : std::string()) +
               (console ? ", console http://" + config.console->listen.ip + ":" +
                              std::to_string(console->port()) + "/"
                        : std::string()));
  for (;;) {
    int signal = 0;
    if (sigwait(&signals, &signal) != 0) continue;
    if (signal == SIGUSR1 || signal == SIGHUP) {
      log_line("counters", counters.format());
      log_line("engine", engine_stats(control.engine()));
      continue;
    }
    log_line("pbx", std::string("stopping (") + (signal == SIGINT ? "SIGINT" : "SIGTERM") + ")");
    break;
  }
  if (console) {
    control.post([&] { console->close(); });
    control.drain();
  }
  thread.post([&] {
    if (stack) stack->calls().close_all();
  });
  thread.stop();
  control.stop();
  console.reset();
  log_line("counters", counters.format());
  return 0;
}

}  // namespace callsup::pbx
