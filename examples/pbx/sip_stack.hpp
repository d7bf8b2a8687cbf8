// callsup-pbx: the SIP side: libre's stack, the registrar and the B2BUA (all on the SIP thread).
#pragma once

#include <memory>

#include "call_table.hpp"
#include "config.hpp"
#include "counters.hpp"
#include "digest_auth.hpp"
#include "registrar.hpp"
#include "takeovers.hpp"

struct sip;
struct sip_lsnr;

namespace callsup::pbx {

class Control;
class SipThread;

/// Made and destroyed on the SIP thread (SipThread's setup and teardown).
class SipStack {
 public:
  /// Listens on config.sip_listen (UDP and TCP). Throws naming the address when it cannot.
  SipStack(const PbxConfig& config, Counters& counters, Control& control, SipThread& thread,
           SecurityReporter& security, Takeovers& takeovers, ConsoleLink& console);
  ~SipStack();
  SipStack(const SipStack&) = delete;
  SipStack& operator=(const SipStack&) = delete;

  CallTable& calls() { return *calls_; }

 private:
  static bool on_request(const sip_msg* msg, void* arg);

  const PbxConfig& config_;
  Counters& counters_;
  sip* sip_ = nullptr;
  sip_lsnr* listener_ = nullptr;
  DigestAuth auth_;
  Registrar registrar_;
  std::unique_ptr<CallTable> calls_;
};

/// Checks that this program's `struct sa` is the one libre was built with (HAVE_INET6 & co.).
void check_libre_layout();

}  // namespace callsup::pbx
