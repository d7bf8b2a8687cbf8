"""Vendor terms: say in callsup what an admin said on the PBX they come from, one setting per
term (docs/policy.md, "Vendor terms").

The helpers change the record they are given **in place** and return ``None``, as Python's
own in-place methods do: build or fetch an :class:`~callsup.ExtensionProfile`,
:class:`~callsup.TenantSettings` or :class:`~callsup.Group`, apply the terms, then hand it to
the :class:`~callsup.Directory` (which keeps its own copy)::

    from callsup.vendor import tronic
    profile = callsup.ExtensionProfile("701", "acme")
    tronic.can_call_spy(profile)          # profile.scope is now SupervisionScope.tenant
    directory.add_extension(profile)

Modules: :mod:`~callsup.vendor.tronic`, :mod:`~callsup.vendor.asterisk_spy`,
:mod:`~callsup.vendor.portaswitch`, :mod:`~callsup.vendor.stratus`,
:mod:`~callsup.vendor.lead_center`. Terms by name (as a directory document writes them):
:func:`apply_extension_terms`, :func:`apply_tenant_terms`, :func:`apply_group_terms`; the
table of every term: :func:`terms`.
"""

from callsup._core import _vendor

from . import asterisk_spy, lead_center, portaswitch, stratus, tronic

TermInfo = _vendor.TermInfo
terms = _vendor.terms
apply_extension_terms = _vendor.apply_extension_terms
apply_tenant_terms = _vendor.apply_tenant_terms
apply_group_terms = _vendor.apply_group_terms

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
