// callsup-pbx: what the B2BUA tells the SDK: one registry call per SIP event, on the control thread.
#include <optional>

#include "call_table.hpp"
#include "control.hpp"
#include "log.hpp"
#include "sip_thread.hpp"

namespace callsup::pbx {

namespace {

Leg registry_leg(const SipLeg& leg, LegState state) {
  Leg out = leg.extension.empty() ? Leg::off_net(leg.id, leg.number, state)
                                  : Leg::on_net(leg.id, leg.extension, state);
  out.format.codec = leg.sdp->codec();
  return out;
}

void add_endpoint(Control& control, const std::string& call_id, const std::string& leg_id,
                  const EndpointConfig& endpoint) {
  try {
    control.engine().add_endpoint(call_id, leg_id, endpoint);
  } catch (const Error& e) {
    log_line("media", "leg " + leg_id + ": no RTP endpoint: " + e.what());
    throw;
  }
}

/// Detaches a leg's endpoint, logging what it carried (tests and tests/pbx/bench_supervised_rtp.py
/// read these lines).
void remove_endpoint_logged(Control& control, const std::string& leg) {
  if (const auto endpoint = control.engine().endpoint(leg)) {
    const EndpointStats stats = endpoint->stats();
    log_line("media", "leg " + leg + ": " + std::to_string(stats.packets_in) + " packets in, " +
                          std::to_string(stats.packets_out) + " out, " +
                          std::to_string(stats.dtmf_digits_in) + " digits, " +
                          std::to_string(stats.auth_fail) + " SRTP auth failures, " +
                          std::to_string(stats.lost) + " lost, " + std::to_string(stats.late) + " late, " +
                          std::to_string(stats.concealed) + " concealed, " + std::to_string(stats.duplicate) +
                          " duplicate, " + std::to_string(stats.unexpected_source) + " unexpected source, " +
                          std::to_string(stats.send_errors) + " send errors");
  }
  control.engine().remove_endpoint(leg);
}

/// The 403 reason phrase of a denial: the SDK's reason, so the phone's display says why.
std::string denial_phrase(const Decision& decision) {
  return "Forbidden (" + std::string(to_string(decision.reason)) + ")";
}

}  // namespace

void CallTable::report_call_added(Call& call) {
  call.in_registry = true;
  const Leg caller = registry_leg(*call.caller, LegState::ringing);
  const EndpointConfig endpoint = call.caller->sdp->endpoint();
  control_.post(
      [&control = control_, id = call.id, tenant = call.tenant, group = call.group, caller, endpoint] {
        control.registry().add_call(id, tenant, group);
        control.registry().add_leg(id, caller);
        add_endpoint(control, id, caller.id, endpoint);
      });
}

void CallTable::report_leg(const Call& call, SipLeg& leg, bool up) {
  const Leg added = registry_leg(leg, up ? LegState::up : LegState::ringing);
  const EndpointConfig endpoint = leg.sdp->endpoint();
  control_.post([&control = control_, id = call.id, added, endpoint] {
    add_endpoint(control, id, added.id, endpoint);
    control.registry().add_leg(id, added);
  });
}

void CallTable::report_answered(const Call& call) {
  control_.post([&control = control_, id = call.id, caller = call.caller->id] {
    control.registry().answer(caller);
    control.registry().bridge(id);
  });
}

void CallTable::report_hold(const SipLeg& leg, bool held) {
  control_.post([&control = control_, id = leg.id, held] {
    if (held)
      control.registry().hold(id);
    else
      control.registry().unhold(id);
  });
}

void CallTable::report_rekey(const SipLeg& leg) {
  const EndpointConfig keys = leg.sdp->endpoint();
  control_.post([&control = control_, id = leg.id, keys] {
    if (auto endpoint = control.engine().endpoint(id)) endpoint->rekey(*keys.srtp_receive, *keys.srtp_send);
  });
}

void CallTable::report_dial(Call& call) {
  call.in_registry = true;
  // The supervisor's phone is a leg of a call of its own until the session routes it elsewhere.
  const Leg supervisor = registry_leg(*call.caller, LegState::up);
  const EndpointConfig endpoint = call.caller->sdp->endpoint();
  // Runs on the control thread, maybe after this table is gone (shutdown): it touches only Control and
  // SipThread, which outlive it; `self` is used on the SIP thread alone, where posts stop with the table.
  control_.post([&control = control_, &thread = thread_, self = this, id = call.id, tenant = call.tenant,
                 dialled = call.dialled, supervisor, endpoint] {
    auto& registry = control.registry();
    registry.add_call(id, tenant);
    registry.add_leg(id, supervisor);
    add_endpoint(control, id, supervisor.id, endpoint);
    StartOutcome outcome;
    std::string error;
    try {
      outcome = control.service().dial(supervisor.id, supervisor.extension, dialled);
    } catch (const Error& e) {
      error = e.what();  // a malformed code ("*90abc")
    }
    if (outcome.ok()) {
      const bool started = outcome.status == StartOutcome::Status::started;
      thread.post([self, id, started] { self->supervision_answered(id, started, {}); });
      return;
    }
    registry.end_call(id);
    control.engine().remove_endpoint(supervisor.id);
    if (!error.empty()) {
      log_line("supervision", id + ": " + quoted(dialled) + ": " + error);
      thread.post(
          [self, id] { self->supervision_refused(id, 484, "Address Incomplete (bad feature code)"); });
    } else if (outcome.status == StartOutcome::Status::denied) {
      thread.post([self, id, phrase = denial_phrase(outcome.decision)] {
        self->supervision_refused(id, 403, phrase);
      });
    } else {
      thread.post([self, id] {
        if (Call* found = self->find(id)) found->in_registry = false;
        self->supervision_not_ours(id);
      });
    }
  });
}

void CallTable::report_dtmf(const SipLeg& leg, char digit) {
  control_.post([&control = control_, id = leg.id, digit] {
    const auto result = control.service().dtmf_from_leg(id, digit);
    log_line("dtmf", "INFO digit " + std::string(1, digit) + " from " + id +
                         (result ? "" : " (supervises nothing: ignored)"));
  });
}

void CallTable::report_party_left(const Call& call, const std::string& gone_leg, const std::string& why) {
  control_.post([&control = control_, &thread = thread_, &takeovers = takeovers_, self = this, id = call.id,
                 gone_leg, why] {
    auto& registry = control.registry();
    // The SDK may ask for a takeover while it hears of this (action_requested, see pbx.cpp).
    if (registry.find_call_of_leg(gone_leg)) registry.remove_leg(gone_leg);
    remove_endpoint_logged(control, gone_leg);
    const auto takeover = takeovers.take(id);
    const auto from = takeover ? registry.find_call_of_leg(takeover->supervisor_leg) : nullptr;
    if (!takeover || !from || !registry.find_call(id)) {
      thread.post([self, id, why] { self->end_by_sdk(id, why); });
      return;
    }
    // The supervisor's phone replaces the agent: its leg leaves the call it dialled from (leg ids
    // are unique across the registry) and joins the customer's, answered.
    registry.remove_leg(takeover->supervisor_leg);
    registry.end_call(from->id);
    registry.add_leg(id, Leg::on_net(takeover->supervisor_leg, takeover->supervisor, LegState::up));
    thread.post([self, id, from = from->id, leg = takeover->supervisor_leg] {
      self->adopt_supervisor(id, from, leg);
    });
  });
}

void CallTable::report_ended(const Call& call, const std::vector<std::string>& endpoints,
                             const std::string& gone_leg) {
  control_.post([&control = control_, id = call.id, endpoints, gone_leg] {
    auto& registry = control.registry();
    if (!gone_leg.empty() && registry.find_call_of_leg(gone_leg)) registry.remove_leg(gone_leg);
    if (registry.find_call(id)) registry.end_call(id);
    for (const auto& leg : endpoints) remove_endpoint_logged(control, leg);
  });
}

}  // namespace callsup::pbx
