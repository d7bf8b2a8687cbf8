import enum

from callsup._core import ExtensionProfile

class DisableSpyReading(enum.Enum):
    """What DISABLE_SPY=yes means."""

    cannot_be_monitored = 0
    may_not_monitor = 1

def spy_permission(profile: ExtensionProfile, value: str) -> None: ...
def disable_spy(profile: ExtensionProfile, yes: bool, reading: DisableSpyReading = ...) -> None: ...
def spy_params(profile: ExtensionProfile, letters: str) -> None: ...

__all__ = ["DisableSpyReading", "disable_spy", "spy_params", "spy_permission"]
