"""A small client of callsup-pbx's console (docs/console.md) for tests: the JSON API over
http.client with the session cookie and the CSRF token kept here, raw requests for the error
paths, and the event WebSocket (websocket-client) collecting its messages for wait_for().

    console = Console(pbx.console_url)
    console.login_ok("700", "web-700")
    calls = console.calls().ok()["calls"]
    with console.events() as events:
        events.wait_for(lambda m: m["type"] == "call", 10, "a call")
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import websocket

Message = dict[str, Any]
SESSION_COOKIE = "callsup_session"


class ConsoleError(AssertionError):
    """An answer other than the one the test expected (status, body)."""


@dataclass
class Response:
    method: str
    path: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        """The first header `name` (case-insensitive), or None."""
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def all_headers(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key.lower() == name.lower()]

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError as e:
            raise ConsoleError(f"{self.describe()}: the body is no JSON ({e})") from None

    @property
    def error(self) -> str:
        """The "error" of a JSON error body ("" when there is none)."""
        try:
            body = json.loads(self.body)
        except ValueError:
            return ""
        return str(body.get("error", "")) if isinstance(body, dict) else ""

    def describe(self) -> str:
        return f"{self.method} {self.path} -> {self.status} {self.body[:600]!r}"

    def ok(self, status: int = 200) -> Any:
        """The JSON body, after checking the status is `status`."""
        if self.status != status:
            raise ConsoleError(f"expected {status}: {self.describe()}")
        return self.json()

    def expect(self, status: int) -> Response:
        if self.status != status:
            raise ConsoleError(f"expected {status}: {self.describe()}")
        return self


_NO_BODY = object()


class Console:
    """One browser's worth of console state: cookies and the CSRF token of its login."""

    def __init__(self, base_url: str, timeout: float = 10.0) -> None:
        parts = urlsplit(base_url)
        if parts.scheme != "http" or not parts.hostname or not parts.port:
            raise ValueError(f"expected http://host:port, not {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self.host = parts.hostname
        self.port = parts.port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.csrf_token: str | None = None
        self.last: Response | None = None

    # ---- raw requests --------------------------------------------------------------------
    def request(
        self,
        method: str,
        path: str,
        json_body: Any = _NO_BODY,
        *,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        csrf: bool = True,
        cookies: bool = True,
    ) -> Response:
        """`method` `path` with `json_body` (as JSON, Content-Type application/json) or the raw
        `body`; the session cookie and (for POST and DELETE, when `csrf`) the CSRF token are
        added unless told otherwise; `headers` are added last (and win)."""
        sent: dict[str, str] = {}
        if json_body is not _NO_BODY:
            if body is not None:
                raise ValueError("json_body or body, not both")
            body = json.dumps(json_body).encode()
            sent["Content-Type"] = "application/json"
        if cookies and self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if csrf and self.csrf_token and method in ("POST", "DELETE", "PUT", "PATCH"):
            sent["X-CSRF-Token"] = self.csrf_token
        sent.update(headers or {})
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=sent)
            answer = connection.getresponse()
            data = answer.read()
            response = Response(method, path, answer.status, list(answer.getheaders()), data)
        finally:
            connection.close()
        for set_cookie in response.all_headers("Set-Cookie"):
            self._take_cookie(set_cookie)
        self.last = response
        return response

    def _take_cookie(self, set_cookie: str) -> None:
        first, *attributes = [part.strip() for part in set_cookie.split(";")]
        name, _, value = first.partition("=")
        expired = any(a.lower().replace(" ", "") in ("max-age=0", "max-age=-1") for a in attributes) or any(
            a.lower().startswith("expires=") and ("1970" in a or "01 jan 1970" in a.lower()) for a in attributes
        )
        if expired or not value:
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = value

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, json_body: Any = _NO_BODY) -> Response:
        return self.request("POST", path, json_body)

    def delete(self, path: str) -> Response:
        return self.request("DELETE", path)

    # ---- the API -------------------------------------------------------------------------
    def login(self, extension: str, password: str) -> Response:
        response = self.request("POST", "/api/login", {"extension": extension, "password": password}, csrf=False)
        if response.status == 200:
            self.csrf_token = str(response.json()["csrf_token"])
        return response

    def login_ok(self, extension: str, password: str) -> Message:
        """Logs in (200 expected) and returns Me."""
        me: Message = self.login(extension, password).ok()
        if me.get("extension") != extension or not me.get("csrf_token"):
            raise ConsoleError(f"login of {extension} answered {me}")
        return me

    def logout(self) -> Response:
        response = self.request("POST", "/api/logout")
        if response.status == 200:
            self.csrf_token = None
        return response

    def me(self) -> Response:
        return self.get("/api/me")

    def calls(self) -> Response:
        return self.get("/api/calls")

    def call_list(self) -> list[Message]:
        calls: list[Message] = self.calls().ok()["calls"]
        return calls

    def sessions(self) -> Response:
        return self.get("/api/sessions")

    def start(self, call: str, mode: str) -> Response:
        return self.post("/api/sessions", {"call": call, "mode": mode})

    def switch(self, session: int | str, mode: str) -> Response:
        """POST /api/sessions/<session>/mode; `session` "pending" switches the ringing one."""
        return self.post(f"/api/sessions/{session}/mode", {"mode": mode})

    def stop(self, session: int | str) -> Response:
        return self.delete(f"/api/sessions/{session}")

    def assist(self) -> Response:
        return self.post("/api/assistance", {})

    def withdraw(self) -> Response:
        return self.delete("/api/assistance")

    def audit(self, limit: int | None = None) -> Response:
        return self.get("/api/audit" + ("" if limit is None else f"?limit={limit}"))

    # ---- events --------------------------------------------------------------------------
    def websocket_handshake(self, origin: str | None = None, cookies: bool = True) -> Response:
        """GET /api/events as a WebSocket upgrade, raw: the answer's status says whether the
        server would accept it (101) or not (401, 403). `origin` defaults to this server's."""
        headers = {
            "Connection": "Upgrade",
            "Upgrade": "websocket",
            "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
            "Origin": origin or self.base_url,
        }
        return self.request("GET", "/api/events", headers=headers, cookies=cookies)

    def events(self, origin: str | None = None) -> EventSocket:
        """The event WebSocket with this login's cookie, collecting messages from now on."""
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        url = f"ws://{self.host}:{self.port}/api/events"
        return EventSocket(url, cookie=cookie, origin=origin or self.base_url, timeout=self.timeout)


@dataclass
class EventSocket:
    """An open /api/events WebSocket; a thread appends every message (parsed JSON) to a list.
    A context manager; close() ends the thread and the connection."""

    url: str
    cookie: str
    origin: str
    timeout: float = 10.0
    _messages: list[Message] = field(default_factory=list)
    _cond: threading.Condition = field(default_factory=threading.Condition)
    _closed: bool = False
    _error: BaseException | None = None

    def __post_init__(self) -> None:
        self._ws = websocket.create_connection(self.url, timeout=self.timeout, cookie=self.cookie, origin=self.origin)
        self._ws.settimeout(0.2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, name="console-events", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        try:
            while not self._stop.is_set():
                try:
                    opcode, data = self._ws.recv_data()
                except websocket.WebSocketTimeoutException:
                    continue
                if opcode == websocket.ABNF.OPCODE_CLOSE:
                    break
                if opcode != websocket.ABNF.OPCODE_TEXT:
                    raise ConsoleError(f"the event socket sent opcode {opcode}, not text")
                message = json.loads(data)
                if not isinstance(message, dict) or "type" not in message:
                    raise ConsoleError(f"the event socket sent {data[:300]!r}, not an object with a type")
                with self._cond:
                    self._messages.append(message)
                    self._cond.notify_all()
        except websocket.WebSocketConnectionClosedException:
            pass
        except BaseException as e:  # noqa: BLE001 - reported to the waiting test
            if not self._stop.is_set():
                with self._cond:
                    self._error = e
        finally:
            with self._cond:
                self._closed = True
                self._cond.notify_all()

    def messages(self) -> list[Message]:
        with self._cond:
            return list(self._messages)

    @property
    def closed(self) -> bool:
        with self._cond:
            return self._closed

    def count(self) -> int:
        """A mark: wait_for(since=mark) looks only at messages after it."""
        with self._cond:
            return len(self._messages)

    def wait_for(self, predicate: Callable[[Message], bool], timeout: float, what: str, since: int = 0) -> Message:
        """The first message from index `since` on that satisfies `predicate`, waiting up to
        `timeout` s (TimeoutError naming `what` and listing the types seen)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for message in self._messages[since:]:
                    if predicate(message):
                        return message
                if self._error is not None:
                    raise ConsoleError(f"the event socket failed: {self._error!r}")
                left = deadline - time.monotonic()
                if self._closed or left <= 0:
                    seen = [json.dumps(m)[:200] for m in self._messages[since:]]
                    state = "closed" if self._closed else f"not within {timeout:g} s"
                    raise TimeoutError(f"no event socket message {what}: {state}; seen {seen}")
                self._cond.wait(min(left, 0.5))

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        try:
            self._ws.close(timeout=1)
        except (OSError, websocket.WebSocketException):
            pass

    def __enter__(self) -> EventSocket:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
