"""The PBX the softphone supervision tests call through: its configuration (the call centre of
issue 11: trunk, agent 744, supervisor 700 over group Support, a tenant plan) and, until
tests/pbx/pbx_process.py provides the shared fixture, a small launcher that starts
build/dev/bin/callsup-pbx on free loopback ports and stops it by pid."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from loopback import HOST, free_sip_port, udp_port_free, wait_until
from softphone_process import REPO, ManagedProcess, SoftphoneError

PBX_BINARY = REPO / "build" / "dev" / "bin" / "callsup-pbx"
PASSWORDS = {"700": "secret-700", "744": "secret-744", "745": "secret-745"}


def supervision_config(
    *,
    sip_port: int,
    trunk_port: int,
    rtp_ports: tuple[int, int],
    plan: str,
    audit_log: Path,
    srtp: str = "mandatory",
) -> dict[str, Any]:
    """The PBX config: tenant acme on `plan`, agents 744/745 in group Support, supervisor 700
    (can_supervise, granted up to barge) over Support, hunt group 600, the trunk at trunk_port."""
    return {
        "sip": {"listen": f"{HOST}:{sip_port}", "realm": "callsup"},
        "rtp": {"address": HOST, "port_min": rtp_ports[0], "port_max": rtp_ports[1]},
        "trunk": {"name": "carrier", "address": f"{HOST}:{trunk_port}", "tenant": "acme"},
        "accounts": [{"extension": ext, "password": pw, "srtp": srtp} for ext, pw in PASSWORDS.items()],
        "hunt_groups": [{"number": "600", "group": "Support"}],
        "tenants": {"acme": {"notify_agent": "info"}},
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


def rtp_port_block(size: int = 100, attempts: int = 30) -> tuple[int, int]:
    """A block of RTP ports for one PBX in 20000-29999: below the kernel's ephemeral range
    (32768-60999, where port-0 binds land) and apart from the phones' ranges (10000-17999). The
    PBX hands out ports without asking the kernel, so a block is taken only when all its ports
    can be bound now (another PBX running in parallel picks another block)."""
    rng = random.SystemRandom()
    for _ in range(attempts):
        start = 20000 + size * rng.randrange(0, 10000 // size)
        if all(udp_port_free(port) for port in range(start, start + size)):
            return start, start + size - 1
    raise RuntimeError(f"no free block of {size} UDP ports in 20000-29999 on {HOST} in {attempts} tries")


class LocalPbx:
    """callsup-pbx with a generated config on free loopback ports; a context manager that stops
    it by pid (SIGTERM, SIGKILL after 5 s) even when the test fails."""

    def __init__(self, workdir: Path, plan: str, trunk_port: int, srtp: str = "mandatory") -> None:
        if not PBX_BINARY.is_file():
            raise SoftphoneError(f"{PBX_BINARY} does not exist (cmake --build --preset dev --target callsup-pbx)")
        self.workdir = workdir
        self.sip_port = free_sip_port()
        self.audit_log = workdir / "pbx-audit.jsonl"
        self.config_path = workdir / "pbx.json"
        self.log_path = workdir / "pbx.log"
        self.config = supervision_config(
            sip_port=self.sip_port,
            trunk_port=trunk_port,
            rtp_ports=rtp_port_block(),
            plan=plan,
            audit_log=self.audit_log,
            srtp=srtp,
        )
        self._proc: ManagedProcess | None = None

    @property
    def sip_address(self) -> str:
        return f"{HOST}:{self.sip_port}"

    def uri(self, user: str) -> str:
        return f"sip:{user}@{self.sip_address}"

    def start(self, timeout: float = 15.0) -> LocalPbx:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.config_path.write_text(json.dumps(self.config, indent=2))
        self._proc = ManagedProcess([str(PBX_BINARY), "--config", str(self.config_path)], self.log_path, cwd=self.workdir)
        try:
            wait_until(self._ready, timeout, f"callsup-pbx ready on {self.sip_address}")
        except BaseException:
            self.stop()
            raise
        return self

    def _ready(self) -> bool:
        assert self._proc is not None
        if not self._proc.alive():
            raise SoftphoneError(
                f"callsup-pbx exited with {self._proc.returncode}; log {self.log_path}:\n{self._proc.log_tail()}"
            )
        return "pbx: ready" in self._proc.log_text()

    def stop(self) -> int | None:
        return self._proc.stop() if self._proc is not None else None

    def __enter__(self) -> LocalPbx:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def log_text(self) -> str:
        return self._proc.log_text() if self._proc else ""

    def log_tail(self, lines: int = 40) -> str:
        return self._proc.log_tail(lines) if self._proc else ""

    def audit_records(self) -> list[dict[str, Any]]:
        if not self.audit_log.exists():
            return []
        records = []
        for line in self.audit_log.read_text().splitlines():
            if line.strip():
                records.append(json.loads(line))
        return records

    def wait_audit(self, timeout: float, what: str, **fields: str) -> dict[str, Any]:
        """The first audit record whose fields equal `fields` (e.g. kind="mode_changed",
        mode="whisper"); waits at most `timeout` s for it."""

        def found() -> dict[str, Any] | None:
            for record in self.audit_records():
                if all(record.get(k) == v for k, v in fields.items()):
                    return record
            return None

        try:
            return wait_until(found, timeout, f"audit record {what} {fields}")
        except TimeoutError as e:
            raise TimeoutError(f"{e}; audit so far: {self.audit_records()}\nPBX log:\n{self.log_tail()}") from None
