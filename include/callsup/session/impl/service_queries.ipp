// callsup: SupervisionService, read-only queries: sessions and routes.
// Included by callsup/session/supervision_service.hpp (the class and its documentation).
#pragma once

namespace callsup {

CALLSUP_DECL std::optional<SessionInfo> SupervisionService::session(SessionId id) const {
  std::lock_guard lock(mutex_);
  if (auto it = sessions_.find(id); it != sessions_.end()) return it->second.info;
  if (auto it = ended_.find(id); it != ended_.end()) return it->second;
  return std::nullopt;
}

CALLSUP_DECL std::vector<SessionInfo> SupervisionService::sessions() const {
  std::lock_guard lock(mutex_);
  std::vector<SessionInfo> out;
  for (const auto& [id, s] : sessions_) out.push_back(s.info);
  return out;
}

CALLSUP_DECL std::vector<SessionInfo> SupervisionService::sessions_on_call(const CallId& call) const {
  std::lock_guard lock(mutex_);
  std::vector<SessionInfo> out;
  for (const auto& [id, s] : sessions_)
    if (s.info.call == call) out.push_back(s.info);
  return out;
}

CALLSUP_DECL std::shared_ptr<const RouteSet> SupervisionService::routes(const CallId& call) const {
  std::lock_guard lock(mutex_);
  if (auto it = routes_.find(call); it != routes_.end()) return it->second;
  auto it = ended_routes_.find(call);
  return it == ended_routes_.end() ? nullptr : it->second;
}

}  // namespace callsup
