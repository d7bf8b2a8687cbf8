"""Real softphones driven headless on 127.0.0.1 for the PBX tests (issue 11): baresip and
linphonec as real processes, each playing a known voice and recording what it hears.

    with Baresip(tmp / "agent", BaresipAccount("744", pbx_sip, "secret-744", regint=600,
                                               auto_answer=True), agent_loop) as agent:
        agent.wait_registered()
        ...

Every driver stops its process by pid in stop()/__exit__, even when the test fails. The
configuration facts each driver relies on are in its module's docstring
(softphone_baresip.py, softphone_linphone.py)."""

from __future__ import annotations

from softphone_baresip import Baresip, BaresipAccount
from softphone_linphone import ConsoleEvent, Linphonec, LinphoneAccount
from softphone_process import (
    InetSocket,
    SoftphoneError,
    inet_sockets,
    is_loopback,
    make_silence,
    make_voice_loop,
    voice_file,
)

__all__ = [
    "Baresip",
    "BaresipAccount",
    "ConsoleEvent",
    "InetSocket",
    "Linphonec",
    "LinphoneAccount",
    "SoftphoneError",
    "inet_sockets",
    "is_loopback",
    "make_silence",
    "make_voice_loop",
    "voice_file",
]
