"""REGISTER through sipp: digest authentication, a wrong password (403, counted, logged as a
security event), unknown extensions."""

from __future__ import annotations

import hashlib
import re
import socket
import uuid

from pbx_process import PASSWORDS, PbxProcess, free_port_block
from sipp_runner import Sipp


def test_register_with_the_right_password(pbx: PbxProcess, sipp: Sipp) -> None:
    result = sipp.register("744", PASSWORDS["744"], free_port_block(1))
    assert result.returncode == 0, result.describe()
    pbx.wait_log(r"REGISTER 744 from 127\.0\.0\.1:\d+: 200 OK \(1 contact")
    counters = pbx.counters()
    assert counters["registers_ok"] == 1
    assert counters["auth_failures"] == 0


def test_register_with_a_wrong_password_is_refused_and_counted(pbx: PbxProcess, sipp: Sipp) -> None:
    result = sipp.register("744", "not-the-password", free_port_block(1), expect="403")
    assert result.returncode == 0, result.describe()
    pbx.wait_log(r"security: REGISTER 744 from 127\.0\.0\.1:\d+: bad credentials, 403")
    counters = pbx.counters()
    assert counters["auth_failures"] == 1
    assert counters["registers_ok"] == 0
    record = pbx.wait_audit(kind="security", rule="bad_credentials")
    assert record["supervisor"] == "744" and record["tenant"] == "acme", record
    assert record["decision"] == "denied" and record["session"] == 0, record
    assert re.fullmatch(r"REGISTER from 127\.0\.0\.1:\d+, 403", record["detail"]), record


def test_two_contacts_then_unregister(pbx: PbxProcess, sipp: Sipp) -> None:
    first, second = free_port_block(1), free_port_block(1)
    assert sipp.register("745", PASSWORDS["745"], first).returncode == 0
    assert sipp.register("745", PASSWORDS["745"], second).returncode == 0
    pbx.wait_log(r"REGISTER 745 from 127\.0\.0\.1:\d+: 200 OK \(2 contact")
    unregister = sipp.register("745", PASSWORDS["745"], first, expires=0)
    assert unregister.returncode == 0, unregister.describe()
    pbx.wait_log(r"REGISTER 745 from 127\.0\.0\.1:%d: 200 OK \(1 contact" % first)


def test_register_for_an_unknown_extension_is_challenged_then_refused(pbx: PbxProcess, sipp: Sipp) -> None:
    result = sipp.register("999", "whatever", free_port_block(1), expect="403")
    assert result.returncode == 0, result.describe()
    pbx.wait_log(r"security: REGISTER 999 from 127\.0\.0\.1:\d+: bad credentials, 403")
    assert pbx.counters()["auth_failures"] == 1
    record = pbx.wait_audit(kind="security", rule="bad_credentials")
    assert record["supervisor"] == "999" and record["tenant"] == "", record  # nobody's tenant


def register_raw(port: int, contact: str, password: str, extension: str = "744") -> str:
    """REGISTER over UDP from Python with our own digest answer (RFC 2617, no qop); returns the
    status line of the answer to the authenticated request."""
    def md5(text: str) -> str:
        return hashlib.md5(text.encode()).hexdigest()

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        s.settimeout(2)
        local = s.getsockname()[1]
        call_id = uuid.uuid4().hex
        uri = f"sip:127.0.0.1:{port}"

        def request(cseq: int, extra: str = "") -> str:
            text = (
                f"REGISTER {uri} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{local};branch=z9hG4bK{uuid.uuid4().hex[:12]}\r\n"
                f"From: <sip:{extension}@127.0.0.1>;tag=raw\r\nTo: <sip:{extension}@127.0.0.1>\r\n"
                f"Call-ID: {call_id}\r\nCSeq: {cseq} REGISTER\r\nContact: <{contact}>\r\nExpires: 300\r\n"
                f"{extra}Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n"
            )
            s.sendto(text.encode(), ("127.0.0.1", port))
            return s.recv(65535).decode()

        challenge = request(1)
        assert challenge.startswith("SIP/2.0 401"), challenge
        match = re.search(r'realm="([^"]+)", nonce="([^"]+)"', challenge)
        assert match, challenge
        realm, nonce = match.groups()
        response = md5(f"{md5(f'{extension}:{realm}:{password}')}:{nonce}:{md5(f'REGISTER:{uri}')}")
        authorization = (
            f'Authorization: Digest username="{extension}", realm="{realm}", nonce="{nonce}", uri="{uri}", '
            f'response="{response}", algorithm=MD5\r\n'
        )
        return request(2, authorization).split("\r\n", 1)[0]


def test_an_independent_digest_implementation_registers(pbx: PbxProcess) -> None:
    assert register_raw(pbx.sip_port, "sip:744@127.0.0.1:5999", PASSWORDS["744"]) == "SIP/2.0 200 OK"
    assert register_raw(pbx.sip_port, "sip:744@127.0.0.1:5999", "wrong").startswith("SIP/2.0 403")


def test_a_contact_with_a_host_name_is_refused(pbx: PbxProcess) -> None:
    status = register_raw(pbx.sip_port, "sip:744@phone.example:5060", PASSWORDS["744"])
    assert status == "SIP/2.0 400 Bad Contact (an IP address is required)"
    assert pbx.counters()["registers_ok"] == 0


def test_an_extension_has_at_most_16_contacts(pbx: PbxProcess) -> None:
    many = ">, <".join(f"sip:744@127.0.0.1:{6000 + i}" for i in range(17))  # one header, 17 contacts
    assert register_raw(pbx.sip_port, many, PASSWORDS["744"]) == "SIP/2.0 403 Forbidden (at most 16 contacts)"
    sixteen = ">, <".join(f"sip:744@127.0.0.1:{6000 + i}" for i in range(16))
    assert register_raw(pbx.sip_port, sixteen, PASSWORDS["744"]) == "SIP/2.0 200 OK"
    pbx.wait_log(r"REGISTER 744 from 127\.0\.0\.1:\d+: 200 OK \(16 contact")
