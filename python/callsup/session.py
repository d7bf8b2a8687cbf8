"""callsup.session: a supervision session as an object (:class:`Session`) instead of a bare id.

::

    outcome = service.dial("sup-leg-1", "700", "*90744")
    if outcome:                                  # started or armed
        session = service.session_handle(outcome)
        session.switch(Mode.whisper)
        print(session.mode, session.state)
        session.stop()

A :class:`Session` is a handle: the service and the session's id, nothing cached. Every
property asks the service again (``session.info`` is a fresh :class:`SessionInfo`), and
``int(session)`` is the id, so a handle goes wherever a session id is taken
(``service.switch_mode(session, Mode.barge)``). ``service.session_handle()`` is installed
on :class:`SupervisionService` by ``import callsup``. See docs/python.md, section
"Session handles and keyword arguments".
"""

from __future__ import annotations

import operator
from typing import TYPE_CHECKING, Optional, Union

from ._core import ErrorCode, RequestChannel, SessionInfo, StartOutcome
from ._errors import NotFoundError

if TYPE_CHECKING:
    from typing import SupportsIndex

    from ._core import Decision, DtmfResult, Mode, SessionState, SupervisionService, WhisperTo

__all__ = ("Session", "session_handle")


class Session:
    """A handle to one supervision session of a :class:`SupervisionService`.

    ``Session(service, id)`` checks that the service knows the session (ended sessions
    included, as long as the service keeps them) and raises :class:`NotFoundError`
    (``unknown_session``, naming the id) otherwise. The handle keeps the service alive.
    Two handles are equal when they name the same session of the same service.
    """

    __slots__ = ("_service", "_id")

    def __init__(self, service: SupervisionService, id: SupportsIndex) -> None:
        session_id = operator.index(id)
        if session_id <= 0 or service.session(session_id) is None:
            raise NotFoundError(ErrorCode.unknown_session, f"no session '{session_id}'")
        self._service = service
        self._id = session_id

    # --- what the session is ------------------------------------------------------------------

    @property
    def service(self) -> SupervisionService:
        """The service running the session."""
        return self._service

    @property
    def id(self) -> int:
        """The session's id (what ``StartOutcome.session`` and ``Event.session`` hold)."""
        return self._id

    @property
    def info(self) -> SessionInfo:
        """A fresh snapshot of the session; NotFoundError once the service no longer keeps it
        (``ServiceConfig.ended_sessions_kept``)."""
        found = self._service.session(self._id)
        if found is None:
            raise NotFoundError(ErrorCode.unknown_session, f"no session '{self._id}'")
        return found

    @property
    def mode(self) -> Mode:
        """The current mode."""
        return self.info.mode

    @property
    def state(self) -> SessionState:
        """armed, active or ended."""
        return self.info.state

    @property
    def call(self) -> str:
        """The call supervised now ('' while armed)."""
        return self.info.call

    @property
    def supervisor(self) -> str:
        """The supervisor's extension."""
        return self.info.supervisor

    @property
    def target(self) -> str:
        """The supervised extension ('' for spy-all)."""
        return self.info.target

    # --- what it can be told ------------------------------------------------------------------

    def switch(
        self, mode: Mode, whisper_to: Optional[WhisperTo] = None, channel: RequestChannel = RequestChannel.api
    ) -> Decision:
        """``service.switch_mode(id, mode, whisper_to, channel)``: the decision; a refused mode
        leaves the session as it was."""
        return self._service.switch_mode(self._id, mode, whisper_to, channel)

    def stop(self) -> bool:
        """Ends the session; False (and nothing happens) when it had already ended."""
        return self._service.stop(self._id)

    def dtmf(self, digits: str) -> DtmfResult:
        """Digits the supervisor pressed, as ``service.dtmf(id, digits)``."""
        return self._service.dtmf(self._id, digits)

    def next(self) -> bool:
        """Moves to the next call (spy-all) or the target's next call; False when there is none."""
        return self._service.next(self._id)

    def set_volume(self, step: int) -> None:
        """Sets the volume step (-4..4) of what the supervisor hears."""
        self._service.set_volume(self._id, step)

    # --- a value that stands for an id --------------------------------------------------------

    def __int__(self) -> int:
        return self._id

    def __index__(self) -> int:
        return self._id

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Session):
            return NotImplemented
        return self._service is other._service and self._id == other._id

    def __hash__(self) -> int:
        return hash((id(self._service), self._id))

    def __repr__(self) -> str:
        try:
            info = self._service.session(self._id)
        except Exception:  # a closed service: the handle still prints
            info = None
        if info is None:
            return f"<callsup.Session {self._id}>"
        return (
            f"<callsup.Session {self._id}: {info.supervisor!r} on {info.target or '*'!r}"
            f" call={info.call!r} {info.mode.name} {info.state.name}>"
        )


def session_handle(
    service: SupervisionService, session: Union[SupportsIndex, StartOutcome, SessionInfo]
) -> Session:
    """A :class:`Session` for a session id, a :class:`SessionInfo` or the
    :class:`StartOutcome` of ``dial()`` / ``start()``. NotFoundError (``unknown_session``)
    for an unknown id, or for an outcome that started nothing (denied, not_ours), naming
    its status and reason."""
    if isinstance(session, StartOutcome):
        if not session.ok:
            raise NotFoundError(
                ErrorCode.unknown_session,
                f"no session: the request was {session.status.name} ({session.decision.reason.name})",
            )
        return Session(service, session.session)
    if isinstance(session, SessionInfo):
        return Session(service, session.id)
    return Session(service, session)


# --- the method `import callsup` installs on SupervisionService -----------------------------


def _service_session_handle(
    self: SupervisionService, session: Union[SupportsIndex, StartOutcome, SessionInfo]
) -> Session:
    return session_handle(self, session)


_service_session_handle.__doc__ = session_handle.__doc__


def _install() -> None:
    """Called once by callsup/__init__.py: service.session_handle() as a method."""
    from ._core import SupervisionService

    _service_session_handle.__name__ = "session_handle"
    _service_session_handle.__qualname__ = "SupervisionService.session_handle"
    setattr(SupervisionService, "session_handle", _service_session_handle)
