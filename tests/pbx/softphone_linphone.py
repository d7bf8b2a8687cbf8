"""linphonec (Debian linphone-cli 5.1.65, liblinphone 5.1.65) driven headless on 127.0.0.1:
commands on its stdin (a pipe), its console lines parsed from its stdout, a generated linphonerc,
a private HOME, audio from/to WAV files ("soundcard use files", "play", "record").

Facts found with linphone-cli 5.1.65:
- linphonec runs without a terminal: with stdin not a tty it reads commands in a thread and keeps
  iterating the core (no --pipe needed; --pipe would use the fixed socket /tmp/linphonec-<uid>,
  which parallel instances would share).
- It does not start its SIP stack at all when ~/.local/share/linphone (where it opens its
  sqlite database) does not exist: the core stays in start-up, nothing listens and calls fail.
  Each instance gets its own HOME with that directory made.
- `[sip] bind_address=127.0.0.1` pins SIP, `[rtp] bind_address=127.0.0.1` pins RTP/RTCP;
  `sip_tcp_port=0`, `sip_tls_port=0` keep TCP/TLS closed. Without `[sip] guess_hostname=0` and
  an explicit `contact`, the From of a call without a proxy carries the machine's other (IPv6)
  address, though Via/Contact/SDP say 127.0.0.1.
- No sound card in the container: "soundcard use files" plays the WAV given to "play" and
  records what is heard into the WAV given to "record" (8 kHz mono for G.711). The recorder's
  header declares its data size 44 bytes too long (hearing.py repairs that).
- `[sip] media_encryption=srtp` + `media_encryption_mandatory=1`: RTP/SAVP with SDES keys
  (AES_CM_128_HMAC_SHA1_80/_32, AES_256_CM_HMAC_SHA1_80/_32). A line of DTMF characters typed
  during a call sends them: RFC 4733 with `use_rfc2833=1`, SIP INFO with `use_info=1`.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

from loopback import HOST, free_udp_port, wait_until
from softphone_process import ManagedProcess, SoftphoneError

LINPHONEC = "linphonec"
SRTP_MODES = ("off", "optional", "mandatory")
DTMF_MODES = ("rfc4733", "info")

_CALL_LINE = re.compile(
    r"Call (?P<id>\d+) (?:with|to) (?P<peer>\S+) (?P<what>connected|ended|error|ringing|in progress|early media)"
    r"(?: \((?P<reason>[^)]*)\))?\."
)
_INCOMING = re.compile(r"Receiving new incoming call from (?P<peer>\S+), assigned id (?P<id>\d+)")
_OUTGOING = re.compile(r"Establishing call id to (?P<peer>\S+), assigned id (?P<id>\d+)")
_MEDIA = re.compile(r"Media streams established with (?P<peer>\S+) for call (?P<id>\d+)")
_TONE = re.compile(r"Receiving tone (?P<digit>\S) from (?P<peer>\S+)")


@dataclass(frozen=True)
class LinphoneAccount:
    """Who this linphonec is: `user` on `registrar` (host:port of the PBX) with `password`, or
    without a registrar (peer-to-peer) when registrar is None."""

    user: str
    registrar: str | None = None
    password: str | None = None
    srtp: str = "mandatory"
    dtmf: str = "rfc4733"
    auto_answer: bool = False

    def __post_init__(self) -> None:
        if not self.user or any(c in self.user for c in "@<>;: "):
            raise ValueError(f"bad SIP user {self.user!r}")
        if self.srtp not in SRTP_MODES:
            raise ValueError(f"srtp must be one of {SRTP_MODES}, not {self.srtp!r}")
        if self.dtmf not in DTMF_MODES:
            raise ValueError(f"dtmf must be one of {DTMF_MODES}, not {self.dtmf!r}")
        if self.registrar is not None and not self.password:
            raise ValueError(f"account {self.user} registers at {self.registrar} without a password")


@dataclass(frozen=True)
class ConsoleEvent:
    kind: str  # incoming, outgoing, connected, ended, error, ringing, in progress, early media, media, tone
    call_id: int | None
    peer: str
    detail: str | None
    t: float


class Linphonec:
    """One linphonec process; a context manager that stops it by its pid whatever happens."""

    def __init__(
        self,
        workdir: Path,
        account: LinphoneAccount,
        voice_loop: Path,
        *,
        name: str | None = None,
        sip_port: int | None = None,
        rtp_ports: tuple[int, int] = (15000, 17999),
    ) -> None:
        if not voice_loop.is_file():
            raise ValueError(f"no voice loop file {voice_loop}")
        self.name = name or account.user
        self.account = account
        self.voice_loop = voice_loop
        self.workdir = workdir
        self.home = workdir / "home"
        self.rc_path = workdir / "linphonerc"
        self.console_path = workdir / "linphonec.out"
        self.log_path = workdir / "linphonec.log"
        self.recording = workdir / "heard.wav"
        self.sip_port = sip_port if sip_port is not None else free_udp_port()
        self.rtp_ports = rtp_ports
        self._proc: ManagedProcess | None = None
        self._parsed = 0
        self._events: list[ConsoleEvent] = []

    @property
    def sip_address(self) -> str:
        return f"{HOST}:{self.sip_port}"

    def rc_text(self) -> str:
        a = self.account
        srtp = a.srtp != "off"
        sections: dict[str, dict[str, str]] = {
            "sip": {
                "sip_port": str(self.sip_port),
                "sip_tcp_port": "0",
                "sip_tls_port": "0",
                "bind_address": HOST,
                "guess_hostname": "0",
                "use_ipv6": "0",
                "contact": f'"{a.user}" <sip:{a.user}@{HOST}:{self.sip_port}>',
                "use_info": "1" if a.dtmf == "info" else "0",
                "use_rfc2833": "1" if a.dtmf == "rfc4733" else "0",
                "media_encryption": "srtp" if srtp else "none",
                "media_encryption_mandatory": "1" if a.srtp == "mandatory" else "0",
                "default_proxy": "0" if a.registrar else "-1",
                "register_only_when_network_is_up": "0",
            },
            "rtp": {
                "audio_rtp_port": f"{self.rtp_ports[0]}-{self.rtp_ports[1]}",
                "bind_address": HOST,
                "audio_jitt_comp": "60",
            },
            "sound": {"echocancellation": "0"},
            "video": {"capture": "0", "display": "0", "enabled": "0"},
            "misc": {"add_missing_audio_codecs": "0", "add_missing_video_codecs": "0"},
            "audio_codec_0": {"mime": "PCMU", "rate": "8000", "channels": "1", "enabled": "1"},
            "audio_codec_1": {"mime": "PCMA", "rate": "8000", "channels": "1", "enabled": "1"},
        }
        if a.registrar:
            sections["proxy_0"] = {
                "reg_proxy": f"<sip:{a.registrar};transport=udp>",
                "reg_identity": f'"{a.user}" <sip:{a.user}@{a.registrar}>',
                "reg_expires": "600",
                "reg_sendregister": "1",
                "publish": "0",
                "dial_escape_plus": "0",
            }
            sections["auth_info_0"] = {"username": a.user, "userid": a.user, "passwd": a.password or ""}
        return "".join(
            f"[{name}]\n" + "".join(f"{k}={v}\n" for k, v in body.items()) + "\n" for name, body in sections.items()
        )

    # ---- lifecycle -------------------------------------------------------------------------
    def start(self, timeout: float = 15.0) -> Linphonec:
        if self._proc is not None:
            raise SoftphoneError(f"{self.name}: already started")
        (self.home / ".local" / "share" / "linphone").mkdir(parents=True, exist_ok=True)
        self.rc_path.write_text(self.rc_text())
        argv = [LINPHONEC, "-c", str(self.rc_path), "-d", "6", "-l", str(self.log_path)]
        if self.account.auto_answer:
            argv.append("-a")
        env = {"HOME": str(self.home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
        self._proc = ManagedProcess(argv, self.console_path, cwd=self.workdir, env=env, stdin_pipe=True)
        try:
            wait_until(self._listening, timeout, f"{self.name}: linphonec listening on {self.sip_address}")
            self.send("soundcard use files")
            self.send(f"play {self.voice_loop}")
            self.send(f"record {self.recording}")
        except BaseException:
            self.stop()
            raise
        return self

    def _listening(self) -> bool:
        self._raise_if_dead()
        log = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "listening point" in log.lower() and f"{HOST}:{self.sip_port}" in log

    def stop(self) -> int | None:
        """Stops linphonec by its pid (SIGTERM, SIGKILL after 5 s); safe to call twice."""
        if self._proc is None:
            return None
        if self._proc.alive():
            try:
                self.send("terminate all")
                self.send("quit")
            except SoftphoneError:
                pass
            try:
                wait_until(lambda: not self._proc.alive(), 5, f"{self.name}: linphonec to quit")  # type: ignore[union-attr]
            except TimeoutError:
                pass
        return self._proc.stop()

    def __enter__(self) -> Linphonec:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def pid(self) -> int:
        if self._proc is None:
            raise SoftphoneError(f"{self.name}: not started")
        return self._proc.pid

    def _raise_if_dead(self) -> None:
        if self._proc is None:
            raise SoftphoneError(f"{self.name}: not started")
        if not self._proc.alive():
            raise SoftphoneError(
                f"{self.name}: linphonec exited with {self._proc.returncode}; console {self.console_path}:\n"
                + self._proc.log_tail()
            )

    def send(self, line: str) -> None:
        """One console command line."""
        self._raise_if_dead()
        assert self._proc is not None
        self._proc.write_line(line)

    # ---- console events --------------------------------------------------------------------
    def _parse(self) -> None:
        text = self.console_path.read_bytes().decode(errors="replace") if self.console_path.exists() else ""
        complete = text[: text.rfind("\n") + 1]
        now = time.monotonic()
        for line in complete[self._parsed :].splitlines():
            line = line.replace("linphonec> ", "")
            if m := _CALL_LINE.search(line):
                self._events.append(ConsoleEvent(m["what"], int(m["id"]), m["peer"], m["reason"], now))
            elif m := _INCOMING.search(line):
                self._events.append(ConsoleEvent("incoming", int(m["id"]), m["peer"], None, now))
            elif m := _OUTGOING.search(line):
                self._events.append(ConsoleEvent("outgoing", int(m["id"]), m["peer"], None, now))
            elif m := _MEDIA.search(line):
                self._events.append(ConsoleEvent("media", int(m["id"]), m["peer"], None, now))
            elif m := _TONE.search(line):
                self._events.append(ConsoleEvent("tone", None, m["peer"], m["digit"], now))
        self._parsed = len(complete)

    def events(self) -> list[ConsoleEvent]:
        self._parse()
        return list(self._events)

    def event_count(self) -> int:
        return len(self.events())

    def wait_event(self, kind: str, timeout: float = 10.0, since: int = 0) -> ConsoleEvent:
        """The first console event of `kind` from index `since` on; a call that ends or fails
        while waiting for "connected" fails at once."""

        def found() -> ConsoleEvent | None:
            self._raise_if_dead()
            for event in self.events()[since:]:
                if event.kind == kind:
                    return event
                if kind == "connected" and event.kind in ("ended", "error"):
                    raise SoftphoneError(f"{self.name}: call {event.call_id} {event.kind} ({event.detail}) before connecting")
            return None

        try:
            return wait_until(found, timeout, f"{self.name}: {kind}")
        except TimeoutError as e:
            seen = [(ev.kind, ev.call_id, ev.detail) for ev in self.events()[since:]]
            raise TimeoutError(f"{e}; console events: {seen}") from None

    # ---- operations ------------------------------------------------------------------------
    def registration_state(self) -> str:
        """The last registration state liblinphone logged: Ok, Failed, Progress, Cleared, None."""
        log = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        states = re.findall(r"to \[LinphoneRegistration(\w+)\]", log)
        return states[-1] if states else "None"

    def wait_registered(self, timeout: float = 10.0) -> None:
        if self.account.registrar is None:
            raise SoftphoneError(f"{self.name}: no registrar configured")

        def registered() -> bool:
            self._raise_if_dead()
            state = self.registration_state()
            if state.lower() == "failed":
                raise SoftphoneError(f"{self.name}: registration at {self.account.registrar} failed; log {self.log_path}")
            return state.lower() == "ok"

        wait_until(registered, timeout, f"{self.name}: registration at {self.account.registrar}", interval=0.1)

    def dial(self, uri: str) -> int:
        """Calls `uri` (full sip: URI); returns the event mark before the call."""
        if not uri.startswith("sip:"):
            raise ValueError(f"dial a full sip: URI, not {uri!r}")
        mark = self.event_count()
        self.send(f"call {uri} --audio-only")
        return mark

    def answer(self) -> None:
        self.send("answer")

    def hangup(self) -> None:
        self.send("terminate")

    def send_dtmf(self, digits: str) -> None:
        """Sends `digits` in the current call (RFC 4733 or SIP INFO, per account.dtmf)."""
        if not digits or any(d not in "0123456789*#ABCD" for d in digits):
            raise ValueError(f"not DTMF digits: {digits!r}")
        self.send(digits)

    def heard_samples(self) -> int:
        """Samples (8 kHz) in the recording so far: a mark for a phase boundary."""
        if not self.recording.exists():
            return 0
        return max(0, (self.recording.stat().st_size - 44) // 2)
