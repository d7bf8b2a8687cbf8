// callsup Python bindings: the media plane (codecs, SRTP keys, endpoints, the engine).
#include "media_bindings.hpp"

namespace callsup::python {

void bind_media(py::module_& m) {
  bind_media_codecs(m);
  bind_media_srtp(m);
  bind_media_endpoints(m);
  bind_media_engine(m);
}

}  // namespace callsup::python
