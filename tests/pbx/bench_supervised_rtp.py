"""Supervised calls with RTP through callsup-pbx on 127.0.0.1 (not a test: a measurement for
docs/performance.md, issue 11): CALLS anchored calls, each supervised by its own supervisor, with
every phone sending RTP for SECONDS seconds; then the engine's packet counters.

  - The PBX's configuration (written here): agents 2000.. and supervisors 3000.. (CALLS of each,
    SRTP off), one directory group per agent whose one supervisor is the supervisor of the same
    index (supervisor 3000+i may listen to agent 2000+i, nobody else), a trunk.
  - One sipp registers all the agents (digest auth) with their contact at a second sipp, which
    answers for all of them; a third sipp, as the trunk (no authentication), places the customers'
    calls to the agents (RATE calls/s); a fourth one is the supervisors: each dials *90<agent>
    (digest auth) once every call is answered. The sipps carry no media: each call's SDP names a
    port of this script (sipp's injection files), and every sipp logs the engine's port it got.
  - This script then sends PCMA RTP, 20 ms packets, from all 3 x CALLS phone ports (customer,
    agent, supervisor; each stream at its own offset within the 20 ms period, as independent phones
    do) for SECONDS seconds; it never reads what the engine sends back (small receive buffers).
  - Counted: the datagrams the kernel dropped on the engine's sockets (/proc/net/udp, read while the
    calls are up), then, when the calls have ended, the PBX's `media` log line of each leg (packets
    in/out, lost, late, ...) against what was sent, and the PBX's counters.

    .venv/bin/python tests/pbx/bench_supervised_rtp.py [--calls 500] [--seconds 30] [--rate 100]
        [--pbx build/release/bin/callsup-pbx] [--rt] [--keep DIR]

Every process started here is stopped by pid, also on failure; everything is bounded in time.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import socket
import struct
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pbx_process import HOST, PBX_BINARY, PbxProcess, free_port_block, keep_run, pbx_config, wait_until
from sipp_runner import Sipp, SippProcess

PTIME = 0.020
SLOTS = 20  # sending slots per period (1 ms each)
PCMA_SILENCE = b"\xd5" * 160


@dataclass
class Leg:
    role: str
    local: int  # the phone's port (this script's socket)
    engine: int  # the engine's port for this leg
    sock: socket.socket | None = None
    sent: int = 0


def agent(i: int) -> str:
    return str(2000 + i)


def supervisor(i: int) -> str:
    return str(3000 + i)


def bench_config(calls: int, sip_port: int, trunk_port: int, rtp: tuple[int, int], audit: Path) -> dict[str, Any]:
    config = pbx_config(sip_port=sip_port, rtp_ports=rtp, audit_log=audit, trunk_port=trunk_port,
                        srtp="off", notify_agent="none", max_calls=2 * calls + 10)
    extensions = config["directory"]["extensions"]
    groups = config["directory"]["groups"]
    for i in range(calls):
        config["accounts"] += [{"extension": agent(i), "password": f"a-{i}", "srtp": "off"},
                               {"extension": supervisor(i), "password": f"s-{i}", "srtp": "off"}]
        extensions += [
            {"extension": agent(i), "tenant": "acme", "display_name": f"Agent {i}", "roles": ["agent"]},
            {"extension": supervisor(i), "tenant": "acme", "display_name": f"Supervisor {i}",
             "roles": ["supervisor"], "can_supervise": True, "granted_modes": "listen"},
        ]
        groups.append({"name": f"Q{i:04d}", "tenant": "acme", "members": [agent(i)], "supervisors": [supervisor(i)]})
    return config


def auth(user: str, password: str) -> str:
    """An injection-file field that sipp expands into the Authorization header (fields inside a
    scenario's [authentication ...] keyword are not expanded by sipp 3.6)."""
    return f"[authentication username={user} password={password}]"


def inf(path: Path, rows: list[list[str]]) -> Path:
    path.write_text("SEQUENTIAL\n" + "".join(";".join(row) + ";\n" for row in rows))
    return path


def start(sipp: Sipp, cmd_extra: list[str], scenario: Path, *, remote: bool, port: int, calls: int,
          timeout_s: int, service: str = "callsup-bench") -> SippProcess:
    """A sipp in the background with extra options (injection file, rate, logs)."""
    cmd, error_file = sipp._command(scenario, service, None, port, calls, timeout_s, remote, cmd_extra)
    proc = subprocess.Popen(cmd, cwd=sipp.workdir, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    process = SippProcess(proc, error_file)
    sipp._background.append(process)
    return process


def logged_legs(log: Path, role: str) -> dict[int, int]:
    """local port -> engine port from a sipp's -log_file lines "<role> LOCAL m=audio ENGINE"."""
    if not log.exists():
        return {}
    return {int(m[1]): int(m[2]) for m in re.finditer(rf"^{role} (\d+) m=audio (\d+)\s*$", log.read_text(), re.MULTILINE)}


def engine_socket_drops(port_min: int, port_max: int) -> tuple[int, int]:
    """(sockets, drops) of the UDP sockets bound to 127.0.0.1:port_min..port_max (/proc/net/udp)."""
    sockets = drops = 0
    for line in Path("/proc/net/udp").read_text().splitlines()[1:]:
        fields = line.split()
        address, port = fields[1].split(":")
        if address == "0100007F" and port_min <= int(port, 16) <= port_max:
            sockets += 1
            drops += int(fields[-1])
    return sockets, drops


def send_rtp(legs: list[Leg], seconds: float, seed: int = 11) -> dict[str, Any]:
    """Every leg sends one PCMA packet per 20 ms from its socket (connected to its engine port),
    each at its own offset within the period, for `seconds`. Returns how late the sending slots
    ran and the CPU time this took."""
    rng = random.Random(seed)
    header = struct.Struct("!HI")  # sequence number and timestamp
    slots: list[list[tuple[Any, bytearray, int, int]]] = [[] for _ in range(SLOTS)]
    for leg in legs:
        assert leg.sock is not None
        leg.sock.connect((HOST, leg.engine))
        packet = bytearray(12 + len(PCMA_SILENCE))
        struct.pack_into("!BBHII", packet, 0, 0x80, 8, 0, 0, rng.randrange(1 << 32))
        packet[12:] = PCMA_SILENCE
        slots[rng.randrange(SLOTS)].append((leg.sock.send, packet, rng.randrange(65536), rng.randrange(1 << 32)))
    periods = int(seconds / PTIME)
    lateness: list[float] = []
    worst: dict[int, float] = {}  # second of the run -> the latest slot in it
    errors = 0
    cpu = time.process_time()
    started = time.monotonic() + 0.1
    for period in range(periods):
        ts_step = 160 * period
        for slot, members in enumerate(slots):
            due = started + period * PTIME + slot * PTIME / SLOTS
            now = time.monotonic()
            if now < due:
                time.sleep(due - now)  # pacing the phones' clock, not waiting for a condition
            else:
                lateness.append(now - due)
                second = int((now - started) / 1.0)
                worst[second] = max(worst.get(second, 0.0), now - due)
            for send, packet, seq, ts in members:
                header.pack_into(packet, 2, (seq + period) & 0xFFFF, (ts + ts_step) & 0xFFFFFFFF)
                try:
                    send(packet)
                except OSError:
                    errors += 1
    duration = time.monotonic() - started
    for leg in legs:
        leg.sent = periods
    total_slots = periods * SLOTS
    lateness.sort()
    return {
        "late_slots": len(lateness) / total_slots,
        "slot_lateness_p99_ms": 1000 * (lateness[int(0.99 * len(lateness))] if lateness else 0.0),
        "slot_lateness_max_ms": 1000 * (lateness[-1] if lateness else 0.0),
        "duration_s": duration,
        "cpu_cores": (time.process_time() - cpu) / duration,
        "send_errors": errors,
        "stalls": ", ".join(f"{second} s: {1000 * late:.0f} ms" for second, late in sorted(worst.items()) if late > 0.02),
    }


MEDIA_LINE = re.compile(r"media: leg (call-\d+-\w+): (.*)$", re.MULTILINE)


def media_lines(log: str) -> dict[str, dict[str, int]]:
    """leg id -> its counters from the `media: leg ...: 12 packets in, 3 out, ...` lines."""
    out: dict[str, dict[str, int]] = {}
    for leg, rest in MEDIA_LINE.findall(log):
        values: dict[str, int] = {}
        for number, name in re.findall(r"(\d+) ([a-zA-Z][\w ]*?)(?=,|$)", rest):
            values[name.strip().replace(" ", "_")] = int(number)
        out[leg] = values
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=500, help="supervised calls (1..1000)")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long every phone sends RTP")
    parser.add_argument("--rate", type=int, default=100, help="call and supervision setup rate (calls/s)")
    parser.add_argument("--pbx", type=Path, default=PBX_BINARY, help="the callsup-pbx binary")
    parser.add_argument("--rt", action="store_true",
                        help="the RTP sender under SCHED_FIFO priority 10 (the phones keep time) and the PBX's "
                             "threads under priority 5 (other jobs on the machine cannot delay it)")
    parser.add_argument("--keep", type=Path, help="copy the PBX log and the sipp logs to this directory")
    args = parser.parse_args()
    calls = args.calls
    if not 1 <= calls <= 1000 or not 1 <= args.seconds <= 300:
        parser.error("--calls 1..1000, --seconds 1..300")
    setup_s = 2 * calls // args.rate + 20  # budget for the calls, then the supervisors, to be up
    hold_ms = int(1000 * (setup_s + args.seconds + 10))
    timeout_s = int(hold_ms / 1000) + 60

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        sip_port = free_port_block(1, tcp=True)
        trunk_port = free_port_block(1)
        agents_port = free_port_block(1)
        span = 6 * calls + 400  # even ports only, three legs per call, and room for ports others take
        # One block for the engine's ports and the phones' (bound just below): two blocks chosen
        # one after the other could overlap, as the engine's are not bound until the calls come.
        rtp_min = free_port_block(span + 3 * calls)
        rtp = (rtp_min, rtp_min + span - 1)
        phones = rtp_min + span
        config = bench_config(calls, sip_port, trunk_port, rtp, work / "audit.jsonl")
        legs_by_port: dict[int, Leg] = {}
        sockets: list[socket.socket] = []
        load = [os.getloadavg()[0]]
        try:
            for port in range(phones, phones + 3 * calls):  # the phones' RTP ports, held from the start
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)  # what the engine sends is dropped here
                s.bind((HOST, port))
                s.setblocking(False)
                sockets.append(s)
            with PbxProcess(work / "pbx", config, binary=args.pbx) as pbx:
                if args.rt:
                    realtime(pbx.pid, 5)
                sipp = Sipp(pbx, work)
                try:
                    result = run(args, sipp, pbx, work, calls, phones, agents_port, trunk_port, sockets,
                                 legs_by_port, hold_ms, timeout_s, rtp, load)
                finally:
                    sipp.stop_all()
                    keep_run(args.keep, work, pbx)
        finally:
            for s in sockets:
                s.close()
    return result


def run(args: argparse.Namespace, sipp: Sipp, pbx: PbxProcess, work: Path, calls: int, phones: int,
        agents_port: int, trunk_port: int, sockets: list[socket.socket], legs_by_port: dict[int, Leg],
        hold_ms: int, timeout_s: int, rtp: tuple[int, int], load: list[float]) -> int:
    customer_ports = [phones + i for i in range(calls)]
    agent_ports = [phones + calls + i for i in range(calls)]
    supervisor_ports = [phones + 2 * calls + i for i in range(calls)]
    t0 = time.monotonic()

    # 1. Register every agent at the answering sipp's port.
    registered = sipp.run(sipp.render("register_inf.xml", CONTACT=f"{HOST}:{agents_port}"), "callsup-bench",
                          calls=calls, timeout_s=60,
                          extra=("-inf", str(inf(work / "agents.csv", [[agent(i), auth(agent(i), f"a-{i}")] for i in range(calls)])),
                                 "-r", str(args.rate), "-l", str(args.rate), "-key", "expires", "3600"))
    if registered.returncode != 0:
        print("registration failed:", registered.describe())
        return 1

    # 2. The agents' phones, then the customers' calls from the trunk.
    agent_log = work / "agents.log"
    agents = start(sipp, ["-aa", "-inf", str(inf(work / "agent_ports.csv", [[str(p)] for p in agent_ports])),
                          "-trace_logs", "-log_file", str(agent_log)],
                   sipp.render("uas_rtp.xml"), remote=False, port=agents_port, calls=calls, timeout_s=timeout_s)
    caller_log = work / "callers.log"
    customers = start(sipp, ["-inf", str(inf(work / "callers.csv", [[agent(i), str(customer_ports[i])]
                                                                      for i in range(calls)])),
                             "-r", str(args.rate), "-l", str(calls), "-trace_logs", "-log_file", str(caller_log)],
                      sipp.render("trunk_rtp_call.xml", HOLD_MS=str(hold_ms)), remote=True, port=trunk_port,
                      calls=calls, timeout_s=timeout_s)
    budget = 2 * calls / args.rate + 20
    wait_until(lambda: len(logged_legs(caller_log, "caller")) == calls and len(logged_legs(agent_log, "agent")) == calls,
               budget, f"{calls} answered calls (callers.log, agents.log)", interval=0.2)
    calls_up = time.monotonic() - t0

    # 3. The supervisors: supervisor i dials *90 + agent i.
    supervisor_log = work / "supervisors.log"
    supervisors = start(sipp, ["-inf", str(inf(work / "supervisors.csv",
                                                [[supervisor(i), auth(supervisor(i), f"s-{i}"), agent(i), str(supervisor_ports[i])]
                                                 for i in range(calls)])),
                               "-r", str(args.rate), "-l", str(calls), "-trace_logs", "-log_file", str(supervisor_log)],
                        sipp.render("supervise_rtp.xml", CODE="*90"), remote=True, port=free_port_block(1),
                        calls=calls, timeout_s=timeout_s)
    wait_until(lambda: len(logged_legs(supervisor_log, "supervisor")) == calls,
               max(5.0, budget - (time.monotonic() - t0)) + 10, f"{calls} supervisors answered (supervisors.log)",
               interval=0.2)
    supervised_up = time.monotonic() - t0
    counters_up = pbx.counters()

    # 4. RTP from every phone.
    for role, log in (("caller", caller_log), ("agent", agent_log), ("supervisor", supervisor_log)):
        for local, engine in logged_legs(log, role).items():
            legs_by_port[local] = Leg(role, local, engine)
    by_port = {s.getsockname()[1]: s for s in sockets}
    for leg in legs_by_port.values():
        leg.sock = by_port[leg.local]
    sockets_before, drops_before = engine_socket_drops(*rtp)
    load.append(os.getloadavg()[0])
    cpu_before = pbx_cpu(pbx.pid)
    if args.rt:
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(10))
    try:
        sender = send_rtp(list(legs_by_port.values()), args.seconds)
    finally:
        if args.rt:
            os.sched_setscheduler(0, os.SCHED_OTHER, os.sched_param(0))
    cpu_after = pbx_cpu(pbx.pid)
    load.append(os.getloadavg()[0])
    time.sleep(0.5)  # lets the last packets drain before the socket counters are read (a measurement tail, not a condition)
    sockets_after, drops_after = engine_socket_drops(*rtp)
    rtp_done = time.monotonic() - t0
    pbx.counters()  # SIGUSR1 also prints the engine's line: read it while the calls are up
    engine_up = last_engine_line(pbx.log_text())

    # 5. The calls end (the customers hang up after their hold time): the engine's counters per leg.
    customers_result = customers.wait(timeout_s + 30)
    agents_result = agents.wait(60)
    supervisors_result = supervisors.wait(60)
    pbx.wait_log(r"media: leg call-\d+-\w+:", 5)
    wait_until(lambda: len(media_lines(pbx.log_text())) >= 3 * calls, 60, f"{3 * calls} media lines")
    counters = pbx.counters()
    media = media_lines(pbx.log_text())
    sent = sum(leg.sent for leg in legs_by_port.values()) - int(sender["send_errors"])
    totals: dict[str, int] = {}
    for values in media.values():
        for key, value in values.items():
            totals[key] = totals.get(key, 0) + value
    print(f"pbx {args.pbx}; {calls} calls, each supervised; RTP {args.seconds:g} s from {len(legs_by_port)} phones")
    print(f"setup: {calls} calls answered after {calls_up:.1f} s, {calls} supervisors after {supervised_up:.1f} s "
          f"(rate {args.rate}/s); supervision_started={counters_up.get('supervision_started')} "
          f"calls_answered={counters_up.get('calls_answered')}")
    print(f"sipp exit codes: customers {customers_result.returncode}, agents {agents_result.returncode}, "
          f"supervisors {supervisors_result.returncode}")
    print(f"sent: {sent} RTP packets ({sent / max(sender['duration_s'], 1e-9):.0f}/s); sender slots late "
          f"{100 * sender['late_slots']:.1f} %, p99 {sender['slot_lateness_p99_ms']:.1f} ms, "
          f"max {sender['slot_lateness_max_ms']:.1f} ms; sender cpu {sender['cpu_cores']:.2f} cores, "
          f"{sender['send_errors']:.0f} send errors; seconds with a slot over 20 ms late: {sender['stalls'] or 'none'}")
    print(f"engine sockets: {sockets_before} before / {sockets_after} after; kernel drops on them: "
          f"{drops_after - drops_before} during the RTP ({drops_after} in all)")
    print(f"pbx cpu during the RTP: {(cpu_after - cpu_before) / sender['duration_s']:.2f} cores; "
          f"load average {load[0]:.2f} at start, {load[1]:.2f} before the RTP, {load[2]:.2f} after")
    print(f"engine, over {len(media)} legs: " + ", ".join(f"{k}={v}" for k, v in sorted(totals.items())))
    print(f"lost at the engine: sent - packets_in = {sent - totals.get('packets_in', 0)}, "
          f"jitter-buffer lost = {totals.get('lost', '?')}, late = {totals.get('late', '?')}")
    print("pbx counters:", " ".join(f"{k}={v}" for k, v in counters.items()))
    print("engine, right after the RTP (the whole run so far):", engine_up)
    print(f"done after {rtp_done:.1f} s of setup and RTP, {time.monotonic() - t0:.1f} s in all")
    ok = (customers_result.returncode == 0 and sent == totals.get("packets_in")
          and totals.get("lost", 0) == 0 and drops_after == drops_before)
    return 0 if ok else 1


def realtime(pid: int, priority: int) -> None:
    """Puts every thread of process `pid` under SCHED_FIFO `priority` (root only): on a machine
    shared with compile jobs the measured process then gets the CPU when it needs it."""
    for task in Path(f"/proc/{pid}/task").iterdir():
        os.sched_setscheduler(int(task.name), os.SCHED_FIFO, os.sched_param(priority))


def last_engine_line(log: str) -> str:
    lines = [line for line in log.splitlines() if " engine: " in line]
    return lines[-1].split(" engine: ", 1)[1] if lines else "(no engine line: an older PBX)"


def pbx_cpu(pid: int) -> float:
    """user + system CPU seconds of the PBX process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


if __name__ == "__main__":
    sys.exit(main())
