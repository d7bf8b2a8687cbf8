"""Audit records and sinks through Python: Event values, the JSON Lines form, the SDK's
sinks, and AuditSink subclasses written in Python receiving every record of a service."""

from __future__ import annotations

import copy
import json
import os
import pickle
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import callsup
from callsup import (
    AuditRecord,
    AuditSink,
    EndReason,
    ErrorCode,
    Event,
    EventKind,
    EventSource,
    JsonLinesAuditSink,
    JsonLinesOptions,
    MemoryAuditSink,
    Mode,
    Reason,
    RequestChannel,
    parse_audit_line,
    to_json_line,
)
from supervision_world import Acme

SAMPLE_TIME = datetime(2026, 11, 21, 10, 15, 2, 123000, tzinfo=timezone.utc)


def sample_record() -> Event:
    return Event(
        kind=EventKind.mode_changed, sequence=42, time=SAMPLE_TIME, session=7, tenant="acme", call="call-1",
        supervisor="700", supervisor_leg="leg-s", target="744", target_leg="leg-a", mode=Mode.whisper,
        from_mode=Mode.listen, allowed=True, reason=Reason.allowed, rule="group_supervisor",
        end_reason=EndReason.none, source=EventSource.dtmf, detail="*91",
    )


class ListSink(AuditSink):
    """An AuditSink written in Python: keeps every record and counts flushes."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[AuditRecord] = []
        self.flushes = 0
        self.threads: set[int] = set()

    def do_write(self, record: AuditRecord) -> None:
        self.records.append(record)
        self.threads.add(threading.get_ident())

    def do_flush(self) -> None:
        self.flushes += 1


# --- Event ----------------------------------------------------------------------------------


def test_an_event_is_a_value_with_an_aware_utc_time() -> None:
    record = sample_record()
    assert record.time == SAMPLE_TIME and record.time.tzinfo is not None
    assert record == sample_record() == copy.copy(record) == pickle.loads(pickle.dumps(record))
    changed = sample_record()
    changed.detail = "*92"
    assert changed != record
    assert AuditRecord is Event
    default = Event()
    assert (default.kind, default.sequence, default.session, default.mode, default.allowed) == (
        EventKind.attempt, 0, 0, None, True)
    assert default.time == datetime(1970, 1, 1, tzinfo=timezone.utc)
    assert repr(record).startswith(
        "Event(kind=EventKind.mode_changed, sequence=42, time=datetime.datetime(2026, 11, 21, 10, 15, 2, 123000, "
        "tzinfo=datetime.timezone.utc), session=7, tenant='acme'")
    # Any time zone converts to UTC.
    record.time = datetime(2026, 11, 21, 11, 15, 2, 123000, tzinfo=timezone(timedelta(hours=1)))
    assert record.time == SAMPLE_TIME and record.time.utcoffset() == timedelta(0)


def test_bad_event_times_are_refused_naming_the_value() -> None:
    with pytest.raises(ValueError, match=r"Event.time must be timezone-aware.*datetime\.datetime\(2026, 1, 1"):
        Event(time=datetime(2026, 1, 1))
    with pytest.raises(TypeError, match="Event.time must be a datetime.datetime, got '2026-01-01'"):
        Event(time="2026-01-01")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="outside the range of the system clock"):
        Event(time=datetime(9999, 1, 1, tzinfo=timezone.utc))
    with pytest.raises(TypeError):
        Event(kind="started")  # type: ignore[arg-type]


# --- JSON Lines -----------------------------------------------------------------------------


def test_to_json_line_writes_the_documented_keys_in_order() -> None:
    line = to_json_line(sample_record())
    assert line == (
        '{"seq":42,"time":"2026-11-21T10:15:02.123Z","kind":"mode_changed","tenant":"acme","session":7,'
        '"call":"call-1","supervisor":"700","supervisor_leg":"leg-s","target":"744","target_leg":"leg-a",'
        '"mode":"whisper","from_mode":"listen","decision":"allowed","reason":"allowed","rule":"group_supervisor",'
        '"end_reason":"none","source":"dtmf","channel":"api","detail":"*91"}'
    )
    assert json.loads(line)["seq"] == 42


def test_a_line_written_before_channels_reads_as_api_and_a_bad_channel_is_named() -> None:
    record = sample_record()
    record.channel = RequestChannel.web
    line = to_json_line(record)
    old = line.replace(',"channel":"web"', "")
    assert "channel" not in old and parse_audit_line(old).channel is RequestChannel.api
    with pytest.raises(callsup.InvalidArgumentError, match="fax"):
        parse_audit_line(line.replace('"channel":"web"', '"channel":"fax"'))


def test_parse_audit_line_is_the_inverse_for_every_enum_value() -> None:
    for channel in RequestChannel:
        record = sample_record()
        record.channel = channel
        assert parse_audit_line(to_json_line(record)) == record
    for kind in EventKind:
        for reason in Reason:
            record = sample_record()
            record.kind, record.reason, record.allowed = kind, reason, reason is Reason.allowed
            record.mode = None
            record.end_reason = list(EndReason)[(kind.value + reason.value) % len(EndReason)]
            record.detail = 'quote " and unicode \u00e9'
            assert parse_audit_line(to_json_line(record)) == record


@pytest.mark.parametrize(
    ("fragment", "replacement", "named"),
    [
        ('"kind":"mode_changed"', '"kind":"exploded"', ["'kind'", "'exploded'"]),
        ('"seq":42', '"seq":-1', ["'seq'", "-1"]),
        ('"time":"2026-11-21T10:15:02.123Z"', '"time":"2026-11-21T10:15:02Z"', ["'time'"]),
        ('"seq":42,', "", ["missing key 'seq'"]),
    ],
)
def test_malformed_lines_raise_invalid_argument_naming_field_and_value(
    fragment: str, replacement: str, named: list[str]
) -> None:
    line = to_json_line(sample_record()).replace(fragment, replacement)
    with pytest.raises(callsup.InvalidArgumentError) as raised:
        parse_audit_line(line)
    assert raised.value.code is ErrorCode.invalid_argument
    for part in named:
        assert part in str(raised.value)


# --- the SDK's sinks ------------------------------------------------------------------------


def test_memory_audit_sink_keeps_records_in_order() -> None:
    sink = MemoryAuditSink()
    for n in range(3):
        record = sample_record()
        record.sequence = n + 1
        record.kind = EventKind.ended if n == 2 else EventKind.started
        sink.write(record)
    sink.flush()
    assert len(sink) == 3
    assert [r.sequence for r in sink.records()] == [1, 2, 3]
    assert [r.sequence for r in sink.of_kind(EventKind.ended)] == [3]
    sink.clear()
    assert len(sink) == 0 and sink.records() == []
    with pytest.raises(NotImplementedError, match="call write"):
        sink.do_write(sample_record())


def test_json_lines_sink_appends_one_line_per_record(tmp_path: Path) -> None:
    path = tmp_path / "audit.log"
    sink = JsonLinesAuditSink(path, JsonLinesOptions(fsync_each_record=True))
    assert sink.path == str(path) and sink.options == JsonLinesOptions(True)
    assert repr(sink) == f"JsonLinesAuditSink({str(path)!r})"
    sink.write(sample_record())
    assert path.read_text().count("\n") == 1  # in the file as soon as write() returns
    second = sample_record()
    second.sequence = 43
    sink.write(second)
    sink.flush()
    again = JsonLinesAuditSink(str(path))  # append, never truncate
    again.write(sample_record())
    lines = path.read_text().splitlines()
    assert [parse_audit_line(line).sequence for line in lines] == [42, 43, 42]
    assert os.stat(path).st_mode & 0o137 == 0, "created no more permissive than 0640"


def test_json_lines_sink_reports_unusable_paths(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "dir" / "audit.log"
    with pytest.raises(callsup.Error) as raised:
        JsonLinesAuditSink(missing)
    assert raised.value.code is ErrorCode.io_error and str(missing) in str(raised.value)
    with pytest.raises(TypeError, match="path must be a str or os.PathLike"):
        JsonLinesAuditSink(b"/tmp/x")  # type: ignore[arg-type]


def test_a_service_writes_every_record_to_a_json_lines_file(tmp_path: Path) -> None:
    path = tmp_path / "service.log"
    w = Acme()
    w.service.add_audit_sink(JsonLinesAuditSink(path))
    w.external_call("c1", "744", "client", "agent744")
    outcome = w.listen()
    w.service.dtmf(outcome.session, "2")
    w.service.stop(outcome.session)
    from_file = [parse_audit_line(line) for line in path.read_text().splitlines()]
    assert from_file == [_ms(r) for r in w.audit.records()]
    assert [r.kind for r in from_file] == [
        EventKind.attempt, EventKind.started, EventKind.mode_changed, EventKind.agent_notified, EventKind.ended]


def _ms(record: Event) -> Event:
    """The record as the JSON line keeps it: the time to the millisecond."""
    record.time = record.time.replace(microsecond=record.time.microsecond // 1000 * 1000)
    return record


# --- AuditSink subclasses written in Python -------------------------------------------------


def test_a_python_audit_sink_receives_every_record_of_the_service() -> None:
    sink = ListSink()
    w = Acme()
    w.service.add_audit_sink(sink)
    w.external_call("c1", "744", "client", "agent744")
    outcome = w.listen()
    w.service.dtmf(outcome.session, "1")
    assert w.service.dial("s2", "700", "*90746").status is callsup.StartOutcome.Status.denied
    w.registry.end_call("c1")
    assert sink.records == w.audit.records()
    assert [r.sequence for r in sink.records] == list(range(1, len(sink.records) + 1))
    assert EventKind.denied in [r.kind for r in sink.records]
    assert sink.records[-1].end_reason is EndReason.call_ended
    assert sink.threads == {threading.get_ident()}  # synchronous, on the calling thread
    sink.flush()
    assert sink.flushes == 1
    assert w.service.sink_failures == 0


def test_a_failing_python_audit_sink_is_counted_and_the_others_still_get_the_record() -> None:
    class Failing(AuditSink):
        def do_write(self, record: AuditRecord) -> None:
            if record.kind is EventKind.started:
                raise OSError("disk full")

    w = Acme()
    w.service.add_audit_sink(Failing())
    w.external_call("c1", "744", "client", "agent744")
    outcome = w.listen()
    assert outcome.ok
    assert w.service.sink_failures == 1
    assert w.service.last_sink_failure.startswith("OSError: disk full")
    assert [r.kind for r in w.audit.records()] == [EventKind.attempt, EventKind.started]
    with pytest.raises(OSError, match="disk full"):  # a direct write reaches the caller
        record = sample_record()
        record.kind = EventKind.started
        Failing().write(record)


def test_a_subclass_without_do_write_fails_each_write() -> None:
    class Forgetful(AuditSink):
        pass

    w = Acme()
    w.service.add_audit_sink(Forgetful())
    w.external_call("c1", "744", "client", "agent744")
    assert w.listen().ok
    assert w.service.sink_failures == 2
    assert 'pure virtual function "AuditSink::do_write"' in w.service.last_sink_failure
    with pytest.raises(RuntimeError, match="pure virtual"):
        Forgetful().write(sample_record())


def test_python_sinks_written_from_several_threads_need_no_locking() -> None:
    sink = ListSink()

    def writer(base: int) -> None:
        for n in range(500):
            record = sample_record()
            record.sequence = base + n
            sink.write(record)

    threads = [threading.Thread(target=writer, args=(k * 1000,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.sequence for r in sink.records) == sorted(k * 1000 + n for k in range(4) for n in range(500))
