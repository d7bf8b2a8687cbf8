// callsup Python bindings: the parts of bind_service(), one file each, in binding order.
#pragma once

#include "bindings.hpp"

namespace callsup::python {

void bind_session_values(
    py::module_& m);  // SessionState, SessionOptions, StartRequest, StartOutcome, SessionInfo
void bind_service_config(py::module_& m);       // ServiceConfig
void bind_supervision_service(py::module_& m);  // SupervisionService

}  // namespace callsup::python
