"""A PBX's security incidents (bad credentials, malformed SIP) go into the same audit trail as
the supervision records (tests/unit/test_security_incidents.cpp)."""

from __future__ import annotations

import pytest

from callsup import EventKind, Reason
from supervision_world import Acme


def test_an_incident_is_audited_after_the_supervision_records() -> None:
    w = Acme()
    w.external_call("c1", "744", "client", "agent744")
    assert w.listen().ok
    w.service.record_security(what="bad_credentials", extension="744", detail="REGISTER from 127.0.0.1:5070, 403")
    records = w.audit.records()
    last = records[-1]
    assert last.kind == EventKind.security
    assert last.sequence == records[-2].sequence + 1
    assert (last.supervisor, last.tenant, last.rule) == ("744", "acme", "bad_credentials")
    assert not last.allowed and last.reason == Reason.custom and last.session == 0
    assert last.detail == "REGISTER from 127.0.0.1:5070, 403"
    assert [e.kind for e in w.events.of_kind(EventKind.security)] == [EventKind.security]


def test_an_unknown_account_has_no_tenant_and_an_incident_needs_a_name() -> None:
    w = Acme()
    w.service.record_security(what="malformed_sip")
    assert w.audit.records()[-1].supervisor == "" and w.audit.records()[-1].tenant == ""
    with pytest.raises(ValueError, match="what"):
        w.service.record_security(what="", extension="744")
    with pytest.raises(TypeError):
        w.service.record_security("bad_credentials")  # type: ignore[call-arg]  # keyword-only
    assert len(w.audit.of_kind(EventKind.security)) == 1
