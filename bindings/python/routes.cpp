// callsup Python bindings: routing — Route, RouteSet, SupervisorRoute, Tap, compute_routes.
#include "bindings.hpp"

#include "callsup/routing/compute_routes.hpp"

namespace callsup::python {

namespace {

using namespace pybind11::literals;

void bind_route_enums(py::module_& m) {
  py::native_enum<Channel>(m, "Channel", "enum.Enum", "Where a source lands in a stereo listener's output.")
      .value("mono", Channel::mono)
      .value("left", Channel::left, "the supervised agent, for a stereo supervisor")
      .value("right", Channel::right, "everyone else, for a stereo supervisor")
      .finalize();
}

void bind_route(py::module_& m) {
  py::classh<Route> route(m, "Route",
                          "One one-way audio edge: `to` hears `from_leg` (C++ `from`), scaled by `gain`\n"
                          "(linear, 1.0 = unchanged), on `channel`. The constructor takes keywords only,\n"
                          "so the two legs cannot be swapped: Route(from_leg='a', to='b').");
  def_keyword_struct(route, field("from_leg", &Route::from, "The leg heard."),
                     field("to", &Route::to, "The leg that hears it."),
                     field("gain", &Route::gain, "Linear gain applied to from_leg (1 = unchanged)."),
                     field("channel", &Route::channel,
                           "Where it lands for `to`: mono, or the left or right channel of a stereo mix."));
}

void bind_route_set(py::module_& m) {
  py::classh<RouteSet> set(m, "RouteSet",
                           "Who hears whom in one call, published whole each time the call's routing\n"
                           "changes; `version` increases with each change, `ended` says the call is gone.\n"
                           "Routes are sorted by (to, from_leg). The service hands out copies; after the\n"
                           "call ended, SupervisionService.routes() answers the final set (`ended` true).");
  def_struct(
      set, field("call", &RouteSet::call, "The call these routes belong to."),
      field("version", &RouteSet::version, "Increases each time this call's routes change."),
      field("routes", &RouteSet::routes, "Every route of the call, sorted by (to, from_leg)."),
      field("tone_listeners", &RouteSet::tone_listeners, "The legs that must hear the monitoring tone."),
      field("ended", &RouteSet::ended, "True when the call is gone; drop its media state."));
  set.def(
         "find",
         [](const RouteSet& s, const LegId& listener, const LegId& source) -> std::optional<Route> {
           if (const Route* r = s.find(listener, source)) return *r;
           return std::nullopt;
         },
         py::kw_only(), "listener"_a, "source"_a,
         "The route by which `listener` hears `source`, or None (keywords only).")
      .def("hears", &RouteSet::hears, py::kw_only(), "listener"_a, "source"_a,
           "Whether `listener` hears `source` (keywords only: hears(listener='sup', source='agent')).")
      .def("sources_of", &RouteSet::sources_of, "listener"_a, "The legs `listener` hears, in route order.")
      .def("listeners_of", &RouteSet::listeners_of, "source"_a,
           "The legs that hear `source`, in route order.")
      .def("same_routing", &RouteSet::same_routing, "other"_a, "Same audio behaviour (ignores version).");
}

void bind_supervisor_route(py::module_& m) {
  py::classh<SupervisorRoute> route(m, "SupervisorRoute",
                                    "One supervision session as compute_routes sees it.");
  def_struct(route, field("supervisor_leg", &SupervisorRoute::supervisor_leg, "The supervisor's leg."),
             field("supervisor_up", &SupervisorRoute::supervisor_up,
                   "False while the supervisor's own leg is held or gone."),
             field("mode", &SupervisorRoute::mode, "Listen, whisper or barge."),
             field("target_leg", &SupervisorRoute::target_leg,
                   "The supervised agent's leg (left channel in stereo)."),
             field("whisper_leg", &SupervisorRoute::whisper_leg, "Who hears a whisper; '' means target_leg."),
             field("direction", &SupervisorRoute::direction,
                   "In listen: whom the supervisor hears (both parties, or only one side)."),
             field("stereo", &SupervisorRoute::stereo, "Agent on the left, everyone else on the right."),
             field("private_whisper", &SupervisorRoute::private_whisper,
                   "While whispering the supervisor hears nothing."),
             field("gain", &SupervisorRoute::gain, "Linear gain applied to everything the supervisor hears."),
             field("monitoring_tone", &SupervisorRoute::monitoring_tone,
                   "The parties hear a periodic monitoring tone."));
  route.def_property_readonly("whisper_target", &SupervisorRoute::whisper_target,
                              "Who hears the whisper: whisper_leg, or target_leg when that is empty.");
}

void bind_tap(py::module_& m) {
  py::classh<Tap> tap(m, "Tap",
                      "A recorder or transcriber attached to a call: hears, is never heard;\n"
                      "`hears_whisper` for compliance recording that must include whispers.");
  def_struct(tap, field("id", &Tap::id, "The tap's own leg id, unique in the call."),
             field("hears_whisper", &Tap::hears_whisper,
                   "True for compliance recording that must include whispers."));
}

}  // namespace

void bind_routes(py::module_& m) {
  bind_route_enums(m);
  bind_route(m);
  bind_route_set(m);
  bind_supervisor_route(m);
  bind_tap(m);

  m.def(
      "compute_routes",
      [](const Call& call, const std::vector<SupervisorRoute>& supervisors, const std::vector<Tap>& taps) {
        return compute_routes(call, supervisors, taps);
      },
      "call"_a, "supervisors"_a = std::vector<SupervisorRoute>(), "taps"_a = std::vector<Tap>(),
      "Who hears whom in `call` with these supervisors and taps (the table of docs/architecture.md).\n"
      "Raises callsup.Error (duplicate_id, invalid_argument) naming a supervisor or tap whose id\n"
      "is empty or already used on the call.");
  m.def("volume_gain", &volume_gain, "step"_a, "Linear gain of a volume step: 3 dB per step.");
}

}  // namespace callsup::python
