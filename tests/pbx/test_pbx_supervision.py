"""Supervision through callsup-pbx with sipp phones: the supervisor dials *90744 (the tenant's
portaswitch plan), switches modes with RFC 4733 digits (dtmf_2833_1.pcap) and a SIP INFO; a
denied attempt gets 403 with the SDK's reason. The PBX's audit trail (the SDK's JSON Lines) is
the oracle."""

from __future__ import annotations

import re
from pathlib import Path

from pbx_process import PASSWORDS, PbxProcess, free_port_block, pbx_config
from sipp_runner import PCAPS, Sipp
from test_pbx_calls import G711A, phone


def test_supervisor_dials_in_and_switches_modes_by_rtp_and_info(pbx: PbxProcess, sipp: Sipp) -> None:
    agent = phone(sipp, "744", "uas.xml", PCAP=G711A)
    customer = sipp.start_client(  # 745 calls the agent and stays 9 s
        sipp.render("uac_call.xml", DIALLED="744", PCAP=G711A, HOLD_MS="9000"), "745", PASSWORDS["745"])
    pbx.wait_log(r"INVITE 745 -> 744 \(call-1\): 200 OK", timeout=10)
    supervisor = sipp.run(
        sipp.render("uac_supervise.xml", DIALLED="*90744", DTMF_PCAP=str(PCAPS / "dtmf_2833_1.pcap"),
                    INFO_DIGIT="2", WAIT_MS="700"),
        "700", PASSWORDS["700"])
    assert supervisor.returncode == 0, supervisor.describe()
    called = customer.wait(20)
    assert called.returncode == 0, called.describe()
    assert agent.wait(15).returncode == 0

    started = pbx.wait_audit(kind="started", supervisor="700", target="744")
    assert started["mode"] == "listen" and started["source"] == "dial" and started["call"] == "call-1"
    whisper = pbx.wait_audit(kind="mode_changed", mode="whisper")
    assert whisper["from_mode"] == "listen" and whisper["source"] == "dtmf"
    barge = pbx.wait_audit(kind="mode_changed", mode="barge")
    assert barge["from_mode"] == "whisper"
    ended = pbx.wait_audit(kind="ended", supervisor="700")
    assert ended["end_reason"] == "supervisor_left"
    # the RFC 4733 digit reached the engine on the supervisor's leg, the INFO digit the PBX
    pbx.wait_log(r"media: leg call-2-a: \d+ packets in, \d+ out, 1 digits")
    pbx.wait_log(r"dtmf: INFO digit 2 from call-2-a")
    # tenant acme has notify_agent "beep_and_info": the agent's phone was told, once per mode, and
    # the agent's leg got a beep (what it sounds like: tests/integration/test_supervision_media.cpp)
    pbx.wait_log(r"INFO to call-1-b1 \(callsup: supervisor 700 whisper\)")
    pbx.wait_log(r"INFO to call-1-b1 \(callsup: supervisor 700 barge\)")
    pbx.wait_log(r"media: beep to call-1-b1 \(supervisor 700 whisper\)")
    pbx.wait_log(r"media: beep to call-1-b1 \(supervisor 700 barge\)")
    assert len(re.findall(r"media: beep to ", pbx.log_text())) == 2, "a beep per notification, no more"
    counters = pbx.counters()
    assert counters["supervision_started"] == 1 and counters["dtmf_info"] == 1


def test_a_denied_supervision_gets_403_with_the_reason(pbx: PbxProcess, sipp: Sipp) -> None:
    result = sipp.run(
        sipp.render("uac_reject.xml", DIALLED="*90744", STATUS="403", REASON=r"Forbidden \(not_a_supervisor\)"),
        "745", PASSWORDS["745"])
    assert result.returncode == 0, result.describe()
    denied = pbx.wait_audit(kind="denied", supervisor="745")
    assert denied["reason"] == "not_a_supervisor" and denied["target"] == "744"
    assert pbx.counters()["supervision_denied"] == 1


def test_a_malformed_feature_code_is_484(pbx: PbxProcess, sipp: Sipp) -> None:
    result = sipp.run(
        sipp.render("uac_reject.xml", DIALLED="*90", STATUS="484", REASON="Address Incomplete"), "700",
        PASSWORDS["700"])
    assert result.returncode == 0, result.describe()


def test_the_supervisor_is_hung_up_when_the_supervised_call_ends(pbx: PbxProcess, sipp: Sipp) -> None:
    agent = phone(sipp, "744", "uas.xml", PCAP=G711A)
    customer = sipp.start_client(
        sipp.render("uac_call.xml", DIALLED="744", PCAP=G711A, HOLD_MS="2500"), "745", PASSWORDS["745"])
    pbx.wait_log(r"INVITE 745 -> 744 \(call-1\): 200 OK", timeout=10)
    supervisor = sipp.run(sipp.render("uac_wait_bye.xml", DIALLED="*90744", PCAP=G711A), "700", PASSWORDS["700"],
                          timeout_s=20)
    assert supervisor.returncode == 0, supervisor.describe()
    assert customer.wait(20).returncode == 0
    assert agent.wait(15).returncode == 0
    ended = pbx.wait_audit(kind="ended", supervisor="700")
    assert ended["end_reason"] == "call_ended"
    pbx.wait_log(r"call: 700 -> \*90744 \(call-2\) ends: supervision ended: call_ended")


def test_a_barging_supervisor_takes_over_when_the_agent_leaves(tmp_path: Path, trunk_port: int) -> None:
    """Tenant session default agent_leaves_in_barge = supervisor_takes_over: the agent hangs up
    while 700 barges; the customer stays, now with the supervisor, until the customer hangs up
    (which hangs up the supervisor). With end_call the customer would get a BYE first and its
    scenario, which hangs up itself later, would fail."""
    sip_port = free_port_block(1, tcp=True)
    rtp = free_port_block(20)
    config = pbx_config(sip_port=sip_port, rtp_ports=(rtp, rtp + 19), audit_log=tmp_path / "audit.jsonl",
                        trunk_port=trunk_port)
    config["directory"]["tenants"][0]["session_defaults"] = {"agent_leaves_in_barge": "supervisor_takes_over"}
    with PbxProcess(tmp_path / "pbx", config) as pbx:
        sipp = Sipp(pbx, tmp_path)
        try:
            agent = phone(sipp, "744", "uas_bye.xml", PCAP=G711A, HOLD_MS="2500")
            customer = sipp.start_client(
                sipp.render("uac_call.xml", DIALLED="744", PCAP=G711A, HOLD_MS="5000"), "745", PASSWORDS["745"])
            pbx.wait_log(r"INVITE 745 -> 744 \(call-1\): 200 OK", timeout=10)
            supervisor = sipp.run(
                sipp.render("uac_info_wait_bye.xml", DIALLED="*90744", PCAP=G711A, INFO_DIGIT="2", WAIT_MS="500"),
                "700", PASSWORDS["700"], timeout_s=20)
            assert supervisor.returncode == 0, supervisor.describe()
            called = customer.wait(20)
            assert called.returncode == 0, called.describe()
            assert agent.wait(15).returncode == 0
        finally:
            sipp.stop_all()
        pbx.wait_audit(kind="mode_changed", mode="barge")
        action = pbx.wait_audit(kind="action_requested")
        assert action["detail"] == "takeover"
        assert pbx.wait_audit(kind="ended", supervisor="700")["end_reason"] == "taken_over"
        pbx.wait_log(r"call: 745 -> 744 \(call-1\): supervisor 700 \(call-2-a\) takes over")
        pbx.wait_log(r"registry: call-2-a added to call-1 \(700, up\)")
        pbx.wait_log(r"call: 745 -> 744 \(call-1\) ends: caller left \(BYE\)")


def test_the_stratus_plan_007_and_star_81(tmp_path: Path, trunk_port: int) -> None:
    """Tenant on the Stratus plan: 007744 listens, *81 (three SIP INFO digits) whispers."""
    sip_port = free_port_block(1, tcp=True)
    rtp = free_port_block(20)
    config = pbx_config(sip_port=sip_port, rtp_ports=(rtp, rtp + 19), audit_log=tmp_path / "audit.jsonl",
                        trunk_port=trunk_port, plan="stratus")
    with PbxProcess(tmp_path / "pbx", config) as pbx:
        sipp = Sipp(pbx, tmp_path)
        try:
            agent = phone(sipp, "744", "uas.xml", PCAP=G711A)
            customer = sipp.start_client(
                sipp.render("uac_call.xml", DIALLED="744", PCAP=G711A, HOLD_MS="5000"), "745", PASSWORDS["745"])
            pbx.wait_log(r"INVITE 745 -> 744 \(call-1\): 200 OK", timeout=10)
            supervisor = sipp.run(
                sipp.render("uac_supervise_info3.xml", DIALLED="007744", PCAP=G711A, D1="*", D2="8", D3="1",
                            WAIT_MS="600"),
                "700", PASSWORDS["700"])
            assert supervisor.returncode == 0, supervisor.describe()
            assert customer.wait(20).returncode == 0
            assert agent.wait(15).returncode == 0
        finally:
            sipp.stop_all()
        started = pbx.wait_audit(kind="started", supervisor="700")
        assert started["mode"] == "listen" and started["detail"] == "007744"
        whisper = pbx.wait_audit(kind="mode_changed", mode="whisper")
        assert whisper["from_mode"] == "listen"
