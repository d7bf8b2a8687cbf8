// callsup-pbx: the console's calls to supervisors' phones (docs/console.md, "Start from the page").
#include "call_table.hpp"
#include "control.hpp"
#include "log.hpp"
#include "sip_thread.hpp"

namespace callsup::pbx {

void CallTable::ring_for_console(std::uint64_t request, const std::string& extension,
                                 const std::string& tenant) {
  const auto fail = [&](int status, const std::string& why) {
    log_line("console", "request " + std::to_string(request) + ": cannot ring " + extension + ": " + why);
    control_.post([&link = console_, request, status, why] {
      if (link.failed) link.failed(request, status, why);
    });
  };
  const auto contacts = registrar_.contacts(extension);
  if (contacts.empty())
    return fail(409, "extension " + extension + " has no registered phone: register a SIP phone as " +
                         extension + ", then click again (the PBX calls that phone)");
  if (calls_.size() >= config_.max_calls) {
    ++counters_.calls_over_limit;
    return fail(503, "the PBX is at its call limit");
  }
  auto call = std::make_unique<Call>();
  call->id = "call-" + std::to_string(next_call_++);
  call->tenant = tenant;
  call->kind = CallKind::console;
  call->dialled = extension;
  call->from = "callsup";  // what the phone shows as the caller
  call->console_request = request;
  Call& stored = *calls_.emplace(call->id, std::move(call)).first->second;
  bool any = false;
  for (const auto& contact : contacts) any = ring_one(stored, contact.contact_uri, extension) || any;
  if (!any) {
    stored.ending = true;  // nothing to report: no leg rang, nothing is in the registry
    forget(stored.id);
    return fail(503, "cannot send an INVITE to the phone of " + extension);
  }
  control_.post([&link = console_, request, id = stored.id] {
    if (link.ringing) link.ringing(request, id);
  });
}

void CallTable::cancel_console_ring(std::uint64_t request) {
  for (const auto& [id, call] : calls_)
    if (call->kind == CallKind::console && call->console_request == request) {
      // end_call reports the failure too: the console ignores a request it no longer waits for.
      end_call(*call, "the console stopped ringing");
      return;
    }
}

void CallTable::report_console_answered(Call& call) {
  call.answered = true;
  call.in_registry = true;
  ++counters_.calls_answered;
  SipLeg& phone = *call.callee;
  log_line("sip", "INVITE " + call.who() + ": answered (" + phone.sdp->codec() +
                      (phone.sdp->srtp() ? ", SRTP" : "") + ")");
  Leg leg = Leg::on_net(phone.id, phone.extension, LegState::up);
  leg.format.codec = phone.sdp->codec();
  const EndpointConfig endpoint = phone.sdp->endpoint();
  control_.post([&control = control_, &link = console_, request = call.console_request, id = call.id,
                 tenant = call.tenant, leg, endpoint] {
    control.registry().add_call(id, tenant);
    control.registry().add_leg(id, leg);
    control.engine().add_endpoint(id, leg.id, endpoint);
    if (link.answered) link.answered(request, id, leg.id);
  });
}

void CallTable::report_console_failed(const Call& call, int status, const std::string& why) {
  control_.post([&link = console_, request = call.console_request, status, why] {
    if (link.failed) link.failed(request, status, why);
  });
}

}  // namespace callsup::pbx
