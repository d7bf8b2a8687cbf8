# Over 400 lines: one short test per row of docs/policy.md's vendor table.
"""Vendor terms through Python (callsup.vendor): each vendor page's sentence as one setting,
the helpers changing the record in place, terms by name, and their directory JSON (issue 10)."""

from __future__ import annotations

import copy
import importlib
import pickle

import pytest

import callsup
import callsup.vendor.tronic
from callsup import (
    ChannelSet,
    Directory,
    ErrorCode,
    ExtensionProfile,
    Group,
    Mode,
    ModeSet,
    Reason,
    RequestChannel,
    Role,
    StartOutcome,
    StartRequest,
    SupervisionScope,
    TenantSettings,
    WhisperTo,
)
from callsup.vendor import asterisk_spy, lead_center, portaswitch, stratus, tronic
from model_support import acme_directory, agent
from supervision_world import World

Status = StartOutcome.Status


def world(plan: str, **profiles: ExtensionProfile) -> World:
    """acme_directory(plan) (744/745 in Support, supervised by 700; 746 alone) with the given
    extensions added or replaced, and call c1 between a customer and agent 744."""
    directory = acme_directory(plan)
    for profile in profiles.values():
        if directory.find_extension(profile.extension):
            directory.update_extension(profile)
        else:
            directory.add_extension(profile)
    w = World(directory=directory)
    w.external_call("c1", "744", "client", "agent744")
    return w


def test_the_package_layout() -> None:
    assert importlib.import_module("callsup.vendor.stratus") is stratus
    assert callsup.vendor.tronic is tronic
    assert set(callsup.vendor.__all__) >= {"tronic", "asterisk_spy", "portaswitch", "stratus", "lead_center", "terms"}
    for module in (tronic, asterisk_spy, portaswitch, stratus, lead_center):
        for name in module.__all__:
            assert callable(getattr(module, name)), (module.__name__, name)
    for enum_class, module in (
        (stratus.UserRole, stratus),
        (stratus.SpeakWith, stratus),
        (asterisk_spy.DisableSpyReading, asterisk_spy),
    ):
        assert enum_class.__module__ == module.__name__  # not the private module that made it
        member = next(iter(enum_class))
        assert pickle.loads(pickle.dumps(member)) is member
    assert callsup.vendor.TermInfo.__module__ == "callsup.vendor"


# --- Tronic -----------------------------------------------------------------------------------


def test_tronic_can_call_spy_alone_lets_an_extension_spy_on_any_call_of_its_tenant() -> None:
    profile = ExtensionProfile("710", "acme")
    assert tronic.can_call_spy(profile) is None  # type: ignore[func-returns-value]  # changes `profile` in place
    assert profile.can_supervise and profile.granted_modes == ModeSet.all()
    assert profile.scope is SupervisionScope.tenant and profile.roles == ()
    w = world("tronic", spy=profile)
    outcome = w.service.dial("sup710", "710", "*95744")  # 744 is in no group 710 supervises
    assert outcome.status is Status.started, outcome
    assert w.service.dtmf(outcome.session, "6").kind is callsup.DtmfResult.Kind.command  # barge: granted too
    assert w.info(outcome.session).mode is Mode.barge

    tronic.can_call_spy(profile, False)
    assert not profile.can_supervise and profile.granted_modes == ModeSet.none()
    assert profile.scope is SupervisionScope.assigned


def test_tronic_call_spy_privacy_keeps_spies_off_an_extensions_calls() -> None:
    spy = ExtensionProfile("710", "acme")
    tronic.can_call_spy(spy)
    private = agent("744")
    tronic.call_spy_privacy(private)
    assert private.privacy
    w = world("tronic", spy=spy, private=private)
    denied = w.service.dial("sup710", "710", "*95744")
    assert denied.status is Status.denied and denied.decision.reason is Reason.privacy


# --- Asterisk SPY_PERMISSION / DISABLE_SPY / SPY_PARAMS -------------------------------------------


def test_spy_permission_grants_up_to_its_mode_on_the_whole_tenant() -> None:
    profile = ExtensionProfile("710", "acme")
    asterisk_spy.spy_permission(profile, "whisper")
    assert profile.granted_modes == {Mode.listen, Mode.whisper} and profile.scope is SupervisionScope.tenant
    w = world("star91", spy=profile)
    barge = w.service.dial("sup710", "710", "*93744")
    assert barge.status is Status.denied and barge.decision.reason is Reason.mode_not_granted
    assert w.service.dial("sup710", "710", "*92744").status is Status.started

    asterisk_spy.spy_permission(profile, "no")
    assert not profile.can_supervise and profile.granted_modes == ModeSet.none()
    with pytest.raises(callsup.InvalidArgumentError, match="'loud'") as bad:
        asterisk_spy.spy_permission(profile, "loud")
    assert bad.value.code is ErrorCode.invalid_argument


def test_disable_spy_means_privacy_unless_read_the_other_way() -> None:
    profile = ExtensionProfile("710", "acme")
    asterisk_spy.spy_permission(profile, "barge")
    asterisk_spy.disable_spy(profile, True)
    assert profile.privacy and profile.can_supervise  # the default reading: cannot be monitored
    other = ExtensionProfile("711", "acme")
    asterisk_spy.spy_permission(other, "barge")
    asterisk_spy.disable_spy(other, True, asterisk_spy.DisableSpyReading.may_not_monitor)
    assert not other.privacy and not other.can_supervise
    asterisk_spy.disable_spy(profile, False)
    assert not profile.privacy


def test_spy_params_are_the_users_session_defaults() -> None:
    profile = ExtensionProfile("710", "acme")
    asterisk_spy.spy_params(profile, "Eq")
    assert profile.session_defaults == callsup.chanspy_defaults("Eq")
    assert profile.session_defaults.exit_on_target_hangup is True and profile.session_defaults.announce is False
    with pytest.raises(callsup.InvalidArgumentError):
        asterisk_spy.spy_params(profile, "Eq(")
    assert profile.session_defaults == callsup.chanspy_defaults("Eq")  # unchanged by the failure


# --- PortaSwitch ------------------------------------------------------------------------------


def test_portaswitch_tenant_switch_and_hunt_group_supervision_allowed() -> None:
    tenant = TenantSettings("acme")
    portaswitch.call_supervision(tenant, False)
    assert not tenant.supervision_enabled
    w = world("portaswitch")
    w.directory.set_tenant(tenant)
    off = w.service.dial("sup700", "700", "*90744")
    assert off.status is Status.denied and off.decision.reason is Reason.supervision_disabled

    portaswitch.call_supervision(tenant)
    w.directory.set_tenant(tenant)
    group = w.directory.find_group("Support")
    assert group is not None and group.supervision_allowed  # the default
    portaswitch.supervision_allowed(group, False)
    assert not group.supervision_allowed
    w.directory.update_group(group)
    assert not w.directory.supervises_member("700", "744")
    denied = w.service.dial("sup700", "700", "*90744")
    assert denied.status is Status.denied and denied.decision.reason is Reason.out_of_scope


def test_portaswitch_add_group_supervisor_is_one_step() -> None:
    w = world("portaswitch")
    assert not w.directory.extension("746").can_supervise
    portaswitch.add_group_supervisor(w.directory, "Support", "746")
    profile = w.directory.extension("746")
    assert profile.can_supervise and profile.granted_modes == ModeSet.all()
    group = w.directory.find_group("Support")
    assert group is not None and group.supervisors == ("700", "746")
    assert w.service.dial("sup746", "746", "*92744").status is Status.started
    portaswitch.add_group_supervisor(w.directory, "Support", "746")  # again: listed once
    group = w.directory.find_group("Support")
    assert group is not None and group.supervisors == ("700", "746")

    with pytest.raises(callsup.NotFoundError) as unknown:
        portaswitch.add_group_supervisor(w.directory, "Sales", "746")
    assert unknown.value.code is ErrorCode.unknown_group
    w.directory.set_tenant(TenantSettings("other"))
    w.directory.add_extension(agent("800", tenant="other"))
    with pytest.raises(callsup.InvalidArgumentError, match="'800'"):
        portaswitch.add_group_supervisor(w.directory, "Support", "800")


def test_make_group_supervisor_keeps_the_grants_an_extension_has() -> None:
    listener = ExtensionProfile("710", "acme", granted_modes=[Mode.listen])
    portaswitch.make_group_supervisor(listener)
    assert listener.can_supervise and listener.granted_modes == {Mode.listen}
    fresh = ExtensionProfile("711", "acme")
    portaswitch.make_group_supervisor(fresh)
    assert fresh.granted_modes == ModeSet.all() and fresh.scope is SupervisionScope.assigned


# --- Stratus (roles and *81 through the service: test_channels.py) ----------------------------------


def test_stratus_roles_set_roles_scope_and_channels() -> None:
    expected = {
        stratus.UserRole.basic_user: ((Role.agent,), ChannelSet.phone()),
        stratus.UserRole.call_centre_supervisor: ((Role.supervisor,), ChannelSet.all()),
        stratus.UserRole.office_manager: ((Role.site_manager,), ChannelSet.all()),
        stratus.UserRole.administrator: ((Role.tenant_admin,), ChannelSet.all()),
    }
    for user_role, (roles, channels) in expected.items():
        profile = ExtensionProfile("710", "acme", site="berlin")
        stratus.role(profile, user_role)
        assert profile.can_supervise and profile.granted_modes == ModeSet.all(), user_role
        assert (profile.roles, profile.channels) == (roles, channels), user_role
        assert profile.scope is SupervisionScope.assigned
    manager = ExtensionProfile("710", "acme", site="berlin")
    stratus.role(manager, stratus.UserRole.office_manager)
    assert manager.managed_sites == ("berlin",)  # its own office


def test_stratus_speak_with_caller_is_the_tenants_whisper_to() -> None:
    tenant = TenantSettings("acme", feature_code_plan="stratus")
    stratus.speak_with_caller(tenant, stratus.SpeakWith.caller)
    caller_side = tenant.session_defaults.whisper_to
    stratus.speak_with_caller(tenant, stratus.SpeakWith.agent)
    agent_side = tenant.session_defaults.whisper_to
    assert (caller_side, agent_side) == (WhisperTo.other_party, WhisperTo.target)


# --- Lead Center ------------------------------------------------------------------------------


def test_lead_center_monitor_any_call_from_the_softphone_only() -> None:
    profile = ExtensionProfile("710", "acme")
    lead_center.monitor_any_call(profile)
    assert profile.scope is SupervisionScope.tenant and profile.channels == ChannelSet.phone()
    w = world("portaswitch", spy=profile)
    assert w.service.dial("sup710", "710", "*92744").status is Status.started
    web = w.service.start(StartRequest("web710", "710", "744", channel=RequestChannel.web))
    assert web.status is Status.denied and web.decision.reason is Reason.channel_not_allowed

    lead_center.monitor_any_call(profile, False)
    assert not profile.can_supervise and profile.channels == ChannelSet.all()


def test_lead_center_administrator_monitors_from_anywhere() -> None:
    profile = ExtensionProfile("710", "acme", channels=[RequestChannel.dtmf])
    lead_center.administrator(profile)
    assert profile.roles == (Role.tenant_admin,) and profile.granted_modes == ModeSet.all()
    assert profile.channels == ChannelSet.all()
    w = world("portaswitch", admin=profile)
    assert w.service.start(StartRequest("web710", "710", "744", channel=RequestChannel.web)).ok


# --- terms by name ----------------------------------------------------------------------------

SAMPLES = {
    ("tronic", "extension", "can_call_spy"): "yes",
    ("tronic", "extension", "call_spy_privacy"): "no",
    ("asterisk_spy", "extension", "SPY_PERMISSION"): "listen",
    ("asterisk_spy", "extension", "DISABLE_SPY"): "yes",
    ("asterisk_spy", "extension", "disable_spy_means"): "may_not_monitor",
    ("asterisk_spy", "extension", "SPY_PARAMS"): "Ssb",
    ("portaswitch", "tenant", "call_supervision"): "on",
    ("portaswitch", "group", "supervision_allowed"): "false",
    ("portaswitch", "group", "supervisors"): "700",
    ("stratus", "extension", "role"): "office_manager",
    ("stratus", "tenant", "speak_with_caller"): "caller",
    ("lead_center", "extension", "role"): "admin",
    ("lead_center", "extension", "monitor_any_call"): "1",
}


def test_every_term_of_the_table_applies_by_name() -> None:
    rows = callsup.vendor.terms()
    assert {(r.vendor, r.record, r.term) for r in rows} == set(SAMPLES)
    assert all(r.values and r.setting for r in rows)
    row = rows[0]
    assert pickle.loads(pickle.dumps(row)) == row == copy.copy(row)
    assert repr(row).startswith("TermInfo(vendor='tronic', record='extension', term='can_call_spy'")
    for (vendor, record, term), value in SAMPLES.items():
        terms: dict[str, str | bool] = {term: value}
        if record == "extension":
            callsup.vendor.apply_extension_terms(ExtensionProfile("710", "acme"), vendor, terms)
        elif record == "tenant":
            callsup.vendor.apply_tenant_terms(TenantSettings("acme"), vendor, terms)
        elif term == "supervisors":  # also changes profiles: portaswitch.add_group_supervisor
            with pytest.raises(callsup.InvalidArgumentError, match="'supervisors'"):
                callsup.vendor.apply_group_terms(Group("Support", "acme"), vendor, terms)
        else:
            callsup.vendor.apply_group_terms(Group("Support", "acme"), vendor, terms)


def test_terms_by_name_match_the_helpers() -> None:
    by_name = ExtensionProfile("710", "acme")
    callsup.vendor.apply_extension_terms(by_name, "tronic", [("can_call_spy", True)])
    by_helper = ExtensionProfile("710", "acme")
    tronic.can_call_spy(by_helper)
    assert by_name == by_helper

    # DISABLE_SPY is read as its record's disable_spy_means says, even when that comes after it.
    profile = ExtensionProfile("711", "acme")
    asterisk_spy.spy_permission(profile, "listen")
    terms: dict[str, str | bool] = {"DISABLE_SPY": True, "disable_spy_means": "may_not_monitor"}
    callsup.vendor.apply_extension_terms(profile, "asterisk_spy", terms)
    assert not profile.privacy and not profile.can_supervise
    group = Group("Support", "acme")
    callsup.vendor.apply_group_terms(group, "portaswitch", {"supervision_allowed": "no"})
    assert not group.supervision_allowed
    tenant = TenantSettings("acme")
    callsup.vendor.apply_tenant_terms(tenant, "stratus", {"speak_with_caller": "caller"})
    assert tenant.session_defaults.whisper_to is WhisperTo.other_party


def test_bad_terms_change_nothing_and_name_the_problem() -> None:
    profile = ExtensionProfile("710", "acme")
    with pytest.raises(callsup.InvalidArgumentError, match="'bogus'.*can_call_spy") as bad:
        callsup.vendor.apply_extension_terms(profile, "tronic", {"can_call_spy": "yes", "bogus": "1"})
    assert bad.value.code is ErrorCode.invalid_argument
    assert profile == ExtensionProfile("710", "acme")  # all or nothing
    with pytest.raises(callsup.InvalidArgumentError, match="'maybe'"):
        callsup.vendor.apply_extension_terms(profile, "tronic", {"can_call_spy": "maybe"})
    with pytest.raises(callsup.InvalidArgumentError, match="unknown avaya extension term"):
        callsup.vendor.apply_extension_terms(profile, "avaya", {"can_call_spy": "yes"})
    with pytest.raises(callsup.InvalidArgumentError, match="'role'"):
        callsup.vendor.apply_tenant_terms(TenantSettings("acme"), "stratus", {"role": "administrator"})
    with pytest.raises(TypeError, match="'can_call_spy'"):
        callsup.vendor.apply_extension_terms(profile, "tronic", {"can_call_spy": 1})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="pair"):
        callsup.vendor.apply_extension_terms(profile, "tronic", ["can_call_spy"])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="mapping"):
        callsup.vendor.apply_extension_terms(profile, "tronic", "can_call_spy")  # type: ignore[arg-type]
    assert profile == ExtensionProfile("710", "acme")


# --- directory JSON ---------------------------------------------------------------------------


def vendor_document() -> dict[str, object]:
    return {
        "tenants": [
            {"name": "acme", "feature_code_plan": "stratus", "stratus": {"speak_with_caller": "caller"}},
            {"name": "porta", "portaswitch": {"call_supervision": False}},
        ],
        "sites": [{"name": "berlin", "tenant": "acme"}],
        "extensions": [
            {"extension": "744", "tenant": "acme", "site": "berlin"},
            {"extension": "701", "tenant": "acme", "allow_list": ["744"], "stratus": {"role": "basic_user"}},
            {"extension": "702", "tenant": "acme", "site": "berlin", "stratus": {"role": "office_manager"}},
            {"extension": "710", "tenant": "acme", "tronic": {"can_call_spy": True, "call_spy_privacy": "yes"}},
            {"extension": "711", "tenant": "acme", "asterisk_spy": {"SPY_PERMISSION": "whisper", "SPY_PARAMS": "S"}},
            {"extension": "712", "tenant": "acme", "lead_center": {"monitor_any_call": "yes"}},
            {"extension": "713", "tenant": "acme", "scope": "tenant", "channels": ["web"], "can_supervise": True},
            {"extension": "800", "tenant": "porta"},
            {"extension": "801", "tenant": "porta"},
        ],
        "groups": [
            {"name": "Queue", "tenant": "porta", "members": ["800"], "supervision_allowed": False},
            {
                "name": "Hunt",
                "tenant": "porta",
                "members": ["800"],
                "portaswitch": {"supervision_allowed": True, "supervisors": ["801"]},
            },
        ],
    }


def test_the_directory_json_speaks_every_vendors_terms() -> None:
    directory = Directory()
    directory.load_dict(vendor_document())
    assert directory.tenant("acme").session_defaults.whisper_to is WhisperTo.other_party
    assert not directory.tenant("porta").supervision_enabled
    basic = directory.extension("701")
    assert basic.channels == ChannelSet.phone() and basic.roles == (Role.agent,) and basic.allow_list == ("744",)
    assert directory.extension("702").managed_sites == ("berlin",)
    spy = directory.extension("710")
    assert spy.scope is SupervisionScope.tenant and spy.privacy and spy.granted_modes == ModeSet.all()
    permission = directory.extension("711")
    assert permission.granted_modes == {Mode.listen, Mode.whisper} and permission.session_defaults.stop_when_none_left
    assert directory.extension("712").channels == ChannelSet.phone()
    plain = directory.extension("713")
    assert plain.scope is SupervisionScope.tenant and plain.channels == {RequestChannel.web}
    queue, hunt = directory.find_group("Queue"), directory.find_group("Hunt")
    assert queue is not None and not queue.supervision_allowed
    assert hunt is not None and hunt.supervision_allowed and hunt.supervisors == ("801",)
    assert directory.extension("801").can_supervise  # made a supervisor by the group's term
    assert directory.supervises_member("801", "800")


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        (lambda d: d["extensions"][3]["tronic"].update(can_call_spy="maybe"), "extensions[3].tronic"),
        (lambda d: d["extensions"][1]["stratus"].update(role="boss"), "extensions[1].stratus"),
        (lambda d: d["extensions"][6].update(scope="world"), "extensions[6].scope"),
        (lambda d: d["extensions"][6].update(channels=["fax"]), "extensions[6].channels[0]"),
        (lambda d: d["groups"][1]["portaswitch"].update(supervisors=["999"]), "groups[1].portaswitch.supervisors"),
        (lambda d: d["tenants"][0]["stratus"].update(speak_with_caller="boss"), "tenants[0].stratus"),
    ],
)
def test_bad_vendor_terms_in_json_name_their_path(change: object, needle: str) -> None:
    document = vendor_document()
    change(document)  # type: ignore[operator]
    directory = Directory()
    with pytest.raises(callsup.InvalidArgumentError) as bad:
        directory.load_dict(document)
    assert bad.value.code is ErrorCode.malformed_directory and needle in str(bad.value), str(bad.value)
    assert directory.extension_count == 0


def test_disable_spy_read_as_may_not_monitor_overrules_spy_permission_in_json() -> None:
    directory = Directory()
    terms = {"SPY_PERMISSION": "listen", "DISABLE_SPY": True, "disable_spy_means": "may_not_monitor"}
    directory.load_dict(
        {"tenants": [{"name": "acme"}], "extensions": [{"extension": "701", "tenant": "acme", "asterisk_spy": terms}]}
    )
    assert not directory.extension("701").can_supervise  # "SPY_PERMISSION is overruled"
