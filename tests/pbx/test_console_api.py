# Over 400 lines: every error answer of docs/console.md's API, one fixture and client for all; split by
# topic the modules would repeat the same call set-up.
"""The console's JSON API and event WebSocket (docs/console.md) against a real callsup-pbx on
127.0.0.1: logins, the cookie and CSRF rules, every error answer the document names, who sees
which call (tenant acme's supervisor 700, its administrator 790, tenant globex's supervisor 800),
supervision started, switched and stopped from the web with sipp phones, assistance requests.
The PBX's audit trail (pbx-audit.jsonl, the SDK's JSON Lines) is the oracle for what was
decided.

Run: .venv/bin/pytest tests/pbx/test_console_api.py"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from console_client import SESSION_COOKIE, Console, Message
from console_fixtures import (  # noqa: F401 - fixtures
    FOREIGN_ORIGIN,
    G711A,
    ConsolePbx,
    ConsoleSipp,
    console_config,
    console_pbx,
    console_sipp,
    find_call,
    mentions,
    requires_pbx,
)
from pbx_process import WEB_PASSWORDS, wait_until

pytestmark = requires_pbx


def _calls_of(console: Console, call_id: str) -> dict[str, Any] | None:
    return find_call(console.call_list(), call_id)


def session_in(mode: str) -> Callable[[Message], bool]:
    return lambda m: m["type"] == "session" and (m["session"] or {}).get("mode") == mode


# ---- login, cookie, CSRF ---------------------------------------------------------------------


def test_login_sets_a_strict_http_only_cookie_and_logout_clears_it(console_pbx: ConsolePbx) -> None:
    console = Console(console_pbx.url)
    login = console.login("700", WEB_PASSWORDS["700"])
    me = login.ok()
    assert (login.header("Content-Type") or "").startswith("application/json"), login.headers
    assert me["extension"] == "700" and me["display_name"] == "Sam Supervisor" and me["tenant"] == "acme", me
    assert "supervisor" in me["views"] and "agent" in me["views"] and "admin" not in me["views"], me
    cookies = [c for c in login.all_headers("Set-Cookie") if c.startswith(f"{SESSION_COOKIE}=")]
    assert len(cookies) == 1, login.headers
    attributes = [a.strip().lower() for a in cookies[0].split(";")[1:]]
    assert "httponly" in attributes, cookies[0]
    assert "samesite=strict" in attributes, cookies[0]
    assert "path=/" in attributes, cookies[0]
    # a reloaded page gets its CSRF token back from /api/me
    again = console.me().ok()
    assert again["csrf_token"] == me["csrf_token"] and again["extension"] == "700"

    assert console.logout().ok() == {}
    assert SESSION_COOKIE not in console.cookies, f"logout did not clear the cookie: {console.last}"
    # the old cookie is dead on the server too, not only forgotten by this client
    stale = Console(console_pbx.url)
    stale.cookies[SESSION_COOKIE] = cookies[0].split(";", 1)[0].split("=", 1)[1]
    assert stale.me().status == 401, stale.last


def test_admin_and_agent_logins_get_their_views(console_pbx: ConsolePbx) -> None:
    admin = console_pbx.login("790").me().ok()
    assert admin["tenant"] == "acme" and "admin" in admin["views"] and "supervisor" in admin["views"], admin
    agent = console_pbx.login("744").me().ok()
    assert agent["views"] == ["agent"], agent
    globex = console_pbx.login("800").me().ok()
    assert globex["tenant"] == "globex" and "supervisor" in globex["views"], globex


def test_a_wrong_password_or_unknown_extension_is_401(console_pbx: ConsolePbx) -> None:
    console = Console(console_pbx.url)
    for extension, password in (("700", "web-744"), ("700", ""), ("799", "web-700")):
        answer = console.login(extension, password)
        assert answer.status == 401, answer.describe()
        assert answer.error == "wrong extension or password", answer.describe()
        assert not answer.all_headers("Set-Cookie") or SESSION_COOKIE not in console.cookies
    # SIP passwords are not web passwords
    assert console.login("700", "secret-700").status == 401
    assert console.me().status == 401


def test_too_many_failures_are_429_with_retry_after(tmp_path: Path, trunk_port: int) -> None:
    """The default: 5 failures per 60 s; the 6th attempt, even with the right password, is 429."""
    with ConsolePbx(tmp_path / "pbx", console_config(tmp_path, trunk_port)) as pbx:
        console = Console(pbx.url)
        for attempt in range(5):
            answer = console.login("700", f"wrong-{attempt}")
            assert answer.status == 401, f"attempt {attempt + 1}: {answer.describe()}"
        blocked = console.login("700", f"wrong-{5}")
        assert blocked.status == 429, blocked.describe()
        retry_after = blocked.header("Retry-After")
        assert retry_after is not None and retry_after.isdigit() and 1 <= int(retry_after) <= 60, blocked.headers
        assert blocked.error, blocked.describe()
        right = console.login("700", WEB_PASSWORDS["700"])
        assert right.status == 429, f"the right password while blocked: {right.describe()}"


def test_the_block_ends_with_the_window(tmp_path: Path, trunk_port: int) -> None:
    """login_attempts 2, login_window_seconds 2: the third failure is 429, and once the window
    has passed the right password logs in."""
    config = console_config(tmp_path, trunk_port, login_attempts=2, login_window_seconds=2)
    with ConsolePbx(tmp_path / "pbx", config) as pbx:
        console = Console(pbx.url)
        assert console.login("745", "wrong").status == 401
        assert console.login("745", "wrong").status == 401
        blocked = console.login("745", "wrong")
        assert blocked.status == 429, blocked.describe()
        assert blocked.header("Retry-After") in ("1", "2"), blocked.headers
        wait_until(lambda: console.login("745", WEB_PASSWORDS["745"]).status == 200, 10, "the block to end",
                   interval=0.5)
        assert console.me().ok()["extension"] == "745"


def test_a_state_changing_request_without_the_csrf_token_is_403(console_pbx: ConsolePbx) -> None:
    console = console_pbx.login("700")
    for method, path, body in (
        ("POST", "/api/sessions", {"call": "call-1", "mode": "listen"}),
        ("POST", "/api/sessions/pending/mode", {"mode": "barge"}),
        ("DELETE", "/api/sessions/pending", None),
        ("POST", "/api/assistance", {}),
        ("POST", "/api/logout", None),
    ):
        missing = console.request(method, path, body, csrf=False) if body is not None else console.request(
            method, path, csrf=False)
        assert missing.status == 403, f"without the token: {missing.describe()}"
        forged = console.request(method, path, body, headers={"X-CSRF-Token": "0" * 32}) if body is not None else \
            console.request(method, path, headers={"X-CSRF-Token": "0" * 32})
        assert forged.status == 403, f"with a wrong token: {forged.describe()}"
    assert console.me().status == 200, "the refused logout logged out"


def test_not_logged_in_is_401(console_pbx: ConsolePbx) -> None:
    anonymous = Console(console_pbx.url)
    for method, path in (("GET", "/api/me"), ("GET", "/api/calls"), ("GET", "/api/sessions"),
                         ("GET", "/api/audit"), ("POST", "/api/sessions"), ("DELETE", "/api/sessions/1"),
                         ("POST", "/api/assistance"), ("POST", "/api/logout")):
        body = {"call": "call-1", "mode": "listen"} if path == "/api/sessions" else None
        answer = anonymous.request(method, path, body) if body else anonymous.request(method, path)
        assert answer.status == 401, answer.describe()
        assert answer.error, answer.describe()
    anonymous.cookies[SESSION_COOKIE] = "f" * 64
    assert anonymous.me().status == 401, anonymous.last


def test_the_event_socket_needs_a_session_and_this_origin(console_pbx: ConsolePbx) -> None:
    anonymous = Console(console_pbx.url)
    assert anonymous.websocket_handshake().status == 401, anonymous.last
    console = console_pbx.login("700")
    foreign = console.websocket_handshake(origin=FOREIGN_ORIGIN)
    assert foreign.status == 403, foreign.describe()
    assert console.websocket_handshake().status == 101, console.last
    with console.events() as events:
        hello = events.wait_for(lambda m: m["type"] == "hello", 5, "hello")
        assert hello["me"]["extension"] == "700" and hello["calls"] == [] and hello["pending"] is None, hello
        assert "sessions" in hello


# ---- request bodies --------------------------------------------------------------------------


def test_bad_bodies_are_refused_naming_the_problem(
    console_pbx: ConsolePbx, console_sipp: ConsoleSipp, trunk_port: int
) -> None:
    call = console_pbx.call_from_trunk(console_sipp, trunk_port)
    console = console_pbx.login("700")
    wait_until(lambda: _calls_of(console, call), 10, f"{call} in 700's calls")

    def post(body: bytes, content_type: str = "application/json") -> tuple[int, str]:
        answer = console.request("POST", "/api/sessions", body=body, headers={"Content-Type": content_type})
        return answer.status, answer.error

    status, error = post(b'{"call": "' + call.encode() + b'", "mode": ')
    assert status == 400 and "json" in error.lower(), (status, error)
    status, error = post(b"[1, 2]")
    assert status == 400 and error, (status, error)
    status, error = post(b'{"call": "' + call.encode() + b'"}')
    assert status == 400 and "mode" in error, (status, error)
    status, error = post(b'{"call": "' + call.encode() + b'", "mode": "spy"}')
    assert status == 400 and "spy" in error, (status, error)
    status, error = post(b'{"call": "' + call.encode() + b'", "mode": 7}')
    assert status == 400 and "mode" in error, (status, error)
    status, error = post(b'{"mode": "listen"}')
    assert status == 400 and "call" in error, (status, error)
    status, error = post(b'{"call": "call-999", "mode": "listen"}')
    assert status == 404 and "call-999" in error, (status, error)
    padding = "x" * (8 * 1024)
    status, error = post(('{"call": "%s", "mode": "listen", "pad": "%s"}' % (call, padding)).encode())
    assert status == 413, (status, error)
    status, error = post(b'{"call": "' + call.encode() + b'", "mode": "listen"}', "text/plain")
    assert status in (400, 415) and error, (status, error)
    answer = console.switch("pending", "shout")
    assert answer.status == 400 and "shout" in answer.error, answer.describe()
    # nothing of it started anything
    assert not [r for r in console_pbx.audit_records() if r["kind"] in ("started", "denied")], \
        console_pbx.audit_records()
    assert console.sessions().ok() == {"sessions": [], "pending": None}


def test_nothing_ringing_nothing_mine(console_pbx: ConsolePbx) -> None:
    console = console_pbx.login("700")
    answer = console.switch("pending", "barge")
    assert answer.status == 409, answer.describe()
    assert console.stop("pending").status == 409, console.last
    assert console.stop(12345).status == 404, console.last
    assert console.switch(12345, "whisper").status == 404, console.last
    agent = console_pbx.login("745")
    assert agent.assist().status == 409, agent.last


# ---- policy: who may do what -----------------------------------------------------------------


def test_an_agent_starting_supervision_is_403_and_audited(
    console_pbx: ConsolePbx, console_sipp: ConsoleSipp, trunk_port: int
) -> None:
    call = console_pbx.call_from_trunk(console_sipp, trunk_port)
    for extension in ("744", "745"):
        agent = console_pbx.login(extension)
        answer = agent.start(call, "listen")
        assert answer.status == 403, answer.describe()
        body = answer.json()
        assert body.get("reason") and "rule" in body and body.get("error"), body
        record = console_pbx.wait_audit(kind="denied", supervisor=extension, channel="web")
        assert record["decision"] == "denied" and record["mode"] == "listen", record
        assert record["reason"] == body["reason"], (record, body)
        # the request named call-N, whose agent is 744; neither is a supervisor
        assert record["target"] == "744", f"the denial does not name the call's agent: {record}"
        assert body["reason"] == "not_a_supervisor", f"{extension} may not supervise at all: {body}"


def test_a_supervisor_without_a_registered_phone_is_409(
    console_pbx: ConsolePbx, console_sipp: ConsoleSipp, trunk_port: int
) -> None:
    call = console_pbx.call_from_trunk(console_sipp, trunk_port)
    console = console_pbx.login("700")
    answer = console.start(call, "listen")
    assert answer.status == 409, answer.describe()
    assert "700" in answer.error and "no registered phone" in answer.error, answer.describe()
    assert console.sessions().ok()["pending"] is None


def test_a_supervisor_out_of_scope_sees_nothing_and_is_refused(
    console_pbx: ConsolePbx, console_sipp: ConsoleSipp, trunk_port: int
) -> None:
    """701 supervises acme's group Billing, not 744: 744's call is not in its list nor in its
    events, and a forged start gets 403 out_of_scope, audited by the SDK with channel web."""
    outsider = console_pbx.login("701")
    with outsider.events() as theirs:
        theirs.wait_for(lambda m: m["type"] == "hello", 5, "701's hello")
        call = console_pbx.call_from_trunk(console_sipp, trunk_port)
        supervisor = console_pbx.login("700")
        wait_until(lambda: _calls_of(supervisor, call) is not None, 10, f"{call} listed for 700")
        assert outsider.call_list() == [], outsider.last
        forged = outsider.start(call, "listen")
        assert forged.status == 403 and forged.json().get("reason") == "out_of_scope", forged.describe()
        record = console_pbx.wait_audit(kind="denied", supervisor="701", channel="web")
        assert record["reason"] == "out_of_scope" and record["target"] == "744", record
        assert not [m for m in theirs.messages() if m["type"] == "call"], theirs.messages()


def test_another_tenants_supervisor_sees_nothing_and_is_refused(
    console_pbx: ConsolePbx, console_sipp: ConsoleSipp, trunk_port: int
) -> None:
    supervisor = console_pbx.login("700")
    outsider = console_pbx.login("800")
    with supervisor.events() as ours, outsider.events() as theirs:
        ours.wait_for(lambda m: m["type"] == "hello", 5, "700's hello")
        theirs.wait_for(lambda m: m["type"] == "hello", 5, "800's hello")
        call = console_pbx.call_from_trunk(console_sipp, trunk_port)
        ours.wait_for(lambda m: m["type"] == "call" and m["call"]["id"] == call and m["call"]["answered"], 10,
                      f"{call} answered, for 700")
        assert _calls_of(supervisor, call) is not None
        assert outsider.call_list() == [], outsider.last

        forged = outsider.start(call, "listen")
        assert forged.status == 403, forged.describe()
        assert forged.json().get("reason") == "cross_tenant", forged.describe()
        # audited as a security record of globex's (800's tenant), naming nothing of acme's call
        record = console_pbx.wait_audit(kind="security", supervisor="800", rule="console_cross_tenant")
        assert record["tenant"] == "globex" and record["target"] == "" and call in record["detail"], record
        assert not [r for r in console_pbx.audit_records() if r["tenant"] == "globex" and mentions(r, "744")]
        # 700 is told about something after the forgery (744 asks for help): by then 800's
        # socket had its chance to leak as well
        mark = ours.count()
        console_pbx.login("744").assist().ok()
        ours.wait_for(lambda m: m["type"] == "assistance", 10, "744's assistance, for 700", since=mark)
        leaked = [m for m in theirs.messages() if mentions(m, call, "744", "Alice")]
        assert not leaked, f"800 (globex) was told about acme's call: {leaked}"
        assert theirs.messages()[0]["calls"] == [], theirs.messages()[0]


def test_sessions_belong_to_their_supervisor(
    console_pbx: ConsolePbx, console_sipp: ConsoleSipp, trunk_port: int
) -> None:
    """700 listens from the web (its sipp phone answers the PBX's call); 790 cannot switch or stop
    700's session (404), and a second start by 700 is 409."""
    call = console_pbx.call_from_trunk(console_sipp, trunk_port)
    phone = console_sipp.registered_phone("700", "uas.xml", PCAP=G711A)
    supervisor = console_pbx.login("700")
    supervisor.start(call, "listen").ok(202)
    started = console_pbx.wait_audit(kind="started", supervisor="700")
    session = started["session"]
    admin = console_pbx.login("790")
    assert admin.switch(session, "barge").status == 404, admin.last
    assert admin.stop(session).status == 404, admin.last
    again = supervisor.start(call, "whisper")
    assert again.status == 409, again.describe()
    supervisor.stop(session).ok()
    assert phone.wait(15).returncode == 0, "the PBX did not hang up 700's phone"


# ---- supervision from the web ----------------------------------------------------------------

def test_listen_whisper_barge_and_stop_from_the_web(
    console_pbx: ConsolePbx, console_sipp: ConsoleSipp, trunk_port: int
) -> None:
    """The PBX calls 700's phone (a sipp that answers) for a web start; the session starts in
    listen, switches to whisper and barge by the API, and DELETE hangs the phone up. Each step
    is on the event socket, in GET /api/sessions and in the audit trail with channel web."""
    call = console_pbx.call_from_trunk(console_sipp, trunk_port)
    supervisor = console_pbx.login("700")
    with supervisor.events() as events:
        events.wait_for(lambda m: m["type"] == "hello", 5, "hello")
        row = _calls_of(supervisor, call)
        assert row is not None and row["agent"] == "744" and row["agent_name"] == "Alice", row
        assert row["customer"] == "+15550100" or row["customer"] == "15550100", row
        assert row["modes"] == {"listen": True, "whisper": True, "barge": True} and row["denial"] is None, row
        assert row["supervisors"] == [] and row["answered"] is True and row["assistance"] is None, row

        phone = console_sipp.registered_phone("700", "uas.xml", PCAP=G711A)
        mark = events.count()
        pending = supervisor.start(call, "listen").ok(202)["pending"]
        assert pending["call"] == call and pending["mode"] == "listen" and pending["phone"] == "700", pending
        assert pending["agent"] == "744", pending
        events.wait_for(lambda m: m["type"] == "pending" and m["pending"] is not None, 10, "pending", since=mark)
        started = console_pbx.wait_audit(kind="started", supervisor="700", call=call)
        assert started["mode"] == "listen" and started["channel"] == "web", started
        session = started["session"]
        message = events.wait_for(lambda m: m["type"] == "session" and m["session"] is not None, 10,
                                  "the session started", since=mark)
        assert message["session"]["id"] == session and message["session"]["mode"] == "listen", message
        assert message["session"]["channel"] == "web" and message["session"]["state"] == "active", message
        events.wait_for(lambda m: m["type"] == "pending" and m["pending"] is None, 10, "pending cleared",
                        since=mark)
        mine = supervisor.sessions().ok()
        assert mine["pending"] is None and [s["id"] for s in mine["sessions"]] == [session], mine
        events.wait_for(lambda m: m["type"] == "call" and m["call"]["id"] == call
                        and [s["supervisor"] for s in m["call"]["supervisors"]] == ["700"], 10,
                        "the call listing 700 as its supervisor", since=mark)

        for mode in ("whisper", "barge"):
            switched = supervisor.switch(session, mode).ok()["session"]
            assert switched["mode"] == mode and switched["id"] == session, switched
            record = console_pbx.wait_audit(kind="mode_changed", supervisor="700", mode=mode)
            assert record["channel"] == "web", record
            events.wait_for(session_in(mode), 10, f"the session in {mode}")

        mark = events.count()
        assert supervisor.stop(session).ok() == {}
        ended = console_pbx.wait_audit(kind="ended", supervisor="700")
        assert ended["session"] == session, ended
        events.wait_for(lambda m: m["type"] == "session" and m["session"] is None, 10, "the session ended",
                        since=mark)
        assert phone.wait(15).returncode == 0, "the PBX did not hang up 700's phone"
        assert supervisor.sessions().ok() == {"sessions": [], "pending": None}
        assert supervisor.stop(session).status == 404, supervisor.last


def test_a_ringing_start_switches_its_mode_and_is_cancelled(
    console_pbx: ConsolePbx, console_sipp: ConsoleSipp, trunk_port: int
) -> None:
    """700's phone rings and is never answered (sipp uas_ring): the pending start takes another
    mode, then DELETE /api/sessions/pending stops the ringing (the phone gets CANCEL)."""
    call = console_pbx.call_from_trunk(console_sipp, trunk_port)
    phone = console_sipp.registered_phone("700", "uas_ring.xml")
    supervisor = console_pbx.login("700")
    supervisor.start(call, "listen").ok(202)
    switched = supervisor.switch("pending", "barge").ok()["pending"]
    assert switched["mode"] == "barge" and switched["call"] == call, switched
    assert supervisor.sessions().ok()["pending"]["mode"] == "barge"
    assert supervisor.stop("pending").ok() == {}
    cancelled = phone.wait(15)
    assert cancelled.returncode == 0, cancelled.describe()
    assert supervisor.sessions().ok() == {"sessions": [], "pending": None}
    assert supervisor.stop("pending").status == 409
    assert not [r for r in console_pbx.audit_records() if r["kind"] == "started"], console_pbx.audit_records()


def test_a_busy_phone_ends_the_start_with_its_reason(
    console_pbx: ConsolePbx, console_sipp: ConsoleSipp, trunk_port: int
) -> None:
    """700's phone answers the PBX's INVITE with 486: the page is told why on its socket, nothing
    is pending or started, and 700 may try again."""
    call = console_pbx.call_from_trunk(console_sipp, trunk_port)
    phone = console_sipp.registered_phone("700", "uas_busy.xml")
    supervisor = console_pbx.login("700")
    with supervisor.events() as events:
        events.wait_for(lambda m: m["type"] == "hello", 5, "hello")
        answer = supervisor.start(call, "listen")
        if answer.status == 202:  # it rang first; the refusal comes on the socket
            told = events.wait_for(lambda m: m["type"] == "pending" and bool(m.get("error")), 15, "the busy phone")
            assert "486" in told["error"] and told["pending"] is None, told
        else:  # refused before the answer to the POST went out
            assert answer.status == 409 and "486" in answer.error, answer.describe()
    assert phone.wait(15).returncode == 0
    assert supervisor.sessions().ok() == {"sessions": [], "pending": None}
    assert not [r for r in console_pbx.audit_records() if r["kind"] == "started"]


# ---- assistance and the audit view -----------------------------------------------------------


def test_an_agent_asks_for_help_and_only_its_supervisors_hear_of_it(
    console_pbx: ConsolePbx, console_sipp: ConsoleSipp, trunk_port: int
) -> None:
    supervisor, colleague, outsider = (console_pbx.login(e) for e in ("700", "745", "800"))
    with supervisor.events() as ours, colleague.events() as other_agent, outsider.events() as theirs:
        for events in (ours, other_agent, theirs):
            events.wait_for(lambda m: m["type"] == "hello", 5, "hello")
        call = console_pbx.call_from_trunk(console_sipp, trunk_port)
        agent = console_pbx.login("744")
        wait_until(lambda: _calls_of(agent, call), 10, f"{call} in 744's own calls")
        own = _calls_of(agent, call)
        assert own is not None and own["modes"] == {"listen": False, "whisper": False, "barge": False}, own

        help_request = agent.assist().ok()["assistance"]
        assert help_request["agent"] == "744" and help_request["call"] == call, help_request
        assert help_request["agent_name"] == "Alice" and help_request["requested_at"], help_request
        message = ours.wait_for(lambda m: m["type"] == "assistance" and m["active"], 10, "the assistance")
        assert message["assistance"]["agent"] == "744" and message["assistance"]["call"] == call, message
        row = _calls_of(supervisor, call)
        assert row is not None and row["assistance"] is not None and row["assistance"]["agent"] == "744", row

        assert agent.withdraw().ok() == {}
        ours.wait_for(lambda m: m["type"] == "assistance" and not m["active"], 10, "the withdrawal")
        row = _calls_of(supervisor, call)
        assert row is not None and row["assistance"] is None, row
        for name, events in (("745", other_agent), ("800", theirs)):
            told = [m for m in events.messages() if m["type"] == "assistance" or mentions(m, call)]
            assert not told, f"{name} was told about 744's call or its help request: {told}"


def test_the_audit_trail_is_for_the_tenant_admin_only(
    console_pbx: ConsolePbx, console_sipp: ConsoleSipp, trunk_port: int
) -> None:
    call = console_pbx.call_from_trunk(console_sipp, trunk_port)
    admin = console_pbx.login("790")
    with admin.events() as events:
        events.wait_for(lambda m: m["type"] == "hello", 5, "hello")
        # records of both tenants: an acme agent's denial, a globex supervisor's forgery
        assert console_pbx.login("745").start(call, "listen").status == 403
        assert console_pbx.login("800").start(call, "whisper").status == 403
        console_pbx.wait_audit(kind="denied", supervisor="745")
        console_pbx.wait_audit(kind="security", supervisor="800", rule="console_cross_tenant")
        live = events.wait_for(lambda m: m["type"] == "audit" and m["record"]["supervisor"] == "745", 10,
                               "745's denial as it happens")
        assert live["record"]["tenant"] == "acme", live

        for extension in ("700", "744", "800"):
            answer = console_pbx.login(extension).audit()
            assert answer.status == 403, f"{extension}: {answer.describe()}"

        records = admin.audit().ok()["records"]
        in_file = [r for r in console_pbx.audit_records() if r["tenant"] == "acme"]
        assert records and all(r["tenant"] == "acme" for r in records), records
        assert [r["seq"] for r in records] == [r["seq"] for r in in_file], (records, in_file)
        assert [r["seq"] for r in admin.audit(limit=1).ok()["records"]] == [in_file[-1]["seq"]]
        leaked = [m for m in events.messages() if m["type"] == "audit" and m["record"]["tenant"] != "acme"]
        assert not leaked, leaked
