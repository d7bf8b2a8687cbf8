# Over 400 lines: one driver: the config, control protocol and recordings of one program belong
# together.
"""baresip 1.0 (Debian) driven headless on 127.0.0.1: a generated config directory, its ctrl_tcp
module for commands and events (netstring-framed JSON), aufile playing a voice loop, sndfile
recording what it hears (dump-<time>-dec.wav in snd_path), g711, srtp.

Facts found with baresip 1.0.0 / libre 1.1.0 (see also docs in the report of issue 11):
- `net_interface 127.0.0.1` pins SIP (and the SDP's c= address) to loopback; without it baresip
  picks the machine's other interface.
- RTP ports come from `rtp_ports` (default 10000-14999, below the kernel's ephemeral range
  32768-60999 that bind-to-port-0 draws from; libre retries another port when one is taken).
- `sip_listen 127.0.0.1:P` listens on UDP P, TCP P and TCP P+1: all three must be free.
- RTP/RTCP sockets are bound to 0.0.0.0 whatever the config (src/stream.c: "we listen on all
  interfaces"); the SDP still says 127.0.0.1 and every packet goes to loopback peers. The DNS
  client binds 0.0.0.0:0 and [::]:0 at start; it sends nothing unless a name must be resolved
  (we dial numeric URIs only; dns_server is 127.0.0.1:53 anyway).
- aufile reads the whole WAV (must match ausrc_srate/ausrc_channels: 8000 Hz mono) and, when it
  runs out, closes the call ("end of file"): play loops longer than the call.
- DTMF is sent as RFC 4733 only (`sndcode`; call_send_digit -> audio_send_digit); baresip 1.0
  cannot send SIP INFO DTMF, it only receives it (application/dtmf-relay -> CALL_DTMF_START).
- The dump file grows as packets are decoded (44-byte header, 16-bit mono at the codec's 8 kHz),
  so its size at a moment says how many samples were heard before that moment.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from loopback import HOST, free_sip_port, free_tcp_port, wait_until
from softphone_process import ManagedProcess, SoftphoneError

BARESIP = "baresip"
MODULE_PATH = "/usr/lib/baresip/modules"
WAV_HEADER_BYTES = 44  # libsndfile's canonical PCM WAV header, as sndfile writes it

SRTP_MEDIAENC = {"off": None, "optional": "srtp", "mandatory": "srtp-mand"}

Event = dict[str, Any]


@dataclass(frozen=True)
class BaresipAccount:
    """One baresip account line. `domain` is host:port of the registrar (the PBX); "" means the
    phone's own sip_listen address (a phone that does not register: peer-to-peer, the PBX's trunk
    peer). regint 0 = no REGISTER."""

    user: str
    domain: str
    password: str | None = None
    regint: int = 0
    srtp: str = "mandatory"  # off | optional | mandatory
    auto_answer: bool = False
    display_name: str | None = None

    def __post_init__(self) -> None:
        if not self.user or any(c in self.user for c in "@<>;: "):
            raise ValueError(f"bad SIP user {self.user!r}")
        if self.srtp not in SRTP_MEDIAENC:
            raise ValueError(f"srtp must be one of {sorted(SRTP_MEDIAENC)}, not {self.srtp!r}")
        if self.regint < 0:
            raise ValueError(f"regint must be >= 0, not {self.regint!r}")
        if self.regint > 0 and not self.password:
            raise ValueError(f"account {self.user}@{self.domain} registers (regint {self.regint}) without a password")

    @property
    def aor(self) -> str:
        return f"sip:{self.user}@{self.domain}"

    def line(self) -> str:
        name = f'"{self.display_name}" ' if self.display_name else ""
        params = [f"regint={self.regint}"]
        if self.password:
            params.append(f"auth_pass={self.password}")
        mediaenc = SRTP_MEDIAENC[self.srtp]
        if mediaenc:
            params.append(f"mediaenc={mediaenc}")
        params.append("answermode=" + ("auto" if self.auto_answer else "manual"))
        params.append("audio_codecs=PCMU,PCMA")
        return f"{name}<{self.aor}>;" + ";".join(params)


def _netstrings(buffer: bytearray) -> list[bytes]:
    """Takes the complete netstrings ("<len>:<data>,") off the front of `buffer`."""
    out: list[bytes] = []
    while True:
        colon = buffer.find(b":")
        if colon < 0:
            return out
        length_text = bytes(buffer[:colon])
        if not length_text.isdigit() or colon > 9:
            raise SoftphoneError(f"ctrl_tcp sent a bad netstring length {length_text[:20]!r}")
        length = int(length_text)
        end = colon + 1 + length
        if len(buffer) < end + 1:
            return out
        if buffer[end : end + 1] != b",":
            raise SoftphoneError(f"ctrl_tcp netstring of {length} bytes not ended by ','")
        out.append(bytes(buffer[colon + 1 : end]))
        del buffer[: end + 1]


class Baresip:
    """One baresip process. Use as a context manager (or call stop() in a finally): the process
    is stopped by its pid even when the test fails.

    Events (ctrl_tcp's JSON: type CALL_INCOMING, CALL_RINGING, CALL_ESTABLISHED, CALL_CLOSED,
    CALL_MENC, CALL_DTMF_START, REGISTER_OK, REGISTER_FAIL, ...) are collected from the moment the
    control connection is up; wait_event() finds one by condition before a deadline."""

    def __init__(
        self,
        workdir: Path,
        account: BaresipAccount,
        voice_loop: Path,
        *,
        name: str | None = None,
        sip_port: int | None = None,
        rtp_ports: tuple[int, int] = (10000, 14999),
        extra_config: Mapping[str, str] | None = None,
        max_lifetime_s: int = 900,
        sip_trace: bool = False,
    ) -> None:
        if not voice_loop.is_file():
            raise ValueError(f"no voice loop file {voice_loop}")
        if not (1024 <= rtp_ports[0] < rtp_ports[1] <= 65535):
            raise ValueError(f"bad rtp_ports range {rtp_ports!r}")
        self.name = name or account.user
        self._auto_sip_port = sip_port is None
        self._own_domain = not account.domain
        self.sip_port = sip_port if sip_port is not None else free_sip_port(tcp_extra=1)
        self.account = account if account.domain else replace(account, domain=f"{HOST}:{self.sip_port}")
        self.voice_loop = voice_loop
        self.workdir = workdir
        self.config_dir = workdir / "config"
        self.recordings_dir = workdir / "recordings"
        self.log_path = workdir / "baresip.log"
        self.ctrl_port = free_tcp_port()
        self.rtp_ports = rtp_ports
        self.extra_config = dict(extra_config or {})
        if max_lifetime_s <= 0:
            raise ValueError(f"max_lifetime_s must be > 0, not {max_lifetime_s!r}")
        self.max_lifetime_s = max_lifetime_s
        self.sip_trace = sip_trace  # -s: every SIP message in the log
        self._proc: ManagedProcess | None = None
        self._sock: socket.socket | None = None
        self._reader: threading.Thread | None = None
        self._cond = threading.Condition()
        self._events: list[Event] = []
        self._responses: dict[str, Event] = {}
        self._reader_error: BaseException | None = None
        self._token = 0

    # ---- configuration -------------------------------------------------------------------
    @property
    def sip_address(self) -> str:
        """host:port where this phone takes SIP (its sip_listen)."""
        return f"{HOST}:{self.sip_port}"

    def config_text(self) -> str:
        lines = {
            "poll_method": "epoll",
            "sip_listen": f"{HOST}:{self.sip_port}",
            "sip_trans_def": "udp",
            "net_interface": HOST,  # mandatory: else baresip takes the machine's other interface
            "dns_server": f"{HOST}:53",
            "call_local_timeout": "120",
            "call_max_calls": "4",
            "audio_player": "alsa,null",
            "audio_alert": "alsa,null",
            "audio_source": f"aufile,{self.voice_loop}",
            "ausrc_srate": "8000",
            "auplay_srate": "8000",
            "ausrc_channels": "1",
            "auplay_channels": "1",
            "rtp_ports": f"{self.rtp_ports[0]}-{self.rtp_ports[1]}",
            "rtcp_mux": "no",
            "jitter_buffer_delay": "5-10",
            "rtp_stats": "no",
            "module_path": MODULE_PATH,
            "ctrl_tcp_listen": f"{HOST}:{self.ctrl_port}",
            "snd_path": str(self.recordings_dir),
        }
        lines.update(self.extra_config)
        modules = ["g711.so", "aufile.so", "alsa.so", "sndfile.so", "srtp.so"]
        apps = ["account.so", "menu.so", "ctrl_tcp.so"]
        text = "".join(f"{k}\t{v}\n" for k, v in lines.items())
        text += "".join(f"module\t{m}\n" for m in modules)
        text += "".join(f"module_app\t{m}\n" for m in apps)
        return text

    # ---- lifecycle -------------------------------------------------------------------------
    def start(self, timeout: float = 10.0, attempts: int = 3) -> Baresip:
        """Starts baresip and connects to its ctrl_tcp. Ports are chosen free just before, but
        another process may take one in between: when baresip then exits with "Address already in
        use", it is started again on fresh ports (its SIP port only if this driver chose it), at
        most `attempts` times."""
        if self._proc is not None:
            raise SoftphoneError(f"{self.name}: already started")
        self.config_dir.mkdir(parents=True, exist_ok=True)
        self.recordings_dir.mkdir(parents=True, exist_ok=True)
        for attempt in range(1, attempts + 1):
            try:
                return self._start_once(timeout)
            except SoftphoneError:
                if attempt == attempts or "Address already in use" not in self.log_text():
                    raise
                self.log_path.rename(self.log_path.with_name(f"baresip-attempt{attempt}.log"))
                self._proc = None
                self.ctrl_port = free_tcp_port()
                if self._auto_sip_port:
                    self.sip_port = free_sip_port(tcp_extra=1)
                    if self._own_domain:
                        self.account = replace(self.account, domain=f"{HOST}:{self.sip_port}")
        raise AssertionError("unreachable")

    def _start_once(self, timeout: float) -> Baresip:
        (self.config_dir / "config").write_text(self.config_text())
        (self.config_dir / "accounts").write_text(self.account.line() + "\n")
        # -t: baresip quits by itself after max_lifetime_s, should this driver die without stop()
        argv = [BARESIP, "-4", "-f", str(self.config_dir), "-t", str(self.max_lifetime_s)]
        if self.sip_trace:
            argv.append("-s")
        self._proc = ManagedProcess(argv, self.log_path, cwd=self.workdir)
        try:
            self._sock = wait_until(self._try_connect, timeout, f"{self.name}: baresip's ctrl_tcp on port {self.ctrl_port}")
            self._reader = threading.Thread(target=self._read_loop, name=f"baresip-{self.name}", daemon=True)
            self._reader.start()
        except BaseException:
            self.stop()
            raise
        return self

    def _try_connect(self) -> socket.socket | None:
        assert self._proc is not None
        if not self._proc.alive():
            raise SoftphoneError(
                f"{self.name}: baresip exited with {self._proc.returncode} at start-up; log {self.log_path}:\n"
                + self._proc.log_tail()
            )
        try:
            return socket.create_connection((HOST, self.ctrl_port), timeout=1.0)
        except OSError:
            return None

    def stop(self) -> int | None:
        """Stops baresip by its pid (SIGTERM: it hangs up and closes its recordings; SIGKILL after
        5 s) and closes the control connection. Returns the exit status; safe to call twice."""
        status = None
        try:
            if self._proc is not None:
                status = self._proc.stop()
        finally:
            if self._sock is not None:
                try:
                    self._sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                self._sock.close()
            if self._reader is not None:
                self._reader.join(5)
        return status

    def __enter__(self) -> Baresip:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def pid(self) -> int:
        if self._proc is None:
            raise SoftphoneError(f"{self.name}: not started")
        return self._proc.pid

    def alive(self) -> bool:
        return self._proc is not None and self._proc.alive()

    def log_text(self) -> str:
        return self._proc.log_text() if self._proc else ""

    # ---- control connection ---------------------------------------------------------------
    def _read_loop(self) -> None:
        assert self._sock is not None
        buffer = bytearray()
        try:
            self._sock.settimeout(None)
            while True:
                chunk = self._sock.recv(65536)
                if not chunk:
                    break
                buffer += chunk
                for raw in _netstrings(buffer):
                    message = json.loads(raw)
                    with self._cond:
                        if message.get("response"):
                            self._responses[str(message.get("token"))] = message
                        elif message.get("event"):
                            message["t"] = time.monotonic()
                            self._events.append(message)
                        self._cond.notify_all()
        except OSError:
            pass  # closed by stop()
        except BaseException as e:  # noqa: BLE001 - reported to the waiting test
            with self._cond:
                self._reader_error = e
                self._cond.notify_all()
        finally:
            with self._cond:
                self._cond.notify_all()

    def command(self, command: str, params: str = "", timeout: float = 5.0) -> str:
        """Runs a baresip command (menu's long names: dial, accept, hangup, sndcode, reginfo,
        listcalls, ...) and returns its text; raises SoftphoneError if baresip says it failed."""
        if self._sock is None:
            raise SoftphoneError(f"{self.name}: not started")
        with self._cond:
            self._token += 1
            token = f"{self.name}-{self._token}"
        body = json.dumps({"command": command, "params": params, "token": token}).encode()
        self._sock.sendall(str(len(body)).encode() + b":" + body + b",")
        deadline = time.monotonic() + timeout
        with self._cond:
            while token not in self._responses:
                self._raise_if_broken()
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"{self.name}: no answer to {command} {params!r} in {timeout:g} s")
                self._cond.wait(left)
            response = self._responses.pop(token)
        if not response.get("ok"):
            raise SoftphoneError(f"{self.name}: {command} {params!r} failed: {response.get('data')!r}")
        return str(response.get("data", ""))

    def _raise_if_broken(self) -> None:
        if self._reader_error is not None:
            raise SoftphoneError(f"{self.name}: ctrl_tcp reader failed: {self._reader_error!r}")
        if self._proc is not None and not self._proc.alive():
            raise SoftphoneError(
                f"{self.name}: baresip exited with {self._proc.returncode}; log {self.log_path}:\n"
                + self._proc.log_tail()
            )

    # ---- events ----------------------------------------------------------------------------
    def events(self) -> list[Event]:
        with self._cond:
            return list(self._events)

    def event_count(self) -> int:
        """A mark: wait_event(since=mark) looks only at events that came after it."""
        with self._cond:
            return len(self._events)

    def wait_event(
        self,
        condition: Callable[[Event], bool],
        timeout: float,
        what: str,
        since: int = 0,
    ) -> Event:
        """The first event from index `since` on that satisfies `condition`; waits at most
        `timeout` s for it (TimeoutError naming `what` and listing the events seen)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for event in self._events[since:]:
                    if condition(event):
                        return event
                self._raise_if_broken()
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [(e.get("type"), e.get("param")) for e in self._events[since:]]
                    raise TimeoutError(f"{self.name}: no {what} within {timeout:g} s; events: {seen}")
                self._cond.wait(min(left, 0.5))

    def wait_call_event(self, kind: str, timeout: float = 10.0, since: int = 0) -> Event:
        """Waits for call event CALL_<kind> (INCOMING, RINGING, PROGRESS, ESTABLISHED, CLOSED,
        MENC, DTMF_START, ...). Waiting for ESTABLISHED fails at once if the call closed first."""
        wanted = f"CALL_{kind.upper()}"

        def match(event: Event) -> bool:
            if event.get("type") == "CALL_CLOSED" and wanted == "CALL_ESTABLISHED":
                raise SoftphoneError(f"{self.name}: call closed before it was established: {event.get('param')!r}")
            return event.get("type") == wanted

        return self.wait_event(match, timeout, wanted, since)

    # ---- operations ------------------------------------------------------------------------
    def registration_state(self) -> str:
        """OK, ERR or zzz (not yet) for this phone's account, from `reginfo`."""
        text = re.sub(r"\x1b\[[0-9;]*m", "", self.command("reginfo"))
        for line in text.splitlines():
            if self.account.aor in line:
                for state in ("OK", "ERR", "zzz"):
                    if re.search(rf"\s{state}\s", line + " "):
                        return state
                return "none"
        raise SoftphoneError(f"{self.name}: reginfo does not list {self.account.aor}: {text!r}")

    def wait_registered(self, timeout: float = 10.0) -> None:
        """Waits until the registrar accepted this phone's REGISTER (200); fails at once on an
        error answer (wrong password, 403...)."""
        if self.account.regint == 0:
            raise SoftphoneError(f"{self.name}: account {self.account.aor} does not register (regint=0)")

        def registered() -> bool:
            state = self.registration_state()
            if state == "ERR":
                fails = [e.get("param") for e in self.events() if e.get("type") == "REGISTER_FAIL"]
                raise SoftphoneError(f"{self.name}: registration of {self.account.aor} failed {fails}")
            return state == "OK"

        wait_until(registered, timeout, f"{self.name}: registration of {self.account.aor}", interval=0.1)

    def dial(self, uri: str) -> int:
        """Dials `uri` (a full SIP URI on 127.0.0.1); returns the event mark before the dial."""
        if not uri.startswith("sip:"):
            raise ValueError(f"dial a full sip: URI, not {uri!r}")
        mark = self.event_count()
        self.command("dial", uri)
        return mark

    def answer(self) -> None:
        self.command("accept")

    def hangup(self) -> None:
        self.command("hangup")

    def send_dtmf(self, digits: str) -> None:
        """Sends each digit as RFC 4733 events in RTP (press and release per digit; baresip's
        telephone-event queue spaces them)."""
        for digit in digits:
            if digit not in "0123456789*#ABCD":
                raise ValueError(f"not a DTMF digit: {digit!r} in {digits!r}")
            self.command("sndcode", digit)

    # ---- recordings ------------------------------------------------------------------------
    def recordings(self) -> list[Path]:
        """What this phone heard, one dump-<time>-dec.wav per call (oldest first)."""
        return sorted(self.recordings_dir.glob("dump-*-dec.wav"))

    def current_recording(self) -> Path:
        found = self.recordings()
        if not found:
            raise SoftphoneError(f"{self.name}: no recording in {self.recordings_dir} (no call audio yet)")
        return found[-1]

    def heard_samples(self) -> int:
        """Samples (8 kHz) written so far to the current recording: a mark for a phase boundary."""
        size = self.current_recording().stat().st_size
        return max(0, (size - WAV_HEADER_BYTES) // 2)

    def wait_hearing(self, timeout: float = 10.0, samples: int = 8000) -> int:
        """Waits until the current recording holds at least `samples` more samples than now
        (media flows); returns the count."""
        start = self.heard_samples() if self.recordings() else 0
        return wait_until(
            lambda: (n := self.heard_samples()) >= start + samples and n,
            timeout,
            f"{self.name}: {samples} samples of received audio",
        )
