// callsup: connect_media, the service -> engine and engine -> service wiring.
#include "callsup/supervised_media.hpp"

namespace callsup {

SupervisedMedia connect_media(SupervisionService& service, MediaEngine& engine) {
  auto routes = service.add_route_observer(
      [&engine](const SupervisionService::OnRoutesParam& p) { engine.update_routes(p.routes); });
  auto digits = engine.on_dtmf(
      [&service](const MediaEngine::OnDtmfParam& p) { service.dtmf_from_leg(p.leg, p.digit); });
  return SupervisedMedia(std::move(routes), std::move(digits));
}

}  // namespace callsup
