// callsup-pbx: a call's legs.
#include "call.hpp"

#include "libre.hpp"

namespace callsup::pbx {

SipLeg::~SipLeg() {
  mem_deref(answer);
  mem_deref(session);  // libre sends BYE (established) or CANCEL (ringing) as the dialog needs
  if (ports && sdp) ports->release(sdp->port());
}

std::string Call::who() const { return from + " -> " + dialled + " (" + id + ")"; }

}  // namespace callsup::pbx
