"""Untrusted input: malformed datagrams, an oversized header and a bounded INVITE flood get errors
or are dropped and counted; the PBX keeps serving (it answers OPTIONS afterwards)."""

from __future__ import annotations

import socket
from pathlib import Path

from pbx_process import HOST, PASSWORDS, PbxProcess, free_port_block, pbx_config, sip_options, wait_until
from sipp_runner import Sipp
from test_pbx_calls import G711A, phone

MALFORMED = [
    b"\x00\x01\x02\x03 not SIP at all",
    b"INVITE\r\n\r\n",
    b"SIP/2.0 200\r\n\r\n",
    b"OPTIONS sip:x SIP/2.0\r\nVia: nonsense\r\n\r\n",
]


def send_udp(port: int, payloads: list[bytes]) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for payload in payloads:
            s.sendto(payload, (HOST, port))


def test_malformed_datagrams_are_counted_and_dropped(pbx: PbxProcess) -> None:
    rounds = 20
    send_udp(pbx.sip_port, MALFORMED * rounds)
    expected = len(MALFORMED) * rounds
    wait_until(lambda: pbx.counters()["sip_malformed"] == expected, 10, f"{expected} malformed datagrams counted")
    assert (sip_options(pbx.sip_port) or "").startswith("SIP/2.0 200")
    assert pbx.alive()
    assert "security: malformed SIP dropped" in pbx.log_text()
    # The first ten and every thousandth are audited: a flood cannot flood the audit trail.
    wait_until(lambda: len([r for r in pbx.audit_records() if r["kind"] == "security"]) == 10, 10,
               "ten malformed-SIP audit records")
    audited = [r for r in pbx.audit_records() if r["kind"] == "security"]
    assert {r["rule"] for r in audited} == {"malformed_sip"}
    assert [r["detail"].split(" ")[0] for r in audited] == [str(n) for n in range(1, 11)]


def test_an_oversized_header_gets_no_crash(pbx: PbxProcess) -> None:
    filler = "x" * 60000
    request = (
        f"OPTIONS sip:{HOST}:{pbx.sip_port} SIP/2.0\r\n"
        f"Via: SIP/2.0/UDP {HOST}:9;branch=z9hG4bKbig\r\nFrom: <sip:big@{HOST}>;tag=1\r\n"
        f"To: <sip:{HOST}>\r\nCall-ID: big\r\nCSeq: 1 OPTIONS\r\nX-Filler: {filler}\r\n"
        "Content-Length: 0\r\n\r\n"
    ).encode()
    send_udp(pbx.sip_port, [request] * 5)
    assert (sip_options(pbx.sip_port) or "").startswith("SIP/2.0 200")
    assert pbx.alive()


def test_a_bounded_invite_flood_is_challenged_and_the_pbx_keeps_serving(pbx: PbxProcess, sipp: Sipp) -> None:
    calls = 300
    flood = sipp.run(sipp.render("invite_flood.xml"), "744", calls=calls, timeout_s=30,
                     extra=("-r", "150", "-l", "100"))
    assert flood.returncode == 0, flood.describe()
    counters = pbx.counters()
    assert counters["invites"] >= calls
    assert counters["auth_challenges"] >= calls
    assert counters["calls_answered"] == 0
    assert (sip_options(pbx.sip_port) or "").startswith("SIP/2.0 200")


def test_invites_beyond_max_calls_get_503_and_are_counted(tmp_path: Path, trunk_port: int) -> None:
    sip_port = free_port_block(1, tcp=True)
    rtp = free_port_block(20)
    config = pbx_config(sip_port=sip_port, rtp_ports=(rtp, rtp + 19), audit_log=tmp_path / "audit.jsonl",
                        trunk_port=trunk_port, max_calls=1)
    with PbxProcess(tmp_path / "pbx", config) as pbx:
        sipp = Sipp(pbx, tmp_path)
        try:
            agent = phone(sipp, "744", "uas.xml", PCAP=G711A)
            customer = sipp.start_client(
                sipp.render("uac_call.xml", DIALLED="744", PCAP=G711A, HOLD_MS="2000"), "745", PASSWORDS["745"])
            pbx.wait_log(r"INVITE 745 -> 744 \(call-1\): 200 OK", timeout=10)
            second = sipp.run(sipp.render("uac_reject.xml", DIALLED="744", STATUS="503",
                                          REASON=r"Service Unavailable \(call limit\)"), "700", PASSWORDS["700"])
            assert second.returncode == 0, second.describe()
            assert customer.wait(20).returncode == 0
            assert agent.wait(15).returncode == 0
        finally:
            sipp.stop_all()
        assert pbx.counters()["calls_over_limit"] == 1
