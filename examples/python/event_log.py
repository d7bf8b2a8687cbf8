"""event_log: supervision events to stdout and the audit trail to a JSON Lines file.

Shows the two ways out of the service: an EventDispatcher that hands every event to a
Python callback on a thread of its own (so the thread that changed something never runs
Python), printing one JSON line per event; and a JsonLinesAuditSink that appends every
audit record (attempts, denials, starts, mode changes, ends) to a file, flushed per record,
which is then read back with parse_audit_line. A supervisor listens, is refused a call it
may not supervise, switches to whisper by DTMF, then hangs up.

Run: python examples/python/event_log.py [AUDIT_FILE]   (default: a temporary file)
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from callsup import (
    CallRegistry,
    Directory,
    Event,
    EventDispatcher,
    JsonLinesAuditSink,
    Leg,
    LegState,
    SupervisionService,
    parse_audit_line,
    to_json_line,
)

# Tenant acme: supervisors 700 (Support), 701 (Sales) and 799 (tenant admin); agents 744 and
# 746 (privacy) in Support, 747 in Sales.
DIRECTORY = Path(__file__).with_name("acme_directory.json")


def print_event(event: Event) -> None:
    """Runs on the dispatcher's thread: one compact JSON object per event."""
    record = json.loads(to_json_line(event))
    shown = {k: record[k] for k in ("seq", "kind", "session", "supervisor", "target", "mode", "reason") if k in record}
    print("event", json.dumps(shown))


def call(registry: CallRegistry, call_id: str, agent: str) -> None:
    registry.add_call(call_id, "acme")
    registry.add_leg(call_id, Leg.off_net(f"{call_id}-customer", "+15551230000", LegState.up))
    registry.add_leg(call_id, Leg.on_net(f"{call_id}-agent", agent, LegState.up))
    registry.bridge(call_id)


def run(audit_path: Path) -> int:
    directory = Directory()
    directory.load_file(DIRECTORY)
    registry = CallRegistry()
    with SupervisionService(registry, directory) as service, EventDispatcher(print_event) as events:
        service.add_event_sink(events)
        service.add_audit_sink(JsonLinesAuditSink(audit_path))
        call(registry, "c1", "744")
        call(registry, "c2", "746")
        refused = service.dial("sup-a", "700", "*90746")  # 746 has privacy
        started = service.dial("sup-b", "700", "*90744")
        service.dtmf(started.session, "1")  # whisper
        registry.add_call("sc", "acme")
        registry.add_leg("sc", Leg.on_net("sup-b", "700", LegState.up))
        registry.remove_leg("sup-b")  # the supervisor hangs up: the session ends
        assert events.flush(timeout=5), "events not delivered"
        delivered = events.delivered
    lines = audit_path.read_text().splitlines()
    records = [parse_audit_line(line) for line in lines]
    kinds = [r.kind.name for r in records]
    print(f"audit file {audit_path}: {len(lines)} records: {', '.join(kinds)}")
    ok = (
        not refused
        and bool(started)
        and delivered == len(records)
        and kinds[-1] == "ended"
        and records[-1].end_reason.name == "supervisor_left"
        and "mode_changed" in kinds
        and [r.sequence for r in records] == sorted(r.sequence for r in records)
    )
    print("event_log: OK" if ok else "event_log: unexpected records")
    return 0 if ok else 1


def main() -> int:
    if len(sys.argv) > 1:
        return run(Path(sys.argv[1]))
    with tempfile.TemporaryDirectory() as scratch:
        return run(Path(scratch) / "audit.jsonl")


if __name__ == "__main__":
    sys.exit(main())
