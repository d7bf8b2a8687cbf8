// callsup: Stratus's user roles (basic user, call-centre supervisor, office manager,
// administrator) and its "speak with the caller" key, each one setting.
#pragma once

#include <string_view>

#include "callsup/model/profile.hpp"

namespace callsup::vendor::stratus {

/// Stratus user roles, lowest first.
enum class UserRole : std::uint8_t {
  basic_user,              ///< 007 phone code only, on the users it is allowed (its allow-list)
  call_centre_supervisor,  ///< the call centres (groups) it supervises; phone and web Audio Monitoring
  office_manager,          ///< every user of its office (site); phone and web
  administrator,           ///< every user of the tenant; phone and web
};

/// The role's name as Stratus writes it.
constexpr std::string_view to_string(UserRole role) noexcept {
  switch (role) {
  case UserRole::basic_user: return "basic_user";
  case UserRole::call_centre_supervisor: return "call_centre_supervisor";
  case UserRole::office_manager: return "office_manager";
  case UserRole::administrator: return "administrator";
  }
  return "unknown";
}

/// The role named `text`; throws Error(invalid_argument) naming it when there is none.
inline UserRole parse_user_role(std::string_view text) {
  for (UserRole role : {UserRole::basic_user, UserRole::call_centre_supervisor, UserRole::office_manager,
                        UserRole::administrator})
    if (to_string(role) == text) return role;
  throw Error(errc::invalid_argument,
              "unknown Stratus role " + quoted(text) +
                  " (expected basic_user, call_centre_supervisor, office_manager or administrator)");
}

/// Gives the profile what the role gives a Stratus user: every role may monitor (listen,
/// whisper with *81, barge with *82); basic users by the 007 phone code only (the web Audio
/// Monitoring tool is for call-centre supervisors and above); the scope follows the role.
/// An office manager with no managed sites manages its own site.
inline void role(ExtensionProfile& profile, UserRole value) {
  profile.can_supervise = true;
  profile.granted_modes = ModeSet::all();
  profile.scope = SupervisionScope::assigned;
  profile.channels = value == UserRole::basic_user ? ChannelSet::phone() : ChannelSet::all();
  switch (value) {
  case UserRole::basic_user: profile.roles = {Role::agent}; break;
  case UserRole::call_centre_supervisor: profile.roles = {Role::supervisor}; break;
  case UserRole::office_manager:
    profile.roles = {Role::site_manager};
    if (profile.managed_sites.empty() && !profile.site.empty()) profile.managed_sites = {profile.site};
    break;
  case UserRole::administrator: profile.roles = {Role::tenant_admin}; break;
  }
}

/// Whom Stratus's *81 "speak with the caller" speaks to. The same help page says whisper
/// reaches the agent only, and Stratus admins train supervisors that way: `agent` is the
/// default; `caller` whispers to the other party (the customer) instead.
enum class SpeakWith : std::uint8_t { agent, caller };

/// The value named `text` ("agent", "caller"); throws Error(invalid_argument) naming it otherwise.
inline SpeakWith parse_speak_with(std::string_view text) {
  if (text == "agent") return SpeakWith::agent;
  if (text == "caller") return SpeakWith::caller;
  throw Error(errc::invalid_argument, "speak_with_caller is " + quoted(text) + ", expected agent or caller");
}

/// The tenant's reading of *81 (a tenant session default: whisper_to).
inline void speak_with_caller(TenantSettings& tenant, SpeakWith value) {
  tenant.session_defaults.whisper_to = value == SpeakWith::agent ? WhisperTo::target : WhisperTo::other_party;
}

}  // namespace callsup::vendor::stratus
