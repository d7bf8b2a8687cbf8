"""REGISTER through sipp: digest authentication, a wrong password (403, counted, logged as a
security event), unknown extensions."""

from __future__ import annotations

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
