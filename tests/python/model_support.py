"""Test support shared by the Python tests: the records and calls of the C++ tests' seed
scenarios (tests/unit/support/world.hpp and acme.hpp), built through the bindings."""

from __future__ import annotations

from pathlib import Path

from callsup import (
    CallRegistry,
    Directory,
    ExtensionProfile,
    Group,
    Leg,
    LegState,
    ModeSet,
    Role,
    TenantSettings,
)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def agent(ext: str, tenant: str = "acme", site: str = "") -> ExtensionProfile:
    """An agent: no supervision rights of its own."""
    return ExtensionProfile(extension=ext, tenant=tenant, site=site, roles=[Role.agent])


ALL_MODES = ModeSet.all()


def supervisor(ext: str, modes: ModeSet = ALL_MODES, tenant: str = "acme") -> ExtensionProfile:
    """A group supervisor granted `modes`."""
    return ExtensionProfile(
        extension=ext, tenant=tenant, roles=[Role.supervisor], can_supervise=True, granted_modes=modes
    )


def tenant_settings(plan: str = "portaswitch", name: str = "acme") -> TenantSettings:
    """Tenant `name` (supervision on) whose phones dial `plan`."""
    return TenantSettings(name=name, feature_code_plan=plan)


def acme_directory(plan: str = "portaswitch") -> Directory:
    """Tenant "acme": agents 744 and 745 in group Support (supervised by 700, all modes),
    746 in no group."""
    directory = Directory()
    directory.set_tenant(tenant_settings(plan))
    for ext in ("744", "745", "746"):
        directory.add_extension(agent(ext))
    directory.add_extension(supervisor("700"))
    directory.add_group(Group("Support", "acme", ["744", "745"], ["700"]))
    return directory


def external_call(
    registry: CallRegistry, call: str, ext: str, customer_leg: str, agent_leg: str, tenant: str = "acme"
) -> None:
    """A bridged call between an external number and agent `ext`, both up."""
    registry.add_call(call, tenant)
    registry.add_leg(call, Leg.off_net(customer_leg, "+15551230000", LegState.up))
    registry.add_leg(call, Leg.on_net(agent_leg, ext, LegState.up))
    registry.bridge(call)


def internal_call(
    registry: CallRegistry, call: str, a: str, a_leg: str, b: str, b_leg: str, tenant: str = "acme"
) -> None:
    """A bridged call between two extensions, both up."""
    registry.add_call(call, tenant)
    registry.add_leg(call, Leg.on_net(a_leg, a, LegState.up))
    registry.add_leg(call, Leg.on_net(b_leg, b, LegState.up))
    registry.bridge(call)
