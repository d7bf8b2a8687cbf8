// callsup: every definition of SupervisionService, one file per concern. Included by
// callsup/session/supervision_service.hpp when header-only, and compiled once by
// lib/session/supervision_service.cpp under CALLSUP_SEPARATE_COMPILATION.
#pragma once

#include "callsup/detail/config.hpp"

#include "callsup/session/impl/service_candidates.ipp"
#include "callsup/session/impl/service_deciding.ipp"
#include "callsup/session/impl/service_delivery.ipp"
#include "callsup/session/impl/service_lifecycle.ipp"
#include "callsup/session/impl/service_plans.ipp"
#include "callsup/session/impl/service_queries.ipp"
#include "callsup/session/impl/service_reactions.ipp"
#include "callsup/session/impl/service_routes.ipp"
#include "callsup/session/impl/service_starting.ipp"
#include "callsup/session/impl/service_switching.ipp"
