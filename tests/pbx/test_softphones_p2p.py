"""Self-tests of the real-softphone harness, without the PBX: baresip calls baresip, linphonec
and baresip call each other, directly on 127.0.0.1, SRTP mandatory; each phone plays its own
voice and records what it hears; the recordings must hold the peer's voice and no other.

Run: .venv/bin/pytest tests/pbx/test_softphones_p2p.py (needs baresip, linphone-cli and
build/dev/bin/callsup-hearing)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from loopback import wait_until
from hearing import VoiceHearing, Window, format_matrix, hearing_matrix, hear
from softphone_fixtures import require_program, voice_loops, voices  # noqa: F401 - fixtures
from softphones import (
    Baresip,
    BaresipAccount,
    Linphonec,
    LinphoneAccount,
    inet_sockets,
    is_loopback,
)

SRTP_SUITE = "AES_CM_128_HMAC_SHA1_80"
TALK_SAMPLES = 6 * 8000  # each phone records at least 6 s of the other before hanging up
SETTLE_S = 0.5  # the first half second of a recording (jitter buffer filling) is not judged


@pytest.fixture(autouse=True)
def _programs() -> None:
    require_program("baresip")
    require_program("linphonec")


def heard_by(recording: Path, voices: dict[str, Path], tmp: Path) -> dict[str, bool]:
    """Which of all the voices (own one included: no echo expected) the recording holds."""
    found = hear(recording, voices, from_s=SETTLE_S, workdir=tmp)
    for name, h in found.items():
        assert h.speaking_s >= 0.5, f"{recording}: only {h.speaking_s:.2f} s of {name}'s speech to judge by"
    return {name: h.heard for name, h in found.items()}


def expect_only(heard: dict[str, bool], voice: str) -> dict[str, bool]:
    return {name: name == voice for name in heard}


@pytest.fixture
def bob(tmp_path: Path, voice_loops: dict[str, Path]) -> Iterator[Baresip]:  # noqa: F811
    """baresip "bob" speaking the agent's voice, answering automatically, SRTP mandatory."""
    with Baresip(tmp_path / "bob", BaresipAccount("bob", "", auto_answer=True), voice_loops["agent"]) as phone:
        yield phone


def test_baresip_calls_baresip_with_mandatory_srtp(
    tmp_path: Path,
    bob: Baresip,
    voice_loops: dict[str, Path],  # noqa: F811
    voices: dict[str, Path],  # noqa: F811
) -> None:
    carol_account = BaresipAccount("carol", "", auto_answer=False)
    with (
        Baresip(tmp_path / "alice", BaresipAccount("alice", ""), voice_loops["customer"]) as alice,
        Baresip(tmp_path / "carol", carol_account, voice_loops["supervisor"]) as carol,
    ):
        # alice -> bob (auto-answer)
        mark = alice.dial(f"sip:bob@{bob.sip_address}")
        alice.wait_call_event("ESTABLISHED", since=mark)
        bob.wait_call_event("ESTABLISHED")
        assert alice.wait_call_event("MENC", since=mark)["param"] == f"0,audio,{SRTP_SUITE}"
        assert bob.wait_call_event("MENC")["param"] == f"0,audio,{SRTP_SUITE}"

        alice.wait_hearing(timeout=15, samples=TALK_SAMPLES)
        bob.wait_hearing(timeout=15, samples=TALK_SAMPLES)

        # DTMF, RFC 4733, in order
        dtmf_mark = bob.event_count()
        alice.send_dtmf("1")
        alice.send_dtmf("2")
        digits = []
        for _ in range(2):
            event = bob.wait_event(lambda e: e.get("type") == "CALL_DTMF_START", 5, "CALL_DTMF_START", dtmf_mark)
            digits.append(event["param"])
            dtmf_mark = bob.events().index(event) + 1
        assert digits == ["1", "2"]

        alice.hangup()
        bob.wait_call_event("CLOSED")
        alice.wait_call_event("CLOSED", since=mark)

        # manual answer: carol rings, then accepts
        carol_mark = carol.event_count()
        mark = alice.dial(f"sip:carol@{carol.sip_address}")
        carol.wait_call_event("INCOMING", since=carol_mark)
        carol.answer()
        alice.wait_call_event("ESTABLISHED", since=mark)
        carol.wait_call_event("ESTABLISHED", since=carol_mark)
        carol.wait_hearing(timeout=15, samples=TALK_SAMPLES)
        carol.hangup()
        alice.wait_call_event("CLOSED", since=mark)

    assert len(alice.recordings()) == 2, alice.recordings()
    first_call, second_call = alice.recordings()
    assert heard_by(first_call, voices, tmp_path) == {"customer": False, "agent": True, "supervisor": False}
    assert heard_by(bob.current_recording(), voices, tmp_path) == {
        "customer": True,
        "agent": False,
        "supervisor": False,
    }
    assert heard_by(second_call, voices, tmp_path) == {"customer": False, "agent": False, "supervisor": True}
    assert heard_by(carol.current_recording(), voices, tmp_path) == {
        "customer": True,
        "agent": False,
        "supervisor": False,
    }


def test_baresip_keeps_sip_on_loopback(bob: Baresip, tmp_path: Path, voice_loops: dict[str, Path]) -> None:  # noqa: F811
    """SIP and ctrl_tcp are bound to 127.0.0.1; nothing is connected to another address; the only
    sockets not bound to 127.0.0.1 are baresip 1.0's wildcard UDP ones (RTP/RTCP, DNS client)."""
    with Baresip(tmp_path / "alice", BaresipAccount("alice", ""), voice_loops["customer"]) as alice:
        mark = alice.dial(f"sip:bob@{bob.sip_address}")
        alice.wait_call_event("ESTABLISHED", since=mark)
        alice.wait_hearing(timeout=10, samples=8000)
        for phone in (alice, bob):
            sockets = inet_sockets(phone.pid)
            bound = {(s.proto, s.local) for s in sockets}
            assert ("udp", ("127.0.0.1", phone.sip_port)) in bound, sockets
            assert ("tcp", ("127.0.0.1", phone.sip_port)) in bound, sockets
            assert ("tcp", ("127.0.0.1", phone.ctrl_port)) in bound, sockets
            for s in sockets:
                if s.remote[1] != 0:
                    assert is_loopback(s.remote[0]), f"{phone.name}: {s} talks to another address"
                if not is_loopback(s.local[0]):
                    assert s.proto in ("udp", "udp6") and s.local[0] in ("0.0.0.0", "::"), (
                        f"{phone.name}: {s} is bound to an address other than loopback"
                    )
        alice.hangup()
        bob.wait_call_event("CLOSED")


@pytest.mark.parametrize("dtmf", ["rfc4733", "info"])
def test_linphonec_calls_baresip_with_srtp_and_dtmf(
    dtmf: str,
    tmp_path: Path,
    bob: Baresip,
    voice_loops: dict[str, Path],  # noqa: F811
    voices: dict[str, Path],  # noqa: F811
) -> None:
    account = LinphoneAccount("linda", srtp="mandatory", dtmf=dtmf)
    with Linphonec(tmp_path / "linda", account, voice_loops["supervisor"]) as linda:
        mark = linda.dial(f"sip:bob@{bob.sip_address}")
        call = linda.wait_event("connected", timeout=10, since=mark)
        bob.wait_call_event("ESTABLISHED")
        assert bob.wait_call_event("MENC")["param"] == f"0,audio,{SRTP_SUITE}"
        bob.wait_hearing(timeout=15, samples=TALK_SAMPLES)
        wait_linphone_heard(linda, TALK_SAMPLES)

        dtmf_mark = bob.event_count()
        linda.send_dtmf("1")
        event = bob.wait_event(lambda e: e.get("type") == "CALL_DTMF_START", 5, "CALL_DTMF_START", dtmf_mark)
        assert event["param"] == "1"
        linda.send_dtmf("#")
        dtmf_mark = bob.events().index(event) + 1
        event = bob.wait_event(lambda e: e.get("type") == "CALL_DTMF_START", 5, "CALL_DTMF_START", dtmf_mark)
        assert event["param"] == "#"

        # every linphonec socket is bound to 127.0.0.1 ([sip]/[rtp] bind_address)
        for s in inet_sockets(linda.pid):
            assert is_loopback(s.local[0]), f"linphonec socket {s} is not on loopback"
            if s.remote[1] != 0:
                assert is_loopback(s.remote[0]), f"linphonec socket {s} talks to another address"

        linda.hangup()
        linda.wait_event("ended", timeout=10, since=mark)
        bob.wait_call_event("CLOSED")
        assert call.call_id is not None
    mode = "SIP INFO" if dtmf == "info" else "RFC 4733"
    sdp_or_info = (tmp_path / "linda" / "linphonec.log").read_text(errors="replace")
    if dtmf == "info":
        assert "application/dtmf-relay" in sdp_or_info, f"no {mode} DTMF in linphonec's SIP log"
    else:
        assert "application/dtmf-relay" not in sdp_or_info, f"DTMF went as SIP INFO, not {mode}"
    assert heard_by(linda.recording, voices, tmp_path) == {"customer": False, "agent": True, "supervisor": False}
    assert heard_by(bob.current_recording(), voices, tmp_path) == {
        "customer": False,
        "agent": False,
        "supervisor": True,
    }


def wait_linphone_heard(phone: Linphonec, samples: int) -> None:
    wait_until(lambda: phone.heard_samples() >= samples, 15, f"{phone.name}: {samples} samples heard")


def test_baresip_calls_linphonec_which_answers(
    tmp_path: Path,
    voice_loops: dict[str, Path],  # noqa: F811
    voices: dict[str, Path],  # noqa: F811
) -> None:
    account = LinphoneAccount("linus", srtp="mandatory", auto_answer=False)
    with (
        Linphonec(tmp_path / "linus", account, voice_loops["agent"]) as linus,
        Baresip(tmp_path / "alice", BaresipAccount("alice", ""), voice_loops["customer"]) as alice,
    ):
        mark = alice.dial(f"sip:linus@{linus.sip_address}")
        incoming = linus.wait_event("incoming", timeout=10)
        assert "alice@127.0.0.1" in incoming.peer
        linus.answer()
        alice.wait_call_event("ESTABLISHED", since=mark)
        assert alice.wait_call_event("MENC", since=mark)["param"] == f"0,audio,{SRTP_SUITE}"
        alice.wait_hearing(timeout=15, samples=TALK_SAMPLES)
        wait_linphone_heard(linus, TALK_SAMPLES)

        tone_mark = linus.event_count()
        alice.send_dtmf("2")
        tone = linus.wait_event("tone", timeout=5, since=tone_mark)
        assert tone.detail == "2"

        alice.hangup()
        linus.wait_event("ended", timeout=10)
        alice.wait_call_event("CLOSED", since=mark)
    assert heard_by(linus.recording, voices, tmp_path) == {"customer": True, "agent": False, "supervisor": False}
    assert heard_by(alice.current_recording(), voices, tmp_path) == {
        "customer": False,
        "agent": True,
        "supervisor": False,
    }


def test_hearing_matrix_of_a_direct_call(
    tmp_path: Path,
    bob: Baresip,
    voice_loops: dict[str, Path],  # noqa: F811
    voices: dict[str, Path],  # noqa: F811
) -> None:
    """hearing_matrix over time windows marked by the recordings' sizes during the call."""
    with Baresip(tmp_path / "alice", BaresipAccount("alice", ""), voice_loops["customer"]) as alice:
        mark = alice.dial(f"sip:bob@{bob.sip_address}")
        alice.wait_call_event("ESTABLISHED", since=mark)
        bob.wait_call_event("ESTABLISHED")
        alice.wait_hearing(timeout=10, samples=8000)
        starts = {"alice": alice.heard_samples(), "bob": bob.heard_samples()}
        alice.wait_hearing(timeout=15, samples=4 * 8000)
        bob.wait_hearing(timeout=15, samples=4 * 8000)
        ends = {"alice": alice.heard_samples(), "bob": bob.heard_samples()}
        alice.hangup()
        bob.wait_call_event("CLOSED")
    windows = {
        "customer": Window(alice.current_recording(), starts["alice"] / 8000, ends["alice"] / 8000),
        "agent": Window(bob.current_recording(), starts["bob"] / 8000, ends["bob"] / 8000),
    }
    details: dict[str, dict[str, VoiceHearing]] = {}
    matrix = hearing_matrix(windows, voices, workdir=tmp_path, details=details)
    expected = {
        "customer": {"agent": True, "supervisor": False},
        "agent": {"customer": True, "supervisor": False},
    }
    assert matrix == expected, format_matrix(matrix, details)


def test_baresip_starts_again_when_its_port_was_taken_meanwhile(
    tmp_path: Path,
    voice_loops: dict[str, Path],  # noqa: F811
) -> None:
    phone = Baresip(tmp_path / "dana", BaresipAccount("dana", ""), voice_loops["customer"])
    first_port = phone.sip_port
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as squatter:
        squatter.bind(("127.0.0.1", first_port + 1))  # baresip also listens on TCP sip_port + 1
        squatter.listen()
        with phone:
            assert phone.sip_port != first_port
            assert phone.account.aor == f"sip:dana@127.0.0.1:{phone.sip_port}"
            assert "Address already in use" in (tmp_path / "dana" / "baresip-attempt1.log").read_text()
            assert phone.command("reginfo")
