"""callsup.aio: supervision events, audit records and registry / directory changes as
asyncio async iterators.

::

    async with service.events() as events:       # registered here: nothing is missed
        async for event in events:               # on the event loop's thread
            print(event.kind.name, event.session)

``service.events()``, ``service.audit_records()``, ``registry.changes()`` and
``directory.changes()`` are these module's :func:`events`, :func:`audit_records`,
:func:`registry_changes` and :func:`directory_changes`, installed as methods by
``import callsup``. Each returns an :class:`EventStream`.

The thread that delivers (whichever thread drove the service, the registry or the
directory: a PBX thread, a Python thread, the media engine's control thread; never a
media thread) runs one ``loop.call_soon_threadsafe`` per item and nothing else of
Python's; the consumer's code runs on the loop's thread only. See docs/python.md,
section "asyncio".
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from collections import deque
from types import TracebackType
from typing import TYPE_CHECKING, Callable, Generic, Optional, TypeVar

from ._core import AuditSink, Event, FunctionEventSink

if TYPE_CHECKING:
    from ._core import CallRegistry, Directory, DirectoryChange, RegistryEvent, Subscription, SupervisionService

__all__ = ("EventStream", "audit_records", "directory_changes", "events", "registry_changes")

T = TypeVar("T")


class _Poster(Generic[T]):
    """What the delivering thread calls: hands the item to the stream's loop, nothing more.

    It holds its stream weakly, so a stream nobody references any more is collected (and
    its subscription closed on its loop) even while the service still holds this poster.
    """

    __slots__ = ("_loop", "_stream", "_lock", "lost")

    def __init__(self, loop: asyncio.AbstractEventLoop, stream: EventStream[T]) -> None:
        self._loop = loop
        self._stream: weakref.ref[EventStream[T]] = weakref.ref(stream)
        self._lock = threading.Lock()
        self.lost = 0  # items that found the loop closed

    def __call__(self, item: T) -> None:
        stream = self._stream()
        if stream is None or stream._closed:
            return
        try:
            self._loop.call_soon_threadsafe(stream._deliver, item)
        except RuntimeError:  # the loop is closed: nobody will read this item
            with self._lock:  # several threads may deliver (registry changes)
                self.lost += 1


class _AuditPoster(AuditSink):
    """An AuditSink whose do_write() only posts the record to the loop."""

    def __init__(self, post: Callable[[Event], None]) -> None:
        super().__init__()
        self._post = post

    def do_write(self, record: Event) -> None:
        self._post(record)


class EventStream(Generic[T]):
    """An async iterator over what a service, registry or directory delivers, in delivery
    order; made by :func:`events`, :func:`audit_records`, :func:`registry_changes` and
    :func:`directory_changes` (or ``service.events()`` ...).

    The receiver is registered when the stream is made, so nothing delivered after that is
    missed, even before the first ``__anext__``. It must be made on the thread running
    the event loop (inside a coroutine) and read on that loop. ``close()`` / ``aclose()``
    / leaving ``async with`` end the registration: once they return, nothing more is
    queued, what was queued is discarded, and an iteration under way (in this task or
    another) ends with ``StopAsyncIteration``.

    With ``maxsize`` > 0 at most that many items wait; when one more arrives, the oldest
    waiting item is dropped and counted in :attr:`dropped`. ``maxsize`` 0 (the default)
    queues without limit and drops nothing while the loop runs.
    """

    def __init__(self, register: Callable[[Callable[[T], None]], Subscription], *, maxsize: int = 0,
                 what: str = "EventStream") -> None:
        """Registers ``register(post)`` (which must return the registration's
        Subscription) to feed the stream. Prefer the functions of this module."""
        self._closed = True  # until registered: __del__ and close() on a failed init do nothing
        if isinstance(maxsize, bool) or not isinstance(maxsize, int):
            raise TypeError(f"{what}: maxsize must be an int, got {maxsize!r}")
        if maxsize < 0:
            raise ValueError(f"{what}: maxsize must not be negative, got {maxsize}")
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            raise RuntimeError(
                f"{what} needs a running asyncio event loop: call it from a coroutine on the "
                "loop that will read the stream (e.g. inside asyncio.run(...))"
            ) from None
        self._what = what
        self._loop = loop
        self._loop_thread = threading.get_ident()
        self._maxsize = maxsize
        self._items: deque[T] = deque()
        self._waiter: Optional[asyncio.Future[None]] = None
        self._overflowed = 0
        self._poster: _Poster[T] = _Poster(loop, self)
        self._closed = False
        try:
            self._subscription = register(self._poster)
        except BaseException:
            self._closed = True
            raise

    # --- the loop's side ---------------------------------------------------------------------

    def _deliver(self, item: T) -> None:
        """Runs on the loop's thread (scheduled by the poster)."""
        if self._closed:
            return
        if self._maxsize and len(self._items) >= self._maxsize:
            self._items.popleft()
            self._overflowed += 1
        self._items.append(item)
        self._wake()

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def _discard(self) -> None:
        self._items.clear()
        self._wake()

    def __aiter__(self) -> EventStream[T]:
        return self

    async def __anext__(self) -> T:
        """The next item, waiting for it; StopAsyncIteration once the stream is closed."""
        if self._closed:
            raise StopAsyncIteration
        if asyncio.get_running_loop() is not self._loop:
            raise RuntimeError(f"{self._what} is read on another event loop than the one it was made on")
        if self._waiter is not None:
            raise RuntimeError(f"{self._what} is already being awaited by another task")
        while not self._items:
            waiter = self._loop.create_future()
            self._waiter = waiter
            try:
                await waiter
            finally:
                self._waiter = None
            if self._closed:
                raise StopAsyncIteration
        return self._items.popleft()

    async def __aenter__(self) -> EventStream[T]:
        return self

    async def __aexit__(
        self,
        exc_type: Optional[type[BaseException]],
        exc_value: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """close(), awaitable (the async iterator protocol's spelling)."""
        self.close()

    def close(self) -> None:
        """Ends the registration (idempotent): once this returns nothing more is queued;
        queued items are discarded and a pending ``__anext__`` ends with
        StopAsyncIteration. May be called from any thread."""
        if self._closed:
            return
        self._closed = True
        try:
            self._subscription.close()
        finally:
            if threading.get_ident() == self._loop_thread:
                self._discard()
            else:
                try:
                    self._loop.call_soon_threadsafe(self._discard)
                except RuntimeError:  # the loop is closed: nobody waits any more
                    self._items.clear()

    def __del__(self) -> None:
        # Dropped without close() (a `break` out of `async for`): close the subscription on
        # the loop rather than here (a finalizer may run anywhere, inside a delivery too).
        if self._closed:
            return
        self._closed = True
        try:
            self._loop.call_soon_threadsafe(self._subscription.close)
        except RuntimeError:  # the loop is closed: here, then (a callback may close its own)
            try:
                self._subscription.close()
            except Exception:  # the interpreter is exiting: the poster idles anyway
                pass

    # --- state -------------------------------------------------------------------------------

    @property
    def closed(self) -> bool:
        """True once close() / aclose() was called."""
        return self._closed

    @property
    def maxsize(self) -> int:
        """At most this many items wait (0: no limit)."""
        return self._maxsize

    @property
    def pending(self) -> int:
        """How many items wait to be read."""
        return len(self._items)

    @property
    def dropped(self) -> int:
        """Items lost while the stream was open: the oldest ones dropped when more than
        ``maxsize`` waited, and those that arrived after the loop was closed."""
        return self._overflowed + self._poster.lost

    @property
    def subscription(self) -> Subscription:
        """The registration feeding the stream; close the stream, not this (a stream whose
        subscription is closed behind its back just waits)."""
        return self._subscription

    def __repr__(self) -> str:
        state = "closed" if self._closed else f"pending={len(self._items)}"
        return f"<{type(self).__name__} {self._what} {state} dropped={self.dropped}>"


def events(service: SupervisionService, *, maxsize: int = 0) -> EventStream[Event]:
    """The service's supervision events, in sequence order, as an async iterator
    (``service.events()``). The delivering thread only posts each event to the running
    loop (a FunctionEventSink calling ``loop.call_soon_threadsafe``)."""
    return EventStream(
        lambda post: service.add_event_sink(FunctionEventSink(post)), maxsize=maxsize, what="service.events()"
    )


def audit_records(service: SupervisionService, *, maxsize: int = 0) -> EventStream[Event]:
    """The service's audit records, in sequence order, as an async iterator
    (``service.audit_records()``). A feed, not storage: the record counts as written
    once it is posted to the loop, not once you read it; keep a JsonLinesAuditSink
    for the durable trail."""
    return EventStream(
        lambda post: service.add_audit_sink(_AuditPoster(post)), maxsize=maxsize, what="service.audit_records()"
    )


def registry_changes(registry: CallRegistry, *, maxsize: int = 0) -> EventStream[RegistryEvent]:
    """The registry's changes (RegistryEvent copies), in the order they were made, as an
    async iterator (``registry.changes()``)."""
    return EventStream(registry.subscribe, maxsize=maxsize, what="registry.changes()")


def directory_changes(directory: Directory, *, maxsize: int = 0) -> EventStream[DirectoryChange]:
    """The directory's changes (DirectoryChange), in the order they were made, as an async
    iterator (``directory.changes()``)."""
    return EventStream(directory.subscribe, maxsize=maxsize, what="directory.changes()")


# --- the methods `import callsup` installs on the bound classes ----------------------------
# Separate functions: their first parameter is `self`, as the stubs declare it.


def _service_events(self: SupervisionService, *, maxsize: int = 0) -> EventStream[Event]:
    return events(self, maxsize=maxsize)


def _service_audit_records(self: SupervisionService, *, maxsize: int = 0) -> EventStream[Event]:
    return audit_records(self, maxsize=maxsize)


def _registry_changes(self: CallRegistry, *, maxsize: int = 0) -> EventStream[RegistryEvent]:
    return registry_changes(self, maxsize=maxsize)


def _directory_changes(self: Directory, *, maxsize: int = 0) -> EventStream[DirectoryChange]:
    return directory_changes(self, maxsize=maxsize)


_service_events.__doc__ = events.__doc__
_service_audit_records.__doc__ = audit_records.__doc__
_registry_changes.__doc__ = registry_changes.__doc__
_directory_changes.__doc__ = directory_changes.__doc__


def _install() -> None:
    """Called once by callsup/__init__.py: service.events() and the others as methods."""
    from ._core import CallRegistry, Directory, SupervisionService

    for cls, name, function in (
        (SupervisionService, "events", _service_events),
        (SupervisionService, "audit_records", _service_audit_records),
        (CallRegistry, "changes", _registry_changes),
        (Directory, "changes", _directory_changes),
    ):
        function.__name__ = name
        function.__qualname__ = f"{cls.__name__}.{name}"
        setattr(cls, name, function)
