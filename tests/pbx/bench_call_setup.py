"""Call setup through callsup-pbx with sipp on 127.0.0.1 (not a test: a measurement for
docs/performance.md). Registers answering sipp phones (745 alone by default; with --phones N,
N extensions 7000.. each its own sipp process), then one sipp places CALLS calls from 744 at RATE
calls/s (digest auth on each INVITE; with several phones, round robin over them), each held
HOLD_MS ms without media; prints sipp's successful/failed counts, the load average, the datagrams
the kernel dropped on the PBX's SIP socket, the PBX's CPU time per thread and its counters.

    .venv/bin/python tests/pbx/bench_call_setup.py [RATE] [CALLS] [HOLD_MS] [--phones N] [--pbx PATH]
        [--rt] [--keep DIR]

--pbx defaults to CALLSUP_PBX or build/dev/bin/callsup-pbx (pbx_process.PBX_BINARY); measure the
release build (build/release/bin/callsup-pbx).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

from pbx_process import PASSWORDS, PBX_BINARY, PbxProcess, free_port_block, keep_run, pbx_config
from sipp_runner import Sipp


def thread_cpu(pid: int) -> dict[str, float]:
    """CPU seconds (user + system) of each thread of process `pid`, by thread name."""
    out: dict[str, float] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            name = (task / "comm").read_text().strip()
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[name] = out.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return out


def realtime(pid: int, priority: int) -> None:
    """Puts every thread of process `pid` under SCHED_FIFO `priority` (root only): on a machine
    shared with compile jobs the measured process then gets the CPU when it needs it."""
    for task in Path(f"/proc/{pid}/task").iterdir():
        os.sched_setscheduler(int(task.name), os.SCHED_FIFO, os.sched_param(priority))


def udp_drops(ports: list[int]) -> dict[int, int]:
    """Datagrams the kernel dropped (full receive buffer) on the UDP sockets of 127.0.0.1:port."""
    out = {port: 0 for port in ports}
    for line in Path("/proc/net/udp").read_text().splitlines()[1:]:
        fields = line.split()
        address, port = fields[1].split(":")
        if address == "0100007F" and int(port, 16) in out:
            out[int(port, 16)] += int(fields[-1])
    return out


def phone_extensions(count: int) -> list[str]:
    return ["745"] if count == 1 else [str(7000 + i) for i in range(count)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("rate", type=int, nargs="?", default=200, help="calls per second (sipp -r)")
    parser.add_argument("calls", type=int, nargs="?", default=2000, help="calls in all (sipp -m)")
    parser.add_argument("hold_ms", type=int, nargs="?", default=1000, help="how long each call is held")
    parser.add_argument("--phones", type=int, default=1, help="answering phones (sipp processes), 1..50")
    parser.add_argument("--pbx", type=Path, default=PBX_BINARY, help="the callsup-pbx binary")
    parser.add_argument("--rt", action="store_true",
                        help="the PBX's threads under SCHED_FIFO priority 5 (other jobs cannot delay it)")
    parser.add_argument("--keep", type=Path, help="copy the PBX log and sipp's files to this directory")
    args = parser.parse_args()
    rate, calls, hold_ms = args.rate, args.calls, args.hold_ms
    if not 1 <= args.phones <= 50 or calls % args.phones:
        parser.error("--phones must be 1..50 and divide CALLS")
    phones = phone_extensions(args.phones)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        sip_port = free_port_block(1, tcp=True)
        span = 4 * rate * (hold_ms // 1000 + 2) + 100  # even ports only, two legs per call
        rtp = free_port_block(span)
        config = pbx_config(sip_port=sip_port, rtp_ports=(rtp, rtp + span - 1),
                            audit_log=work / "audit.jsonl", max_calls=10000)
        passwords = dict(PASSWORDS)
        for extension in phones:
            if extension not in passwords:
                passwords[extension] = f"secret-{extension}"
                config["accounts"].append({"extension": extension, "password": passwords[extension],
                                           "srtp": "optional"})
                config["directory"]["extensions"].append(
                    {"extension": extension, "tenant": "acme", "display_name": f"Phone {extension}",
                     "roles": ["agent"]})
        load_before = os.getloadavg()
        with PbxProcess(work / "pbx", config, binary=args.pbx) as pbx:
            if args.rt:
                realtime(pbx.pid, 5)
            sipp = Sipp(pbx, work)
            try:
                seconds = calls // rate + hold_ms // 1000 + 30
                answering = []
                phone_ports = []
                for extension in phones:
                    port = free_port_block(1)
                    phone_ports.append(port)
                    registered = sipp.register(extension, passwords[extension], port)
                    assert registered.returncode == 0, registered.describe()
                    answering.append(sipp.start_phone(sipp.render("uas_load.xml"), extension, port,
                                                      calls=calls // len(phones), timeout_s=seconds))
                extra: tuple[str, ...] = ()
                if len(phones) == 1:
                    dialled = phones[0]
                else:  # sipp's injection file: call i dials phones[i % N]
                    csv = work / "dialled.csv"
                    csv.write_text("SEQUENTIAL\n" + "".join(f"{extension};\n" for extension in phones))
                    dialled, extra = "[field0]", ("-inf", str(csv))
                started = time.monotonic()
                result = sipp.run(sipp.render("uac_load.xml", DIALLED=dialled, HOLD_MS=str(hold_ms)), "744",
                                  PASSWORDS["744"], calls=calls, timeout_s=seconds,
                                  extra=("-r", str(rate), "-l", str(rate * (hold_ms // 1000 + 2)), *extra))
                elapsed = time.monotonic() - started
                drops = udp_drops([sip_port, *phone_ports])  # the phones' sockets close when they exit
                answered = [phone.wait(30) for phone in answering]
            finally:
                sipp.stop_all()
                keep_run(args.keep, work, pbx)
            load_after = os.getloadavg()
            cpu = thread_cpu(pbx.pid)
            counters = pbx.counters()
            errors = [line for line in pbx.log_text().splitlines()
                      if " sdk: " in line or re.search(r"sip: INVITE .*: [3-6]\d\d ", line)][:8]
        ok = re.search(r"Successful call\s*\|\s*\d+\s*\|\s*(\d+)", result.output)
        failed = re.search(r"Failed call\s*\|\s*\d+\s*\|\s*(\d+)", result.output)
        phone_codes = sorted({a.returncode for a in answered})
        print(f"{args.pbx}{' (SCHED_FIFO)' if args.rt else ''}: rate {rate}/s, {calls} calls held {hold_ms} ms, {len(phones)} phone(s): "
              f"caller sipp exit {result.returncode}, successful {ok.group(1) if ok else '?'}, "
              f"failed {failed.group(1) if failed else '?'}, {elapsed:.1f} s; phone sipp exit {phone_codes}; "
              f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after")
        print("\n".join(errors))
        if result.returncode != 0:
            print(result.errors[-2000:])
        print(f"kernel drops (full UDP receive buffers): PBX SIP socket {drops[sip_port]}, "
              f"phones {sum(drops[p] for p in phone_ports)}")
        print("pbx cpu seconds by thread:", ", ".join(f"{k} {v:.2f}" for k, v in sorted(cpu.items()) if v > 0))
        print("pbx counters:", " ".join(f"{k}={v}" for k, v in counters.items()))
        return 0 if result.returncode == 0 and phone_codes == [0] else 1


if __name__ == "__main__":
    sys.exit(main())
