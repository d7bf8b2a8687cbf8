"""Session defaults through Python: SessionDefaults, chanspy_defaults, the layers (service <
plan < tenant < extension < request) and their directory JSON (issue 10)."""

from __future__ import annotations

import copy
import pickle

import pytest

import callsup
from callsup import (
    AgentLeavesInBarge,
    Directory,
    EndReason,
    ErrorCode,
    ExtensionProfile,
    ListenDirection,
    ServiceConfig,
    SessionDefaults,
    SessionOptions,
    SessionState,
    TenantSettings,
    WhisperTo,
)
from callsup.vendor import asterisk_spy
from model_support import acme_directory
from supervision_world import World

FIELDS = [
    "exit_on_target_hangup",
    "stop_when_none_left",
    "bridged_only",
    "announce",
    "private_whisper",
    "listen_direction",
    "stereo",
    "volume_step",
    "agent_leaves_in_barge",
    "notify_agent",
    "monitoring_tone",
    "follow_on_transfer",
    "pre_arm",
    "whisper_to",
]


def test_session_defaults_have_every_session_option_unset() -> None:
    defaults = SessionDefaults()
    options = SessionOptions()
    for name in FIELDS:
        assert getattr(defaults, name) is None, name
        assert hasattr(options, name), name
    assert defaults.empty()
    defaults.stereo = False  # set, even to the option's own default
    assert not defaults.empty()
    defaults.stereo = None
    assert defaults.empty() and defaults == SessionDefaults()


def test_session_defaults_validate_layer_and_apply() -> None:
    below = SessionDefaults(announce=True, volume_step=1, whisper_to=WhisperTo.other_party)
    above = SessionDefaults(volume_step=-2, listen_direction=ListenDirection.agent_only)
    layered = above.over(below)
    assert layered == SessionDefaults(
        announce=True, volume_step=-2, whisper_to=WhisperTo.other_party, listen_direction=ListenDirection.agent_only
    )
    options = SessionOptions(stereo=True).with_defaults(layered)
    assert (options.announce, options.volume_step, options.whisper_to) == (True, -2, WhisperTo.other_party)
    assert options.listen_direction is ListenDirection.agent_only and options.stereo  # unset: kept
    SessionDefaults(volume_step=4).validate()
    with pytest.raises(callsup.InvalidArgumentError, match="'5'") as bad:
        SessionDefaults(volume_step=5).validate()
    assert bad.value.code is ErrorCode.invalid_argument


def test_session_defaults_copy_pickle_and_repr() -> None:
    defaults = SessionDefaults(pre_arm=True, agent_leaves_in_barge=AgentLeavesInBarge.supervisor_takes_over)
    assert pickle.loads(pickle.dumps(defaults)) == defaults == copy.deepcopy(defaults)
    assert repr(defaults).startswith("SessionDefaults(exit_on_target_hangup=None, ")
    assert "agent_leaves_in_barge=AgentLeavesInBarge.supervisor_takes_over" in repr(defaults)
    tenant = TenantSettings("acme")
    tenant.session_defaults.whisper_to = WhisperTo.other_party  # a view into the tenant
    assert tenant.session_defaults == SessionDefaults(whisper_to=WhisperTo.other_party)
    assert tenant != TenantSettings("acme")


def test_chanspy_defaults_set_every_field_the_letters_control() -> None:
    spy = callsup.chanspy_defaults("Ssb")
    assert spy == SessionDefaults(
        exit_on_target_hangup=False,  # no E
        stop_when_none_left=True,
        bridged_only=True,
        announce=False,
        private_whisper=False,
        listen_direction=ListenDirection.both,
        volume_step=0,
    )
    assert callsup.chanspy_defaults("").announce is True  # ChanSpy announces unless told not to
    assert callsup.chanspy_defaults("Ev(-2)").volume_step == -2
    assert callsup.chanspy_defaults("w").private_whisper is False  # w is a mode, not a default
    with pytest.raises(callsup.InvalidArgumentError, match="'x'"):
        callsup.chanspy_defaults("x")


def test_the_directory_refuses_bad_session_defaults() -> None:
    directory = acme_directory()
    with pytest.raises(callsup.InvalidArgumentError, match="'9'"):
        directory.add_extension(ExtensionProfile("750", "acme", session_defaults=SessionDefaults(volume_step=9)))
    with pytest.raises(callsup.InvalidArgumentError, match="'-5'"):
        directory.set_tenant(TenantSettings("acme", session_defaults=SessionDefaults(volume_step=-5)))
    assert directory.find_extension("750") is None
    assert directory.tenant("acme").session_defaults.empty()
    plan = callsup.portaswitch_plan()
    plan.session_defaults.volume_step = 7
    assert any("'7'" in problem for problem in callsup.plan_problems(plan))


# --- the layers in the service -----------------------------------------------------------------


def layered_world(config: ServiceConfig | None = None) -> World:
    """acme (portaswitch) whose tenant whispers to the caller and announces; supervisor 700
    with its own defaults: no announcement, volume +2."""
    directory = acme_directory()
    tenant = directory.tenant("acme")
    tenant.session_defaults = SessionDefaults(whisper_to=WhisperTo.other_party, announce=True, volume_step=1)
    directory.set_tenant(tenant)
    profile = directory.extension("700")
    profile.session_defaults = SessionDefaults(announce=False, volume_step=2)
    directory.update_extension(profile)
    w = World(directory=directory, config=config)
    w.external_call("c1", "744", "client", "agent744")
    return w


def test_service_defaults_then_tenant_then_extension_then_the_request() -> None:
    w = layered_world(ServiceConfig(default_options=SessionOptions(stereo=True, volume_step=-1)))
    sid = w.service.dial("sup700", "700", "*90744").session
    options = w.info(sid).options
    assert options.whisper_to is WhisperTo.other_party  # the tenant's
    assert options.announce is False and options.volume_step == 2  # the extension's, over the tenant's
    assert options.stereo is True  # the service's, set by no layer
    w.service.stop(sid)

    own = w.service.dial("sup701", "700", "*90744", SessionOptions(volume_step=-3))
    assert w.info(own.session).options == SessionOptions(volume_step=-3)  # the request's replace them all


def test_a_whisper_key_follows_the_sessions_whisper_to() -> None:
    w = layered_world()
    sid = w.service.dial("sup700", "700", "*90744").session
    w.service.dtmf(sid, "1")  # portaswitch's whisper key: no whisper_to of its own
    routes = w.routes("c1")
    assert routes.hears(listener="client", source="sup700") and not routes.hears(listener="agent744", source="sup700")
    assert callsup.portaswitch_plan().dtmf_codes[1].command == callsup.DtmfCommand.switch_to(callsup.Mode.whisper)
    assert callsup.DtmfCommand.switch_to(callsup.Mode.whisper).whisper_to is None


def test_the_tronic_plan_moves_on_to_the_next_call_when_the_spied_one_ends() -> None:
    assert callsup.tronic_plan().session_defaults == SessionDefaults(exit_on_target_hangup=False)
    assert callsup.portaswitch_plan().session_defaults.empty()
    w = World(directory=acme_directory("tronic"))
    profile = w.directory.extension("700")
    callsup.vendor.tronic.can_call_spy(profile)
    w.directory.update_extension(profile)
    w.external_call("c1", "744", "client", "agent744")
    w.external_call("c2", "745", "client2", "agent745")
    spy = w.service.dial("sup700", "700", "*95")  # spy on any call
    assert spy.ok and w.info(spy.session).options.exit_on_target_hangup is False
    first = w.info(spy.session).call
    w.registry.end_call(first)
    info = w.info(spy.session)
    assert info.state is SessionState.active and info.call not in ("", first)


@pytest.mark.parametrize(
    ("letters", "state", "end_reason"),
    [("S", SessionState.ended, EndReason.no_calls_left), ("", SessionState.armed, EndReason.none)],
)
def test_chanspy_s_ends_a_targeted_session_when_its_target_has_no_call_left(
    letters: str, state: SessionState, end_reason: EndReason
) -> None:
    w = World(directory=acme_directory("star91"))
    profile = w.directory.extension("700")
    asterisk_spy.spy_permission(profile, "barge")
    asterisk_spy.spy_params(profile, letters)  # no E: the session outlives the call
    w.directory.update_extension(profile)
    w.external_call("c1", "744", "client", "agent744")
    sid = w.service.dial("sup700", "700", "*91744").session
    assert w.info(sid).options.stop_when_none_left is (letters == "S")
    w.registry.end_call("c1")
    assert (w.info(sid).state, w.info(sid).end_reason) == (state, end_reason)


# --- directory JSON ---------------------------------------------------------------------------


def test_directory_json_reads_session_defaults_of_tenants_and_extensions() -> None:
    directory = Directory()
    directory.load_dict(
        {
            "tenants": [{"name": "acme", "session_defaults": {"whisper_to": "other_party", "pre_arm": True}}],
            "extensions": [
                {"extension": "744", "tenant": "acme"},
                {
                    "extension": "700",
                    "tenant": "acme",
                    "session_defaults": {"chanspy": "Ssb", "volume_step": -2, "listen_direction": "agent_only"},
                },
            ],
        }
    )
    assert directory.tenant("acme").session_defaults == SessionDefaults(whisper_to=WhisperTo.other_party, pre_arm=True)
    own = directory.extension("700").session_defaults
    assert own.stop_when_none_left is True and own.bridged_only is True and own.announce is False
    assert own.volume_step == -2 and own.listen_direction is ListenDirection.agent_only  # after the letters
    assert directory.extension("744").session_defaults.empty()


@pytest.mark.parametrize(
    ("defaults", "needle"),
    [
        ({"volume_step": 7}, "extensions[0].session_defaults.volume_step"),
        ({"whisper_to": "caller"}, "extensions[0].session_defaults.whisper_to"),
        ({"chanspy": "Z"}, "extensions[0].session_defaults.chanspy"),
        ({"stereo": "yes"}, "extensions[0].session_defaults.stereo"),
        ({"loud": True}, "unknown key 'loud'"),
    ],
)
def test_bad_session_defaults_in_json_name_their_path(defaults: dict[str, object], needle: str) -> None:
    directory = Directory()
    document = {
        "tenants": [{"name": "acme"}],
        "extensions": [{"extension": "700", "tenant": "acme", "session_defaults": defaults}],
    }
    with pytest.raises(callsup.InvalidArgumentError) as bad:
        directory.load_dict(document)
    assert bad.value.code is ErrorCode.malformed_directory and needle in str(bad.value)
    assert directory.extension_count == 0  # all or nothing
