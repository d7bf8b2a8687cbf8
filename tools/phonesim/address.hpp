// callsup: the UDP endpoint type of the phone simulator: the SDK's SocketAddress.
#pragma once

#include "callsup/media/socket_address.hpp"

namespace callsup::sim {

/// An IP address and UDP port. The SDK's own type, so that an engine endpoint's
/// local_address() can be handed to a phone as is. The simulator speaks IPv4 only.
using Address = callsup::SocketAddress;

}  // namespace callsup::sim
