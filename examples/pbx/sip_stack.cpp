// callsup-pbx: libre's SIP stack with our listener (OPTIONS, REGISTER) and the B2BUA.
#include "sip_stack.hpp"

#include <cstddef>
#include <cstring>
#include <stdexcept>

#include "callsup/error.hpp"
#include "libre.hpp"
#include "log.hpp"
#include "sip_text.hpp"

namespace callsup::pbx {

namespace {

// libre 1.1.0 on Linux, built with HAVE_INET6: a sockaddr_in6 inside, then the length.
static_assert(
    sizeof(sa) == 32 && offsetof(sa, len) == 28,
    "struct sa differs from libre's: build with the defines of /usr/share/re/re.mk (HAVE_INET6 ...)");

Counters* trace_counters = nullptr;  // libre's trace handler takes no argument of ours

/// Counts the SIP messages libre parsed (requests and responses).
void trace_handler(bool tx, enum sip_transp, const sa*, const sa*, const uint8_t*, size_t, void*) {
  if (!tx && trace_counters) ++trace_counters->sip_packets_in;
}

}  // namespace

void check_libre_layout() {
  // The library fills an IPv6 address in: with a smaller struct sa it would write past it.
  struct Guarded {
    sa address;
    unsigned char canary[16];
  } guarded{};
  std::memset(guarded.canary, 0x5a, sizeof guarded.canary);
  if (sa_set_str(&guarded.address, "::1", 5060) != 0 || sa_port(&guarded.address) != 5060 ||
      guarded.address.len != sizeof(sockaddr_in6) || guarded.canary[0] != 0x5a)
    throw std::runtime_error("libre's struct sa does not match this build (HAVE_INET6 missing?)");
}

SipStack::SipStack(const PbxConfig& config, Counters& counters, Control& control, SipThread& thread,
                   SecurityReporter& security, Takeovers& takeovers, ConsoleLink& console)
    : config_(config), counters_(counters), auth_(config), registrar_(config, auth_, counters, security) {
  check_libre_layout();
  sa local{};
  if (sa_set_str(&local, config.sip_listen.ip.c_str(), config.sip_listen.port) != 0)
    throw std::runtime_error("sip.listen: " + quoted(config.sip_listen.ip) + " is no IP address");
  int err = sip_alloc(&sip_, nullptr, 32, 32, 32, "callsup-pbx", nullptr, nullptr);
  if (!err) err = sip_transp_add(sip_, SIP_TRANSP_UDP, &local);
  if (!err) err = sip_transp_add(sip_, SIP_TRANSP_TCP, &local);
  // Ours first: libre asks listeners in order, and sipsess's must still see INVITE, BYE, INFO...
  if (!err) err = sip_listen(&listener_, sip_, true, &SipStack::on_request, this);
  if (err) {
    listener_ = static_cast<sip_lsnr*>(mem_deref(listener_));
    sip_close(sip_, true);
    sip_ = static_cast<struct sip*>(mem_deref(sip_));
    throw std::runtime_error("sip.listen " + config.sip_listen.to_string() + ": " + std::strerror(err));
  }
  trace_counters = &counters_;
  sip_set_trace_handler(sip_, trace_handler);
  calls_ = std::make_unique<CallTable>(config, counters, control, thread, registrar_, auth_, security,
                                       takeovers, console);
  calls_->listen(sip_);
}

SipStack::~SipStack() {
  calls_.reset();
  listener_ = static_cast<sip_lsnr*>(mem_deref(listener_));
  sip_close(sip_, true);
  sip_ = static_cast<struct sip*>(mem_deref(sip_));
  trace_counters = nullptr;
}

bool SipStack::on_request(const sip_msg* msg, void* arg) {
  auto* self = static_cast<SipStack*>(arg);
  ++self->counters_.sip_requests;
  if (pl_strcmp(&msg->met, "REGISTER") == 0) {
    try {  // never unwind through libre's C frames
      self->registrar_.on_register(self->sip_, msg);
    } catch (const std::exception& e) {
      log_line("sip", std::string("error in REGISTER: ") + e.what());
      (void)sip_reply(self->sip_, msg, 500, "Server Internal Error");
    }
    return true;
  }
  if (pl_strcmp(&msg->met, "OPTIONS") == 0 && !pl_isset(&msg->to.tag)) {
    (void)sip_replyf(self->sip_, msg, 200, "OK",
                     "Allow: INVITE, ACK, BYE, CANCEL, INFO, OPTIONS, REGISTER\r\n"
                     "Accept: application/sdp\r\nContent-Length: 0\r\n\r\n");
    return true;
  }
  return false;  // INVITE, ACK, BYE, CANCEL, INFO: sipsess's
}

}  // namespace callsup::pbx
