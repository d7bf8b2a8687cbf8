"""The console's files and headers (docs/console.md, "Security decisions"): the page is served with
a Content-Security-Policy and friends, nothing outside the web root is reachable, unknown paths
and methods get their 4xx, and the page loads nothing from another origin (offline)."""

from __future__ import annotations

import re

from console_client import Console
from console_fixtures import ConsolePbx, console_pbx, requires_pbx  # noqa: F401 - fixtures
from pbx_process import REPO

pytestmark = requires_pbx

WEB = REPO / "examples" / "pbx" / "console" / "web"


def test_the_page_comes_with_its_security_headers(console_pbx: ConsolePbx) -> None:  # noqa: F811
    page = Console(console_pbx.url).request("GET", "/")
    assert page.status == 200 and (page.header("Content-Type") or "").startswith("text/html"), page.describe()
    assert "default-src 'self'" in (page.header("Content-Security-Policy") or ""), page.describe()
    assert (page.header("X-Content-Type-Options") or "") == "nosniff"
    assert (page.header("X-Frame-Options") or "") == "DENY"
    assert page.body == (WEB / "index.html").read_bytes()
    module = Console(console_pbx.url).request("GET", "/js/main.js")
    assert module.status == 200 and (module.header("Content-Type") or "").startswith("text/javascript"), module.describe()


def test_nothing_outside_the_web_root_is_served(console_pbx: ConsolePbx) -> None:  # noqa: F811
    client = Console(console_pbx.url)
    for path in ("/../config.cpp", "/js/../../config.cpp", "/%2e%2e/config.cpp", "/.hidden", "/js/.x",
                 "//etc/passwd", "/index.html%00.js", "/no-such-file.html", "/js/"):
        answer = client.request("GET", path)
        assert answer.status == 404, f"{path}: {answer.describe()}"
        assert "error" in answer.json(), answer.describe()
    assert client.request("POST", "/", body=b"").status == 405
    assert client.request("DELETE", "/index.html").status == 405


def test_unknown_endpoints_and_methods(console_pbx: ConsolePbx) -> None:  # noqa: F811
    client = console_pbx.login("700")
    missing = client.request("GET", "/api/nothing")
    assert missing.status == 404 and "/api/nothing" in missing.error, missing.describe()
    assert client.request("GET", "/api/login").status == 405
    assert client.request("PUT", "/api/calls").status == 405
    big = client.request("GET", "/api/me", headers={"X-Padding": "x" * 20000})
    assert big.status == 431, big.describe()
    assert client.me().status == 200, "the console still answers after the oversized header"


def test_the_page_loads_nothing_from_elsewhere() -> None:
    for file in sorted(WEB.rglob("*")):
        if file.suffix not in (".html", ".css", ".js"):
            continue
        text = file.read_text()
        remote = re.findall(r"""(?:src|href|url|import|from)[ \t]*[=(]?[ \t]*["']?(?:https?:)?//""", text)
        assert not remote, f"{file.relative_to(REPO)} loads from another origin: {remote}"
