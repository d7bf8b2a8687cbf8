"""Lead Center's monitoring terms: the administrator, and an agent given "ability to monitor
any call using softphone", each one setting of an ExtensionProfile (changed in place)."""

from callsup._core import _vendor

administrator = _vendor.lead_center.administrator
monitor_any_call = _vendor.lead_center.monitor_any_call

__all__ = ["administrator", "monitor_any_call"]
