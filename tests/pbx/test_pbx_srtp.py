"""SDES-SRTP offer/answer with sipp (signalling only: sipp plays no SRTP): the PBX answers an
RTP/SAVP offer with its own key of the suite it chose, refuses plain offers for an extension with
srtp "mandatory", and its engine drops (and counts) plain RTP sent to an SRTP leg."""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from pbx_process import PASSWORDS, PbxProcess, free_port_block, pbx_config
from sipp_runner import Sipp
from test_pbx_calls import G711A, media_packets_in, phone

KEY_BYTES = {"AES_CM_128_HMAC_SHA1_80": 30, "AES_CM_128_HMAC_SHA1_32": 30, "AEAD_AES_128_GCM": 28}


def srtp_offer(sipp: Sipp, suite: str, hold_ms: str = "500") -> Path:
    """uac_call.xml offering RTP/SAVP with one a=crypto of `suite`; the 200's SDP must answer
    RTP/SAVP with a crypto of the same tag and suite."""
    scenario = sipp.render("uac_call.xml", DIALLED="745", PCAP=G711A, HOLD_MS=hold_ms)
    key = base64.b64encode(os.urandom(KEY_BYTES[suite])).decode()
    text = scenario.read_text()
    text = text.replace("m=audio [media_port] RTP/AVP 8 0 101\n",
                        f"m=audio [media_port] RTP/SAVP 8 0 101\na=crypto:1 {suite} inline:{key}\n")
    check = (f'  <recv response="200" rtd="true">\n    <action>\n'
             f'      <ereg regexp="m=audio [0-9]+ RTP/SAVP" search_in="body" check_it="true" assign_to="proto"/>\n'
             f'      <ereg regexp="a=crypto:1 {suite} inline:[A-Za-z0-9+/=]+" search_in="body" check_it="true"'
             f' assign_to="crypto"/>\n    </action>\n  </recv>\n  <Reference variables="proto,crypto"/>\n')
    assert '  <recv response="200" rtd="true"/>\n' in text
    text = text.replace('  <recv response="200" rtd="true"/>\n', check)
    scenario.write_text(text)
    return scenario


@pytest.mark.parametrize("suite", sorted(KEY_BYTES))
def test_an_srtp_offer_is_answered_with_our_key_of_its_suite(pbx: PbxProcess, sipp: Sipp, suite: str) -> None:
    callee = phone(sipp, "745", "uas.xml", PCAP=G711A)
    caller = sipp.run(srtp_offer(sipp, suite, hold_ms="1500"), "744", PASSWORDS["744"])
    assert caller.returncode == 0, caller.describe()
    assert callee.wait(15).returncode == 0
    pbx.wait_log(r"INVITE 744 -> 745 \(call-1\): 200 OK \(PCMA, SRTP\)")
    # sipp plays its pcap as plain RTP: the SRTP leg must drop every packet as unauthenticated
    match = pbx.wait_log(r"media: leg call-1-a: (\d+) packets in, \d+ out, \d+ digits, (\d+) SRTP auth failures")
    assert int(match.group(1)) == 0
    assert int(match.group(2)) > 0
    # the callee's leg (srtp optional, sipp answered without a=crypto) stays plain RTP
    assert media_packets_in(pbx, "call-1-b1") > 0


@pytest.fixture
def mandatory_pbx(tmp_path: Path) -> Iterator[PbxProcess]:
    sip_port = free_port_block(1, tcp=True)
    rtp = free_port_block(20)
    config = pbx_config(sip_port=sip_port, rtp_ports=(rtp, rtp + 19), audit_log=tmp_path / "audit.jsonl",
                        srtp="mandatory")
    process = PbxProcess(tmp_path / "pbx", config).start()
    try:
        yield process
    finally:
        process.stop()


def test_a_plain_offer_from_an_srtp_mandatory_extension_is_488(mandatory_pbx: PbxProcess, tmp_path: Path) -> None:
    sipp = Sipp(mandatory_pbx, tmp_path)
    try:
        scenario = sipp.render("uac_reject.xml", DIALLED="745", STATUS="488",
                               REASON=re.escape("Not Acceptable Here (SRTP Required"))
        result = sipp.run(scenario, "744", PASSWORDS["744"])
        assert result.returncode == 0, result.describe()
    finally:
        sipp.stop_all()


def test_a_re_offer_with_a_new_key_re_keys_the_leg(pbx: PbxProcess, sipp: Sipp) -> None:
    """uac_hold.xml over RTP/SAVP: the first INVITE and the hold offer carry key A, the resume
    offer key B under the same tag. Only the resume re-keys the engine's leg (and is answered with
    a crypto line of its own)."""
    suite = "AES_CM_128_HMAC_SHA1_80"
    scenario = sipp.render("uac_hold.xml", DIALLED="745", PCAP=G711A, HOLD_MS="300", EXPECT_HOLD="recvonly",
                           EXPECT_RESUME="sendrecv")
    key_a, key_b = (base64.b64encode(os.urandom(KEY_BYTES[suite])).decode() for _ in range(2))
    parts = scenario.read_text().split("m=audio [media_port] RTP/AVP 8 0 101\n")
    assert len(parts) == 4, "uac_hold.xml has three offers"
    offers = [f"m=audio [media_port] RTP/SAVP 8 0 101\na=crypto:1 {suite} inline:{key}\n"
              for key in (key_a, key_a, key_b)]
    text = parts[0] + offers[0] + parts[1] + offers[1] + parts[2] + offers[2] + parts[3]
    resume_check = '      <ereg regexp="a=sendrecv" search_in="body" check_it="true" assign_to="answer_4"/>\n'
    assert resume_check in text
    text = text.replace(resume_check, resume_check + f'      <ereg regexp="a=crypto:1 {suite} inline:" '
                        'search_in="body" check_it="true" assign_to="answer_4_crypto"/>\n')
    assert '<Reference variables="answer_3,answer_4"/>' in text
    text = text.replace('<Reference variables="answer_3,answer_4"/>', '<Reference variables="answer_3,answer_4,answer_4_crypto"/>')
    scenario.write_text(text)
    callee = phone(sipp, "745", "uas.xml", PCAP=G711A)
    caller = sipp.run(scenario, "744", PASSWORDS["744"])
    assert caller.returncode == 0, caller.describe()
    assert callee.wait(15).returncode == 0
    pbx.wait_log(r"re-INVITE 744 -> 745 \(call-1\) leg call-1-a: 200 OK \(resume\)")
    pbx.wait_log(r"re-INVITE 744 -> 745 \(call-1\) leg call-1-a: 200 OK \(new SRTP keys\)")
    assert len(re.findall(r"new SRTP keys", pbx.log_text())) == 1, "the hold offer kept key A: no re-key"
    assert pbx.counters()["sdk_errors"] == 0, "the engine took the new keys"
