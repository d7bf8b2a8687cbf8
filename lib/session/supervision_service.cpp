// callsup: SupervisionService compiled once for everything that links callsup::callsup
// (CALLSUP_SEPARATE_COMPILATION; see callsup/detail/config.hpp).
#include "callsup/session/supervision_service.hpp"

#include "callsup/session/impl/service.ipp"
