#!/usr/bin/env python3
"""Scores packet loss concealment: callsup's LossConcealer, spandsp's PLC and silence.

Runs plc_compare (see plc_compare.cpp for how to build it) on each speech file, scores every
concealed output against the original with narrow-band PESQ (ITU-T P.862, the `pesq` package)
and prints a Markdown table of the means over speech files and seeds: PESQ MOS-LQO, segmental
SNR over the lost frames, CPU per concealed and per received frame. A measurement, not a test.

    python3 -m venv build/plc-venv && build/plc-venv/bin/pip install numpy pesq
    build/plc-venv/bin/python tools/plc_compare/score_plc.py build/plc_compare \\
        examples/callcenter_demo/voices/*.wav --seeds 10

Speech files: WAV, 16-bit mono 8 kHz (what the demo's voices are).
"""

import argparse
import collections
import csv
import io
import pathlib
import statistics
import subprocess
import sys
import tempfile
import wave

import numpy
from pesq import pesq

RATE = 8000


def read_wav(path: pathlib.Path) -> numpy.ndarray:
    with wave.open(str(path), "rb") as w:
        if (w.getnchannels(), w.getsampwidth(), w.getframerate()) != (1, 2, RATE):
            sys.exit(f"{path}: need 16-bit mono {RATE} Hz")
        return numpy.frombuffer(w.readframes(w.getnframes()), dtype="<i2")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tool", help="the plc_compare binary")
    parser.add_argument("speech", nargs="+", type=pathlib.Path, help="WAV files, 16-bit mono 8 kHz")
    parser.add_argument("--seeds", type=int, default=10, help="loss patterns per rate (default 10)")
    args = parser.parse_args()

    rows = collections.defaultdict(lambda: collections.defaultdict(list))
    baseline = []
    with tempfile.TemporaryDirectory() as scratch:
        for speech_path in args.speech:
            speech = read_wav(speech_path)
            speech = speech[: len(speech) // 160 * 160]  # whole 20 ms frames, as the tool uses
            reference = speech.astype(numpy.float32)
            baseline.append(pesq(RATE, reference, reference, "nb"))
            raw = pathlib.Path(scratch, "speech.raw")
            raw.write_bytes(speech.astype(numpy.int16).tobytes())
            out = subprocess.run(
                [args.tool, str(raw), scratch, str(args.seeds)], check=True, capture_output=True, text=True
            ).stdout
            for line in csv.DictReader(io.StringIO(out)):
                key = (line["pattern"], int(line["percent"]), line["method"])
                name = f"{line['method']}_{line['pattern']}_{line['percent']}_{line['seed']}.raw"
                concealed = numpy.fromfile(pathlib.Path(scratch, name), dtype=numpy.int16)
                rows[key]["pesq"].append(pesq(RATE, reference, concealed.astype(numpy.float32), "nb"))
                rows[key]["loss"].append(int(line["lost_frames"]) / int(line["frames"]))
                if int(line["lost_frames"]) > 0:
                    rows[key]["snr"].append(float(line["segsnr_db"]))
                    rows[key]["ns_lost"].append(float(line["ns_per_concealed"]))
                rows[key]["ns_received"].append(float(line["ns_per_received"]))

    print(f"No loss: PESQ {statistics.mean(baseline):.2f} ({len(args.speech)} files, {args.seeds} seeds)\n")
    print("| Pattern | Loss | Method | PESQ (MOS-LQO) | SegSNR lost frames (dB) | ns / concealed frame | ns / received frame |")
    print("|---|---:|---|---:|---:|---:|---:|")
    for (pattern, percent, method), r in sorted(rows.items(), key=lambda kv: (kv[0][0] != "random", kv[0][1], kv[0][2])):
        mean = lambda k: statistics.mean(r[k]) if r[k] else float("nan")  # noqa: E731
        print(
            f"| {pattern} | {percent} % (measured {100 * mean('loss'):.1f} %) | {method} | {mean('pesq'):.2f} "
            f"| {mean('snr'):.1f} | {mean('ns_lost'):,.0f} | {mean('ns_received'):,.0f} |"
        )

    print("\nPESQ of spandsp minus callsup, per (file, seed) pair:\n")
    print("| Pattern | Loss | Mean | Min | Max | spandsp better in |")
    print("|---|---:|---:|---:|---:|---:|")
    for pattern in ("random", "burst3"):
        for percent in sorted({k[1] for k in rows}):
            a, b = rows[(pattern, percent, "spandsp")]["pesq"], rows[(pattern, percent, "callsup")]["pesq"]
            diff = [x - y for x, y in zip(a, b)]
            better = sum(d > 0 for d in diff)
            print(
                f"| {pattern} | {percent} % | {statistics.mean(diff):+.2f} | {min(diff):+.2f} | {max(diff):+.2f} "
                f"| {better} of {len(diff)} |"
            )


if __name__ == "__main__":
    main()
