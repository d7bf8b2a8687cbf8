"""callsup: call supervision for PBXs (listen, whisper, barge), from Python.

The C++ SDK, bound by the extension module ``callsup._core``; every public name of it
is available here. See docs/python.md.
"""

from ._core import *  # noqa: F403 (the names listed in _core.__all__)
from ._core import __all__ as __all__  # type checkers learn the exported names from it
from ._core import __version__ as __version__
from ._errors import Error, InvalidArgumentError, NotFoundError
from . import vendor as vendor  # callsup.vendor.tronic ... after a plain `import callsup`
from . import aio as aio  # callsup.aio: asyncio streams of events, audit records, changes
from . import session as session  # callsup.session: Session, a handle to one session
from .session import Session as Session

aio._install()  # service.events(), service.audit_records(), registry.changes(), directory.changes()
session._install()  # service.session_handle()

# _core.__all__ is a tuple, so this makes a new one and leaves _core's alone.
__all__ += ("Error", "InvalidArgumentError", "NotFoundError", "Session")
