"""callsup's exceptions. Every C++ ``callsup::Error`` reaches Python as one of these."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._core import ErrorCode


class Error(Exception):
    """An SDK error: misuse or invalid configuration.

    ``code`` says what went wrong (an :class:`ErrorCode`), ``message`` is the C++
    message, which names the bad value (``"no call 'c9'"``).
    """

    code: ErrorCode
    message: str

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(code, message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message


class InvalidArgumentError(Error, ValueError):
    """A bad value: codes ``invalid_argument``, ``malformed_dial_string``,
    ``invalid_plan`` and ``malformed_directory``. Also a :class:`ValueError`."""


class NotFoundError(Error, LookupError):
    """An unknown id: codes ``unknown_extension``, ``unknown_tenant``,
    ``unknown_group``, ``unknown_call``, ``unknown_leg`` and ``unknown_session``.
    Also a :class:`LookupError`."""
