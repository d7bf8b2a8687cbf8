"""PortaSwitch's call supervision terms: the customer's (tenant's) switch, a hunt group's
"Supervision allowed" and its supervisors. The record helpers change their record in place;
add_group_supervisor changes the directory."""

from callsup._core import _vendor

call_supervision = _vendor.portaswitch.call_supervision
supervision_allowed = _vendor.portaswitch.supervision_allowed
make_group_supervisor = _vendor.portaswitch.make_group_supervisor
add_group_supervisor = _vendor.portaswitch.add_group_supervisor

__all__ = ["add_group_supervisor", "call_supervision", "make_group_supervisor", "supervision_allowed"]
