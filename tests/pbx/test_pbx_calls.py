"""Calls through the B2BUA with sipp phones: two extensions with RTP, BYE from either side,
CANCEL, a hunt group ringing all its members, and the refusals (404, 480)."""

from __future__ import annotations

import re

from pbx_process import PASSWORDS, PbxProcess, free_port_block
from sipp_runner import PCAPS, Sipp, SippProcess

G711A = str(PCAPS / "g711a.pcap")
G711A_PACKETS = 236  # RTP packets in g711a.pcap (PCMA over 7.05 s)


def phone(sipp: Sipp, extension: str, scenario: str, **values: str) -> SippProcess:
    """Registers `extension` from a fresh port, then runs `scenario` there as its phone."""
    port = free_port_block(1)
    registered = sipp.register(extension, PASSWORDS[extension], port)
    assert registered.returncode == 0, registered.describe()
    return sipp.start_phone(sipp.render(scenario, **values), extension, port)


def media_packets_in(pbx: PbxProcess, leg: str) -> int:
    match = pbx.wait_log(rf"media: leg {re.escape(leg)}: (\d+) packets in, (\d+) out")
    assert int(match.group(2)) > 0, f"the engine sent nothing to leg {leg}"
    return int(match.group(1))


def test_call_between_two_extensions_carries_rtp_both_ways(pbx: PbxProcess, sipp: Sipp) -> None:
    callee = phone(sipp, "745", "uas.xml", PCAP=G711A)
    caller = sipp.run(sipp.render("uac_call.xml", DIALLED="745", PCAP=G711A, HOLD_MS="8000"), "744",
                      PASSWORDS["744"])
    assert caller.returncode == 0, caller.describe()
    answered = callee.wait(15)
    assert answered.returncode == 0, answered.describe()
    pbx.wait_log(r"INVITE 744 -> 745 \(call-1\): 200 OK \(PCMA\)")
    pbx.wait_log(r"call: 744 -> 745 \(call-1\) ends: caller left \(BYE\)")
    assert media_packets_in(pbx, "call-1-a") == G711A_PACKETS
    # the callee starts playing on the ACK, as its leg is being anchored: a first packet may be early
    assert media_packets_in(pbx, "call-1-b1") >= G711A_PACKETS - 5
    counters = pbx.counters()
    assert counters["calls_answered"] == 1 and counters["calls_rejected"] == 0


def test_the_callee_hangs_up(pbx: PbxProcess, sipp: Sipp) -> None:
    callee = phone(sipp, "745", "uas_bye.xml", PCAP=G711A, HOLD_MS="1500")
    caller = sipp.run(sipp.render("uac_wait_bye.xml", DIALLED="745", PCAP=G711A), "744", PASSWORDS["744"])
    assert caller.returncode == 0, caller.describe()
    assert callee.wait(15).returncode == 0
    pbx.wait_log(r"call: 744 -> 745 \(call-1\) ends: callee left \(BYE\)")


def test_the_caller_cancels_while_it_rings(pbx: PbxProcess, sipp: Sipp) -> None:
    callee = phone(sipp, "745", "uas_ring.xml")
    caller = sipp.run(sipp.render("uac_cancel.xml", DIALLED="745"), "744", PASSWORDS["744"])
    assert caller.returncode == 0, caller.describe()
    cancelled = callee.wait(15)
    assert cancelled.returncode == 0, cancelled.describe()
    pbx.wait_log(r"call: 744 -> 745 \(call-1\) ends: caller left")
    assert pbx.counters()["calls_answered"] == 0


def test_a_hunt_group_rings_all_members_and_cancels_the_others(pbx: PbxProcess, sipp: Sipp) -> None:
    answering = phone(sipp, "744", "uas.xml", PCAP=G711A)
    ringing = phone(sipp, "745", "uas_ring.xml")
    caller = sipp.run(sipp.render("uac_call.xml", DIALLED="600", PCAP=G711A, HOLD_MS="1000"), "700",
                      PASSWORDS["700"])
    assert caller.returncode == 0, caller.describe()
    assert answering.wait(15).returncode == 0
    cancelled = ringing.wait(15)
    assert cancelled.returncode == 0, cancelled.describe()
    assert len(re.findall(r"INVITE 700 -> 600 \(call-1\): ringing", pbx.log_text())) == 2


def test_an_unknown_number_from_the_trunk_is_404(pbx: PbxProcess, sipp: Sipp, trunk_port: int) -> None:
    result = sipp.run(sipp.render("trunk_reject.xml", DIALLED="999", STATUS="404", REASON="Not Found"), "carrier",
                      port=trunk_port)
    assert result.returncode == 0, result.describe()
    pbx.wait_log(r"INVITE \+15550100 -> 999: 404 Not Found")


def test_a_number_that_is_no_extension_and_no_code_is_404(pbx: PbxProcess, sipp: Sipp) -> None:
    result = sipp.run(sipp.render("uac_reject.xml", DIALLED="nobody", STATUS="404", REASON="Not Found"), "744",
                      PASSWORDS["744"])
    assert result.returncode == 0, result.describe()


def test_an_extension_without_a_phone_is_480(pbx: PbxProcess, sipp: Sipp) -> None:
    result = sipp.run(sipp.render("uac_reject.xml", DIALLED="745", STATUS="480", REASON="Temporarily Unavailable"),
                      "744", PASSWORDS["744"])
    assert result.returncode == 0, result.describe()


def test_an_invite_with_a_wrong_password_is_403(pbx: PbxProcess, sipp: Sipp) -> None:
    result = sipp.run(sipp.render("uac_reject.xml", DIALLED="745", STATUS="403", REASON="Forbidden"), "744",
                      "not-the-password")
    assert result.returncode == 0, result.describe()
    pbx.wait_log(r"security: INVITE from '744' at 127\.0\.0\.1:\d+: bad credentials, 403")
    assert pbx.counters()["auth_failures"] == 1
    record = pbx.wait_audit(kind="security", rule="bad_credentials", supervisor="744")
    assert record["detail"].startswith("INVITE from 127.0.0.1:") and record["call"] == "", record


def test_hold_and_resume_by_re_invite(pbx: PbxProcess, sipp: Sipp) -> None:
    callee = phone(sipp, "745", "uas.xml", PCAP=G711A)
    caller = sipp.run(sipp.render("uac_hold.xml", DIALLED="745", PCAP=G711A, HOLD_MS="300", EXPECT_HOLD="recvonly",
                                  EXPECT_RESUME="sendrecv"), "744", PASSWORDS["744"])
    assert caller.returncode == 0, caller.describe()
    assert callee.wait(15).returncode == 0
    hold = pbx.wait_log(r"re-INVITE 744 -> 745 \(call-1\) leg call-1-a: 200 OK \(hold\)")
    resume = pbx.wait_log(r"re-INVITE 744 -> 745 \(call-1\) leg call-1-a: 200 OK \(resume\)")
    assert hold.start() < resume.start()
    pbx.wait_log(r"registry: call-1-a held")
    pbx.wait_log(r"registry: call-1-a up")


def test_static_payload_types_without_rtpmap_are_understood(pbx: PbxProcess, sipp: Sipp) -> None:
    """linphonec offers "m=audio P RTP/SAVP 0 8 96" with an a=rtpmap for 96 only (RFC 3551's static
    types need none)."""
    callee = phone(sipp, "745", "uas.xml", PCAP=G711A)
    scenario = sipp.render("uac_call.xml", DIALLED="745", PCAP=G711A, HOLD_MS="500")
    text = scenario.read_text()
    scenario.write_text(text.replace("a=rtpmap:8 PCMA/8000\n", "").replace("a=rtpmap:0 PCMU/8000\n", ""))
    caller = sipp.run(scenario, "744", PASSWORDS["744"])
    assert caller.returncode == 0, caller.describe()
    assert callee.wait(15).returncode == 0
    pbx.wait_log(r"INVITE 744 -> 745 \(call-1\): 200 OK \(PCMA\)")


def test_a_call_from_the_trunk_is_an_off_net_call(pbx: PbxProcess, sipp: Sipp, trunk_port: int) -> None:
    agent = phone(sipp, "744", "uas.xml", PCAP=G711A)
    carrier = sipp.run(sipp.render("trunk_call.xml", DIALLED="744", PCAP=G711A, HOLD_MS="1000"), "carrier",
                       port=trunk_port)
    assert carrier.returncode == 0, carrier.describe()
    assert agent.wait(15).returncode == 0
    pbx.wait_log(r"registry: call-1-a added to call-1 \(\+15550100, ringing\)")
    pbx.wait_log(r"INVITE \+15550100 -> 744 \(call-1\): 200 OK \(PCMU\)")


def test_numbers_that_are_no_extension_go_to_the_trunk(pbx: PbxProcess, sipp: Sipp, trunk_port: int) -> None:
    carrier = sipp.start_phone(sipp.render("uas.xml", PCAP=G711A), "carrier", trunk_port)
    caller = sipp.run(sipp.render("uac_call.xml", DIALLED="5551234", PCAP=G711A, HOLD_MS="1000"), "744",
                      PASSWORDS["744"])
    assert caller.returncode == 0, caller.describe()
    answered = carrier.wait(15)
    assert answered.returncode == 0, answered.describe()
    pbx.wait_log(r"INVITE 744 -> 5551234 \(call-1\): ringing sip:5551234@127\.0\.0\.1:%d" % trunk_port)
    pbx.wait_log(r"registry: call-1-b1 added to call-1 \(5551234, up\)")
