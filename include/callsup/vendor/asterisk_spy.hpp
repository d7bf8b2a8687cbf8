// callsup: the per-user spy variables of Asterisk-based PBXs (the *91/*92/*93 plan):
// SPY_PERMISSION, DISABLE_SPY and SPY_PARAMS, each one setting of an extension's profile.
#pragma once

#include <string_view>

#include "callsup/model/profile.hpp"
#include "callsup/session/session_options.hpp"

namespace callsup::vendor::asterisk_spy {

/// `SPY_PERMISSION` = listen / whisper / barge: may spy on any extension of its tenant up to
/// that mode (ChanSpy knows no scopes); `no` (or empty): may not spy. Throws
/// Error(invalid_argument) naming any other value.
inline void spy_permission(ExtensionProfile& profile, std::string_view value) {
  if (value.empty() || value == "no" || value == "none") {
    profile.can_supervise = false;
    profile.granted_modes = ModeSet::none();
    profile.scope = SupervisionScope::assigned;
    return;
  }
  const auto mode = mode_from_string(value);
  if (!mode)
    throw Error(errc::invalid_argument,
                "SPY_PERMISSION is " + quoted(value) + ", expected listen, whisper, barge or no");
  profile.can_supervise = true;
  profile.granted_modes = ModeSet::up_to(*mode);
  profile.scope = SupervisionScope::tenant;
}

/// What `DISABLE_SPY=yes` means. Admins of these PBXs set it on the users who must not be
/// listened to (the privacy reading is the default); some set it to take the right to spy away.
enum class DisableSpyReading : std::uint8_t {
  cannot_be_monitored,  ///< privacy: nobody may spy on a call of this user (default)
  may_not_monitor,      ///< this user may not spy on others (SPY_PERMISSION is overruled)
};

/// The reading's name as the directory JSON writes it.
constexpr std::string_view to_string(DisableSpyReading reading) noexcept {
  return reading == DisableSpyReading::cannot_be_monitored ? "cannot_be_monitored" : "may_not_monitor";
}

/// The reading named `text`; throws Error(invalid_argument) naming it when there is none.
inline DisableSpyReading parse_disable_spy_reading(std::string_view text) {
  if (text == "cannot_be_monitored") return DisableSpyReading::cannot_be_monitored;
  if (text == "may_not_monitor") return DisableSpyReading::may_not_monitor;
  throw Error(errc::invalid_argument, "DISABLE_SPY reading " + quoted(text) +
                                          " is unknown (expected cannot_be_monitored or may_not_monitor)");
}

/// `DISABLE_SPY` = yes / no, read as `reading` says.
inline void disable_spy(ExtensionProfile& profile, bool yes,
                        DisableSpyReading reading = DisableSpyReading::cannot_be_monitored) {
  if (reading == DisableSpyReading::cannot_be_monitored) {
    profile.privacy = yes;
  } else if (yes) {
    profile.can_supervise = false;
  }
}

/// `SPY_PARAMS` = ChanSpy option letters ("Ssb"): the user's own session defaults. The
/// dialled code still decides the mode. Throws Error(invalid_argument) for bad letters.
inline void spy_params(ExtensionProfile& profile, std::string_view letters) {
  profile.session_defaults = chanspy_defaults(letters);
}

}  // namespace callsup::vendor::asterisk_spy
