"""The per-user spy variables of Asterisk-based PBXs (the *91/*92/*93 plan): SPY_PERMISSION,
DISABLE_SPY and SPY_PARAMS, each one setting of an ExtensionProfile (changed in place)."""

from callsup._core import _vendor

DisableSpyReading = _vendor.asterisk_spy.DisableSpyReading
spy_permission = _vendor.asterisk_spy.spy_permission
disable_spy = _vendor.asterisk_spy.disable_spy
spy_params = _vendor.asterisk_spy.spy_params

__all__ = ["DisableSpyReading", "disable_spy", "spy_params", "spy_permission"]
