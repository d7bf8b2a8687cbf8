# Over 400 lines: the Python twins of tests/unit/test_directory*.cpp, one short test each.
"""The Directory through Python: records, validation, lookups, change notifications and
loading from JSON text, a dict or a file (tests/unit/test_directory*.cpp)."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any, Callable

import pytest

import callsup
from callsup import (
    Directory,
    DirectoryChange,
    Error,
    ErrorCode,
    ExtensionProfile,
    Group,
    Mode,
    ModeSet,
    Role,
    Site,
    SupervisionLimits,
    TenantSettings,
)
from model_support import agent

Kind = DirectoryChange.Kind


def check_error(operation: Callable[[], Any], code: ErrorCode, *fragments: str) -> None:
    """`operation` raises callsup.Error(code) whose message contains every fragment."""
    with pytest.raises(Error) as caught:
        operation()
    assert caught.value.code is code, caught.value
    for fragment in fragments:
        assert fragment in str(caught.value)


def populate(directory: Directory) -> None:
    """acme (sites berlin, munich) with supervisor 700 and agents 744..747; globex with 200."""
    directory.set_tenant(TenantSettings("acme"))
    directory.set_tenant(TenantSettings("globex"))
    directory.add_site(Site("berlin", "acme"))
    directory.add_site(Site("munich", "acme"))
    directory.add_site(Site("hq", "globex"))
    directory.add_extension(
        ExtensionProfile(
            "700", "acme", "berlin", roles=[Role.supervisor], can_supervise=True, granted_modes=ModeSet.all()
        )
    )
    for ext in ("744", "745"):
        directory.add_extension(agent(ext, site="berlin"))
    for ext in ("746", "747"):
        directory.add_extension(agent(ext, site="munich"))
    directory.add_extension(agent("200", "globex", "hq"))


@pytest.fixture
def directory() -> Directory:
    d = Directory()
    populate(d)
    return d


def test_record_defaults_match_cpp() -> None:
    profile = ExtensionProfile()
    assert profile.roles == () and not profile.can_supervise and profile.granted_modes == ModeSet.none()
    assert not profile.privacy and profile.managed_sites == () and profile.allow_list == ()
    tenant = TenantSettings()
    assert tenant.supervision_enabled and tenant.feature_code_plan == "portaswitch"
    assert tenant.limits == SupervisionLimits(3, 1)
    assert not tenant.bridged_only and not tenant.whisper_topology_rule
    assert Group() == Group("", "", [], [], True) != Group("", "", [], [], False)
    assert profile.scope is callsup.SupervisionScope.assigned and profile.channels == callsup.ChannelSet.all()
    assert profile.session_defaults.empty() and tenant.session_defaults.empty()


def test_profile_queries_and_mode_conversion() -> None:
    profile = ExtensionProfile(
        "710",
        "acme",
        roles=[Role.site_manager],
        granted_modes=[Mode.listen, Mode.whisper],
        managed_sites=["munich"],
    )
    assert profile.granted_modes == ModeSet.up_to(Mode.whisper)
    assert profile.has_role(Role.site_manager) and not profile.has_role(Role.agent)
    assert profile.manages_site("munich") and not profile.manages_site("")
    profile.allow_list = ("744",)
    assert profile.allows("744") and not profile.allows("745")
    profile.granted_modes = {Mode.barge}
    assert list(profile.granted_modes) == [Mode.barge]


def test_tenants_set_replace_and_look_up() -> None:
    directory = Directory()
    check_error(
        lambda: directory.set_tenant(TenantSettings("")),
        ErrorCode.invalid_argument,
        "tenant name must not be empty",
    )
    assert directory.version == 0 and directory.find_tenant("acme") is None
    check_error(lambda: directory.tenant("acme"), ErrorCode.unknown_tenant, "no tenant 'acme'")
    directory.set_tenant(TenantSettings("acme"))
    before = directory.tenant("acme")
    changed = TenantSettings("acme", supervision_enabled=False)
    changed.limits.max_bargers_per_call = 0  # nested values change in place
    directory.set_tenant(changed)
    assert not directory.tenant("acme").supervision_enabled
    assert directory.tenant("acme").limits.max_bargers_per_call == 0
    assert before.supervision_enabled  # copies handed out earlier do not change
    assert directory.version == 2


def test_sites_are_validated_against_their_tenant() -> None:
    directory = Directory()
    directory.set_tenant(TenantSettings("acme"))
    check_error(
        lambda: directory.add_site(Site("", "acme")),
        ErrorCode.invalid_argument,
        "site name must not be empty",
    )
    check_error(
        lambda: directory.add_site(Site("berlin", "nope")),
        ErrorCode.unknown_tenant,
        "site 'berlin'",
        "'nope'",
    )
    directory.add_site(Site("berlin", "acme"))
    assert directory.has_site("berlin") and not directory.has_site("munich")
    check_error(
        lambda: directory.add_site(Site("berlin", "acme")),
        ErrorCode.duplicate_id,
        "site 'berlin' already exists",
    )


def test_add_extension_validates_every_reference(directory: Directory) -> None:
    version = directory.version
    check_error(
        lambda: directory.add_extension(agent("74a")),
        ErrorCode.invalid_argument,
        "extension '74a' must be digits only",
    )
    check_error(
        lambda: directory.add_extension(agent("748", "nope")),
        ErrorCode.unknown_tenant,
        "'748'",
        "unknown tenant 'nope'",
    )
    check_error(
        lambda: directory.add_extension(agent("744")),
        ErrorCode.duplicate_id,
        "extension '744' already exists",
    )
    check_error(
        lambda: directory.add_extension(agent("748", site="paris")),
        ErrorCode.invalid_argument,
        "unknown site 'paris'",
    )
    check_error(
        lambda: directory.add_extension(agent("748", site="hq")),
        ErrorCode.invalid_argument,
        "site 'hq' of another tenant",
    )
    assert directory.version == version and directory.find_extension("748") is None  # failures change nothing
    directory.add_extension(
        ExtensionProfile(
            "748", "acme", "berlin", roles=[Role.site_manager], managed_sites=["berlin", "munich"]
        )
    )
    assert directory.extension("748").manages_site("munich")
    assert directory.version == version + 1


def test_lookups(directory: Directory) -> None:
    assert directory.extension("700").can_supervise
    assert directory.find_extension("999") is None
    check_error(lambda: directory.extension("999"), ErrorCode.unknown_extension, "no extension '999'")
    assert directory.extensions() == ["200", "700", "744", "745", "746", "747"]
    assert directory.extension_count == 6
    assert directory.extension_lengths() == frozenset({3})
    assert directory.find_group("Support") is None


def test_update_extension_replaces_the_profile_and_copies_stay(directory: Directory) -> None:
    before = directory.extension("744")
    changed = directory.extension("744")
    changed.privacy = True
    changed.granted_modes = ModeSet.up_to(Mode.whisper)
    changed.site = "munich"
    assert not directory.extension("744").privacy  # a lookup is a copy: no change until update
    directory.update_extension(changed)
    assert directory.extension("744") == changed
    assert not before.privacy and before.site == "berlin"
    check_error(
        lambda: directory.update_extension(agent("748")), ErrorCode.unknown_extension, "no extension '748'"
    )
    bad_site = directory.extension("744")
    bad_site.site = "hq"
    check_error(
        lambda: directory.update_extension(bad_site),
        ErrorCode.invalid_argument,
        "site 'hq' of another tenant",
    )
    assert directory.extension("744").site == "munich"


def test_tenant_changes_only_outside_groups_and_removal(directory: Directory) -> None:
    directory.add_group(Group("Support", "acme", ["744"], ["700"]))
    check_error(
        lambda: directory.update_extension(agent("744", "globex", "hq")),
        ErrorCode.invalid_argument,
        "extension '744' cannot change tenant while in a group",
    )
    check_error(
        lambda: directory.remove_extension("744"), ErrorCode.invalid_argument, "still in group 'Support'"
    )
    check_error(lambda: directory.remove_extension("999"), ErrorCode.unknown_extension, "no extension '999'")
    kept = directory.extension("745")
    directory.remove_extension("745")
    assert directory.find_extension("745") is None and kept.extension == "745"
    directory.update_group(Group("Support", "acme", [], []))
    directory.remove_extension("744")
    directory.add_extension(agent("744", site="berlin"))  # the number can be reused
    assert directory.extension("744").site == "berlin"


def test_extension_lengths_follow_adds_and_removes() -> None:
    directory = Directory()
    directory.set_tenant(TenantSettings("acme"))
    assert directory.extension_lengths() == frozenset()
    for ext in ("744", "745", "1001"):
        directory.add_extension(agent(ext))
    assert directory.extension_lengths() == {3, 4}
    directory.remove_extension("1001")
    directory.remove_extension("744")
    assert directory.extension_lengths() == {3}


def test_groups_are_validated_and_indexed(directory: Directory) -> None:
    version = directory.version
    check_error(
        lambda: directory.add_group(Group("", "acme", ["744"])),
        ErrorCode.invalid_argument,
        "group name must not be empty",
    )
    check_error(
        lambda: directory.add_group(Group("Support", "nope", ["744"])), ErrorCode.unknown_tenant, "'nope'"
    )
    check_error(
        lambda: directory.add_group(Group("Support", "acme", ["744", "799"])),
        ErrorCode.unknown_extension,
        "unknown extension '799'",
    )
    check_error(
        lambda: directory.add_group(Group("Support", "acme", ["744", "200"])),
        ErrorCode.invalid_argument,
        "extension '200' of another tenant",
    )
    check_error(
        lambda: directory.update_group(Group("Support", "acme")),
        ErrorCode.unknown_group,
        "no group 'Support'",
    )
    assert directory.version == version and not directory.supervises_member("700", "744")

    directory.add_group(Group("Support", "acme", ["744", "745"], ["700"]))
    check_error(
        lambda: directory.add_group(Group("Support", "acme")),
        ErrorCode.duplicate_id,
        "group 'Support' already exists",
    )
    assert directory.supervises_member("700", "744") and not directory.supervises_member("700", "746")
    assert directory.supervises_group("700", "Support") and not directory.supervises_group("744", "Support")
    group = directory.find_group("Support")
    assert group == Group("Support", "acme", ("744", "745"), ("700",))
    directory.update_group(Group("Support", "acme", ["746"], ["700"]))
    assert directory.supervises_member("700", "746") and not directory.supervises_member("700", "744")
    directory.remove_group("Support")
    assert not directory.supervises_member("700", "746") and directory.find_group("Support") is None


def test_subscribers_get_each_change_with_its_version() -> None:
    directory = Directory()
    changes: list[DirectoryChange] = []
    directory.subscribe(changes.append)
    directory.set_tenant(TenantSettings("acme"))
    directory.add_site(Site("berlin", "acme"))
    directory.add_extension(agent("744"))
    directory.add_group(Group("Support", "acme", ["744"]))
    with pytest.raises(Error):
        directory.add_extension(agent("744"))  # a failed change is not announced
    directory.remove_group("Support")
    directory.remove_extension("744")
    assert [(c.kind, c.name, c.removed, c.version) for c in changes] == [
        (Kind.tenant, "acme", False, 1),
        (Kind.site, "berlin", False, 2),
        (Kind.extension, "744", False, 3),
        (Kind.group, "Support", False, 4),
        (Kind.group, "Support", True, 5),
        (Kind.extension, "744", True, 6),
    ]
    assert changes[0] == DirectoryChange(Kind.tenant, "acme", False, 1)
    assert (
        repr(changes[4])
        == "DirectoryChange(kind=DirectoryChange.Kind.group, name='Support', removed=True, version=5)"
    )
    with pytest.raises(AttributeError):
        changes[0].name = "x"  # type: ignore[misc]


def test_subscribers_may_read_and_write_and_failures_are_counted(unraisable: list[Any]) -> None:
    directory = Directory()
    seen: list[tuple[str, bool]] = []

    def reactor(change: DirectoryChange) -> None:
        seen.append((change.name, directory.find_tenant(change.name) is not None))
        if change.name == "acme":
            directory.set_tenant(TenantSettings("acme-copy"))  # re-entrant write

    def broken(change: DirectoryChange) -> None:
        raise ValueError(change.name)

    directory.subscribe(reactor)
    broken_subscription = directory.subscribe(broken)
    directory.set_tenant(TenantSettings("acme"))
    assert seen == [("acme", True), ("acme-copy", True)]
    assert directory.observer_failures == 2 and [str(r.exc_value) for r in unraisable] == [
        "acme",
        "acme-copy",
    ]
    broken_subscription.close()
    directory.set_tenant(TenantSettings("globex"))
    assert directory.observer_failures == 2


def test_concurrent_writers_and_a_python_subscriber() -> None:
    directory = Directory()
    directory.set_tenant(TenantSettings("acme"))
    versions: list[int] = []
    directory.subscribe(lambda change: versions.append(change.version))

    def writer(first: int) -> None:
        for n in range(first, first + 100):
            directory.add_extension(agent(str(n)))
            directory.remove_extension(str(n))

    threads = [threading.Thread(target=writer, args=(base,)) for base in (1000, 2000, 3000)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "deadlock"
    assert versions == list(range(2, 602))  # every change, in version order
    assert directory.extension_count == 0


# --- JSON ----------------------------------------------------------------------------------


def check_acme_document(directory: Directory) -> None:
    """What tests/data/directory_acme.json holds (as the C++ test checks it)."""
    assert directory.tenant("globex") == TenantSettings(
        "globex", False, "stratus", SupervisionLimits(1, 0), True, True
    )
    assert directory.has_site("berlin") and directory.has_site("munich")
    assert directory.extension_count == 12 and directory.extension_lengths() == {3, 4}
    assert directory.extension("700").granted_modes == ModeSet.all()  # "barge" = up to barge
    assert directory.extension("701").granted_modes == ModeSet.up_to(Mode.whisper)
    assert directory.extension("748").granted_modes == ModeSet.none()
    assert directory.extension("799").roles == (Role.tenant_admin, Role.supervisor)
    assert directory.extension("746").privacy
    assert directory.extension("750").allow_list == ("744", "745")
    assert directory.supervises_member("710", "747") and directory.supervises_member("700", "748")


def test_load_file_accepts_str_and_path(data_dir: Path) -> None:
    for path in (data_dir / "directory_acme.json", str(data_dir / "directory_acme.json")):
        directory = Directory()
        directory.load_file(path)
        check_acme_document(directory)


def test_load_json_and_load_dict_load_the_same(data_dir: Path) -> None:
    text = (data_dir / "directory_acme.json").read_text()
    from_text, from_dict = Directory(), Directory()
    from_text.load_json(text)
    from_dict.load_dict(json.loads(text))
    check_acme_document(from_text)
    check_acme_document(from_dict)
    assert from_text.extensions() == from_dict.extensions()


def test_document_errors_name_the_json_path() -> None:
    mal = ErrorCode.malformed_directory
    check_error(lambda: Directory().load_json('{"tenant": []}'), mal, "document: unknown key 'tenant'")
    check_error(
        lambda: Directory().load_dict({"tenants": [{"name": 5}]}),
        mal,
        "tenants[0].name: expected string, got number",
    )
    check_error(lambda: Directory().load_dict([{"name": "a"}]), mal, "document: expected object, got array")
    check_error(
        lambda: Directory().load_dict(
            {
                "tenants": [{"name": "a"}],
                "extensions": [{"extension": "1", "tenant": "a", "granted_modes": "shout"}],
            }
        ),
        mal,
        "extensions[0].granted_modes",
        "unknown mode 'shout'",
    )
    check_error(
        lambda: Directory().load_json('{"tenants": [\n {"name": "a",}\n]}'), mal, "invalid JSON", "line 2"
    )


def test_loading_is_all_or_nothing(data_dir: Path) -> None:
    directory = Directory()
    directory.load_file(data_dir / "directory_acme.json")
    version, extensions = directory.version, directory.extensions()
    notified: list[DirectoryChange] = []
    directory.subscribe(notified.append)
    check_error(
        lambda: directory.load_file(data_dir / "directory_invalid_last_group.json"),
        ErrorCode.unknown_extension,
        "directory_invalid_last_group.json",
        "groups[1]: group 'Billing' names unknown extension '399'",
    )
    assert directory.version == version and directory.extensions() == extensions
    assert directory.find_tenant("initech") is None and notified == []


def test_unreadable_files_are_io_errors_naming_the_path(data_dir: Path) -> None:
    missing = data_dir / "directory_does_not_exist.json"
    check_error(
        lambda: Directory().load_file(missing),
        ErrorCode.io_error,
        f"'{missing}'",
        "No such file or directory",
    )
    check_error(lambda: Directory().load_file(data_dir), ErrorCode.io_error, "Is a directory")
    with pytest.raises(TypeError):
        Directory().load_file(42)  # type: ignore[arg-type]
