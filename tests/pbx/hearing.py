"""Who heard whom, measured from real softphones' recordings with the demo's analysis
(find_source, through the callsup-hearing tool built from examples/callcenter_demo).

A phone plays its voice as a loop from the loop's sample 0 (softphone_process.make_voice_loop)
and records what it hears; callsup-hearing finds each known voice in a stretch of a recording.
Recordings that are not 8 kHz mono 16-bit are converted with sox first (stereo summed at unity
gain, so a voice in either channel keeps its level)."""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import wave
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from softphone_process import REPO, VOICE_RATE

HEARING_TOOL_ENV = "CALLSUP_HEARING"
MIN_EVIDENCE_S = 0.5  # hearing.hpp: below about 0.5 s of a source's speech a decision says little


def hearing_tool() -> Path:
    """The callsup-hearing executable: $CALLSUP_HEARING, else build/dev/bin/callsup-hearing."""
    path = Path(os.environ.get(HEARING_TOOL_ENV, REPO / "build" / "dev" / "bin" / "callsup-hearing"))
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} does not exist: build it (cmake --build --preset dev --target callsup-hearing) "
            f"or set {HEARING_TOOL_ENV}"
        )
    return path


@dataclass(frozen=True)
class VoiceHearing:
    heard: bool
    score: float
    delay_ms: float
    speaking_s: float


class InconclusiveHearing(AssertionError):
    """A window holds too little of a voice's speech to say whether it is there."""


def _pcm_chunks(path: Path) -> tuple[tuple[int, int, int], bytes]:
    """(channels, bits, rate) and the sample bytes of a PCM WAV, trusting the bytes present over a
    data size that a writer still recording (or killed, or mediastreamer's file recorder, which
    counts its header in) left wrong: a declared size of 0 or past the end means "to the end"."""
    raw = path.read_bytes()
    if len(raw) < 12 or raw[:4] != b"RIFF" or raw[8:12] != b"WAVE":
        raise ValueError(f"{path}: not a RIFF/WAVE file")
    at, fmt = 12, None
    while len(raw) - at >= 8:
        tag, size = raw[at : at + 4], struct.unpack_from("<I", raw, at + 4)[0]
        body = at + 8
        if tag == b"fmt ":
            code, channels, rate = struct.unpack_from("<HHI", raw, body)
            bits = struct.unpack_from("<H", raw, body + 14)[0]
            if code not in (1, 0xFFFE) or bits != 16:
                raise ValueError(f"{path}: format {code:#x} with {bits}-bit samples; expected 16-bit PCM")
            fmt = (channels, bits, rate)
        elif tag == b"data":
            if fmt is None:
                raise ValueError(f"{path}: data chunk before the fmt chunk")
            present = len(raw) - body
            length = present if size == 0 or size > present else size
            frame = 2 * fmt[0]
            return fmt, raw[body : body + length - length % frame]
        at = body + size + (size & 1)
    raise ValueError(f"{path}: no fmt/data chunk")


def as_8k_mono(recording: Path, workdir: Path) -> Path:
    """A clean 16-bit mono 8 kHz copy of `recording` in workdir (`recording` itself when it is one
    already): a wrong data size is repaired, another rate or stereo converted with sox."""
    (channels, _bits, rate), data = _pcm_chunks(recording)
    declared_ok = recording.stat().st_size == 44 + len(data) and recording.read_bytes()[40:44] == struct.pack(
        "<I", len(data)
    )
    if (channels, rate) == (1, VOICE_RATE) and declared_ok:
        return recording
    if channels not in (1, 2):
        raise ValueError(f"{recording}: {channels} channels; expected mono or stereo")
    workdir.mkdir(parents=True, exist_ok=True)
    clean = workdir / f"{recording.stem}-clean.wav"
    with wave.open(str(clean), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(data)
    if (channels, rate) == (1, VOICE_RATE):
        return clean
    sox = shutil.which("sox")
    if sox is None:
        raise FileNotFoundError(f"sox is needed to convert {recording} ({channels} ch, {rate} Hz) to 8 kHz mono")
    out = workdir / f"{recording.stem}-8k-mono.wav"
    remix = ["remix", "-m", "1,2"] if channels == 2 else []
    subprocess.run(
        [sox, str(clean), "-b", "16", "-r", str(VOICE_RATE), str(out), *remix],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return out


def hear(
    recording: Path,
    voices: Mapping[str, Path],
    *,
    from_s: float = 0.0,
    to_s: float | None = None,
    workdir: Path | None = None,
) -> dict[str, VoiceHearing]:
    """Which of `voices` (name -> loop WAV) the recording holds between from_s and to_s."""
    if not voices:
        raise ValueError("no voices to look for")
    mono = as_8k_mono(recording, workdir or recording.parent)
    argv = [str(hearing_tool())]
    for name, path in voices.items():
        argv += ["--voice", f"{name}={path}"]
    argv += ["--from", f"{from_s:.4f}"]
    if to_s is not None:
        argv += ["--to", f"{to_s:.4f}"]
    argv.append(str(mono))
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {done.returncode}: {done.stderr.strip()}")
    result = json.loads(done.stdout)
    return {
        name: VoiceHearing(bool(v["heard"]), float(v["score"]), float(v["delay_ms"]), float(v["speaking_s"]))
        for name, v in result["voices"].items()
    }


@dataclass(frozen=True)
class Window:
    """A stretch of one listener's recording, in seconds from the recording's first sample."""

    recording: Path
    from_s: float
    to_s: float

    def __post_init__(self) -> None:
        if not (0 <= self.from_s < self.to_s):
            raise ValueError(f"bad window {self.from_s:g}..{self.to_s:g} s of {self.recording}")


Matrix = dict[str, dict[str, bool]]


def hearing_matrix(
    windows: Mapping[str, Window],
    voices: Mapping[str, Path],
    *,
    workdir: Path | None = None,
    details: dict[str, dict[str, VoiceHearing]] | None = None,
) -> Matrix:
    """listener -> source -> heard, for every listener's window and every other party's voice
    (nobody is asked about their own voice). Raises InconclusiveHearing when a window holds less
    than MIN_EVIDENCE_S of a source's speech. `details`, when given, receives the scores."""
    matrix: Matrix = {}
    for listener, window in windows.items():
        others = {name: path for name, path in voices.items() if name != listener}
        found = hear(window.recording, others, from_s=window.from_s, to_s=window.to_s, workdir=workdir)
        thin = {name: h.speaking_s for name, h in found.items() if h.speaking_s < MIN_EVIDENCE_S}
        if thin:
            raise InconclusiveHearing(
                f"{listener}'s window {window.from_s:.2f}..{window.to_s:.2f} s of {window.recording} holds "
                f"too little speech of {thin} (need {MIN_EVIDENCE_S} s each)"
            )
        matrix[listener] = {name: h.heard for name, h in found.items()}
        if details is not None:
            details[listener] = found
    return matrix


def format_matrix(matrix: Matrix, details: Mapping[str, Mapping[str, VoiceHearing]] | None = None) -> str:
    """A readable table for assertion messages."""
    lines = []
    for listener, row in matrix.items():
        cells = []
        for source, heard in row.items():
            score = f" {details[listener][source].score:.2f}" if details and listener in details else ""
            cells.append(f"{source}={'yes' if heard else 'no'}{score}")
        lines.append(f"  {listener} hears: " + ", ".join(cells))
    return "\n".join(lines)
