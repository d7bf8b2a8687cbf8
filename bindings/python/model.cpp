// The call model: MediaFormat, Leg and Call, as value classes.
#include "bindings.hpp"

#include "callsup/model/call.hpp"

namespace callsup::python {

void bind_model(py::module_& m) {
  py::class_<MediaFormat> format(m, "MediaFormat", "Media format a leg negotiated (informative).");
  def_struct(format, field("codec", &MediaFormat::codec, "The codec's name, e.g. 'PCMU'."),
             field("clock_rate", &MediaFormat::clock_rate, "Samples per second of the codec."),
             field("ptime_ms", &MediaFormat::ptime_ms, "Audio per packet, in milliseconds."));

  py::class_<Leg> leg(m, "Leg",
                      "One party's connection in a call: an on-net extension or an off-net number. "
                      "A value: the registry keeps its own copy.");
  def_struct(leg, field("id", &Leg::id, "The PBX's id of the leg, unique in the registry."),
             field("extension", &Leg::extension, "On-net: the extension; '' for off-net legs."),
             field("remote_number", &Leg::remote_number, "Off-net: the external number."),
             field("network", &Leg::network, "On-net (an extension) or off-net (a remote number)."),
             field("state", &Leg::state, "Ringing, up, held or gone."),
             field("format", &Leg::format, "The media format it negotiated."));
  leg.def_static("on_net", &Leg::on_net, py::arg("id"), py::arg("extension"),
                 py::arg("state") = LegState::ringing, "A leg of one of the PBX's extensions.")
      .def_static("off_net", &Leg::off_net, py::arg("id"), py::arg("remote_number"),
                  py::arg("state") = LegState::ringing, "A leg of an external number.")
      .def_property_readonly("carries_audio", &Leg::carries_audio, "True when the leg is up.");

  py::class_<Call> call(m, "Call",
                        "A call: its tenant, its legs, whether the media is bridged, and the queue or "
                        "hunt group it came through. The registry hands out copies (snapshots).");
  def_struct(
      call, field("id", &Call::id, "The PBX's id of the call, unique in the registry."),
      field("tenant", &Call::tenant, "The tenant the call belongs to."),
      field("legs", &Call::legs, "Its parties, in the order they joined (gone legs are kept until removed)."),
      field("bridged", &Call::bridged, "True while the media is bridged between the parties."),
      field("group", &Call::group, "The queue or hunt group the call came through; '' when none."),
      field("sequence", &Call::sequence, "Order of creation in the registry (spy-all cycles by it)."));
  call.def(
          "find_leg",
          [](const Call& self, const std::string& leg_id) { return copy_or_none(self.find_leg(leg_id)); },
          py::arg("leg_id"), "The leg with this id, or None.")
      .def(
          "leg_of_extension",
          [](const Call& self, const std::string& extension) {
            return copy_or_none(self.leg_of_extension(extension));
          },
          py::arg("extension"), "The first on-net leg of this extension that has not gone, or None.")
      .def_property_readonly("present_legs", &Call::present_legs, "How many legs have not gone.");
}

}  // namespace callsup::python
