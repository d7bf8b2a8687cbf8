"""The console's files as installed: `cmake --install build/dev --component pbx` puts callsup-pbx in
bin/ and the page in share/callsup/console, and the installed binary serves that copy (not the
source tree's), found from its own location whatever the working directory."""

from __future__ import annotations

import subprocess
import urllib.request
from pathlib import Path

import pytest

from pbx_process import PBX_BINARY, REPO, PbxProcess, free_port_block, pbx_config

BUILD = PBX_BINARY.parent.parent


@pytest.mark.skipif(not (BUILD / "CMakeCache.txt").is_file(), reason=f"{BUILD} is not a CMake build tree")
def test_installed_pbx_serves_its_installed_page(tmp_path: Path) -> None:
    prefix = tmp_path / "prefix"
    installed = subprocess.run(
        ["cmake", "--install", str(BUILD), "--component", "pbx", "--prefix", str(prefix)],
        capture_output=True, text=True, timeout=120,
    )
    assert installed.returncode == 0, installed.stderr
    binary = prefix / "bin" / "callsup-pbx"
    index = prefix / "share" / "callsup" / "console" / "index.html"
    assert binary.is_file() and index.is_file()
    source_index = REPO / "examples" / "pbx" / "console" / "web" / "index.html"
    assert index.read_bytes() == source_index.read_bytes()
    index.write_text(index.read_text().replace("<title>", "<title>installed copy: "))  # tells the copies apart

    sip = free_port_block(1, tcp=True)
    rtp = free_port_block(10)
    console = free_port_block(1, tcp=True)
    config = pbx_config(sip_port=sip, rtp_ports=(rtp, rtp + 9), audit_log=tmp_path / "audit.jsonl")
    config["console"] = {"listen": f"127.0.0.1:{console}"}
    with PbxProcess(tmp_path / "run", config, binary=binary) as pbx:
        with urllib.request.urlopen(f"http://127.0.0.1:{console}/", timeout=5) as answer:
            page = answer.read().decode()
        assert "installed copy: " in page
        assert str(prefix / "share" / "callsup" / "console") in pbx.log_text()
