"""Call setup through callsup-pbx with sipp on 127.0.0.1 (not a test: a measurement for
docs/performance.md). Registers 745 as a sipp phone that answers every call, then sipp places
CALLS calls from 744 at RATE calls/s (digest auth on each INVITE), each held HOLD_MS ms without
media; prints sipp's successful/failed counts and the PBX's counters.

    .venv/bin/python tests/pbx/bench_call_setup.py [RATE] [CALLS] [HOLD_MS]
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from pathlib import Path

from pbx_process import PASSWORDS, PbxProcess, free_port_block, pbx_config
from sipp_runner import Sipp


def main() -> int:
    rate, calls, hold_ms = (int(a) for a in (sys.argv[1:] + ["200", "2000", "1000"][len(sys.argv[1:]):]))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        sip_port = free_port_block(1, tcp=True)
        span = 4 * rate * (hold_ms // 1000 + 2) + 100  # even ports only, two legs per call
        rtp = free_port_block(span)
        config = pbx_config(sip_port=sip_port, rtp_ports=(rtp, rtp + span - 1),
                            audit_log=work / "audit.jsonl", max_calls=10000)
        with PbxProcess(work / "pbx", config) as pbx:
            sipp = Sipp(pbx, work)
            try:
                port = free_port_block(1)
                assert sipp.register("745", PASSWORDS["745"], port).returncode == 0
                seconds = calls // rate + hold_ms // 1000 + 30
                phone = sipp.start_phone(sipp.render("uas_load.xml"), "745", port, calls=calls, timeout_s=seconds)
                started = time.monotonic()
                result = sipp.run(sipp.render("uac_load.xml", DIALLED="745", HOLD_MS=str(hold_ms)), "744",
                                  PASSWORDS["744"], calls=calls, timeout_s=seconds,
                                  extra=("-r", str(rate), "-l", str(rate * (hold_ms // 1000 + 2))))
                elapsed = time.monotonic() - started
                answered = phone.wait(30)
            finally:
                sipp.stop_all()
            counters = pbx.counters()
            errors = [line for line in pbx.log_text().splitlines()
                      if " sdk: " in line or re.search(r"sip: INVITE .*: [3-6]\d\d ", line)][:8]
        ok = re.search(r"Successful call\s*\|\s*\d+\s*\|\s*(\d+)", result.output)
        failed = re.search(r"Failed call\s*\|\s*\d+\s*\|\s*(\d+)", result.output)
        print(f"rate {rate}/s, {calls} calls held {hold_ms} ms: caller sipp exit {result.returncode}, "
              f"successful {ok.group(1) if ok else '?'}, failed {failed.group(1) if failed else '?'}, "
              f"{elapsed:.1f} s; phone sipp exit {answered.returncode}")
        print("\n".join(errors))
        print("pbx counters:", " ".join(f"{k}={v}" for k, v in counters.items()))
        return 0 if result.returncode == 0 and answered.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
