"""Type stubs of callsup.vendor (the C++ vendor terms, bound in callsup._core._vendor)."""

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, Union

from callsup._core import ExtensionProfile, Group, TenantSettings

from . import asterisk_spy as asterisk_spy
from . import lead_center as lead_center
from . import portaswitch as portaswitch
from . import stratus as stratus
from . import tronic as tronic

_TermValue = Union[str, bool]
_Terms = Union[Mapping[str, _TermValue], Iterable[tuple[str, _TermValue]]]
"""Terms by name: {"SPY_PERMISSION": "listen"} or [("SPY_PERMISSION", "listen")]; bool: yes/no."""

class TermInfo:
    """One row of the vendor-terms table."""

    def __init__(
        self, vendor: str = "", record: str = "", term: str = "", values: str = "", setting: str = ""
    ) -> None: ...
    @property
    def vendor(self) -> str: ...
    @property
    def record(self) -> str: ...
    @property
    def term(self) -> str: ...
    @property
    def values(self) -> str: ...
    @property
    def setting(self) -> str: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

def terms() -> list[TermInfo]: ...
def apply_extension_terms(profile: ExtensionProfile, vendor: str, terms: _Terms) -> None: ...
def apply_tenant_terms(tenant: TenantSettings, vendor: str, terms: _Terms) -> None: ...
def apply_group_terms(group: Group, vendor: str, terms: _Terms) -> None: ...

__all__ = [
    "TermInfo",
    "apply_extension_terms",
    "apply_group_terms",
    "apply_tenant_terms",
    "asterisk_spy",
    "lead_center",
    "portaswitch",
    "stratus",
    "terms",
    "tronic",
]
