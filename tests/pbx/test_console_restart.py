"""The console across a PBX restart (docs/console.md): with console.logins_file the page reconnects
by itself, still logged in, and follows the new PBX's calls live; a logout survives the restart
too. Headless chromium as in test_console_browser.py."""

from __future__ import annotations

import json
from pathlib import Path

from selenium.webdriver.common.by import By

from console_client import Console
from console_fixtures import ConsolePbx, ConsoleSipp, console_config, requires_pbx
from test_console_browser import browser, log_in, row, until

pytestmark = requires_pbx


def connection(driver: object) -> str:
    return str(driver.find_element(By.ID, "connection").text.strip())  # type: ignore[attr-defined]


def test_the_page_reconnects_logged_in_after_a_restart(tmp_path: Path, trunk_port: int) -> None:
    logins = tmp_path / "console-logins.json"
    config = console_config(tmp_path, trunk_port, logins_file=str(logins))
    pbx = ConsolePbx(tmp_path / "pbx", config)
    pbx.start()
    try:
        with browser(tmp_path / "browser-700") as page:
            log_in(page, pbx.url, "700", "supervisor-view")
            cookie = page.get_cookie("callsup_session")
            assert cookie is not None
            stored = json.loads(logins.read_text())["logins"]
            assert [entry["extension"] for entry in stored] == ["700"]
            assert cookie["value"] not in logins.read_text(), "the file holds the token itself"

            pbx.stop()
            until(page, lambda d: connection(d) != "live", "#connection leaving live when the PBX stops")
            pbx.start()
            until(page, lambda d: connection(d) == "live", "#connection live again after the restart", timeout=30)
            assert page.find_element(By.ID, "supervisor-view").is_displayed()
            assert not page.find_element(By.ID, "login-extension").is_displayed(), "asked to log in again"

            # the new PBX's events reach the reconnected page
            with ConsoleSipp(pbx, tmp_path) as sipp:
                call = pbx.call_from_trunk(sipp, trunk_port)
                until(page, lambda d: d.find_element(By.CSS_SELECTOR, row(call)).is_displayed(),
                      f"{call} appearing live after the restart")

        old = Console(pbx.url)
        old.cookies["callsup_session"] = str(cookie["value"])
        me = old.me()
        assert me.status == 200, old.last
        old.csrf_token = str(me.json()["csrf_token"])  # the same CSRF token as before the restart
        assert old.logout().status == 200, old.last
        pbx.stop()
        pbx.start()
        assert old.me().status == 401, "a logout must survive a restart"
        assert json.loads(logins.read_text())["logins"] == []
    finally:
        pbx.stop()
