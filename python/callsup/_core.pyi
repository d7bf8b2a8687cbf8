# Over 400 lines: the stub mirrors the whole extension module callsup._core, one API listing.
"""Type stubs of callsup._core, the C++ SDK bound with pybind11 (hand-written, checked by
mypy.stubtest). Every class here is re-exported by the callsup package."""

import enum
from collections.abc import Callable, Iterable, Iterator, Sequence, Set
from datetime import timedelta
from os import PathLike
from typing import Any, ClassVar, SupportsIndex, Union

from .aio import EventStream  # the methods callsup/__init__.py installs (events(), changes())
from .session import Session  # service.session_handle(), installed by callsup/__init__.py

__version__: str

# --- errors -------------------------------------------------------------------------------

class ErrorCode(enum.Enum):
    """What a callsup.Error is about (C++ callsup::errc)."""

    invalid_argument = 1
    unknown_extension = 2
    unknown_tenant = 3
    unknown_group = 4
    unknown_call = 5
    unknown_leg = 6
    unknown_session = 7
    duplicate_id = 8
    malformed_dial_string = 9
    invalid_plan = 10
    session_ended = 11
    malformed_directory = 12
    io_error = 13

# --- enums --------------------------------------------------------------------------------

class Mode(enum.Enum):
    """Supervision mode. Ordered by value: listen (0) < whisper (1) < barge (2)."""

    listen = 0
    whisper = 1
    barge = 2

class Network(enum.Enum):
    on_net = 0
    off_net = 1

class LegState(enum.Enum):
    ringing = 0
    up = 1
    held = 2
    gone = 3

class Role(enum.Enum):
    agent = 0
    supervisor = 1
    site_manager = 2
    tenant_admin = 3

class RegistryEventKind(enum.Enum):
    call_added = 0
    leg_added = 1
    leg_state_changed = 2
    bridge_changed = 3
    leg_transferred = 4
    leg_removed = 5
    call_ended = 6

class WhisperTo(enum.Enum):
    target = 0
    other_party = 1

class SupervisionScope(enum.Enum):
    """How far an extension's supervision reaches beyond its roles, sites, groups, allow-list."""

    assigned = 0
    tenant = 1

class RequestChannel(enum.Enum):
    """How a supervision request reached the service."""

    feature_code = 0
    dtmf = 1
    api = 2
    web = 3

def parse_request_channel(text: str) -> RequestChannel: ...
def request_channel_from_string(text: str) -> RequestChannel | None: ...
def parse_supervision_scope(text: str) -> SupervisionScope: ...

# --- ModeSet ------------------------------------------------------------------------------

_Modes = Union["ModeSet", Iterable[Mode]]
"""Where a ModeSet is taken, any iterable of Mode converts to one."""

class ModeSet:
    """An immutable set of modes; behaves like a frozenset of Mode."""

    def __init__(self, modes: Iterable[Mode] = ()) -> None: ...
    @staticmethod
    def none() -> ModeSet: ...
    @staticmethod
    def all() -> ModeSet: ...
    @staticmethod
    def up_to(highest: Mode) -> ModeSet: ...
    @staticmethod
    def from_bits(bits: int) -> ModeSet: ...
    @property
    def bits(self) -> int: ...
    @property
    def highest(self) -> Mode | None: ...
    def __contains__(self, item: object) -> bool: ...
    def __iter__(self) -> Iterator[Mode]: ...
    def __len__(self) -> int: ...
    def __bool__(self) -> bool: ...
    def __or__(self, other: _Modes) -> ModeSet: ...
    def __ror__(self, other: _Modes) -> ModeSet: ...
    def __and__(self, other: _Modes) -> ModeSet: ...
    def __rand__(self, other: _Modes) -> ModeSet: ...
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

# --- ChannelSet ---------------------------------------------------------------------------

_Channels = Union["ChannelSet", Iterable[RequestChannel]]
"""Where a ChannelSet is taken, any iterable of RequestChannel converts to one."""

class ChannelSet:
    """The request channels an extension may supervise through; a small mutable set of
    RequestChannel (add/remove change it in place), therefore unhashable."""

    def __init__(self, channels: Iterable[RequestChannel] = ()) -> None: ...
    @staticmethod
    def none() -> ChannelSet: ...
    @staticmethod
    def all() -> ChannelSet: ...
    @staticmethod
    def phone() -> ChannelSet: ...
    @staticmethod
    def from_bits(bits: int) -> ChannelSet: ...
    @property
    def bits(self) -> int: ...
    def add(self, channel: RequestChannel) -> None: ...
    def remove(self, channel: RequestChannel) -> None: ...
    def __contains__(self, item: object) -> bool: ...
    def __iter__(self) -> Iterator[RequestChannel]: ...
    def __len__(self) -> int: ...
    def __bool__(self) -> bool: ...
    def __or__(self, other: _Channels) -> ChannelSet: ...
    def __ror__(self, other: _Channels) -> ChannelSet: ...
    def __and__(self, other: _Channels) -> ChannelSet: ...
    def __rand__(self, other: _Channels) -> ChannelSet: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

# --- SessionDefaults ----------------------------------------------------------------------

class SessionDefaults:
    """Session defaults one layer sets (plan < tenant < extension); None: the layer below decides."""

    exit_on_target_hangup: bool | None
    stop_when_none_left: bool | None
    bridged_only: bool | None
    announce: bool | None
    private_whisper: bool | None
    listen_direction: ListenDirection | None
    stereo: bool | None
    volume_step: int | None
    agent_leaves_in_barge: AgentLeavesInBarge | None
    notify_agent: bool | None
    monitoring_tone: bool | None
    follow_on_transfer: bool | None
    pre_arm: bool | None
    whisper_to: WhisperTo | None
    def __init__(
        self,
        exit_on_target_hangup: bool | None = None,
        stop_when_none_left: bool | None = None,
        bridged_only: bool | None = None,
        announce: bool | None = None,
        private_whisper: bool | None = None,
        listen_direction: ListenDirection | None = None,
        stereo: bool | None = None,
        volume_step: int | None = None,
        agent_leaves_in_barge: AgentLeavesInBarge | None = None,
        notify_agent: bool | None = None,
        monitoring_tone: bool | None = None,
        follow_on_transfer: bool | None = None,
        pre_arm: bool | None = None,
        whisper_to: WhisperTo | None = None,
    ) -> None: ...
    def empty(self) -> bool: ...
    def validate(self) -> None: ...
    def over(self, below: SessionDefaults) -> SessionDefaults: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

# --- call model ---------------------------------------------------------------------------

class MediaFormat:
    codec: str
    clock_rate: int
    ptime_ms: int
    def __init__(self, codec: str = "PCMU", clock_rate: int = 8000, ptime_ms: int = 20) -> None: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

class Leg:
    """One party's connection in a call. A value: the registry keeps its own copy."""

    id: str
    extension: str
    remote_number: str
    network: Network
    state: LegState
    format: MediaFormat
    def __init__(
        self,
        id: str = "",
        extension: str = "",
        remote_number: str = "",
        network: Network = ...,
        state: LegState = ...,
        format: MediaFormat = ...,
    ) -> None: ...
    @staticmethod
    def on_net(id: str, extension: str, state: LegState = ...) -> Leg: ...
    @staticmethod
    def off_net(id: str, remote_number: str, state: LegState = ...) -> Leg: ...
    @property
    def carries_audio(self) -> bool: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

class Call:
    """A call. The registry hands out copies (snapshots)."""

    id: str
    tenant: str
    @property
    def legs(self) -> tuple[Leg, ...]: ...
    @legs.setter
    def legs(self, value: Sequence[Leg]) -> None: ...
    bridged: bool
    group: str
    sequence: int
    def __init__(
        self,
        id: str = "",
        tenant: str = "",
        legs: Sequence[Leg] = (),
        bridged: bool = False,
        group: str = "",
        sequence: int = 0,
    ) -> None: ...
    def find_leg(self, leg_id: str) -> Leg | None: ...
    def leg_of_extension(self, extension: str) -> Leg | None: ...
    @property
    def present_legs(self) -> int: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

class RegistryEvent:
    """One change of the CallRegistry, as its subscribers get it."""

    @property
    def kind(self) -> RegistryEventKind: ...
    @property
    def call(self) -> Call: ...
    @property
    def leg_id(self) -> str: ...
    @property
    def new_leg_id(self) -> str: ...
    @property
    def removed_leg(self) -> Leg | None: ...
    @property
    def old_state(self) -> LegState | None: ...

class Subscription:
    """A registration (a sink, an observer, a handler). close() or leaving a `with` block ends it;
    a Subscription dropped unclosed keeps the registration for as long as its source lives."""
    def close(self) -> None: ...
    @property
    def active(self) -> bool: ...
    def __enter__(self) -> Subscription: ...
    def __exit__(self, exc_type: object, exc_value: object, traceback: object) -> None: ...

class SupervisedMedia:
    """A SupervisionService and a MediaEngine joined by connect_media()."""
    def close(self) -> None: ...
    @property
    def connected(self) -> bool: ...
    def __enter__(self) -> SupervisedMedia: ...
    def __exit__(self, exc_type: object, exc_value: object, traceback: object) -> None: ...

class CallRegistry:
    """The live calls, fed by the PBX. Thread-safe; lookups return copies."""

    def __init__(self) -> None: ...
    def add_call(self, call_id: str, tenant: str, group: str = "") -> None: ...
    def add_leg(self, call_id: str, leg: Leg) -> None: ...
    def answer(self, leg_id: str) -> None: ...
    def hold(self, leg_id: str) -> None: ...
    def unhold(self, leg_id: str) -> None: ...
    def set_state(self, leg_id: str, state: LegState) -> None: ...
    def bridge(self, call_id: str, bridged: bool = True) -> None: ...
    def transfer(self, call_id: str, from_leg: str, to: Leg) -> None: ...
    def remove_leg(self, leg_id: str) -> None: ...
    def end_call(self, call_id: str) -> None: ...
    def find_call(self, call_id: str) -> Call | None: ...
    def call(self, call_id: str) -> Call: ...
    def find_call_of_leg(self, leg_id: str) -> Call | None: ...
    def calls_of_extension(self, extension: str) -> list[Call]: ...
    def all_calls(self) -> list[Call]: ...
    def __len__(self) -> int: ...
    def __contains__(self, call_id: object) -> bool: ...
    def subscribe(self, callback: Callable[[RegistryEvent], object]) -> Subscription: ...
    def changes(self, *, maxsize: int = 0) -> EventStream[RegistryEvent]: ...  # callsup.aio
    @property
    def observer_failures(self) -> int: ...

# --- directory ----------------------------------------------------------------------------

class ExtensionProfile:
    """One extension's supervision profile."""

    extension: str
    tenant: str
    site: str
    display_name: str
    @property
    def roles(self) -> tuple[Role, ...]: ...
    @roles.setter
    def roles(self, value: Sequence[Role]) -> None: ...
    can_supervise: bool
    @property
    def granted_modes(self) -> ModeSet: ...
    @granted_modes.setter
    def granted_modes(self, value: _Modes) -> None: ...
    privacy: bool
    @property
    def managed_sites(self) -> tuple[str, ...]: ...
    @managed_sites.setter
    def managed_sites(self, value: Sequence[str]) -> None: ...
    @property
    def allow_list(self) -> tuple[str, ...]: ...
    @allow_list.setter
    def allow_list(self, value: Sequence[str]) -> None: ...
    scope: SupervisionScope
    @property
    def channels(self) -> ChannelSet: ...
    @channels.setter
    def channels(self, value: _Channels) -> None: ...
    session_defaults: SessionDefaults
    def __init__(
        self,
        extension: str = "",
        tenant: str = "",
        site: str = "",
        display_name: str = "",
        roles: Sequence[Role] = (),
        can_supervise: bool = False,
        granted_modes: _Modes = ...,
        privacy: bool = False,
        managed_sites: Sequence[str] = (),
        allow_list: Sequence[str] = (),
        scope: SupervisionScope = ...,
        channels: _Channels = ...,
        session_defaults: SessionDefaults = ...,
    ) -> None: ...
    def has_role(self, role: Role) -> bool: ...
    def manages_site(self, site: str) -> bool: ...
    def allows(self, target: str) -> bool: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

class Group:
    """A hunt group or queue: its members and the extensions supervising it."""

    name: str
    tenant: str
    @property
    def members(self) -> tuple[str, ...]: ...
    @members.setter
    def members(self, value: Sequence[str]) -> None: ...
    @property
    def supervisors(self) -> tuple[str, ...]: ...
    @supervisors.setter
    def supervisors(self, value: Sequence[str]) -> None: ...
    supervision_allowed: bool
    def __init__(
        self,
        name: str = "",
        tenant: str = "",
        members: Sequence[str] = (),
        supervisors: Sequence[str] = (),
        supervision_allowed: bool = True,
    ) -> None: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

class Site:
    name: str
    tenant: str
    def __init__(self, name: str = "", tenant: str = "") -> None: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

class SupervisionLimits:
    max_supervisors_per_call: int
    max_bargers_per_call: int
    def __init__(self, max_supervisors_per_call: int = 3, max_bargers_per_call: int = 1) -> None: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

class TenantSettings:
    name: str
    supervision_enabled: bool
    feature_code_plan: str
    limits: SupervisionLimits
    bridged_only: bool
    whisper_topology_rule: bool
    session_defaults: SessionDefaults
    def __init__(
        self,
        name: str = "",
        supervision_enabled: bool = True,
        feature_code_plan: str = "portaswitch",
        limits: SupervisionLimits = ...,
        bridged_only: bool = False,
        whisper_topology_rule: bool = False,
        session_defaults: SessionDefaults = ...,
    ) -> None: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

class DirectoryChange:
    """What changed in the directory."""

    class Kind(enum.Enum):
        tenant = 0
        site = 1
        extension = 2
        group = 3

    @property
    def kind(self) -> DirectoryChange.Kind: ...
    @property
    def name(self) -> str: ...
    @property
    def removed(self) -> bool: ...
    @property
    def version(self) -> int: ...
    def __init__(
        self, kind: DirectoryChange.Kind = ..., name: str = "", removed: bool = False, version: int = 0
    ) -> None: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

class Directory:
    """Tenants, sites, extensions and groups. Thread-safe; lookups return copies."""

    def __init__(self) -> None: ...
    def set_tenant(self, settings: TenantSettings) -> None: ...
    def add_site(self, site: Site) -> None: ...
    def add_extension(self, profile: ExtensionProfile) -> None: ...
    def update_extension(self, profile: ExtensionProfile) -> None: ...
    def remove_extension(self, extension: str) -> None: ...
    def add_group(self, group: Group) -> None: ...
    def update_group(self, group: Group) -> None: ...
    def remove_group(self, name: str) -> None: ...
    def load_json(self, text: str) -> None: ...
    def load_dict(self, document: Any) -> None: ...
    def load_file(self, path: str | PathLike[str]) -> None: ...
    def find_extension(self, extension: str) -> ExtensionProfile | None: ...
    def extension(self, extension: str) -> ExtensionProfile: ...
    def find_tenant(self, name: str) -> TenantSettings | None: ...
    def tenant(self, name: str) -> TenantSettings: ...
    def find_group(self, name: str) -> Group | None: ...
    def has_site(self, name: str) -> bool: ...
    def supervises_member(self, supervisor: str, member: str) -> bool: ...
    def supervises_group(self, supervisor: str, group: str) -> bool: ...
    def extension_lengths(self) -> frozenset[int]: ...
    def extensions(self) -> list[str]: ...
    @property
    def extension_count(self) -> int: ...
    @property
    def version(self) -> int: ...
    def subscribe(self, callback: Callable[[DirectoryChange], object]) -> Subscription: ...
    def changes(self, *, maxsize: int = 0) -> EventStream[DirectoryChange]: ...  # callsup.aio
    @property
    def observer_failures(self) -> int: ...

# --- feature-code plans -------------------------------------------------------------------

class DtmfCommand:
    """What a DTMF code asks the running session to do."""

    class Action(enum.Enum):
        switch_mode = 0
        next_target = 1
        exit = 2

    action: DtmfCommand.Action
    mode: Mode
    whisper_to: WhisperTo | None
    def __init__(
        self, action: DtmfCommand.Action = ..., mode: Mode = ..., whisper_to: WhisperTo | None = None
    ) -> None: ...
    @staticmethod
    def switch_to(mode: Mode, whisper_to: WhisperTo | None = None) -> DtmfCommand: ...
    @staticmethod
    def next() -> DtmfCommand: ...
    @staticmethod
    def leave() -> DtmfCommand: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

class DialCode:
    prefix: str
    mode: Mode
    def __init__(self, prefix: str = "", mode: Mode = ...) -> None: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

class DtmfCode:
    digits: str
    command: DtmfCommand
    def __init__(self, digits: str = "", command: DtmfCommand = ...) -> None: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

class FeatureCodePlan:
    """The supervision codes of one PBX (or tenant)."""

    name: str
    @property
    def dial_codes(self) -> tuple[DialCode, ...]: ...
    @dial_codes.setter
    def dial_codes(self, value: Sequence[DialCode]) -> None: ...
    spy_any_code: str
    spy_any_mode: Mode
    @property
    def dtmf_codes(self) -> tuple[DtmfCode, ...]: ...
    @dtmf_codes.setter
    def dtmf_codes(self, value: Sequence[DtmfCode]) -> None: ...
    inter_digit_timeout: timedelta
    session_defaults: SessionDefaults
    def __init__(
        self,
        name: str = "",
        dial_codes: Sequence[DialCode] = (),
        spy_any_code: str = "",
        spy_any_mode: Mode = ...,
        dtmf_codes: Sequence[DtmfCode] = (),
        inter_digit_timeout: timedelta = ...,
        session_defaults: SessionDefaults = ...,
    ) -> None: ...
    def key_for(self, mode: Mode) -> str | None: ...
    def dial_code_for(self, mode: Mode) -> str | None: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

class PlanContext:
    """What the PBX around a plan looks like."""

    @property
    def extension_lengths(self) -> frozenset[int]: ...
    @extension_lengths.setter
    def extension_lengths(self, value: Set[int]) -> None: ...
    @property
    def reserved_codes(self) -> tuple[str, ...]: ...
    @reserved_codes.setter
    def reserved_codes(self, value: Sequence[str]) -> None: ...
    def __init__(self, extension_lengths: Set[int] = ..., reserved_codes: Sequence[str] = ()) -> None: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

def plan_problems(plan: FeatureCodePlan, context: PlanContext = ...) -> list[str]: ...
def validate(plan: FeatureCodePlan, context: PlanContext = ...) -> None: ...
def preset_names() -> list[str]: ...
def preset(name: str) -> FeatureCodePlan: ...
def portaswitch_plan() -> FeatureCodePlan: ...
def star91_plan() -> FeatureCodePlan: ...
def stratus_plan() -> FeatureCodePlan: ...
def tronic_plan() -> FeatureCodePlan: ...
def asterisk_chanspy_plan() -> FeatureCodePlan: ...
def freeswitch_eavesdrop_plan() -> FeatureCodePlan: ...

# --- clocks -------------------------------------------------------------------------------

class Clock:
    """A monotonic clock (abstract). Times are timedeltas since the clock's epoch."""

    def now(self) -> timedelta: ...

class SteadyClock(Clock):
    def __init__(self) -> None: ...

class ManualClock(Clock):
    def __init__(self, start: timedelta = ...) -> None: ...
    def advance(self, step: timedelta) -> None: ...
    def set(self, when: timedelta) -> None: ...

# --- dial strings and DTMF ----------------------------------------------------------------

class DialRequest:
    mode: Mode
    target: str
    any_call: bool
    code: str
    def __init__(
        self, mode: Mode = ..., target: str = "", any_call: bool = False, code: str = ""
    ) -> None: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

class DtmfResult:
    """The outcome of one DtmfSwitch.feed or poll."""

    class Kind(enum.Enum):
        pending = 0
        command = 1
        unrecognised = 2
        timed_out = 3

    kind: DtmfResult.Kind
    command: DtmfCommand
    digits: str
    def __init__(self, kind: DtmfResult.Kind = ..., command: DtmfCommand = ..., digits: str = "") -> None: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

class DialParser:
    """Recognises supervision codes in dialled strings. Immutable."""

    def __init__(self, plan: FeatureCodePlan) -> None: ...
    def parse(self, dialled: str) -> DialRequest | None: ...
    @property
    def plan(self) -> FeatureCodePlan: ...

class DtmfSwitch:
    """Turns one supervisor's DTMF digits into commands. Not thread-safe."""

    def __init__(self, plan: FeatureCodePlan, clock: Clock | None = None) -> None: ...
    def feed(self, digit: str) -> DtmfResult: ...
    @staticmethod
    def check_digit(digit: str) -> str: ...
    def poll(self) -> DtmfResult: ...
    def reset(self) -> None: ...
    @property
    def pending(self) -> str: ...
    @property
    def plan(self) -> FeatureCodePlan: ...

__all__: tuple[str, ...] = (
    "Call",
    "CallRegistry",
    "ChannelSet",
    "Clock",
    "DialCode",
    "DialParser",
    "DialRequest",
    "Directory",
    "DirectoryChange",
    "DtmfCode",
    "DtmfCommand",
    "DtmfResult",
    "DtmfSwitch",
    "ErrorCode",
    "ExtensionProfile",
    "FeatureCodePlan",
    "Group",
    "Leg",
    "LegState",
    "ManualClock",
    "MediaFormat",
    "Mode",
    "ModeSet",
    "Network",
    "PlanContext",
    "RegistryEvent",
    "RegistryEventKind",
    "RequestChannel",
    "Role",
    "SessionDefaults",
    "Site",
    "SteadyClock",
    "SupervisionLimits",
    "SupervisionScope",
    "TenantSettings",
    "WhisperTo",
    "asterisk_chanspy_plan",
    "freeswitch_eavesdrop_plan",
    "parse_request_channel",
    "parse_supervision_scope",
    "plan_problems",
    "portaswitch_plan",
    "preset",
    "preset_names",
    "request_channel_from_string",
    "star91_plan",
    "stratus_plan",
    "tronic_plan",
    "validate",
)

# --- P2: policy/routes/audit/events/service ---
# (add this section's public names with `__all__ += ("Name", ...)`)

from datetime import datetime

# --- routes -------------------------------------------------------------------------------

class Channel(enum.Enum):
    """Where a source lands in a stereo listener's output."""

    mono = 0
    left = 1
    right = 2

class ListenDirection(enum.Enum):
    """Which parties a listening or whispering supervisor hears."""

    both = 0
    agent_only = 1
    customer_only = 2

class Route:
    """One one-way audio edge: `to` hears `from_leg` (C++ `from`), scaled by `gain`, on `channel`.
    Keyword arguments only: Route(from_leg="a", to="b")."""

    from_leg: str
    to: str
    gain: float
    channel: Channel
    def __init__(self, *, from_leg: str = "", to: str = "", gain: float = 1.0, channel: Channel = ...) -> None: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

class RouteSet:
    """Who hears whom in one call; a new set (version + 1) each time the routing changes."""

    call: str
    version: int
    @property
    def routes(self) -> tuple[Route, ...]: ...
    @routes.setter
    def routes(self, value: Sequence[Route]) -> None: ...
    @property
    def tone_listeners(self) -> tuple[str, ...]: ...
    @tone_listeners.setter
    def tone_listeners(self, value: Sequence[str]) -> None: ...
    ended: bool
    def __init__(
        self,
        call: str = "",
        version: int = 0,
        routes: Sequence[Route] = (),
        tone_listeners: Sequence[str] = (),
        ended: bool = False,
    ) -> None: ...
    def find(self, *, listener: str, source: str) -> Route | None: ...
    def hears(self, *, listener: str, source: str) -> bool: ...
    def sources_of(self, listener: str) -> list[str]: ...
    def listeners_of(self, source: str) -> list[str]: ...
    def same_routing(self, other: RouteSet) -> bool: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

class SupervisorRoute:
    """One supervision session as compute_routes sees it."""

    supervisor_leg: str
    supervisor_up: bool
    mode: Mode
    target_leg: str
    whisper_leg: str
    direction: ListenDirection
    stereo: bool
    private_whisper: bool
    gain: float
    monitoring_tone: bool
    def __init__(
        self,
        supervisor_leg: str = "",
        supervisor_up: bool = True,
        mode: Mode = ...,
        target_leg: str = "",
        whisper_leg: str = "",
        direction: ListenDirection = ...,
        stereo: bool = False,
        private_whisper: bool = False,
        gain: float = 1.0,
        monitoring_tone: bool = False,
    ) -> None: ...
    @property
    def whisper_target(self) -> str: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

class Tap:
    """A recorder or transcriber attached to a call: hears, is never heard."""

    id: str
    hears_whisper: bool
    def __init__(self, id: str = "", hears_whisper: bool = False) -> None: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

def compute_routes(call: Call, supervisors: Sequence[SupervisorRoute] = ..., taps: Sequence[Tap] = ...) -> RouteSet: ...
def volume_gain(step: int) -> float: ...

# --- policy -------------------------------------------------------------------------------

class Reason(enum.Enum):
    """Why a request was allowed or denied; the names are stable (audit records)."""

    allowed = 0
    supervision_disabled = 1
    unknown_supervisor = 2
    unknown_target = 3
    cross_tenant = 4
    not_a_supervisor = 5
    self_supervision = 6
    privacy = 7
    out_of_scope = 8
    mode_not_granted = 9
    not_bridged = 10
    whisper_topology = 11
    supervisor_cap = 12
    barge_cap = 13
    no_call = 14
    custom = 15
    channel_not_allowed = 16

class SupervisionRequest:
    """A request by `supervisor` to supervise `target` (an agent of the call) in `mode`."""

    supervisor: str
    target: str
    mode: Mode
    any_call: bool
    bridged_only: bool
    other_supervisors: int
    other_bargers: int
    channel: RequestChannel
    def __init__(
        self,
        supervisor: str = "",
        target: str = "",
        mode: Mode = ...,
        any_call: bool = False,
        bridged_only: bool = False,
        other_supervisors: int = 0,
        other_bargers: int = 0,
        channel: RequestChannel = ...,
    ) -> None: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

class Decision:
    """A policy's answer; true in a boolean context when allowed."""

    allowed: bool
    modes: ModeSet
    reason: Reason
    rule: str
    def __init__(self, allowed: bool = False, modes: _Modes = ..., reason: Reason = ..., rule: str = "") -> None: ...
    @staticmethod
    def allow(modes: _Modes, rule: str = "allowed") -> Decision: ...
    @staticmethod
    def deny(reason: Reason, rule: str, modes: _Modes = ...) -> Decision: ...
    def __bool__(self) -> bool: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

class PermissionPolicy:
    """Decides who may supervise whom: subclass it and implement decide(). Called
    synchronously under the service's lock; must not call back into the service."""

    def __init__(self) -> None: ...
    def decide(self, request: SupervisionRequest, call: Call, directory: Directory) -> Decision: ...

class StandardPolicy(PermissionPolicy):
    """The standard rules of docs/policy.md, checked in order; the first that fails decides."""

    rules: ClassVar[tuple[str, ...]]
    def __init__(self) -> None: ...
    @staticmethod
    def in_scope(supervisor: ExtensionProfile, target: ExtensionProfile, call: Call, directory: Directory) -> bool: ...
    @staticmethod
    def agent_talks_to_outside(call: Call, agent: str) -> bool: ...

class AllOfPolicy(PermissionPolicy):
    """Every policy must allow; the first denial wins, the allowed modes intersect."""

    def __init__(self, policies: Sequence[PermissionPolicy]) -> None: ...

# --- events and audit ---------------------------------------------------------------------

class EventKind(enum.Enum):
    """What a supervision event reports."""

    attempt = 0
    denied = 1
    started = 2
    armed = 3
    mode_changed = 4
    target_changed = 5
    ended = 6
    agent_notified = 7
    action_requested = 8
    security = 9

class EventSource(enum.Enum):
    """Where the cause of an event came from."""

    api = 0
    dial = 1
    dtmf = 2
    registry = 3
    directory = 4

class EndReason(enum.Enum):
    """Why a session ended; the names are stable (audit records)."""

    none = 0
    stopped = 1
    supervisor_left = 2
    target_left = 3
    call_ended = 4
    permission_lost = 5
    agent_left_barge = 6
    taken_over = 7
    transferred = 8
    no_calls_left = 9
    shutdown = 10

class Event:
    """One supervision event, which is also its audit record; `time` is an aware UTC datetime."""

    kind: EventKind
    sequence: int
    @property
    def time(self) -> datetime: ...
    @time.setter
    def time(self, value: datetime) -> None: ...
    session: int
    tenant: str
    call: str
    supervisor: str
    supervisor_leg: str
    target: str
    target_leg: str
    mode: Mode | None
    from_mode: Mode | None
    allowed: bool
    reason: Reason
    rule: str
    end_reason: EndReason
    source: EventSource
    channel: RequestChannel
    detail: str
    def __init__(
        self,
        kind: EventKind = ...,
        sequence: int = 0,
        time: datetime | None = None,
        session: int = 0,
        tenant: str = "",
        call: str = "",
        supervisor: str = "",
        supervisor_leg: str = "",
        target: str = "",
        target_leg: str = "",
        mode: Mode | None = None,
        from_mode: Mode | None = None,
        allowed: bool = True,
        reason: Reason = ...,
        rule: str = "",
        end_reason: EndReason = ...,
        source: EventSource = ...,
        channel: RequestChannel = ...,
        detail: str = "",
    ) -> None: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

AuditRecord = Event

class AuditSink:
    """Receives every audit record: subclass it and implement do_write() (and do_flush()).
    write() and flush() take the sink's lock and call them."""

    def __init__(self) -> None: ...
    def write(self, record: Event) -> None: ...
    def flush(self) -> None: ...
    def do_write(self, record: Event) -> None: ...
    def do_flush(self) -> None: ...

class MemoryAuditSink(AuditSink):
    """Keeps every record in memory, in order."""

    def __init__(self) -> None: ...
    def records(self) -> list[Event]: ...
    def of_kind(self, kind: EventKind) -> list[Event]: ...
    def clear(self) -> None: ...
    def __len__(self) -> int: ...

class JsonLinesOptions:
    """Durability of JsonLinesAuditSink."""

    fsync_each_record: bool
    def __init__(self, fsync_each_record: bool = False) -> None: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

class JsonLinesAuditSink(AuditSink):
    """Appends each record as one line of JSON to a file (append mode, never truncated)."""

    def __init__(self, path: str | PathLike[str], options: JsonLinesOptions = ...) -> None: ...
    @property
    def path(self) -> str: ...
    @property
    def options(self) -> JsonLinesOptions: ...

def to_json_line(record: Event) -> str: ...
def parse_audit_line(line: str) -> Event: ...

class EventSink:
    """Receives every event, synchronously on the delivering thread: subclass it and
    implement on_event()."""

    def __init__(self) -> None: ...
    def on_event(self, event: Event) -> None: ...

class FunctionEventSink(EventSink):
    """An EventSink that calls `callback(event)`, synchronously."""

    def __init__(self, callback: Callable[[Event], object]) -> None: ...

class EventQueue(EventSink):
    """An EventSink that only queues; read it on a thread of your choice."""

    def __init__(self) -> None: ...
    def get(self, timeout: float | timedelta | None = None) -> Event | None: ...
    def pop_all(self) -> list[Event]: ...
    def drain(self, callback: Callable[[Event], object]) -> int: ...
    def close(self) -> None: ...
    @property
    def closed(self) -> bool: ...
    @property
    def dropped(self) -> int: ...
    def __len__(self) -> int: ...

class EventDispatcher(EventSink):
    """An EventSink that calls `callback(event)` on a thread of its own, in order."""

    def __init__(self, callback: Callable[[Event], object]) -> None: ...
    def flush(self, timeout: float | timedelta | None = None) -> bool: ...
    def close(self) -> None: ...
    @property
    def closed(self) -> bool: ...
    @property
    def pending(self) -> int: ...
    @property
    def delivered(self) -> int: ...
    @property
    def failures(self) -> int: ...
    @property
    def last_failure(self) -> str: ...
    @property
    def dropped(self) -> int: ...
    def __enter__(self) -> EventDispatcher: ...
    def __exit__(self, exc_type: object, exc_value: object, traceback: object) -> None: ...

# --- sessions and the service -------------------------------------------------------------

class SessionState(enum.Enum):
    armed = 0
    active = 1
    ended = 2

class AgentLeavesInBarge(enum.Enum):
    """What happens when the agent hangs up while a supervisor is barging."""

    end_call = 0
    supervisor_takes_over = 1

min_volume_step: int
max_volume_step: int

class SessionOptions:
    """Options of one supervision session (docs/sessions.md)."""

    exit_on_target_hangup: bool
    stop_when_none_left: bool
    bridged_only: bool
    announce: bool
    private_whisper: bool
    listen_direction: ListenDirection
    stereo: bool
    volume_step: int
    agent_leaves_in_barge: AgentLeavesInBarge
    notify_agent: bool
    monitoring_tone: bool
    follow_on_transfer: bool
    pre_arm: bool
    whisper_to: WhisperTo
    def __init__(
        self,
        exit_on_target_hangup: bool = True,
        stop_when_none_left: bool = True,
        bridged_only: bool = False,
        announce: bool = False,
        private_whisper: bool = False,
        listen_direction: ListenDirection = ...,
        stereo: bool = False,
        volume_step: int = 0,
        agent_leaves_in_barge: AgentLeavesInBarge = ...,
        notify_agent: bool = True,
        monitoring_tone: bool = False,
        follow_on_transfer: bool = False,
        pre_arm: bool = False,
        whisper_to: WhisperTo = ...,
    ) -> None: ...
    def validate(self) -> None: ...
    def with_defaults(self, defaults: SessionDefaults) -> SessionOptions: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

class ChanSpyOptions:
    """Session options and the mode to start in, from ChanSpy option letters."""

    options: SessionOptions
    initial_mode: Mode
    def __init__(self, options: SessionOptions = ..., initial_mode: Mode = ...) -> None: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

def parse_chanspy_options(letters: str, base: SessionOptions = ...) -> ChanSpyOptions: ...
def chanspy_defaults(letters: str) -> SessionDefaults: ...

class StartRequest:
    """An API request to supervise `target`, or the tenant's calls with `any_call`."""

    supervisor_leg: str
    supervisor: str
    target: str
    any_call: bool
    mode: Mode
    options: SessionOptions | None
    call: str
    channel: RequestChannel
    def __init__(
        self,
        supervisor_leg: str = "",
        supervisor: str = "",
        target: str = "",
        any_call: bool = False,
        mode: Mode = ...,
        options: SessionOptions | None = None,
        call: str = "",
        channel: RequestChannel = ...,
    ) -> None: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

class StartOutcome:
    """What a dial or start request led to; true when the session started or was armed."""

    class Status(enum.Enum):
        started = 0
        armed = 1
        denied = 2
        not_ours = 3

    def __init__(self, status: StartOutcome.Status = ..., session: int = 0, decision: Decision = ...) -> None: ...
    @property
    def status(self) -> StartOutcome.Status: ...
    @property
    def session(self) -> int: ...
    @property
    def decision(self) -> Decision: ...
    @property
    def ok(self) -> bool: ...
    def __bool__(self) -> bool: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

class SessionInfo:
    """A copy of a session's state, safe to keep."""

    def __init__(
        self,
        id: int = 0,
        state: SessionState = ...,
        tenant: str = "",
        supervisor: str = "",
        supervisor_leg: str = "",
        any_call: bool = False,
        target: str = "",
        call: str = "",
        target_leg: str = "",
        whisper_leg: str = "",
        mode: Mode = ...,
        allowed_modes: _Modes = ...,
        options: SessionOptions = ...,
        channel: RequestChannel = ...,
        end_reason: EndReason = ...,
        end_decision: Reason = ...,
    ) -> None: ...
    @property
    def id(self) -> int: ...
    @property
    def state(self) -> SessionState: ...
    @property
    def tenant(self) -> str: ...
    @property
    def supervisor(self) -> str: ...
    @property
    def supervisor_leg(self) -> str: ...
    @property
    def any_call(self) -> bool: ...
    @property
    def target(self) -> str: ...
    @property
    def call(self) -> str: ...
    @property
    def target_leg(self) -> str: ...
    @property
    def whisper_leg(self) -> str: ...
    @property
    def mode(self) -> Mode: ...
    @property
    def allowed_modes(self) -> ModeSet: ...
    @property
    def options(self) -> SessionOptions: ...
    @property
    def channel(self) -> RequestChannel: ...
    @property
    def end_reason(self) -> EndReason: ...
    @property
    def end_decision(self) -> Reason: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

class ServiceConfig:
    """How a SupervisionService is set up; `wall_clock` runs under the service's lock."""

    default_options: SessionOptions
    @property
    def plans(self) -> tuple[FeatureCodePlan, ...]: ...
    @plans.setter
    def plans(self, value: Sequence[FeatureCodePlan]) -> None: ...
    default_plan: str
    @property
    def reserved_codes(self) -> tuple[str, ...]: ...
    @reserved_codes.setter
    def reserved_codes(self, value: Sequence[str]) -> None: ...
    ended_sessions_kept: int
    ended_calls_kept: int
    clock: Clock | None
    wall_clock: Callable[[], datetime] | None
    def __init__(
        self,
        default_options: SessionOptions = ...,
        plans: Sequence[FeatureCodePlan] = ...,
        default_plan: str = "portaswitch",
        reserved_codes: Sequence[str] = ...,
        ended_sessions_kept: int = 1024,
        ended_calls_kept: int = 1024,
        clock: Clock | None = None,
        wall_clock: Callable[[], datetime] | None = None,
    ) -> None: ...

class SupervisionService:
    """Runs supervision sessions over a CallRegistry and a Directory; releases the GIL in
    every method. A context manager: leaving it closes the service."""

    def __init__(
        self,
        registry: CallRegistry,
        directory: Directory,
        policy: PermissionPolicy | None = None,
        config: ServiceConfig | None = None,
    ) -> None: ...
    def add_plan(self, plan: FeatureCodePlan) -> None: ...
    def plan(self, name: str) -> FeatureCodePlan: ...
    def plan_for_supervisor(self, supervisor: str) -> FeatureCodePlan: ...
    def dial(
        self, supervisor_leg: str, supervisor: str, dialled: str, options: SessionOptions | None = None
    ) -> StartOutcome: ...
    def start(self, request: StartRequest) -> StartOutcome: ...
    # A session id may be anything with __index__: an int or a callsup.Session.
    def dtmf(self, session: SupportsIndex, digits: str) -> DtmfResult: ...
    def dtmf_from_leg(self, leg: str, digits: str) -> DtmfResult | None: ...
    def poll(self) -> int: ...
    def switch_mode(
        self, session: SupportsIndex, mode: Mode, whisper_to: WhisperTo | None = None, channel: RequestChannel = ...
    ) -> Decision: ...
    def next(self, session: SupportsIndex) -> bool: ...
    def set_volume(self, session: SupportsIndex, step: int) -> None: ...
    def stop(self, session: SupportsIndex) -> bool: ...
    def add_tap(self, call: str, tap: Tap) -> None: ...
    def remove_tap(self, call: str, tap_id: str) -> None: ...
    def record_security(self, *, what: str, extension: str = "", detail: str = "") -> None: ...
    def session(self, id: SupportsIndex) -> SessionInfo | None: ...
    def session_handle(self, session: SupportsIndex | StartOutcome | SessionInfo) -> Session: ...  # callsup.session
    def sessions(self) -> list[SessionInfo]: ...
    def sessions_on_call(self, call: str) -> list[SessionInfo]: ...
    def routes(self, call: str) -> RouteSet | None: ...
    @property
    def route_conflicts(self) -> int: ...
    @property
    def sink_failures(self) -> int: ...
    @property
    def last_sink_failure(self) -> str: ...
    def add_event_sink(self, sink: EventSink) -> Subscription: ...
    def add_audit_sink(self, sink: AuditSink) -> Subscription: ...
    def events(self, *, maxsize: int = 0) -> EventStream[Event]: ...  # callsup.aio
    def audit_records(self, *, maxsize: int = 0) -> EventStream[Event]: ...  # callsup.aio
    def add_route_observer(self, callback: Callable[[RouteSet], object]) -> Subscription: ...
    def close(self) -> None: ...
    @property
    def closed(self) -> bool: ...
    def __enter__(self) -> SupervisionService: ...
    def __exit__(self, exc_type: object, exc_value: object, traceback: object) -> None: ...

__all__ += (
    "AgentLeavesInBarge",
    "AllOfPolicy",
    "AuditRecord",
    "AuditSink",
    "Channel",
    "ChanSpyOptions",
    "Decision",
    "EndReason",
    "Event",
    "EventDispatcher",
    "EventKind",
    "EventQueue",
    "EventSink",
    "EventSource",
    "FunctionEventSink",
    "JsonLinesAuditSink",
    "JsonLinesOptions",
    "ListenDirection",
    "MemoryAuditSink",
    "PermissionPolicy",
    "Reason",
    "Route",
    "RouteSet",
    "ServiceConfig",
    "SessionInfo",
    "SessionOptions",
    "SessionState",
    "StandardPolicy",
    "StartOutcome",
    "StartRequest",
    "SupervisionRequest",
    "SupervisionService",
    "SupervisorRoute",
    "Tap",
    "chanspy_defaults",
    "compute_routes",
    "max_volume_step",
    "min_volume_step",
    "parse_audit_line",
    "parse_chanspy_options",
    "to_json_line",
    "volume_gain",
)
# --- end P2 ---
# --- P3: media ---
# (add this section's public names with `__all__ += ("Name", ...)`)

from array import array
from typing_extensions import Buffer

# --- mixer backends -----------------------------------------------------------------------

unity_gain_q: int

class MixSource:
    """One source of a listener, by slot, with its gain (also in Q14)."""

    def __init__(self, slot: int = 0, gain: float = 1.0, gain_q: int = 16384, channel: Channel = ...) -> None: ...
    @property
    def slot(self) -> int: ...
    @property
    def gain(self) -> float: ...
    @property
    def gain_q(self) -> int: ...
    @property
    def channel(self) -> Channel: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

class MixListener:
    """One listener slot and what it hears."""

    def __init__(
        self, slot: int = 0, stereo: bool = False, unity_single: bool = False, sources: Sequence[MixSource] = ()
    ) -> None: ...
    @property
    def slot(self) -> int: ...
    @property
    def stereo(self) -> bool: ...
    @property
    def unity_single(self) -> bool: ...
    @property
    def sources(self) -> tuple[MixSource, ...]: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

class MixPlan:
    """A call's RouteSet compiled to slots (slot i is the leg slots[i]). Immutable."""

    @property
    def routes(self) -> RouteSet | None: ...
    @property
    def slots(self) -> tuple[str, ...]: ...
    @property
    def listeners(self) -> tuple[MixListener, ...]: ...
    @property
    def needed_as_source(self) -> tuple[bool, ...]: ...
    @property
    def hears_tone(self) -> tuple[bool, ...]: ...
    @property
    def unattached_routes(self) -> int: ...
    def slot_of(self, leg: str) -> int | None: ...
    def listener(self, slot: int) -> MixListener | None: ...

def compile_mix_plan(routes: RouteSet, slots: Sequence[str]) -> MixPlan: ...

class MixFrames:
    """One mixing tick of one call, by slot: int16 memoryviews, valid only during mix()."""

    def __init__(
        self,
        samples: int,
        inputs: Iterable[memoryview | None],
        outputs: Iterable[memoryview | None],
        skip: bytes = b"",
        produced: bytearray | None = None,
    ) -> None: ...
    @property
    def samples(self) -> int: ...
    @property
    def inputs(self) -> tuple[memoryview | None, ...]: ...
    @property
    def outputs(self) -> tuple[memoryview | None, ...]: ...
    @property
    def skip(self) -> bytes: ...
    @property
    def produced(self) -> bytearray: ...

class MixerBackend:
    """Who mixes: subclass it and implement on_routes() (and mix() with mixes_audio=True).
    Both run on threads of this object, never on a media thread."""

    def __init__(self, mixes_audio: bool = False, deadline_ms: float = 10.0) -> None: ...
    def on_routes(self, routes: RouteSet) -> None: ...
    def mix(self, plan: MixPlan, frames: MixFrames) -> None: ...
    @property
    def mixes_audio(self) -> bool: ...
    @property
    def deadline_ms(self) -> float | None: ...
    def flush_routes(self, timeout: float | timedelta | None = None) -> bool: ...
    @property
    def routes_delivered(self) -> int: ...
    @property
    def route_failures(self) -> int: ...
    @property
    def last_route_failure(self) -> str: ...
    @property
    def pending_routes(self) -> int: ...
    @property
    def mixed_ticks(self) -> int: ...
    @property
    def late_ticks(self) -> int: ...
    @property
    def failures(self) -> int: ...
    @property
    def last_failure(self) -> str: ...

class SoftwareMixer(MixerBackend):
    """The default in-process mixer, on the media threads."""

    def __init__(self) -> None: ...

class NullMixer(MixerBackend):
    """Mixes nothing; forwarding still happens."""

    def __init__(self) -> None: ...

class RouteUpdate:
    """One update a RouteRecorder received, and when (steady clock)."""

    def __init__(self, at: timedelta = ..., routes: RouteSet = ...) -> None: ...
    @property
    def at(self) -> timedelta: ...
    @property
    def routes(self) -> RouteSet: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

class RouteRecorder(MixerBackend):
    """Records every route update, as an external media server would receive them."""

    def __init__(self) -> None: ...
    def updates(self) -> list[RouteUpdate]: ...
    def latest(self, call: str) -> RouteSet | None: ...
    def __len__(self) -> int: ...
    def wait_for(self, count: int, timeout: float | timedelta | None = 5.0) -> bool: ...

# --- codecs -------------------------------------------------------------------------------

class CodecSpec:
    """What SDP negotiated for a leg: encoding name, clock rate, channels, payload type."""

    name: str
    clock_rate: int
    channels: int
    payload_type: int
    def __init__(self, name: str = "", clock_rate: int = 8000, channels: int = 1, payload_type: int = -1) -> None: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

class Codec:
    """Converts one leg's 16-bit PCM to RTP payload bytes and back. Made by make_codec()."""

    @property
    def name(self) -> str: ...
    @property
    def clock_rate(self) -> int: ...
    @property
    def channels(self) -> int: ...
    @property
    def payload_type(self) -> int: ...
    def encoded_bytes(self, samples: int) -> int: ...
    def decoded_samples(self, bytes: int) -> int: ...
    def encode(self, pcm: Buffer | Iterable[int]) -> bytes: ...
    def decode(self, payload: Buffer) -> array[int]: ...

def make_codec(spec: CodecSpec | str) -> Codec: ...
def parse_rtpmap(rtpmap: str) -> CodecSpec: ...

# --- SRTP keys ----------------------------------------------------------------------------

class SrtpSuite(enum.Enum):
    """The SRTP crypto suites callsup negotiates."""

    aes_cm_128_hmac_sha1_80 = 0
    aes_cm_128_hmac_sha1_32 = 1
    aead_aes_128_gcm = 2

class SrtpKeyMaterial:
    """The keys of one direction of an SRTP session (reprs show lengths, never keys)."""

    suite: SrtpSuite
    master_key: bytes
    master_salt: bytes
    mki: bytes
    def __init__(
        self, suite: SrtpSuite = ..., master_key: bytes = b"", master_salt: bytes = b"", mki: bytes = b""
    ) -> None: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

class SdesCrypto:
    """One SDP a=crypto attribute (RFC 4568) with a single inline key."""

    tag: int
    suite: SrtpSuite
    master_key: bytes
    master_salt: bytes
    lifetime: int | None
    mki_value: int | None
    mki_length: int
    @property
    def session_params(self) -> tuple[str, ...]: ...
    @session_params.setter
    def session_params(self, value: Sequence[str]) -> None: ...
    def __init__(
        self,
        tag: int = 1,
        suite: SrtpSuite = ...,
        master_key: bytes = b"",
        master_salt: bytes = b"",
        lifetime: int | None = None,
        mki_value: int | None = None,
        mki_length: int = 0,
        session_params: Sequence[str] = (),
    ) -> None: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

def parse_sdes_crypto(line: str) -> SdesCrypto: ...
def format_sdes_crypto(crypto: SdesCrypto) -> str: ...
def make_sdes_crypto(suite: SrtpSuite, tag: int = 1) -> SdesCrypto: ...
def key_material(crypto: SdesCrypto) -> SrtpKeyMaterial: ...

class SrtpBackend:
    """What does the SRTP crypto at run time."""

    def __init__(self, library: str = "", crypto: str = "") -> None: ...
    @property
    def library(self) -> str: ...
    @property
    def crypto(self) -> str: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

def srtp_backend() -> SrtpBackend: ...

# --- endpoints ----------------------------------------------------------------------------

class SocketAddress:
    """An IP address (text) and a UDP port (0: not set)."""

    ip: str
    port: int
    def __init__(self, ip: str = "", port: int = 0) -> None: ...
    def as_tuple(self) -> tuple[str, int]: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

class SocketMode(enum.Enum):
    """Which UDP socket carries a leg's RTP."""

    shared = 0
    dedicated = 1

class EndpointConfig:
    """One leg's endpoint as its SDP negotiation left it."""

    socket: SocketMode
    local_ip: str
    local_port: int
    remote: SocketAddress | None
    latch: bool
    remote_ssrc: int | None
    local_ssrc: int
    codec: CodecSpec
    telephone_event_payload_type: int
    srtp_receive: SrtpKeyMaterial | None
    srtp_send: SrtpKeyMaterial | None
    def __init__(
        self,
        socket: SocketMode = ...,
        local_ip: str = "",
        local_port: int = 0,
        remote: SocketAddress | None = None,
        latch: bool = True,
        remote_ssrc: int | None = None,
        local_ssrc: int = 0,
        codec: CodecSpec = ...,
        telephone_event_payload_type: int = 101,
        srtp_receive: SrtpKeyMaterial | None = None,
        srtp_send: SrtpKeyMaterial | None = None,
    ) -> None: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

class EndpointStats:
    """What one endpoint received, sent and dropped (a snapshot)."""

    def __init__(
        self,
        packets_in: int = 0,
        bytes_in: int = 0,
        packets_out: int = 0,
        bytes_out: int = 0,
        lost: int = 0,
        late: int = 0,
        duplicate: int = 0,
        concealed: int = 0,
        malformed: int = 0,
        unknown_payload_type: int = 0,
        auth_fail: int = 0,
        replay: int = 0,
        unexpected_source: int = 0,
        rtcp: int = 0,
        dtmf_digits_in: int = 0,
        dtmf_digits_out: int = 0,
        send_errors: int = 0,
    ) -> None: ...
    @property
    def packets_in(self) -> int: ...
    @property
    def bytes_in(self) -> int: ...
    @property
    def packets_out(self) -> int: ...
    @property
    def bytes_out(self) -> int: ...
    @property
    def lost(self) -> int: ...
    @property
    def late(self) -> int: ...
    @property
    def duplicate(self) -> int: ...
    @property
    def concealed(self) -> int: ...
    @property
    def malformed(self) -> int: ...
    @property
    def unknown_payload_type(self) -> int: ...
    @property
    def auth_fail(self) -> int: ...
    @property
    def replay(self) -> int: ...
    @property
    def unexpected_source(self) -> int: ...
    @property
    def rtcp(self) -> int: ...
    @property
    def dtmf_digits_in(self) -> int: ...
    @property
    def dtmf_digits_out(self) -> int: ...
    @property
    def send_errors(self) -> int: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

class RtpEndpoint:
    """One leg's RTP/SRTP endpoint inside a MediaEngine (from add_endpoint)."""

    @property
    def leg(self) -> str: ...
    @property
    def media_group(self) -> str: ...
    @property
    def local_address(self) -> SocketAddress: ...
    @property
    def remote(self) -> SocketAddress | None: ...
    @property
    def ssrc(self) -> int: ...
    @property
    def config(self) -> EndpointConfig: ...
    @property
    def attached(self) -> bool: ...
    def stats(self) -> EndpointStats: ...
    def send_dtmf(self, digits: str, duration_ms: int = 100) -> None: ...
    def play_beep(self, *, frequency_hz: float = 440.0, duration_ms: int = 250, level_dbfs: float = -16.0) -> None: ...
    def rekey(self, receive: SrtpKeyMaterial, send: SrtpKeyMaterial) -> None: ...

# --- the engine ---------------------------------------------------------------------------

class MonitoringToneConfig:
    """The beep that tells the parties a call is monitored."""

    frequency_hz: float
    beep_ms: int
    period_ms: int
    level_dbfs: float
    def __init__(
        self, frequency_hz: float = 1400.0, beep_ms: int = 200, period_ms: int = 15000, level_dbfs: float = -20.0
    ) -> None: ...
    def validate(self) -> None: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

class EngineThreadStats:
    """One engine thread's figures (a snapshot)."""

    def __init__(
        self,
        calls: int = 0,
        legs: int = 0,
        ticks: int = 0,
        missed_ticks: int = 0,
        packets_in: int = 0,
        packets_out: int = 0,
        unknown_source: int = 0,
        unattached_routes: int = 0,
        moved_legs: int = 0,
        forwarded_packets: int = 0,
        receive_batches: int = 0,
        send_batches: int = 0,
        cpu_seconds: float = 0.0,
        tick_lateness_p99_ms: float = 0.0,
        latency_p99_ms: float = 0.0,
        relayed_on_arrival: int = 0,
        relay_latency_p99_ms: float = 0.0,
    ) -> None: ...
    @property
    def calls(self) -> int: ...
    @property
    def legs(self) -> int: ...
    @property
    def ticks(self) -> int: ...
    @property
    def missed_ticks(self) -> int: ...
    @property
    def packets_in(self) -> int: ...
    @property
    def packets_out(self) -> int: ...
    @property
    def unknown_source(self) -> int: ...
    @property
    def unattached_routes(self) -> int: ...
    @property
    def moved_legs(self) -> int: ...
    @property
    def forwarded_packets(self) -> int: ...
    @property
    def receive_batches(self) -> int: ...
    @property
    def send_batches(self) -> int: ...
    @property
    def cpu_seconds(self) -> float: ...
    @property
    def tick_lateness_p99_ms(self) -> float: ...
    @property
    def latency_p99_ms(self) -> float: ...
    @property
    def relayed_on_arrival(self) -> int: ...
    @property
    def relay_latency_p99_ms(self) -> float: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

class EngineStats:
    """Totals over the engine's threads, and each thread's own figures."""

    def __init__(self, total: EngineThreadStats = ..., threads: Sequence[EngineThreadStats] = ()) -> None: ...
    @property
    def total(self) -> EngineThreadStats: ...
    @property
    def threads(self) -> tuple[EngineThreadStats, ...]: ...

class MediaEngineConfig:
    """How a MediaEngine runs."""

    threads: int
    ptime_ms: int
    bind_ip: str
    shared_port_base: int
    port_min: int
    port_max: int
    mixer: MixerBackend | None
    monitoring_tone: MonitoringToneConfig
    socket_buffer_bytes: int
    jitter_max_depth: int
    silence_to_idle_legs: bool
    def __init__(
        self,
        threads: int = 0,
        ptime_ms: int = 20,
        bind_ip: str = "127.0.0.1",
        shared_port_base: int = 0,
        port_min: int = 20000,
        port_max: int = 29999,
        mixer: MixerBackend | None = None,
        monitoring_tone: MonitoringToneConfig = ...,
        socket_buffer_bytes: int = 4194304,
        jitter_max_depth: int = 4,
        silence_to_idle_legs: bool = True,
    ) -> None: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __reduce__(self) -> tuple[Any, ...]: ...

class MediaEngine:
    """Moves and mixes the audio of supervised calls. Starts on construction; a context
    manager that stops it on exit. Its threads never run Python."""

    def __init__(self, config: MediaEngineConfig = ...) -> None: ...
    def add_endpoint(self, media_group: str, leg: str, config: EndpointConfig = ...) -> RtpEndpoint: ...
    def remove_endpoint(self, leg: str) -> None: ...
    def endpoint(self, leg: str) -> RtpEndpoint | None: ...
    def update_routes(self, routes: RouteSet) -> None: ...
    class OnDtmfParam:
        """What an on_dtmf handler gets."""
        @property
        def leg(self) -> str: ...
        @property
        def digit(self) -> str: ...

    def on_dtmf(self, callback: Callable[[MediaEngine.OnDtmfParam], object]) -> Subscription: ...
    def flush_control(self) -> None: ...
    def stats(self) -> EngineStats: ...
    def reset_percentiles(self) -> None: ...
    def stop(self) -> None: ...
    @property
    def shared_addresses(self) -> tuple[SocketAddress, ...]: ...
    @property
    def thread_count(self) -> int: ...
    @property
    def config(self) -> MediaEngineConfig: ...
    @property
    def stopped(self) -> bool: ...
    def __enter__(self) -> MediaEngine: ...
    def __exit__(self, exc_type: object, exc_value: object, traceback: object) -> None: ...

def connect_media(service: SupervisionService, engine: MediaEngine) -> SupervisedMedia: ...

__all__ += (
    "Codec",
    "CodecSpec",
    "EndpointConfig",
    "EndpointStats",
    "EngineStats",
    "EngineThreadStats",
    "MediaEngine",
    "MediaEngineConfig",
    "MixFrames",
    "MixListener",
    "MixPlan",
    "MixSource",
    "MixerBackend",
    "MonitoringToneConfig",
    "NullMixer",
    "RouteRecorder",
    "RouteUpdate",
    "RtpEndpoint",
    "SdesCrypto",
    "SocketAddress",
    "SocketMode",
    "SoftwareMixer",
    "Subscription",
    "SupervisedMedia",
    "SrtpBackend",
    "SrtpKeyMaterial",
    "SrtpSuite",
    "compile_mix_plan",
    "connect_media",
    "format_sdes_crypto",
    "key_material",
    "make_codec",
    "make_sdes_crypto",
    "parse_rtpmap",
    "parse_sdes_crypto",
    "srtp_backend",
    "unity_gain_q",
)
# --- end P3 ---

# --- test support only, not API -----------------------------------------------------------

def _testing_drive_sessions(
    service: SupervisionService, workers: Sequence[tuple[str, str, str]], iterations: int, digits: str = "120"
) -> list[str]: ...
