"""What the real-softphone drivers share: a child process stopped by its pid whatever happens, the
voices they play (looped WAVs at 8 kHz mono) and the sockets a process holds (to prove it stays on
loopback)."""

from __future__ import annotations

import ipaddress
import os
import signal
import subprocess
import wave
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
VOICES_DIR = REPO / "examples" / "callcenter_demo" / "voices"
VOICE_RATE = 8000


class SoftphoneError(RuntimeError):
    """A softphone did not do what it was asked (with what its log says)."""


def voice_file(name: str) -> Path:
    """The bundled voice `name` (customer, agent, supervisor): 8 kHz mono 16-bit WAV."""
    path = VOICES_DIR / f"{name}.wav"
    if not path.is_file():
        known = sorted(p.stem for p in VOICES_DIR.glob("*.wav"))
        raise ValueError(f"no voice {name!r} in {VOICES_DIR} (there are {known})")
    return path


def make_voice_loop(voice: Path, out: Path, seconds: float) -> Path:
    """Writes `voice` repeated whole (so it is the loop find_source expects, from its sample 0) until
    it lasts at least `seconds`. baresip 1.0's aufile ends the call when its file ends ("end of
    file"), so the loop must outlast the call. The voice must be 16-bit mono at 8 kHz."""
    if seconds <= 0:
        raise ValueError(f"seconds must be > 0, not {seconds!r}")
    with wave.open(str(voice), "rb") as w:
        if (w.getnchannels(), w.getsampwidth(), w.getframerate()) != (1, 2, VOICE_RATE):
            raise ValueError(
                f"{voice}: {w.getnchannels()} channel(s), {8 * w.getsampwidth()}-bit, "
                f"{w.getframerate()} Hz; the softphones need mono 16-bit {VOICE_RATE} Hz"
            )
        frames = w.readframes(w.getnframes())
    if not frames:
        raise ValueError(f"{voice} holds no audio")
    loop_s = len(frames) / 2 / VOICE_RATE
    repeats = max(1, int(-(-seconds // loop_s)))
    out.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(out), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(VOICE_RATE)
        w.writeframes(frames * repeats)
    return out


def make_silence(out: Path, seconds: float) -> Path:
    """A silent 8 kHz mono WAV of `seconds` (a phone that must not speak)."""
    if seconds <= 0:
        raise ValueError(f"seconds must be > 0, not {seconds!r}")
    out.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(out), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(VOICE_RATE)
        w.writeframes(b"\0\0" * int(seconds * VOICE_RATE))
    return out


class ManagedProcess:
    """A child process with its output in a log file, stopped by its pid (SIGTERM, then SIGKILL)
    and always reaped. Never signals anything but its own child."""

    def __init__(
        self,
        argv: Sequence[str],
        log_path: Path,
        *,
        cwd: Path | None = None,
        env: Mapping[str, str] | None = None,
        stdin_pipe: bool = False,
    ) -> None:
        self.argv = list(argv)
        self.log_path = log_path
        log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(log_path, "wb")  # noqa: SIM115 - closed in stop()
        try:
            self._proc: subprocess.Popen[bytes] = subprocess.Popen(
                self.argv,
                stdin=subprocess.PIPE if stdin_pipe else subprocess.DEVNULL,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                cwd=cwd,
                env=dict(env) if env is not None else None,
                start_new_session=True,
            )
        except BaseException:
            self._log.close()
            raise

    @property
    def pid(self) -> int:
        return self._proc.pid

    def alive(self) -> bool:
        return self._proc.poll() is None

    @property
    def returncode(self) -> int | None:
        return self._proc.poll()

    def write_line(self, line: str) -> None:
        """Writes one line to the process's stdin (started with stdin_pipe=True)."""
        if self._proc.stdin is None:
            raise SoftphoneError(f"{self.argv[0]} (pid {self.pid}) was started without a stdin pipe")
        if "\n" in line:
            raise ValueError(f"one line at a time, not {line!r}")
        try:
            self._proc.stdin.write(line.encode() + b"\n")
            self._proc.stdin.flush()
        except BrokenPipeError as e:
            raise SoftphoneError(
                f"{self.argv[0]} (pid {self.pid}) is gone (exit {self.returncode}); log {self.log_path}"
            ) from e

    def log_text(self) -> str:
        try:
            return self.log_path.read_bytes().decode(errors="replace")
        except FileNotFoundError:
            return ""

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_text().replace("\r", "\n").splitlines()[-lines:])

    def stop(self, timeout: float = 5.0) -> int:
        """Stops the process by its pid: SIGTERM, then SIGKILL after `timeout` s; reaps it and closes
        the log. Returns its exit status (negative: the signal). Safe to call twice."""
        try:
            if self._proc.poll() is None:
                try:
                    os.kill(self._proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
                try:
                    self._proc.wait(timeout)
                except subprocess.TimeoutExpired:
                    os.kill(self._proc.pid, signal.SIGKILL)
                    self._proc.wait(timeout)
        finally:
            if self._proc.stdin is not None and not self._proc.stdin.closed:
                try:
                    self._proc.stdin.close()
                except BrokenPipeError:
                    pass
            self._log.close()
        return int(self._proc.returncode)


@dataclass(frozen=True)
class InetSocket:
    """One IPv4/IPv6 socket of a process, from /proc/net."""

    proto: str  # "udp", "tcp", "udp6", "tcp6"
    local: tuple[str, int]
    remote: tuple[str, int]
    listening: bool  # TCP LISTEN, or UDP without a connected peer


def _hex_addr(text: str) -> tuple[str, int]:
    host, port = text.split(":")
    raw = bytes.fromhex(host)
    if len(raw) == 4:
        addr = str(ipaddress.IPv4Address(raw[::-1]))
    else:
        words = b"".join(raw[i : i + 4][::-1] for i in range(0, 16, 4))
        addr = str(ipaddress.IPv6Address(words))
    return addr, int(port, 16)


def inet_sockets(pid: int) -> list[InetSocket]:
    """The IPv4/IPv6 sockets process `pid` holds now (from /proc/<pid>/fd and /proc/<pid>/net)."""
    inodes: set[str] = set()
    fd_dir = Path(f"/proc/{pid}/fd")
    for fd in fd_dir.iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    found: list[InetSocket] = []
    for proto in ("udp", "tcp", "udp6", "tcp6"):
        table = Path(f"/proc/{pid}/net/{proto}")
        for line in table.read_text().splitlines()[1:]:
            fields = line.split()
            if len(fields) < 10 or fields[9] not in inodes:
                continue
            remote = _hex_addr(fields[2])
            state = fields[3]
            listening = state == "0A" if proto.startswith("tcp") else remote[1] == 0
            found.append(InetSocket(proto, _hex_addr(fields[1]), remote, listening))
    return found


def is_loopback(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback

