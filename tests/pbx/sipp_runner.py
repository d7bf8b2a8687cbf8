"""sipp (Debian sip-tester) against callsup-pbx: renders the scenario templates of tests/pbx/sipp
(@NAME@ placeholders), runs sipp pinned to 127.0.0.1 (-i/-mi) on free ports, bounded in calls
(-m) and time (-timeout), and stops background sipps by pid."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pbx_process import HOST, PbxProcess, free_port_block

SCENARIOS = Path(__file__).resolve().parent / "sipp"
PCAPS = Path("/usr/share/sip-tester")


@dataclass
class SippResult:
    returncode: int
    output: str
    errors: str  # sipp's -trace_err file

    def describe(self) -> str:
        return f"sipp exited {self.returncode}\n--- errors:\n{self.errors[-3000:]}\n--- output:\n{self.output[-2000:]}"


class SippProcess:
    """A sipp in the background (a phone waiting for calls); wait() or stop() it by pid."""

    def __init__(self, proc: subprocess.Popen[str], error_file: Path) -> None:
        self._proc = proc
        self._error_file = error_file

    def wait(self, timeout: float) -> SippResult:
        try:
            output, _ = self._proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.stop()
            output, _ = self._proc.communicate()
        return SippResult(self._proc.returncode, output or "", _read(self._error_file))

    def stop(self) -> None:
        if self._proc.poll() is None:
            os.kill(self._proc.pid, signal.SIGKILL)
        # Reaps it and closes the stdout pipe: a pipe left to the garbage collector is a
        # ResourceWarning, an error under pytest's filterwarnings (it failed a test at random).
        self._proc.communicate()


def _read(path: Path) -> str:
    return path.read_text(errors="replace") if path.exists() else ""


_SippT = TypeVar("_SippT", bound="Sipp")


class Sipp:
    """Runs scenarios against `pbx`; files go to `workdir`."""

    def __init__(self, pbx: PbxProcess, workdir: Path) -> None:
        if shutil.which("sipp") is None:
            raise FileNotFoundError("sipp is not installed (Debian: sip-tester)")
        self.pbx = pbx
        self.workdir = workdir
        self._count = 0
        self._background: list[SippProcess] = []

    def render(self, scenario: str, **values: str) -> Path:
        """tests/pbx/sipp/`scenario` with each @KEY@ replaced by values[KEY]; every placeholder must
        be given."""
        text = re.sub(r"<!--.*?-->\n?", "", (SCENARIOS / scenario).read_text(), flags=re.DOTALL)
        for key, value in values.items():
            text = text.replace(f"@{key}@", value)
        left = sorted(set(re.findall(r"@([A-Z_0-9]+)@", text)))
        if left:
            raise ValueError(f"{scenario}: no value for {left}")
        self._count += 1
        out = self.workdir / f"{self._count:02d}-{scenario}"
        out.write_text(text)
        return out

    def _command(self, scenario: Path, service: str, password: str | None, port: int, calls: int,
                 timeout_s: int, remote: bool, extra: list[str]) -> tuple[list[str], Path]:
        media = free_port_block(4)
        error_file = scenario.with_suffix(".errors.log")
        cmd = ["sipp"]
        if remote:
            cmd.append(f"{HOST}:{self.pbx.sip_port}")
        cmd += ["-sf", str(scenario), "-s", service, "-m", str(calls), "-i", HOST, "-mi", HOST,
                "-p", str(port), "-mp", str(media), "-nostdin", "-trace_err", "-error_file", str(error_file),
                "-timeout", f"{timeout_s}s", "-timeout_error", "-recv_timeout", f"{timeout_s * 1000}"]
        if password is not None:
            cmd += ["-au", service, "-ap", password]
        return cmd + extra, error_file

    def run(self, scenario: Path, service: str, password: str | None = None, *, port: int | None = None,
            calls: int = 1, timeout_s: int = 30, extra: tuple[str, ...] = ()) -> SippResult:
        """Runs a client scenario to its end (at most `timeout_s` seconds)."""
        cmd, error_file = self._command(scenario, service, password, port or free_port_block(1), calls, timeout_s,
                                        True, list(extra))
        proc = subprocess.run(cmd, cwd=self.workdir, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              timeout=timeout_s + 10)
        return SippResult(proc.returncode, proc.stdout + proc.stderr, _read(error_file))

    def start_client(self, scenario: Path, service: str, password: str | None = None, *,
                     timeout_s: int = 30) -> SippProcess:
        """A client scenario in the background (a call that lasts while others happen)."""
        cmd, error_file = self._command(scenario, service, password, free_port_block(1), 1, timeout_s, True, [])
        proc = subprocess.Popen(cmd, cwd=self.workdir, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, start_new_session=True)
        client = SippProcess(proc, error_file)
        self._background.append(client)
        return client

    def start_phone(self, scenario: Path, service: str, port: int, *, calls: int = 1,
                    timeout_s: int = 30) -> SippProcess:
        """A phone answering at `port` in the background (-aa: it answers the PBX's INFO 200)."""
        cmd, error_file = self._command(scenario, service, None, port, calls, timeout_s, False, ["-aa"])
        proc = subprocess.Popen(cmd, cwd=self.workdir, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, start_new_session=True)
        phone = SippProcess(proc, error_file)
        self._background.append(phone)
        return phone

    def register(self, extension: str, password: str, port: int, expect: str = "200",
                 expires: int = 300) -> SippResult:
        scenario = self.render("register.xml", EXPECT=expect)
        return self.run(scenario, extension, password, port=port, extra=("-key", "expires", str(expires)))

    def stop_all(self) -> None:
        for phone in self._background:
            phone.stop()

    def __enter__(self: _SippT) -> _SippT:
        return self

    def __exit__(self, *exc: object) -> None:
        """Stops every sipp still running in the background (by pid), even when the test failed."""
        self.stop_all()
