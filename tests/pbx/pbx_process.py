"""callsup-pbx as a process for tests: a config on free loopback ports, started from
build/dev/bin/callsup-pbx (or the binary named by the environment variable CALLSUP_PBX, e.g.
build/release/bin/callsup-pbx), ready when it answers SIP OPTIONS, stopped by pid even when the
test fails. Other test modules (the softphone tests) reuse PbxProcess and pbx_config. With a
console port, pbx_config adds the browser console (docs/console.md): web passwords, a tenant
administrator and a second tenant."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

REPO = Path(__file__).resolve().parents[2]
PBX_BINARY = Path(os.environ.get("CALLSUP_PBX") or REPO / "build" / "dev" / "bin" / "callsup-pbx").resolve()
HOST = "127.0.0.1"
PASSWORDS = {"700": "secret-700", "744": "secret-744", "745": "secret-745"}
# The console's configurations only: tenant acme's administrator 790 and supervisor 701 (of the
# empty group Billing: 744 is out of its scope), tenant globex's supervisor 800 over agent 844
# (group Sales), their SIP passwords, and everybody's web password.
CONSOLE_PASSWORDS = {"790": "secret-790", "701": "secret-701", "800": "secret-800", "844": "secret-844"}
WEB_PASSWORDS = {
    "700": "web-700",
    "744": "web-744",
    "745": "web-745",
    "790": "web-790",
    "701": "web-701",
    "800": "web-800",
    "844": "web-844",
}

T = TypeVar("T")


def wait_until(condition: Callable[[], T | None | bool], timeout: float, what: str, interval: float = 0.05) -> T:
    """Polls `condition` until it returns something truthy (returned), or raises TimeoutError
    naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value  # type: ignore[return-value]
        if time.monotonic() >= deadline:
            raise TimeoutError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(interval)


def _bindable(kind: int, port: int) -> bool:
    with socket.socket(socket.AF_INET, kind) as s:
        try:
            s.bind((HOST, port))
        except OSError:
            return False
    return True


# Blocks handed out by this process: a block is free when checked but bound later (the PBX binds
# its RTP range one call at a time), so a later block must not overlap an earlier one.
_handed_out: list[range] = []


def free_port_block(size: int = 1, tcp: bool = False, attempts: int = 200) -> int:
    """The first of `size` consecutive ports free on 127.0.0.1 for UDP (and TCP when `tcp`), and
    overlapping no block handed out before in this process; the kernel picks the first one (bind
    to port 0), so tests running in parallel do not clash."""
    for _ in range(attempts):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.bind((HOST, 0))
            first = int(s.getsockname()[1])
        if first % 2 or first + size > 65535:
            continue  # even first ports: RTP convention, and sipp's media port pairs
        ports = range(first, first + size)
        if any(p.start < ports.stop and ports.start < p.stop for p in _handed_out):
            continue
        if all(_bindable(socket.SOCK_DGRAM, p) for p in ports) and (
            not tcp or all(_bindable(socket.SOCK_STREAM, p) for p in ports)
        ):
            _handed_out.append(ports)
            return first
    raise RuntimeError(f"no {size} consecutive free ports on {HOST} in {attempts} tries")


# password -> its crypto_pwhash_str hash, made once per test session (Argon2id is slow on purpose)
_web_hashes: dict[str, str] = {}


def web_password_hash(password: str, binary: Path | None = None) -> str:
    """`password` hashed by `callsup-pbx --hash-password` (libsodium's crypto_pwhash_str, which
    reads the password as one line on stdin); cached for the session."""
    if password not in _web_hashes:
        argv = [str(binary or PBX_BINARY), "--hash-password"]
        done = subprocess.run(argv, input=password + "\n", capture_output=True, text=True, timeout=60)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} exited {done.returncode}: {done.stderr.strip()}")
        lines = done.stdout.strip().splitlines()
        if len(lines) != 1 or not lines[0].startswith("$argon2id$"):
            raise RuntimeError(f"{' '.join(argv)} printed {done.stdout!r}, not one $argon2id$ hash")
        _web_hashes[password] = lines[0]
    return _web_hashes[password]


def pbx_config(
    *,
    sip_port: int,
    rtp_ports: tuple[int, int],
    audit_log: Path,
    trunk_port: int | None = None,
    plan: str = "portaswitch",
    srtp: str = "optional",
    notify_agent: str = "info",
    max_calls: int | None = None,
    console_port: int | None = None,
) -> dict[str, Any]:
    """The sample call centre (callsup-pbx --print-config) on the given ports: tenant acme on
    `plan`, agents 744 and 745 in group Support, supervisor 700 over Support (up to barge), hunt
    group 600, the trunk at `trunk_port` when given.

    With `console_port`, the browser console listens on 127.0.0.1:`console_port` and the call
    centre grows: tenant acme's administrator 790 "Ada Admin" (tenant_admin, up to barge), tenant
    globex with supervisor 800 "Gus Globex" over agent 844 "Gina" (group Sales), an account for
    each, and every account gets the hash of its WEB_PASSWORDS entry."""
    config: dict[str, Any] = {
        "sip": {"listen": f"{HOST}:{sip_port}", "realm": "callsup"},
        "rtp": {"address": HOST, "port_min": rtp_ports[0], "port_max": rtp_ports[1]},
        "accounts": [{"extension": ext, "password": pw, "srtp": srtp} for ext, pw in PASSWORDS.items()],
        "hunt_groups": [{"number": "600", "group": "Support"}],
        "tenants": {"acme": {"notify_agent": notify_agent}},
        "audit_log": str(audit_log),
        "directory": {
            "tenants": [{"name": "acme", "supervision_enabled": True, "feature_code_plan": plan}],
            "extensions": [
                {
                    "extension": "700",
                    "tenant": "acme",
                    "display_name": "Sam Supervisor",
                    "roles": ["supervisor"],
                    "can_supervise": True,
                    "granted_modes": "barge",
                },
                {"extension": "744", "tenant": "acme", "display_name": "Alice", "roles": ["agent"]},
                {"extension": "745", "tenant": "acme", "display_name": "Bert", "roles": ["agent"]},
            ],
            "groups": [{"name": "Support", "tenant": "acme", "members": ["744", "745"], "supervisors": ["700"]}],
        },
    }
    if trunk_port is not None:
        config["trunk"] = {"name": "carrier", "address": f"{HOST}:{trunk_port}", "tenant": "acme"}
    if max_calls is not None:
        config["sip"]["max_calls"] = max_calls
    if console_port is not None:
        add_console(config, console_port, plan=plan, srtp=srtp, notify_agent=notify_agent)
    return config


def add_console(config: dict[str, Any], port: int, *, plan: str, srtp: str, notify_agent: str) -> None:
    """pbx_config's console part (see there)."""
    config["console"] = {"listen": f"{HOST}:{port}"}
    config["accounts"] += [{"extension": ext, "password": pw, "srtp": srtp} for ext, pw in CONSOLE_PASSWORDS.items()]
    for account in config["accounts"]:
        account["web_password_hash"] = web_password_hash(WEB_PASSWORDS[account["extension"]])
    config["tenants"]["globex"] = {"notify_agent": notify_agent}
    directory = config["directory"]
    directory["tenants"].append({"name": "globex", "supervision_enabled": True, "feature_code_plan": plan})
    directory["extensions"] += [
        {
            "extension": "790",
            "tenant": "acme",
            "display_name": "Ada Admin",
            "roles": ["tenant_admin"],
            "can_supervise": True,
            "granted_modes": "barge",
        },
        {
            "extension": "701",
            "tenant": "acme",
            "display_name": "Olga Other",
            "roles": ["supervisor"],
            "can_supervise": True,
            "granted_modes": "barge",
        },
        {
            "extension": "800",
            "tenant": "globex",
            "display_name": "Gus Globex",
            "roles": ["supervisor"],
            "can_supervise": True,
            "granted_modes": "barge",
        },
        {"extension": "844", "tenant": "globex", "display_name": "Gina", "roles": ["agent"]},
    ]
    directory["groups"] += [
        {"name": "Sales", "tenant": "globex", "members": ["844"], "supervisors": ["800"]},
        {"name": "Billing", "tenant": "acme", "members": [], "supervisors": ["701"]},
    ]


def sip_options(port: int, timeout: float = 0.5) -> str | None:
    """Sends one OPTIONS to 127.0.0.1:`port` over UDP; the status line of the answer, or None."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((HOST, 0))
        s.settimeout(timeout)
        local = s.getsockname()[1]
        call_id = uuid.uuid4().hex
        request = (
            f"OPTIONS sip:{HOST}:{port} SIP/2.0\r\n"
            f"Via: SIP/2.0/UDP {HOST}:{local};branch=z9hG4bK{call_id[:16]}\r\n"
            f"From: <sip:probe@{HOST}:{local}>;tag={call_id[:8]}\r\n"
            f"To: <sip:{HOST}:{port}>\r\nCall-ID: {call_id}\r\nCSeq: 1 OPTIONS\r\n"
            "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n"
        )
        s.sendto(request.encode(), (HOST, port))
        try:
            data = s.recv(65535)
        except OSError:
            return None
        return data.split(b"\r\n", 1)[0].decode(errors="replace")


def _tcp_accepts(url: str) -> bool:
    host, port = url.split("://", 1)[1].rsplit(":", 1)
    try:
        with socket.create_connection((host, int(port)), timeout=0.5):
            return True
    except OSError:
        return False


class PbxProcess:
    """callsup-pbx (`binary`, default PBX_BINARY) running `config` (pbx_config's shape) in
    `workdir`; stderr goes to pbx.log. A context manager; stop() ends it by pid (SIGTERM, then
    SIGKILL after 5 s)."""

    def __init__(self, workdir: Path, config: dict[str, Any], binary: Path | None = None) -> None:
        self.binary = Path(binary) if binary is not None else PBX_BINARY
        if not self.binary.is_file():
            raise FileNotFoundError(f"{self.binary} is missing (cmake --build --preset dev --target callsup-pbx)")
        self.workdir = workdir
        self.config = config
        self.sip_port = int(config["sip"]["listen"].rsplit(":", 1)[1])
        console = config.get("console")
        self.console_url = f"http://{console['listen']}" if console else None
        self.audit_log = Path(config["audit_log"])
        self.config_path = workdir / "pbx.json"
        self.log_path = workdir / "pbx.log"
        self._proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 15.0) -> PbxProcess:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.config_path.write_text(json.dumps(self.config, indent=2))
        with open(self.log_path, "wb") as log:
            self._proc = subprocess.Popen(
                [str(self.binary), "--config", str(self.config_path)],
                cwd=self.workdir,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            wait_until(self._ready, timeout, f"callsup-pbx answering OPTIONS on {HOST}:{self.sip_port}")
        except BaseException:
            self.stop()
            raise
        return self

    def _ready(self) -> bool:
        if not self.alive():
            raise RuntimeError(f"callsup-pbx exited with {self.returncode()}:\n{self.log_tail()}")
        ready = "pbx: ready" in self.log_text() and (sip_options(self.sip_port) or "").startswith("SIP/2.0 200")
        return ready and (self.console_url is None or _tcp_accepts(self.console_url))

    @property
    def pid(self) -> int:
        assert self._proc is not None
        return self._proc.pid

    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def returncode(self) -> int | None:
        return None if self._proc is None else self._proc.poll()

    def stop(self, timeout: float = 5.0) -> int | None:
        """SIGTERM, SIGKILL if it is still there after `timeout`; returns the exit status."""
        if self._proc is None:
            return None
        if self._proc.poll() is None:
            os.kill(self._proc.pid, signal.SIGTERM)
            try:
                self._proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.kill(self._proc.pid, signal.SIGKILL)
                self._proc.wait()
        return self._proc.returncode

    def __enter__(self) -> PbxProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def wait_log(self, pattern: str, timeout: float = 10.0) -> re.Match[str]:
        """The first match of the regular expression `pattern` in the log, waiting up to `timeout`."""
        regex = re.compile(pattern, re.MULTILINE)
        try:
            return wait_until(lambda: regex.search(self.log_text()), timeout, f"log line /{pattern}/")
        except TimeoutError as e:
            raise TimeoutError(f"{e}; log:\n{self.log_tail()}") from None

    def counters(self, timeout: float = 5.0) -> dict[str, int]:
        """Asks for the counters (SIGUSR1) and returns the line it prints, as a dict."""
        before = self.log_text().count(" counters: ")
        os.kill(self.pid, signal.SIGUSR1)
        wait_until(lambda: self.log_text().count(" counters: ") > before, timeout, "the counters line")
        line = [l for l in self.log_text().splitlines() if " counters: " in l][-1]
        return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", line)}

    def audit_records(self) -> list[dict[str, Any]]:
        if not self.audit_log.exists():
            return []
        return [json.loads(line) for line in self.audit_log.read_text().splitlines() if line.strip()]

    def wait_audit(self, timeout: float = 10.0, **fields: Any) -> dict[str, Any]:
        """The first audit record whose fields equal `fields`, waiting up to `timeout`."""

        def found() -> dict[str, Any] | None:
            for record in self.audit_records():
                if all(record.get(k) == v for k, v in fields.items()):
                    return record
            return None

        try:
            return wait_until(found, timeout, f"audit record {fields}")
        except TimeoutError as e:
            raise TimeoutError(f"{e}; audit: {self.audit_records()}\nlog:\n{self.log_tail()}") from None


def keep_run(keep: Path | None, work: Path, pbx: PbxProcess) -> None:
    """A benchmark's --keep: the files of its work directory (scenarios, sipp logs) and the
    PBX's log, copied to `keep` (nothing when None)."""
    if keep is None:
        return
    keep.mkdir(parents=True, exist_ok=True)
    for f in work.iterdir():
        if f.is_file():
            (keep / f.name).write_bytes(f.read_bytes())
    (keep / "pbx.log").write_text(pbx.log_text())
