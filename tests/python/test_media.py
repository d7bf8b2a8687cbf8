# Over 400 lines: from lifecycle to an end-to-end call, sharing the phone helpers a split would
# repeat.
"""The media plane from Python: the engine's lifecycle, bad configurations, codecs and SRTP
keys, DTMF handlers and their threads, and an end-to-end supervised call over loopback UDP
whose received audio says who hears whom (the Python twin of
tests/integration/test_supervision_media.cpp)."""

from __future__ import annotations

import array
import copy
import pickle
import socket
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import callsup
from callsup import (
    CodecSpec,
    EndpointConfig,
    ErrorCode,
    MediaEngine,
    MediaEngineConfig,
    Mode,
    MonitoringToneConfig,
    SocketAddress,
    SocketMode,
    SrtpKeyMaterial,
    SrtpSuite,
)
from callsup.rtp_phone import RtpPhone
from media_support import Phones, eventually, heard_as, thread_name
from supervision_world import Acme

PACKAGE_ROOT = Path(__file__).resolve().parents[2]


def one_thread(**changes: Any) -> MediaEngineConfig:
    return MediaEngineConfig(threads=1, **changes)


def peer(port: int = 40000) -> EndpointConfig:
    return EndpointConfig(remote=SocketAddress("127.0.0.1", port))


# --- lifecycle ----------------------------------------------------------------------------


def test_engine_runs_inside_with_and_stops_on_exit() -> None:
    with MediaEngine(MediaEngineConfig(threads=2)) as engine:
        assert engine.thread_count == 2
        assert not engine.stopped
        addresses = engine.shared_addresses
        assert len(addresses) == 2
        assert all(a.ip == "127.0.0.1" and a.port > 0 for a in addresses)
        assert addresses[0].port != addresses[1].port
        assert "running" in repr(engine) and str(addresses[0]) in repr(engine)
        endpoint = engine.add_endpoint("c1", "a", peer())
        assert endpoint.attached
    assert engine.stopped
    assert "stopped" in repr(engine)
    assert not endpoint.attached  # stopping detaches, the handle stays readable
    assert endpoint.stats().packets_in == 0
    engine.stop()  # idempotent
    with pytest.raises(callsup.InvalidArgumentError, match="stopped"):
        engine.add_endpoint("c1", "b", peer())


def test_with_block_stops_the_engine_when_the_body_raises() -> None:
    with pytest.raises(KeyError):
        with MediaEngine(one_thread()) as engine:
            raise KeyError("boom")
    assert engine.stopped


def test_config_is_kept_as_given_and_threads_zero_means_one_per_core() -> None:
    config = MediaEngineConfig(threads=0, ptime_ms=40, jitter_max_depth=6)
    with MediaEngine(config) as engine:
        assert engine.config == config
        assert engine.thread_count >= 1
    assert pickle.loads(pickle.dumps(config)) == config


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"ptime_ms": 25}, "ptime_ms 25"),
        ({"threads": 1000}, "threads 1000"),
        ({"jitter_max_depth": 0}, "jitter_max_depth 0"),
        ({"port_min": 30000, "port_max": 20000}, "30000-20000"),
        ({"socket_buffer_bytes": 0}, "socket_buffer_bytes 0"),
        ({"shared_port_base": 65535, "threads": 2}, "shared_port_base 65535"),
        ({"monitoring_tone": MonitoringToneConfig(beep_ms=-5)}, "-5"),
    ],
)
def test_bad_engine_config_raises_naming_the_value(changes: dict[str, Any], named: str) -> None:
    with pytest.raises(callsup.InvalidArgumentError) as raised:
        MediaEngine(MediaEngineConfig(**changes))
    assert named in str(raised.value)
    assert raised.value.code == ErrorCode.invalid_argument
    assert isinstance(raised.value, ValueError)


def test_values_outside_their_c_types_raise_type_error_naming_them() -> None:
    with pytest.raises(TypeError, match="70000"):
        SocketAddress("127.0.0.1", 70000)
    with pytest.raises(TypeError, match="-1"):
        MediaEngineConfig(threads=-1)
    with pytest.raises(TypeError):
        MediaEngine("threads=1")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="make_codec"):
        callsup.Codec()
    with pytest.raises(TypeError, match="add_endpoint"):
        callsup.RtpEndpoint()


def test_shared_port_in_use_is_an_io_error() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as taken:
        taken.bind(("127.0.0.1", 0))
        port = taken.getsockname()[1]
        with pytest.raises(callsup.Error) as raised:
            MediaEngine(one_thread(shared_port_base=port))
    assert raised.value.code == ErrorCode.io_error
    assert str(port) in str(raised.value)


# --- endpoints ----------------------------------------------------------------------------


def test_endpoints_shared_and_dedicated() -> None:
    with MediaEngine(one_thread(port_min=31000, port_max=31999)) as engine:
        shared = engine.add_endpoint("c1", "a", EndpointConfig(remote=SocketAddress("127.0.0.1", 4000), local_ssrc=77))
        assert shared.leg == "a" and shared.media_group == "c1"
        assert shared.local_address == engine.shared_addresses[0]
        assert shared.remote == SocketAddress("127.0.0.1", 4000)
        assert shared.ssrc == 77
        assert shared.config.remote == SocketAddress("127.0.0.1", 4000)
        own = engine.add_endpoint("c1", "b", EndpointConfig(socket=SocketMode.dedicated, remote_ssrc=5))
        assert 31000 <= own.local_address.port <= 31999
        assert own.remote is None  # learnt from the first packet
        assert repr(engine.endpoint("b")) == repr(own)
        assert "leg='b'" in repr(own) and "attached" in repr(own)
        engine.remove_endpoint("b")
        assert not own.attached
        assert engine.endpoint("b") is None
        engine.remove_endpoint("never-added")  # ignored


def test_add_endpoint_errors_name_the_leg_or_value() -> None:
    with MediaEngine(one_thread()) as engine:
        engine.add_endpoint("c1", "a", peer())
        with pytest.raises(callsup.Error, match="'a'") as duplicate:
            engine.add_endpoint("c1", "a", peer())
        assert duplicate.value.code == ErrorCode.duplicate_id
        with pytest.raises(callsup.InvalidArgumentError, match="'b'"):
            engine.add_endpoint("c1", "b", EndpointConfig())  # shared socket, no peer to tell it by
        with pytest.raises(callsup.InvalidArgumentError, match="G729"):
            engine.add_endpoint("c1", "c", EndpointConfig(remote=SocketAddress("127.0.0.1", 1), codec=CodecSpec("G729")))
        keys = callsup.key_material(callsup.make_sdes_crypto(SrtpSuite.aes_cm_128_hmac_sha1_80))
        with pytest.raises(callsup.InvalidArgumentError):
            engine.add_endpoint("c1", "d", EndpointConfig(remote=SocketAddress("127.0.0.1", 1), srtp_send=keys))
        with pytest.raises(callsup.InvalidArgumentError, match="empty"):
            engine.add_endpoint("c1", "", peer())


def test_send_dtmf_rejects_what_it_cannot_send() -> None:
    with MediaEngine(one_thread()) as engine:
        endpoint = engine.add_endpoint("c1", "a", peer())
        with pytest.raises(callsup.InvalidArgumentError, match="'x'"):
            endpoint.send_dtmf("1x")
        with pytest.raises(callsup.InvalidArgumentError, match="10 ms"):
            endpoint.send_dtmf("1", duration_ms=10)
        silent = engine.add_endpoint("c1", "b", EndpointConfig(remote=SocketAddress("127.0.0.1", 2), telephone_event_payload_type=-1))
        with pytest.raises(callsup.InvalidArgumentError, match="telephone-event"):
            silent.send_dtmf("1")


def test_digits_sent_by_an_endpoint_reach_its_phone() -> None:
    with MediaEngine(one_thread()) as engine, RtpPhone("phone", 1000) as phone:
        endpoint = engine.add_endpoint("c1", "a", EndpointConfig(remote=SocketAddress(*phone.address)))
        endpoint.send_dtmf("*81", duration_ms=60)
        assert eventually(lambda: phone.digits_received == "*81")
        assert eventually(lambda: endpoint.stats().dtmf_digits_out == 3)


def strength_at(samples: list[int], hz: float) -> float:
    """The amplitude spectrum of `samples` (8 kHz) at `hz`, relative to its strongest bin."""
    spectrum = np.abs(np.fft.rfft(np.asarray(samples, dtype=float)))
    return float(spectrum[int(round(hz * len(samples) / 8000))] / max(spectrum.max(), 1e-9))


def test_a_beep_is_heard_by_its_leg_alone() -> None:
    with MediaEngine(one_thread()) as engine, RtpPhone("talker", 1000) as talker, RtpPhone("ear", 500) as ear:
        # RtpPhone sends a constant level: 1000 from the talker, 500 from the ear
        speaking = engine.add_endpoint("b1", "talker", EndpointConfig(remote=SocketAddress(*talker.address)))
        hearing = engine.add_endpoint("b1", "ear", EndpointConfig(remote=SocketAddress(*ear.address)))
        talker.connect(speaking.local_address.as_tuple())
        ear.connect(hearing.local_address.as_tuple())
        engine.update_routes(callsup.RouteSet("b1", 1, [callsup.Route(from_leg="talker", to="ear"),
                                                        callsup.Route(from_leg="ear", to="talker")]))
        with pytest.raises(callsup.InvalidArgumentError, match="duration_ms 5"):
            hearing.play_beep(duration_ms=5)
        assert eventually(lambda: ear.packets_received >= 10)
        ear.clear()
        talker.clear()
        hearing.play_beep(frequency_hz=2000, duration_ms=2000)
        assert eventually(lambda: len(ear.recording()) >= 8000 and len(talker.recording()) >= 8000)
        heard, other = ear.recording()[:8000], talker.recording()[:8000]
        assert strength_at(heard, 2000) > 0.3  # the beep...
        assert abs(float(np.mean(heard)) - 1000) < 50  # ...over the talker (a constant level 1000)
        assert strength_at(other, 2000) < 0.01 and abs(float(np.mean(other)) - 500) < 50  # no beep there


def test_rekey_needs_an_srtp_leg() -> None:
    keys = callsup.key_material(callsup.make_sdes_crypto(SrtpSuite.aes_cm_128_hmac_sha1_80))
    with MediaEngine(one_thread()) as engine:
        plain = engine.add_endpoint("k1", "plain", peer())
        with pytest.raises(callsup.InvalidArgumentError, match="without SRTP"):
            plain.rekey(keys, keys)
        secure = engine.add_endpoint("k1", "secure", EndpointConfig(remote=SocketAddress("127.0.0.1", 2),
                                                                    srtp_receive=keys, srtp_send=keys))
        secure.rekey(keys, keys)  # what it does to packets: tests/unit/test_media_engine_packets.cpp
        assert secure.attached


def test_plain_rtp_to_an_srtp_leg_is_counted_as_auth_fail_and_not_heard() -> None:
    keys = callsup.key_material(callsup.make_sdes_crypto(SrtpSuite.aes_cm_128_hmac_sha1_80))
    with MediaEngine(one_thread()) as engine, RtpPhone("plain", 3000) as plain, RtpPhone("ear", 1000) as ear:
        secure = engine.add_endpoint(
            "s1",
            "plain",
            EndpointConfig(
                remote=SocketAddress(*plain.address), remote_ssrc=plain.ssrc, srtp_receive=keys, srtp_send=keys
            ),
        )
        listener = engine.add_endpoint("s1", "ear", EndpointConfig(remote=SocketAddress(*ear.address), remote_ssrc=ear.ssrc))
        plain.connect(secure.local_address.as_tuple())
        ear.connect(listener.local_address.as_tuple())
        engine.update_routes(callsup.RouteSet("s1", 1, [callsup.Route(from_leg="plain", to="ear")]))
        assert eventually(lambda: secure.stats().auth_fail >= 10)
        assert eventually(lambda: ear.packets_received >= 10)  # the engine sends it silence
        ear.clear()
        assert eventually(lambda: len(ear.recording()) >= 800)
        assert ear.heard_level() == 0
        assert secure.stats().packets_in == 0


# --- codecs and SRTP keys -------------------------------------------------------------------


def test_pcmu_and_pcma_match_g711() -> None:
    pcmu = callsup.make_codec("PCMU")
    assert (pcmu.name, pcmu.clock_rate, pcmu.channels, pcmu.payload_type) == ("PCMU", 8000, 1, 0)
    assert pcmu.encode([0, 0]) == b"\xff\xff"  # µ-law zero is 0xFF
    assert list(pcmu.decode(b"\x00\x80")) == [-32124, 32124]
    pcma = callsup.make_codec(CodecSpec("pcma"))
    assert pcma.payload_type == 8
    assert pcma.encode([0]) == b"\xd5"  # A-law zero is 0xD5
    assert repr(pcmu) == "Codec(PCMU/8000, payload_type=0)"


def test_codec_takes_buffers_in_place_and_sequences() -> None:
    l16 = callsup.make_codec("L16/16000")
    samples = [0, 1, -1, 32767, -32768, 1234]
    expected = l16.encode(samples)
    assert l16.encode(array.array("h", samples)) == expected
    assert l16.encode(np.array(samples, dtype=np.int16)) == expected
    assert l16.encode(memoryview(array.array("h", samples))) == expected
    assert list(l16.decode(expected)) == samples  # L16 is lossless
    decoded = l16.decode(bytearray(expected))
    assert isinstance(decoded, array.array) and decoded.typecode == "h"
    assert np.array_equal(np.frombuffer(decoded, dtype=np.int16), samples)


def test_codec_rejects_bad_pcm_naming_it() -> None:
    pcmu = callsup.make_codec("PCMU")
    with pytest.raises(ValueError, match="sample 1 is 40000"):
        pcmu.encode([0, 40000])
    with pytest.raises(TypeError, match="'d'"):
        pcmu.encode(np.zeros(4, dtype=np.float64))
    with pytest.raises(TypeError, match="2 dimension"):
        pcmu.encode(np.zeros((2, 2), dtype=np.int16))
    with pytest.raises(callsup.InvalidArgumentError, match="G729"):
        callsup.make_codec("G729")
    with pytest.raises(callsup.InvalidArgumentError, match="12345"):
        callsup.make_codec("L16/12345")
    with pytest.raises(TypeError, match="CodecSpec or an rtpmap"):
        callsup.make_codec(8000)  # type: ignore[arg-type]


def test_parse_rtpmap() -> None:
    assert callsup.parse_rtpmap("L16/48000/2") == CodecSpec("L16", 48000, 2, -1)
    assert callsup.parse_rtpmap("PCMA") == CodecSpec("PCMA", 8000, 1, -1)
    with pytest.raises(callsup.InvalidArgumentError, match="L16/abc"):
        callsup.parse_rtpmap("L16/abc")


def test_sdes_round_trip_keeps_keys_out_of_reprs() -> None:
    offer = callsup.make_sdes_crypto(SrtpSuite.aead_aes_128_gcm, tag=7)
    assert offer.tag == 7 and offer.suite == SrtpSuite.aead_aes_128_gcm
    assert (len(offer.master_key), len(offer.master_salt)) == (16, 12)
    line = callsup.format_sdes_crypto(offer)
    assert line.startswith("a=crypto:7 AEAD_AES_128_GCM inline:")
    assert callsup.parse_sdes_crypto(line + "\r\n") == offer
    assert offer.master_key.hex() not in repr(offer)
    assert "<16 bytes>" in repr(offer)
    keys = callsup.key_material(offer)
    assert keys == SrtpKeyMaterial(SrtpSuite.aead_aes_128_gcm, offer.master_key, offer.master_salt)
    assert keys.master_key.hex() not in repr(keys)
    assert pickle.loads(pickle.dumps(keys)) == keys
    assert copy.deepcopy(offer) == offer


def test_sdes_errors_name_the_bad_part() -> None:
    with pytest.raises(callsup.InvalidArgumentError, match="AES_CM_999"):
        callsup.parse_sdes_crypto("a=crypto:1 AES_CM_999 inline:AAAA")
    parsed = callsup.parse_sdes_crypto(
        "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:4 KDR=1"
    )
    assert (parsed.lifetime, parsed.mki_value, parsed.mki_length) == (2**20, 1, 4)
    assert parsed.session_params == ("KDR=1",)
    with pytest.raises(callsup.InvalidArgumentError, match="KDR"):
        callsup.key_material(parsed)


def test_srtp_backend_reports_the_linked_crypto() -> None:
    backend = callsup.srtp_backend()
    assert backend.library.startswith("libsrtp2")
    assert "OpenSSL" in backend.crypto


# --- DTMF handlers ---------------------------------------------------------------------------


def test_dtmf_handlers_run_on_the_control_thread(unraisable: list[Any]) -> None:
    received: list[tuple[str, str, str]] = []

    def failing(param: MediaEngine.OnDtmfParam) -> None:
        raise RuntimeError(f"handler failed on {param.digit}")

    def flushing(param: MediaEngine.OnDtmfParam) -> None:
        try:
            engine.flush_control()
        except RuntimeError as error:
            received.append((param.leg, "flush refused", str(error)))

    with MediaEngine(one_thread()) as engine, RtpPhone("phone", 1000) as phone:
        endpoint = engine.add_endpoint("c1", "a", EndpointConfig(remote=SocketAddress(*phone.address), remote_ssrc=phone.ssrc))
        phone.connect(endpoint.local_address.as_tuple())
        engine.on_dtmf(failing)
        recording = engine.on_dtmf(lambda p: received.append((p.leg, p.digit, thread_name())))
        engine.on_dtmf(flushing)
        phone.send_dtmf("5#")
        assert eventually(lambda: endpoint.stats().dtmf_digits_in == 2)
        engine.flush_control()
        recording.close()  # no digit reaches it any more
        phone.send_dtmf("7")
        assert eventually(lambda: endpoint.stats().dtmf_digits_in == 3)
        engine.flush_control()
    digits = [r for r in received if r[1] != "flush refused"]
    assert digits == [("a", "5", "callsup-control"), ("a", "#", "callsup-control")]
    refusals = [r for r in received if r[1] == "flush refused"]
    assert len(refusals) == 3 and "would wait for its own thread" in refusals[0][2]  # 5, # and 7
    # The failing handler went to sys.unraisablehook, twice, and stopped nothing.
    assert [str(u.exc_value) for u in unraisable] == [
        "handler failed on 5",
        "handler failed on #",
        "handler failed on 7",
    ]


def run_python(script: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=PACKAGE_ROOT / "tests" / "python",
    )


def test_stopping_while_a_handler_waits_for_the_gil_does_not_deadlock() -> None:
    # The main thread holds the GIL while the control thread's handler wants it; stop() and
    # the engine's destruction must let go of it while they join threads.
    result = run_python(
        """
        import time, callsup
        from callsup.rtp_phone import RtpPhone
        from media_support import eventually
        engine = callsup.MediaEngine(callsup.MediaEngineConfig(threads=1))
        seen = []
        engine.on_dtmf(lambda p: (time.sleep(0.05), seen.append(p.digit)))
        with RtpPhone("p", 1000) as phone:
            ep = engine.add_endpoint("c", "a", callsup.EndpointConfig(
                remote=callsup.SocketAddress(*phone.address), remote_ssrc=phone.ssrc))
            phone.connect(ep.local_address.as_tuple())
            phone.send_dtmf("123")
            assert eventually(lambda: ep.stats().dtmf_digits_in >= 1)
            end = time.monotonic() + 0.2
            while time.monotonic() < end:  # hold the GIL as Python code does
                sum(range(1000))
            engine.stop()
            del engine
        print("done", "".join(seen))
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("done 1")


def test_dropping_the_engine_from_its_own_dtmf_handler_is_safe() -> None:
    result = run_python(
        """
        import gc, threading, weakref, callsup
        from callsup.rtp_phone import RtpPhone
        from media_support import eventually
        holder = [callsup.MediaEngine(callsup.MediaEngineConfig(threads=1))]
        done = threading.Event()
        class Drop:
            def __call__(self, param):
                holder.clear()  # the last reference: destroyed while its control thread runs this
                gc.collect()
                done.set()
        drop = Drop()
        handler_alive = weakref.ref(drop)
        holder[0].on_dtmf(drop)
        del drop
        with RtpPhone("p", 1000) as phone:
            ep = holder[0].add_endpoint("c", "a", callsup.EndpointConfig(
                remote=callsup.SocketAddress(*phone.address), remote_ssrc=phone.ssrc))
            phone.connect(ep.local_address.as_tuple())
            phone.send_dtmf("9")
            assert done.wait(10)
        # The engine is destroyed on another thread; its handlers go last.
        assert eventually(lambda: handler_alive() is None)
        assert not ep.attached
        print("survived")
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "survived"


def test_exiting_with_a_running_engine_and_a_python_mixer_is_clean() -> None:
    # Nothing is stopped by hand: the exit hook stops the engine and delivers the digits
    # already received before Python goes, while a Python mixer is mixing every tick.
    result = run_python(
        """
        import time, callsup
        from callsup.rtp_phone import RtpPhone
        from media_support import eventually

        class Mixer(callsup.MixerBackend):
            def __init__(self):
                super().__init__(mixes_audio=True)
            def on_routes(self, routes):
                time.sleep(0.01)
            def mix(self, plan, frames):
                for listener in plan.listeners:
                    if frames.outputs[listener.slot] is not None:
                        frames.produced[listener.slot] = 1

        mixer = Mixer()
        engine = callsup.MediaEngine(callsup.MediaEngineConfig(threads=1, mixer=mixer))
        engine.on_dtmf(lambda p: (time.sleep(0.05), print("digit", p.digit, flush=True)))
        phones = [RtpPhone(name, 1000).start() for name in ("a", "b")]
        for phone in phones:
            ep = engine.add_endpoint("c", phone.name, callsup.EndpointConfig(
                remote=callsup.SocketAddress(*phone.address), remote_ssrc=phone.ssrc))
            phone.connect(ep.local_address.as_tuple())
        both_ways = [callsup.Route(from_leg="a", to="b", gain=0.5), callsup.Route(from_leg="b", to="a", gain=0.5)]
        engine.update_routes(callsup.RouteSet("c", 1, both_ways))
        phones[0].send_dtmf("7")
        assert eventually(lambda: mixer.mixed_ticks > 5 and engine.endpoint("a").stats().dtmf_digits_in == 1)
        print("exiting", flush=True)
        """
    )
    assert result.returncode == 0, result.stderr
    assert "exiting" in result.stdout and "digit 7" in result.stdout
    assert result.stderr == ""


# --- end to end: a supervised call over loopback UDP ----------------------------------------

PARTIES = {"customer": ("customer", 1000), "agent": ("agent", 2000), "supervisor": ("sup700", 4000)}


def test_supervised_call_who_hears_whom_from_the_audio() -> None:
    world = Acme()
    digits: list[tuple[str, str]] = []
    with MediaEngine(MediaEngineConfig(threads=2)) as engine, callsup.connect_media(world.service, engine):
        engine.on_dtmf(lambda p: digits.append((p.leg, p.digit)))
        world.external_call("c1", "744", "customer", "agent")
        world.supervisor_call("sc", "sup700", "700")
        phones = Phones(engine, "c1", PARTIES)
        try:
            before = heard_as(customer={"agent"}, agent={"customer"}, supervisor=set())
            assert phones.settle_on(before) == before

            started = world.service.dial("sup700", "700", "*90744")
            assert started.status == callsup.StartOutcome.Status.started
            listen = heard_as(customer={"agent"}, agent={"customer"}, supervisor={"customer", "agent"})
            assert phones.settle_on(listen) == listen

            phones["supervisor"].send_dtmf("1")  # RFC 4733 from the supervisor's phone: whisper
            assert eventually(lambda: world.info(started.session).mode == Mode.whisper)
            whisper = heard_as(customer={"agent"}, agent={"customer", "supervisor"}, supervisor={"customer", "agent"})
            assert phones.settle_on(whisper) == whisper

            world.service.switch_mode(started.session, Mode.barge)
            barge = heard_as(
                customer={"agent", "supervisor"}, agent={"customer", "supervisor"}, supervisor={"customer", "agent"}
            )
            assert phones.settle_on(barge) == barge

            assert world.service.stop(started.session)
            assert phones.settle_on(before) == before
        finally:
            phones.stop()
        engine.flush_control()
        assert digits == [("sup700", "1")]
        for name, endpoint in phones.endpoints.items():
            stats = endpoint.stats()
            assert stats.packets_in > 0 and stats.packets_out > 0, name
            assert (stats.malformed, stats.unexpected_source, stats.auth_fail) == (0, 0, 0), name
        assert phones.endpoints["supervisor"].stats().dtmf_digits_in == 1
        total = engine.stats().total
        assert total.legs == 3 and total.ticks > 0 and total.unknown_source == 0
        assert len(engine.stats().threads) == 2


def test_digits_stop_reaching_a_closed_service() -> None:
    world = Acme()
    with MediaEngine(one_thread()) as engine, callsup.connect_media(world.service, engine):
        world.external_call("c1", "744", "customer", "agent")
        world.supervisor_call("sc", "sup700", "700")
        phones = Phones(engine, "c1", {"supervisor": ("sup700", 4000)})
        try:
            started = world.service.dial("sup700", "700", "*90744")
            world.service.close()
            phones["supervisor"].send_dtmf("2")
            endpoint = phones.endpoints["supervisor"]
            assert eventually(lambda: endpoint.stats().dtmf_digits_in == 1)
            engine.flush_control()  # the digit was handed over and dropped: no crash, no error
            assert started.ok
            assert world.events.of_kind(callsup.EventKind.mode_changed) == []
        finally:
            phones.stop()


def test_closing_the_connection_stops_digits_and_routes() -> None:
    world = Acme()
    with MediaEngine(one_thread()) as engine:
        media = callsup.connect_media(world.service, engine)
        assert media.connected and "connected" in repr(media)
        world.external_call("c1", "744", "customer", "agent")
        world.supervisor_call("sc", "sup700", "700")
        phones = Phones(engine, "c1", {"supervisor": ("sup700", 4000)})
        try:
            started = world.service.dial("sup700", "700", "*90744")
            endpoint = phones.endpoints["supervisor"]
            phones["supervisor"].send_dtmf("1")  # connected: whisper
            assert eventually(lambda: world.info(started.session).mode == Mode.whisper)
            media.close()
            assert not media.connected
            media.close()  # twice: harmless
            phones["supervisor"].send_dtmf("2")  # disconnected: no barge
            assert eventually(lambda: endpoint.stats().dtmf_digits_in == 2)
            engine.flush_control()
            assert world.info(started.session).mode == Mode.whisper
        finally:
            phones.stop()


def test_connect_to_a_closed_service_raises() -> None:
    world = Acme()
    world.service.close()
    with MediaEngine(one_thread()) as engine:
        with pytest.raises(RuntimeError, match="closed"):
            callsup.connect_media(world.service, engine)


def test_threads_of_the_engine_never_run_python() -> None:
    # Everything Python saw came from the main thread or the control thread.
    seen: set[str] = set()
    world = Acme()
    world.service.add_route_observer(lambda routes: seen.add(thread_name()))
    with MediaEngine(one_thread()) as engine, callsup.connect_media(world.service, engine):
        engine.on_dtmf(lambda p: seen.add(thread_name()))
        world.external_call("c1", "744", "customer", "agent")
        phones = Phones(engine, "c1", {"agent": ("agent", 2000)})
        try:
            phones["agent"].send_dtmf("3")
            assert eventually(lambda: phones.endpoints["agent"].stats().dtmf_digits_in == 1)
            engine.flush_control()
        finally:
            phones.stop()
    assert "callsup-control" in seen
    assert not any(name.startswith("callsup-media") for name in seen), seen
    assert threading.current_thread() is threading.main_thread()
