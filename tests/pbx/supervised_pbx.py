"""The PBX the softphone supervision tests call through: pbx_process's PbxProcess running
pbx_config's call centre (trunk, agent 744, supervisor 700 over group Support) with the tenant
plan under test, SRTP mandatory for the extensions, RTP ports away from the phones'."""

from __future__ import annotations

import random
from pathlib import Path

from loopback import HOST, udp_port_free
from pbx_process import PASSWORDS, PBX_BINARY, PbxProcess, free_port_block, pbx_config

__all__ = ["PASSWORDS", "PBX_BINARY", "SupervisedPbx", "rtp_port_block"]


def rtp_port_block(size: int = 100, attempts: int = 30) -> tuple[int, int]:
    """A block of RTP ports for one PBX in 20000-29999: below the kernel's ephemeral range
    (32768-60999, where port-0 binds land) and apart from the phones' ranges (10000-17999); taken
    only when all its ports can be bound now, so PBXes running in parallel pick other blocks."""
    rng = random.SystemRandom()
    for _ in range(attempts):
        start = 20000 + size * rng.randrange(0, 10000 // size)
        if all(udp_port_free(port) for port in range(start, start + size)):
            return start, start + size - 1
    raise RuntimeError(f"no free block of {size} UDP ports in 20000-29999 on {HOST} in {attempts} tries")


class SupervisedPbx(PbxProcess):
    """callsup-pbx on free loopback ports: tenant acme on `plan`, the trunk at trunk_port,
    accounts with `srtp` (mandatory by default). Start with `with` or start(); stopped by pid."""

    def __init__(self, workdir: Path, plan: str, trunk_port: int, srtp: str = "mandatory") -> None:
        config = pbx_config(
            sip_port=free_port_block(1, tcp=True),
            rtp_ports=rtp_port_block(),
            audit_log=workdir / "pbx-audit.jsonl",
            trunk_port=trunk_port,
            plan=plan,
            srtp=srtp,
        )
        super().__init__(workdir, config)

    def start(self, timeout: float = 15.0) -> SupervisedPbx:
        super().start(timeout)
        return self

    def __enter__(self) -> SupervisedPbx:
        return self.start()

    @property
    def sip_address(self) -> str:
        return f"{HOST}:{self.sip_port}"

    def uri(self, user: str) -> str:
        return f"sip:{user}@{self.sip_address}"
