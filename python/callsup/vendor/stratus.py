"""Stratus's user roles (basic user, call-centre supervisor, office manager, administrator)
and its *81 "speak with the caller" key, each one setting (the record is changed in place)."""

from callsup._core import _vendor

UserRole = _vendor.stratus.UserRole
SpeakWith = _vendor.stratus.SpeakWith
role = _vendor.stratus.role
speak_with_caller = _vendor.stratus.speak_with_caller

__all__ = ["SpeakWith", "UserRole", "role", "speak_with_caller"]
