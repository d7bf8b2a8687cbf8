"""Tronic's Call Spy terms, each one setting of an ExtensionProfile (changed in place)."""

from callsup._core import _vendor

can_call_spy = _vendor.tronic.can_call_spy
call_spy_privacy = _vendor.tronic.call_spy_privacy

__all__ = ["call_spy_privacy", "can_call_spy"]
