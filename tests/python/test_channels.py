"""Request channels through Python: RequestChannel, ChannelSet, the policy's `channel` rule,
and the channel of requests, sessions and audit records (issue 10)."""

from __future__ import annotations

import copy
import json
import pickle

import pytest

import callsup
from callsup import (
    ChannelSet,
    Directory,
    ErrorCode,
    EventKind,
    ExtensionProfile,
    Mode,
    Reason,
    RequestChannel,
    StandardPolicy,
    StartOutcome,
    StartRequest,
    SupervisionRequest,
    TenantSettings,
)
from callsup.vendor import stratus
from model_support import acme_directory, agent
from supervision_world import World

Status = StartOutcome.Status
PHONE = {RequestChannel.feature_code, RequestChannel.dtmf}


# --- RequestChannel and ChannelSet ----------------------------------------------------------


def test_request_channels_parse_by_name() -> None:
    assert [c.name for c in RequestChannel] == ["feature_code", "dtmf", "api", "web"]
    assert callsup.parse_request_channel("web") is RequestChannel.web
    assert callsup.request_channel_from_string("dtmf") is RequestChannel.dtmf
    assert callsup.request_channel_from_string("phone") is None
    with pytest.raises(callsup.InvalidArgumentError, match="'phone'") as bad:
        callsup.parse_request_channel("phone")
    assert bad.value.code is ErrorCode.invalid_argument


def test_channel_sets_behave_like_small_sets() -> None:
    assert ChannelSet.all() == set(RequestChannel) and len(ChannelSet.all()) == 4
    assert ChannelSet.phone() == PHONE and ChannelSet.phone() != ChannelSet.all()
    assert not ChannelSet.none() and ChannelSet.none() == set()
    assert list(ChannelSet([RequestChannel.web, RequestChannel.feature_code])) == [
        RequestChannel.feature_code,
        RequestChannel.web,
    ]
    assert RequestChannel.web not in ChannelSet.phone() and RequestChannel.dtmf in ChannelSet.phone()
    assert "dtmf" not in ChannelSet.phone()  # a str is no channel
    assert str(ChannelSet.phone()) == "feature_code|dtmf" and str(ChannelSet.none()) == "none"
    assert repr(ChannelSet.phone()) == "ChannelSet([RequestChannel.feature_code, RequestChannel.dtmf])"
    assert ChannelSet.phone().bits == 0b0011
    assert ChannelSet.from_bits(0b1100) == {RequestChannel.api, RequestChannel.web}
    assert ChannelSet.phone() | {RequestChannel.web} == PHONE | {RequestChannel.web}
    assert ChannelSet.all() & [RequestChannel.api] == {RequestChannel.api}
    with pytest.raises(TypeError, match="RequestChannel"):
        ChannelSet([Mode.listen])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        hash(ChannelSet.all())


def test_add_and_remove_change_the_set_and_the_profile_that_holds_it() -> None:
    channels = ChannelSet.phone()
    channels.add(RequestChannel.web)
    assert channels == {RequestChannel.feature_code, RequestChannel.dtmf, RequestChannel.web}
    channels.remove(RequestChannel.feature_code)
    channels.remove(RequestChannel.feature_code)  # absent: no error, as C++
    assert channels == {RequestChannel.dtmf, RequestChannel.web}

    profile = ExtensionProfile("701", "acme")
    assert profile.channels == ChannelSet.all()  # the default
    profile.channels.remove(RequestChannel.web)  # a view into the profile, like tenant.limits
    assert profile.channels == {RequestChannel.feature_code, RequestChannel.dtmf, RequestChannel.api}
    profile.channels = [RequestChannel.feature_code]  # any iterable of channels converts
    assert profile.channels == {RequestChannel.feature_code}
    assert ExtensionProfile("702", "acme", channels=PHONE).channels == ChannelSet.phone()


def test_channel_sets_and_profiles_with_them_copy_and_pickle() -> None:
    channels = ChannelSet.phone()
    assert pickle.loads(pickle.dumps(channels)) == channels
    clone = copy.copy(channels)
    clone.add(RequestChannel.web)
    assert RequestChannel.web not in channels  # a copy is its own set
    profile = ExtensionProfile("701", "acme", channels=PHONE, scope=callsup.SupervisionScope.tenant)
    assert pickle.loads(pickle.dumps(profile)) == profile == copy.deepcopy(profile)
    assert "channels=ChannelSet([RequestChannel.feature_code, RequestChannel.dtmf])" in repr(profile)
    assert "scope=SupervisionScope.tenant" in repr(profile)
    assert profile != ExtensionProfile("701", "acme", scope=callsup.SupervisionScope.tenant)


# --- the policy's channel rule ----------------------------------------------------------------


def phone_only_directory() -> Directory:
    """acme, with supervisor 700 allowed to supervise from its phone only."""
    directory = acme_directory()
    profile = directory.extension("700")
    profile.channels = ChannelSet.phone()
    directory.update_extension(profile)
    return directory


def test_standard_policy_checks_the_channel_after_may_supervise() -> None:
    rules = StandardPolicy.rules
    assert rules.index("channel") == rules.index("may_supervise") + 1
    directory = phone_only_directory()
    call = callsup.Call(
        id="c1",
        tenant="acme",
        legs=[
            callsup.Leg.off_net("client", "+1555", callsup.LegState.up),
            callsup.Leg.on_net("a", "744", callsup.LegState.up),
        ],
        bridged=True,
    )
    policy = StandardPolicy()
    by_phone = policy.decide(SupervisionRequest("700", "744", channel=RequestChannel.feature_code), call, directory)
    assert by_phone.allowed
    by_web = policy.decide(SupervisionRequest("700", "744", channel=RequestChannel.web), call, directory)
    assert not by_web.allowed and by_web.reason is Reason.channel_not_allowed and by_web.rule == "channel"
    assert SupervisionRequest().channel is RequestChannel.api


def test_a_python_policy_sees_the_requests_channel() -> None:
    seen: list[RequestChannel] = []

    class Recorder(callsup.PermissionPolicy):
        def decide(self, request: SupervisionRequest, call: callsup.Call, directory: Directory) -> callsup.Decision:
            seen.append(request.channel)
            return callsup.Decision.allow(callsup.ModeSet.all())

    w = World(directory=acme_directory(), policy=Recorder())
    w.external_call("c1", "744", "client", "agent744")
    assert w.service.dial("sup700", "700", "*90744").ok
    assert w.service.start(StartRequest("web700", "700", "744", channel=RequestChannel.web)).ok
    assert seen[:2] == [RequestChannel.feature_code, RequestChannel.web]


# --- channels through the service -------------------------------------------------------------


def stratus_world(speak_with: stratus.SpeakWith = stratus.SpeakWith.agent) -> World:
    """Tenant acme on the Stratus plan: agents 744 and 745; 701 a basic user allowed to
    monitor 744 (its allow-list); 702 a call-centre supervisor of group Support (744)."""
    directory = Directory()
    tenant = TenantSettings("acme", feature_code_plan="stratus")
    stratus.speak_with_caller(tenant, speak_with)
    directory.set_tenant(tenant)
    for ext in ("744", "745"):
        directory.add_extension(agent(ext))
    basic = ExtensionProfile("701", "acme", allow_list=["744"])
    stratus.role(basic, stratus.UserRole.basic_user)
    directory.add_extension(basic)
    manager = ExtensionProfile("702", "acme")
    stratus.role(manager, stratus.UserRole.call_centre_supervisor)
    directory.add_extension(manager)
    directory.add_group(callsup.Group("Support", "acme", ["744"], ["702"]))
    w = World(directory=directory)
    w.external_call("c1", "744", "client", "agent744")
    return w


def test_stratus_basic_user_dials_007_but_may_not_use_the_web_console() -> None:
    w = stratus_world()
    dialled = w.service.dial("sup701", "701", "007744")
    assert dialled.status is Status.started, dialled
    assert w.info(dialled.session).channel is RequestChannel.feature_code
    w.service.stop(dialled.session)

    web = w.service.start(StartRequest("web701", "701", "744", channel=RequestChannel.web))
    assert web.status is Status.denied
    assert web.decision.reason is Reason.channel_not_allowed and web.decision.rule == "channel"
    denied = w.audit.of_kind(EventKind.denied)[-1]
    assert denied.channel is RequestChannel.web and denied.reason is Reason.channel_not_allowed
    assert json.loads(callsup.to_json_line(denied))["channel"] == "web"

    # The call-centre supervisor may use the web console on its call centre's agent.
    console = w.service.start(StartRequest("web702", "702", "744", channel=RequestChannel.web))
    assert console.status is Status.started, console
    assert w.info(console.session).channel is RequestChannel.web


def test_stratus_star81_whispers_to_the_agent_by_default_and_to_the_caller_when_told() -> None:
    for speak_with, hearer, not_hearer in [
        (stratus.SpeakWith.agent, "agent744", "client"),
        (stratus.SpeakWith.caller, "client", "agent744"),
    ]:
        w = stratus_world(speak_with)
        sid = w.service.dial("sup701", "701", "007744").session
        result = w.service.dtmf(sid, "*81")  # three digits in one call
        assert result.kind is callsup.DtmfResult.Kind.command and result.digits == "*81"
        info = w.info(sid)
        assert info.mode is Mode.whisper and info.channel is RequestChannel.dtmf
        routes = w.routes("c1")
        assert routes.hears(listener=hearer, source="sup701"), speak_with
        assert not routes.hears(listener=not_hearer, source="sup701"), speak_with
        changed = w.events_of(EventKind.mode_changed, sid)
        assert [(e.mode, e.channel) for e in changed] == [(Mode.whisper, RequestChannel.dtmf)]


def test_a_switch_through_a_channel_the_supervisor_may_not_use_is_refused_and_the_session_goes_on() -> None:
    w = stratus_world()
    sid = w.service.dial("sup701", "701", "007744").session
    refused = w.service.switch_mode(sid, Mode.barge, channel=RequestChannel.web)
    assert not refused.allowed and refused.reason is Reason.channel_not_allowed
    info = w.info(sid)
    assert info.state is callsup.SessionState.active and info.mode is Mode.listen
    assert info.channel is RequestChannel.feature_code  # as its own channel set it up
    denied = w.events_of(EventKind.denied, sid)[-1]
    assert denied.channel is RequestChannel.web and denied.detail == "switch to barge"
    allowed = w.service.switch_mode(sid, Mode.barge, channel=RequestChannel.dtmf)
    assert allowed.allowed and w.info(sid).mode is Mode.barge and w.info(sid).channel is RequestChannel.dtmf


def test_events_carry_the_channel_in_json_and_back() -> None:
    event = callsup.Event(kind=EventKind.denied, channel=RequestChannel.web, detail="x")
    assert event.channel is RequestChannel.web and callsup.Event().channel is RequestChannel.api
    line = callsup.to_json_line(event)
    assert json.loads(line)["channel"] == "web"
    assert callsup.parse_audit_line(line).channel is RequestChannel.web
    assert pickle.loads(pickle.dumps(event)) == event
    assert event != callsup.Event(kind=EventKind.denied, detail="x")
    assert "channel=RequestChannel.web, detail='x'" in repr(event)
