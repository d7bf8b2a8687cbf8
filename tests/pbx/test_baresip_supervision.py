# Over 400 lines: one scenario (listen, whisper, barge) in several plans and phones, sharing its
# measuring helpers.
"""Issue 11 with real softphones: a customer on the trunk, agent 744 and supervisor 700, each a real
baresip process (or linphonec for the supervisor), SRTP mandatory, through callsup-pbx. The
customer calls 744; the supervisor dials the listen code, then the whisper and barge codes; per
phase who heard whom is measured from the phones' own recordings and must equal DESIGN.md's
"Who hears whom" table exactly.

Skipped only while build/dev/bin/callsup-pbx does not exist.
Run: .venv/bin/pytest tests/pbx/test_baresip_supervision.py"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from hearing import Matrix, VoiceHearing, Window, format_matrix, hear, hearing_matrix
from loopback import free_sip_port, wait_until
from softphone_fixtures import require_program, voice_loops, voices  # noqa: F401 - fixtures
from softphones import Baresip, BaresipAccount, Linphonec, LinphoneAccount, SoftphoneError
from supervised_pbx import PASSWORDS, PBX_BINARY, SupervisedPbx

pytestmark = pytest.mark.skipif(
    not PBX_BINARY.is_file(),
    reason=f"{PBX_BINARY} is not built (the PBX of issue 11): cmake --build --preset dev --target callsup-pbx",
)

SRTP_SUITE = "AES_CM_128_HMAC_SHA1_80"
RATE = 8000
SETTLE_SAMPLES = RATE  # after a mode switch is audited, 1 s (routes, jitter buffers) is not judged
PHASE_SAMPLES = 5 * RATE  # then 5 s of what each phone heard is judged
CUSTOMER_NUMBER = "15550100"


@dataclass(frozen=True)
class Codes:
    listen: str  # dialled
    whisper: str  # DTMF during the call
    barge: str


PLANS = {
    "portaswitch": Codes(listen="*90744", whisper="1", barge="2"),
    "stratus": Codes(listen="007744", whisper="*81", barge="*82"),
}

# DESIGN.md "Who hears whom", written out here apart from the SDK's compute_routes: listener ->
# source -> heard, per supervisor mode. The agent is the whisper target; nobody hears themselves.
EXPECTED: dict[str, Matrix] = {
    "listen": {
        "customer": {"agent": True, "supervisor": False},
        "agent": {"customer": True, "supervisor": False},
        "supervisor": {"customer": True, "agent": True},
    },
    "whisper": {
        "customer": {"agent": True, "supervisor": False},
        "agent": {"customer": True, "supervisor": True},
        "supervisor": {"customer": True, "agent": True},
    },
    "barge": {
        "customer": {"agent": True, "supervisor": True},
        "agent": {"customer": True, "supervisor": True},
        "supervisor": {"customer": True, "agent": True},
    },
}

Phone = Baresip | Linphonec


def recording_of(phone: Phone) -> Path:
    return phone.current_recording() if isinstance(phone, Baresip) else phone.recording


@dataclass
class PhaseMarks:
    """Where a phase's judged stretch lies in each party's recording (samples)."""

    mode: str
    start: dict[str, int]
    end: dict[str, int]
    files: dict[str, Path]


def record_phase(mode: str, phones: Mapping[str, Phone]) -> PhaseMarks:
    """Marks SETTLE_SAMPLES from now on in every phone's recording, waits until each phone has
    heard PHASE_SAMPLES more, marks the end. The recordings grow as audio is received."""
    files = {name: recording_of(phone) for name, phone in phones.items()}
    start = {name: phone.heard_samples() + SETTLE_SAMPLES for name, phone in phones.items()}
    for name, phone in phones.items():
        wanted = start[name] + PHASE_SAMPLES
        wait_until(
            lambda p=phone, w=wanted: p.heard_samples() >= w,  # type: ignore[misc]
            timeout=(SETTLE_SAMPLES + PHASE_SAMPLES) / RATE + 10,
            what=f"{name} to hear {PHASE_SAMPLES / RATE:g} s in the {mode} phase",
        )
    end = {name: phone.heard_samples() for name, phone in phones.items()}
    for name, phone in phones.items():
        assert recording_of(phone) == files[name], f"{name} started a new recording during the {mode} phase"
    return PhaseMarks(mode, start, end, files)


def judge(phases: list[PhaseMarks], voices: dict[str, Path], workdir: Path) -> None:  # noqa: F811
    problems = []
    report = []
    for phase in phases:
        windows = {
            name: Window(phase.files[name], phase.start[name] / RATE, phase.end[name] / RATE) for name in phase.files
        }
        details: dict[str, dict[str, VoiceHearing]] = {}
        matrix = hearing_matrix(windows, voices, workdir=workdir, details=details)
        report.append(f"{phase.mode}:\n{format_matrix(matrix, details)}")
        if matrix != {listener: EXPECTED[phase.mode][listener] for listener in phase.files}:
            problems.append(phase.mode)
    (workdir / "hearing-report.txt").write_text("\n".join(report) + "\n")
    print("\n".join(report))
    assert not problems, f"who heard whom differs from DESIGN.md in {problems}:\n" + "\n".join(report)


@pytest.fixture
def trunk_port() -> int:
    return free_sip_port(tcp_extra=1)


@pytest.fixture
def customer(tmp_path: Path, trunk_port: int, voice_loops: dict[str, Path]) -> Iterator[Baresip]:  # noqa: F811
    """The customer: baresip on the trunk's address:port, not registering, SRTP mandatory."""
    account = BaresipAccount(CUSTOMER_NUMBER, "", srtp="mandatory")
    with Baresip(tmp_path / "customer", account, voice_loops["customer"], name="customer", sip_port=trunk_port) as phone:
        yield phone


@contextmanager
def registered_baresip(
    pbx: SupervisedPbx, tmp_path: Path, ext: str, voice: Path, name: str, auto_answer: bool
) -> Iterator[Baresip]:
    """baresip registered as `ext` (SRTP mandatory) for the `with` block; stopped by pid after it,
    whatever happened."""
    account = BaresipAccount(
        ext, pbx.sip_address, PASSWORDS[ext], regint=600, srtp="mandatory", auto_answer=auto_answer
    )
    with Baresip(tmp_path / name, account, voice, name=name) as phone:
        phone.wait_registered(timeout=10)
        yield phone


def connect_customer_to_agent(pbx: SupervisedPbx, customer: Baresip, agent: Baresip) -> None:
    mark = customer.dial(pbx.uri("744"))
    agent.wait_call_event("ESTABLISHED", timeout=10)
    customer.wait_call_event("ESTABLISHED", timeout=10, since=mark)
    assert customer.wait_call_event("MENC", since=mark)["param"] == f"0,audio,{SRTP_SUITE}"
    assert agent.wait_call_event("MENC")["param"] == f"0,audio,{SRTP_SUITE}"


def run_phases(
    pbx: SupervisedPbx, codes: Codes, phones: Mapping[str, Phone], send_dtmf: Callable[[str], None]
) -> list[PhaseMarks]:
    """listen (already started), whisper, barge: each switch confirmed by the PBX's audit trail
    before its phase is recorded."""
    pbx.wait_audit(10, kind="started", supervisor="700", mode="listen")
    phases = [record_phase("listen", phones)]
    for mode, code in (("whisper", codes.whisper), ("barge", codes.barge)):
        send_dtmf(code)
        pbx.wait_audit(10, kind="mode_changed", supervisor="700", mode=mode)
        phases.append(record_phase(mode, phones))
    return phases


@pytest.mark.parametrize("plan", sorted(PLANS))
def test_baresip_supervision_matches_design(
    plan: str,
    tmp_path: Path,
    trunk_port: int,
    customer: Baresip,
    voice_loops: dict[str, Path],  # noqa: F811
    voices: dict[str, Path],  # noqa: F811
) -> None:
    require_program("baresip")
    codes = PLANS[plan]
    with SupervisedPbx(tmp_path / "pbx", plan, trunk_port) as pbx:
        with registered_baresip(pbx, tmp_path, "744", voice_loops["agent"], "agent", auto_answer=True) as agent:
            with registered_baresip(
                pbx, tmp_path, "700", voice_loops["supervisor"], "supervisor", auto_answer=False
            ) as supervisor:
                connect_customer_to_agent(pbx, customer, agent)
                mark = supervisor.dial(pbx.uri(codes.listen))
                supervisor.wait_call_event("ESTABLISHED", timeout=10, since=mark)
                assert supervisor.wait_call_event("MENC", since=mark)["param"] == f"0,audio,{SRTP_SUITE}"
                phones: dict[str, Phone] = {"customer": customer, "agent": agent, "supervisor": supervisor}
                phases = run_phases(pbx, codes, phones, supervisor.send_dtmf)
                supervisor.hangup()
                supervisor.wait_call_event("CLOSED", timeout=10, since=mark)
                customer.hangup()
                agent.wait_call_event("CLOSED", timeout=10)
    customer.stop()  # closes its recording
    judge(phases, voices, tmp_path)


@pytest.mark.parametrize("dtmf", ["rfc4733", "info"])
def test_linphonec_supervisor_with_srtp_and_dtmf(
    dtmf: str,
    tmp_path: Path,
    trunk_port: int,
    customer: Baresip,
    voice_loops: dict[str, Path],  # noqa: F811
    voices: dict[str, Path],  # noqa: F811
) -> None:
    require_program("linphonec")
    codes = PLANS["portaswitch"]
    with SupervisedPbx(tmp_path / "pbx", "portaswitch", trunk_port) as pbx:
        with registered_baresip(pbx, tmp_path, "744", voice_loops["agent"], "agent", auto_answer=True) as agent:
            account = LinphoneAccount("700", pbx.sip_address, PASSWORDS["700"], srtp="mandatory", dtmf=dtmf)
            with Linphonec(tmp_path / "supervisor", account, voice_loops["supervisor"], name="supervisor") as sup:
                sup.wait_registered(timeout=10)
                connect_customer_to_agent(pbx, customer, agent)
                mark = sup.dial(pbx.uri(codes.listen))
                sup.wait_event("connected", timeout=10, since=mark)
                phones: dict[str, Phone] = {"customer": customer, "agent": agent, "supervisor": sup}
                phases = run_phases(pbx, codes, phones, sup.send_dtmf)
                sup.hangup()
                sup.wait_event("ended", timeout=10, since=mark)
                customer.hangup()
                agent.wait_call_event("CLOSED", timeout=10)
            log = (tmp_path / "supervisor" / "linphonec.log").read_text(errors="replace")
            assert "RTP/SAVP" in log and "a=crypto" in log, "linphonec's call was not SRTP (SDES)"
            if dtmf == "info":
                assert "application/dtmf-relay" in log, "linphonec sent no SIP INFO DTMF"
    customer.stop()
    judge(phases, voices, tmp_path)


def test_baresip_with_a_wrong_password_is_refused(
    tmp_path: Path,
    trunk_port: int,
    voice_loops: dict[str, Path],  # noqa: F811
) -> None:
    """A real phone registering with the wrong password is refused (and the right one accepted)."""
    require_program("baresip")
    with SupervisedPbx(tmp_path / "pbx", "portaswitch", trunk_port) as pbx:
        wrong = BaresipAccount("744", pbx.sip_address, "not-the-password", regint=600)
        with Baresip(tmp_path / "wrong", wrong, voice_loops["agent"], name="wrong") as phone:
            with pytest.raises(SoftphoneError, match="registration of sip:744@.* failed"):
                phone.wait_registered(timeout=10)
        right = BaresipAccount("744", pbx.sip_address, PASSWORDS["744"], regint=600)
        with Baresip(tmp_path / "right", right, voice_loops["agent"], name="right") as phone:
            phone.wait_registered(timeout=10)
    assert re.search(r"REGISTER 744 from 127\.0\.0\.1:\d+: bad credentials", pbx.log_text()), pbx.log_text()


def test_a_denied_supervision_gets_403_with_the_reason(
    tmp_path: Path,
    trunk_port: int,
    customer: Baresip,
    voice_loops: dict[str, Path],  # noqa: F811
) -> None:
    """Agent 745 (no right to supervise) dials the listen code: a real phone sees 403 with the
    reason in the phrase, the audit trail the denial; the supervised call goes on."""
    require_program("baresip")
    with SupervisedPbx(tmp_path / "pbx", "portaswitch", trunk_port) as pbx:
        with registered_baresip(pbx, tmp_path, "744", voice_loops["agent"], "agent", auto_answer=True) as agent:
            with registered_baresip(pbx, tmp_path, "745", voice_loops["supervisor"], "intruder", False) as intruder:
                connect_customer_to_agent(pbx, customer, agent)
                mark = intruder.dial(pbx.uri(PLANS["portaswitch"].listen))
                closed = intruder.wait_call_event("CLOSED", timeout=10, since=mark)
                assert not [e for e in intruder.events()[mark:] if e.get("type") == "CALL_ESTABLISHED"]
                denial = pbx.wait_audit(10, kind="denied", supervisor="745", decision="denied")
                assert str(closed.get("param", "")).startswith("403 "), closed
                assert denial["reason"] in str(closed["param"]), (closed, denial)
                assert customer.alive() and not [e for e in customer.events() if e.get("type") == "CALL_CLOSED"]
                customer.hangup()
                agent.wait_call_event("CLOSED", timeout=10)


def test_customer_hanging_up_ends_the_supervision(
    tmp_path: Path,
    trunk_port: int,
    customer: Baresip,
    voice_loops: dict[str, Path],  # noqa: F811
) -> None:
    """The customer hangs up a call under supervision: the agent's and the supervisor's real phones
    are hung up."""
    require_program("baresip")
    with SupervisedPbx(tmp_path / "pbx", "portaswitch", trunk_port) as pbx:
        with registered_baresip(pbx, tmp_path, "744", voice_loops["agent"], "agent", auto_answer=True) as agent:
            with registered_baresip(pbx, tmp_path, "700", voice_loops["supervisor"], "supervisor", False) as supervisor:
                connect_customer_to_agent(pbx, customer, agent)
                mark = supervisor.dial(pbx.uri(PLANS["portaswitch"].listen))
                supervisor.wait_call_event("ESTABLISHED", timeout=10, since=mark)
                pbx.wait_audit(10, kind="started", supervisor="700")
                customer.hangup()
                agent.wait_call_event("CLOSED", timeout=10)
                ended = pbx.wait_audit(10, kind="ended", supervisor="700")
                assert ended["end_reason"] == "call_ended", ended
                supervisor.wait_call_event("CLOSED", timeout=10, since=mark)


def test_agent_leaving_during_barge_ends_the_call(
    tmp_path: Path,
    trunk_port: int,
    customer: Baresip,
    voice_loops: dict[str, Path],  # noqa: F811
) -> None:
    """The SDK's default when the agent leaves a barged call is to end the call: the PBX hangs up
    the customer's and the supervisor's real phones."""
    require_program("baresip")
    codes = PLANS["portaswitch"]
    with SupervisedPbx(tmp_path / "pbx", "portaswitch", trunk_port) as pbx:
        with registered_baresip(pbx, tmp_path, "744", voice_loops["agent"], "agent", auto_answer=True) as agent:
            with registered_baresip(pbx, tmp_path, "700", voice_loops["supervisor"], "supervisor", False) as supervisor:
                connect_customer_to_agent(pbx, customer, agent)
                mark = supervisor.dial(pbx.uri(codes.listen))
                supervisor.wait_call_event("ESTABLISHED", timeout=10, since=mark)
                pbx.wait_audit(10, kind="started", supervisor="700")
                supervisor.send_dtmf(codes.barge)
                pbx.wait_audit(10, kind="mode_changed", supervisor="700", mode="barge")
                customer_mark = customer.event_count()
                agent.hangup()
                customer.wait_call_event("CLOSED", timeout=10, since=customer_mark)
                ended = pbx.wait_audit(10, kind="ended", supervisor="700")
                assert ended["end_reason"] == "agent_left_barge", ended
                supervisor.wait_call_event("CLOSED", timeout=10, since=mark)


def test_a_held_agent_is_neither_heard_nor_hearing(
    tmp_path: Path,
    trunk_port: int,
    customer: Baresip,
    voice_loops: dict[str, Path],  # noqa: F811
    voices: dict[str, Path],  # noqa: F811
) -> None:
    """The agent puts the supervised call on hold (baresip's re-INVITE, a=sendonly) and resumes:
    while held the agent's leg is neither source nor listener (DESIGN.md), so the listening
    supervisor hears the customer only and nobody hears the agent; after resume the listen table
    holds again for the customer and the supervisor (the agent's baresip cannot record after its
    own resume). Measured from the recordings."""
    require_program("baresip")
    with SupervisedPbx(tmp_path / "pbx", "portaswitch", trunk_port) as pbx:
        with registered_baresip(pbx, tmp_path, "744", voice_loops["agent"], "agent", auto_answer=True) as agent:
            with registered_baresip(pbx, tmp_path, "700", voice_loops["supervisor"], "supervisor", False) as supervisor:
                connect_customer_to_agent(pbx, customer, agent)
                mark = supervisor.dial(pbx.uri(PLANS["portaswitch"].listen))
                supervisor.wait_call_event("ESTABLISHED", timeout=10, since=mark)
                pbx.wait_audit(10, kind="started", supervisor="700")

                agent.command("hold")
                wait_until(lambda: re.search(r"leg call-\d+-b1: 200 OK \(hold\)", pbx.log_text()), 10, "the hold")
                others = {"customer": customer, "agent": agent}
                held_from = {name: (recording_of(p), p.heard_samples()) for name, p in others.items()}
                held = record_phase("listen", {"supervisor": supervisor})
                held_to = {name: (recording_of(p), p.heard_samples()) for name, p in others.items()}

                agent.command("resume")
                wait_until(lambda: re.search(r"leg call-\d+-b1: 200 OK \(resume\)", pbx.log_text()), 10, "the resume")
                # baresip 1.0 records nothing more after its own hold and resume (seen peer to peer
                # too, without the PBX), so the agent is judged as a source only from here on.
                resumed = record_phase("listen", {"customer": customer, "supervisor": supervisor})
                customer.hangup()
                agent.wait_call_event("CLOSED", timeout=10)
    customer.stop()

    window = Window(held.files["supervisor"], held.start["supervisor"] / RATE, held.end["supervisor"] / RATE)
    while_held = hearing_matrix({"supervisor": window}, voices, workdir=tmp_path)
    assert while_held == {"supervisor": {"customer": True, "agent": False}}, while_held
    # What the customer and the held agent received while held, if anything, holds nobody's voice
    # but the other's not: the customer must not hear the agent, the agent must not hear anyone.
    # (A phone that received nothing while held recorded nothing: that is as good.)
    for name, sources in (("customer", ["agent"]), ("agent", ["customer", "supervisor"])):
        path, end = held_to[name]
        start = (held_from[name][1] if held_from[name][0] == path else 0) + SETTLE_SAMPLES
        if end - start >= RATE:
            found = hear(path, {k: voices[k] for k in sources}, from_s=start / RATE, to_s=end / RATE, workdir=tmp_path)
            assert not any(h.heard for h in found.values()), f"{name} heard while the agent was held: {found}"
    judge([resumed], voices, tmp_path)


def test_a_hunt_group_call_rings_both_agents_and_is_supervised(
    tmp_path: Path,
    trunk_port: int,
    customer: Baresip,
    voice_loops: dict[str, Path],  # noqa: F811
) -> None:
    """The customer calls hunt group 600: agents 744 and 745 (real phones) both ring, 744 answers,
    745 stops ringing; the supervisor of group Support then listens to 744's call."""
    require_program("baresip")
    with SupervisedPbx(tmp_path / "pbx", "portaswitch", trunk_port) as pbx:
        with registered_baresip(pbx, tmp_path, "744", voice_loops["agent"], "agent", auto_answer=False) as first:
            with registered_baresip(pbx, tmp_path, "745", voice_loops["agent"], "agent745", auto_answer=False) as second:
                with registered_baresip(pbx, tmp_path, "700", voice_loops["supervisor"], "supervisor", False) as supervisor:
                    mark = customer.dial(pbx.uri("600"))
                    first.wait_call_event("INCOMING", timeout=10)
                    second.wait_call_event("INCOMING", timeout=10)
                    first.answer()
                    customer.wait_call_event("ESTABLISHED", timeout=10, since=mark)
                    first.wait_call_event("ESTABLISHED", timeout=10)
                    second.wait_call_event("CLOSED", timeout=10)
                    assert not [e for e in second.events() if e.get("type") == "CALL_ESTABLISHED"]
                    smark = supervisor.dial(pbx.uri(PLANS["portaswitch"].listen))
                    supervisor.wait_call_event("ESTABLISHED", timeout=10, since=smark)
                    started = pbx.wait_audit(10, kind="started", supervisor="700", target="744")
                    assert started["mode"] == "listen", started
                    supervisor.wait_hearing(timeout=10, samples=RATE)
                    customer.hangup()
                    first.wait_call_event("CLOSED", timeout=10)
                    supervisor.wait_call_event("CLOSED", timeout=10, since=smark)
