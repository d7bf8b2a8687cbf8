// callsup Python bindings: the parts of bind_media(), one file each, in binding order.
#pragma once

#include <memory>
#include <string>

#include "bindings.hpp"

namespace callsup::python {

/// An __init__ for classes only the SDK makes: a TypeError that says where objects come from,
/// rather than pybind11's "No constructor defined!".
template <class T, class... Extra>
void def_made_by(py::class_<T, Extra...>& cls, const std::string& maker) {
  const std::string what =
      cls.attr("__name__").template cast<std::string>() + " objects are made by " + maker;
  cls.def(py::init([what](const py::args&, const py::kwargs&) -> std::unique_ptr<T> {
            throw py::type_error(what);
          }),
          ("Not for direct use: " + what + ".").c_str());
}

void bind_media_codecs(py::module_& m);     // CodecSpec, Codec, make_codec, parse_rtpmap
void bind_media_srtp(py::module_& m);       // SrtpSuite, SrtpKeyMaterial, SdesCrypto, srtp_backend
void bind_media_endpoints(py::module_& m);  // SocketAddress, SocketMode, EndpointConfig, RtpEndpoint
void bind_media_engine(py::module_& m);     // MonitoringToneConfig, stats, MediaEngineConfig, MediaEngine

}  // namespace callsup::python
