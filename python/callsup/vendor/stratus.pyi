import enum

from callsup._core import ExtensionProfile, TenantSettings

class UserRole(enum.Enum):
    """Stratus user roles, lowest first."""

    basic_user = 0
    call_centre_supervisor = 1
    office_manager = 2
    administrator = 3

class SpeakWith(enum.Enum):
    """Whom Stratus's *81 'speak with the caller' speaks to."""

    agent = 0
    caller = 1

def role(profile: ExtensionProfile, value: UserRole) -> None: ...
def speak_with_caller(tenant: TenantSettings, value: SpeakWith) -> None: ...

__all__ = ["SpeakWith", "UserRole", "role", "speak_with_caller"]
