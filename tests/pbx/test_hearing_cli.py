"""callsup-hearing and hearing.py on recordings made here from the bundled voices: mixes, time
windows, stereo, a wrong data size (as linphonec's recorder writes), bad input."""

from __future__ import annotations

import array
import subprocess
import wave
from pathlib import Path

import pytest

from hearing import InconclusiveHearing, Window, hear, hearing_matrix, hearing_tool
from softphone_process import voice_file

RATE = 8000
VOICES = {name: voice_file(name) for name in ("customer", "agent", "supervisor")}


def samples(name: str) -> array.array[int]:
    with wave.open(str(VOICES[name]), "rb") as w:
        return array.array("h", w.readframes(w.getnframes()))


def looped(name: str, seconds: float, offset_s: float = 0.0) -> array.array[int]:
    """The voice as its phone plays it, heard from `offset_s` into its loop."""
    loop = samples(name)
    start = int(offset_s * RATE) % len(loop)
    out = array.array("h")
    while len(out) < seconds * RATE + start:
        out.extend(loop)
    return out[start : start + int(seconds * RATE)]


def mix(*parts: array.array[int]) -> array.array[int]:
    size = max(len(p) for p in parts)
    out = array.array("h", [0] * size)
    for part in parts:
        for i, v in enumerate(part):
            out[i] = max(-32768, min(32767, out[i] + v))
    return out


def write(path: Path, pcm: array.array[int], channels: int = 1) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm.tobytes())
    return path


def test_finds_the_voices_of_a_mix_and_not_the_others(tmp_path: Path) -> None:
    recording = write(tmp_path / "mix.wav", mix(looped("customer", 6, 1.3), looped("agent", 6, 4.1)))
    found = hear(recording, VOICES)
    assert {name: h.heard for name, h in found.items()} == {"customer": True, "agent": True, "supervisor": False}
    assert found["customer"].score > 0.7 and found["supervisor"].score < 0.2


def test_a_window_judges_only_its_stretch(tmp_path: Path) -> None:
    silence = array.array("h", [0] * (4 * RATE))
    recording = write(tmp_path / "late.wav", looped("agent", 4) + looped("supervisor", 4, 2.0) + silence)
    early = hear(recording, VOICES, from_s=0.5, to_s=3.5)
    late = hear(recording, VOICES, from_s=4.5, to_s=7.5)
    assert (early["agent"].heard, early["supervisor"].heard) == (True, False)
    assert (late["agent"].heard, late["supervisor"].heard) == (False, True)


def test_matrix_refuses_a_window_too_short_to_decide(tmp_path: Path) -> None:
    recording = write(tmp_path / "short.wav", looped("agent", 4))
    with pytest.raises(InconclusiveHearing, match="too little speech"):
        hearing_matrix({"customer": Window(recording, 1.0, 1.3)}, VOICES)


def test_stereo_and_a_wrong_data_size_are_handled_by_hearing_py(tmp_path: Path) -> None:
    left, right = looped("customer", 5, 0.7), looped("supervisor", 5, 3.3)
    interleaved = array.array("h", [v for pair in zip(left, right) for v in pair])
    stereo = write(tmp_path / "stereo.wav", interleaved, channels=2)
    done = subprocess.run(
        [str(hearing_tool()), "--voice", f"agent={VOICES['agent']}", str(stereo)], capture_output=True, text=True
    )
    assert done.returncode == 2 and "2 channels, expected mono" in done.stderr
    found = hear(stereo, VOICES, workdir=tmp_path / "conv")
    assert {name: h.heard for name, h in found.items()} == {"customer": True, "agent": False, "supervisor": True}

    linphone_style = tmp_path / "linphone.wav"
    raw = bytearray(write(linphone_style, looped("agent", 5)).read_bytes())
    raw[40:44] = (len(raw)).to_bytes(4, "little")  # data size counting the 44-byte header too
    linphone_style.write_bytes(bytes(raw))
    done = subprocess.run(
        [str(hearing_tool()), "--voice", f"agent={VOICES['agent']}", str(linphone_style)], capture_output=True, text=True
    )
    assert done.returncode == 2 and "truncated" in done.stderr, done.stderr
    found = hear(linphone_style, VOICES, workdir=tmp_path / "conv")
    assert {name: h.heard for name, h in found.items()} == {"customer": False, "agent": True, "supervisor": False}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "no --voice"),
        (["--voice", "agent"], "NAME=FILE"),
        (["--voice", "a=x.wav", "--from", "-1", "r.wav"], "seconds >= 0"),
        (["--voice", "a=x.wav", "--from", "3", "--to", "2", "r.wav"], "is not after --from"),
        (["--voice", "a=x.wav", "--bogus"], "unknown option"),
        (["--voice", "a=x.wav", "missing.wav"], "missing.wav"),
    ],
)
def test_bad_input_exits_2_naming_it(args: list[str], message: str) -> None:
    done = subprocess.run([str(hearing_tool()), *args], capture_output=True, text=True)
    assert done.returncode == 2, done
    assert message in done.stderr, done.stderr
