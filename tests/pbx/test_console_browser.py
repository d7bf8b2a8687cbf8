"""The supervisor console's scenario in a real browser (Debian chromium, headless, driven by
Selenium through chromedriver) against a real callsup-pbx with real baresip phones, SRTP
mandatory, everything on 127.0.0.1.

A customer on the trunk calls agent 744 (baresip, auto-answer). Supervisor 700 logs in to the
console, sees 744's call and clicks Listen: the PBX calls 700's own baresip phone (auto-answer)
and the session starts in listen (audited with channel web); then Whisper, then Join. In each
phase who heard whom is measured from the three phones' recordings and must be DESIGN.md's
table (test_baresip_supervision's EXPECTED). Agent 744's page, in another browser, names the
supervisor while whispering and joined; globex's supervisor 800 does not see the call and a
forged API request for it is refused (403, audited); tenant admin 790 sees the call and the
audit trail. Screenshots of each view land in build/console-screenshots/.

Run: .venv/bin/pytest tests/pbx/test_console_browser.py"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from console_client import Console
from console_fixtures import ConsolePbx, console_pbx, find_call, requires_pbx  # noqa: F401 - a fixture
from pbx_process import REPO, WEB_PASSWORDS, PbxProcess, free_port_block, pbx_config
from softphone_fixtures import require_program, voice_loops, voices  # noqa: F401 - fixtures
from softphones import Baresip
from supervised_pbx import SupervisedPbx, rtp_port_block
from test_baresip_supervision import (  # noqa: F401 - customer and trunk_port are fixtures
    SRTP_SUITE,
    PhaseMarks,
    Phone,
    connect_customer_to_agent,
    customer,
    judge,
    record_phase,
    registered_baresip,
    trunk_port,
)

pytestmark = requires_pbx

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
SCREENSHOTS = REPO / "build" / "console-screenshots"
WAIT = 15.0  # seconds any page condition may take (the PBX calls a phone, a WebSocket message)
# The browser may reach 127.0.0.1 only: every other host name resolves to nothing, and the
# background services that would phone home are off.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",  # the tests run as root
    "--window-size=1280,900",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]


class ConsoleSupervisedPbx(SupervisedPbx, ConsolePbx):
    """SupervisedPbx (portaswitch plan, SRTP mandatory, the trunk at trunk_port) with the console
    on a free port."""

    def __init__(self, workdir: Path, trunk_port: int) -> None:  # noqa: F811 - a parameter
        config = pbx_config(
            sip_port=free_port_block(1, tcp=True),
            rtp_ports=rtp_port_block(),
            audit_log=workdir / "pbx-audit.jsonl",
            trunk_port=trunk_port,
            plan="portaswitch",
            srtp="mandatory",
            console_port=free_port_block(1, tcp=True),
        )
        PbxProcess.__init__(self, workdir, config)

    def __enter__(self) -> ConsoleSupervisedPbx:
        self.start()
        return self


@contextmanager
def browser(profile: Path) -> Iterator[WebDriver]:
    """A headless chromium with its own profile (cookies) in `profile`; chromedriver and the
    browser are ended by quit(), chromedriver by its pid if quit() could not."""
    if not (os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)):
        pytest.fail(f"{CHROMIUM} and {CHROMEDRIVER} are needed (Debian: chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in CHROMIUM_ARGS + [f"--user-data-dir={profile}"]:
        options.add_argument(argument)
    service = Service(CHROMEDRIVER, log_output=str(profile.with_suffix(".chromedriver.log")))
    driver = webdriver.Chrome(service=service, options=options)
    try:
        yield driver
    finally:
        try:
            driver.quit()
        finally:
            process = service.process
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()


def until(driver: WebDriver, condition: Callable[[WebDriver], object], what: str, timeout: float = WAIT) -> object:
    """WebDriverWait for `condition`; the message names `what`."""

    def check(d: WebDriver) -> object:
        try:
            return condition(d)
        except StaleElementReferenceException:
            return False  # the page re-rendered the element under us: look again

    return WebDriverWait(driver, timeout).until(check, message=f"the page never showed {what}")


def text_of(driver: WebDriver, css: str) -> str:
    found = driver.find_elements(By.CSS_SELECTOR, css)
    return found[0].text.strip() if found else ""


def log_in(driver: WebDriver, url: str, extension: str, view: str) -> None:
    """Logs in through the login form and waits for `view` and the live event socket."""
    driver.get(url + "/")
    until(driver, lambda d: d.find_element(By.ID, "login-extension").is_displayed(), "the login form")
    driver.find_element(By.ID, "login-extension").send_keys(extension)
    driver.find_element(By.ID, "login-password").send_keys(WEB_PASSWORDS[extension])
    driver.find_element(By.ID, "login-submit").click()
    until(driver, lambda d: d.find_element(By.ID, view).is_displayed(), f"#{view} for {extension}")
    until(driver, lambda d: d.find_element(By.ID, "connection").text.strip() == "live", "#connection live")
    assert extension in text_of(driver, "#me"), text_of(driver, "#me")


def log_out(driver: WebDriver) -> None:
    """#logout, and the login is gone on the server too: a reloaded page asks to log in."""
    driver.find_element(By.ID, "logout").click()
    until(driver, lambda d: d.find_element(By.ID, "login-extension").is_displayed(), "the login form again")
    driver.refresh()
    until(driver, lambda d: d.find_element(By.ID, "login-extension").is_displayed(), "the login form after a reload")
    assert not driver.find_element(By.ID, "supervisor-view").is_displayed(), "still logged in after #logout"


def screenshot(driver: WebDriver, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    assert driver.save_screenshot(str(path)), f"no screenshot {path}"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", path


def row(call: str) -> str:
    return f'#calls tr[data-call="{call}"]'


def click_mode(driver: WebDriver, call: str, mode: str) -> None:
    css = f'{row(call)} button[data-mode="{mode}"]'
    until(driver, lambda d: d.find_element(By.CSS_SELECTOR, css).is_enabled(), f"{mode} enabled on {call}")
    driver.find_element(By.CSS_SELECTOR, css).click()


def session_is(state: str, mode: str | None = None) -> Callable[[WebDriver], bool]:
    """#my-session's data-state is `state` and (when given) its .mode says `mode`."""

    def check(driver: WebDriver) -> bool:
        if driver.find_element(By.ID, "my-session").get_attribute("data-state") != state:
            return False
        return mode is None or text_of(driver, "#my-session .mode").lower() == mode

    return check


def test_supervising_from_the_browser_matches_design(
    tmp_path: Path,
    trunk_port: int,  # noqa: F811
    customer: Baresip,  # noqa: F811
    voice_loops: dict[str, Path],  # noqa: F811
    voices: dict[str, Path],  # noqa: F811
) -> None:
    require_program("baresip")
    with ConsoleSupervisedPbx(tmp_path / "pbx", trunk_port) as pbx:
        with registered_baresip(pbx, tmp_path, "744", voice_loops["agent"], "agent", auto_answer=True) as agent:
            with registered_baresip(pbx, tmp_path, "700", voice_loops["supervisor"], "supervisor", True) as supervisor:
                phases = browse_the_scenario(pbx, tmp_path, customer, agent, supervisor)
    customer.stop()  # closes its recording
    judge(phases, voices, tmp_path)


def browse_the_scenario(
    pbx: ConsoleSupervisedPbx, tmp_path: Path, customer: Baresip, agent: Baresip, supervisor: Baresip  # noqa: F811
) -> list[PhaseMarks]:
    with browser(tmp_path / "browser-700") as sup_page, browser(tmp_path / "browser-744") as agent_page:
        sup_page.get(pbx.url + "/")
        until(sup_page, lambda d: d.find_element(By.ID, "login-extension").is_displayed(), "the login form")
        screenshot(sup_page, "login")
        log_in(sup_page, pbx.url, "700", "supervisor-view")
        log_in(agent_page, pbx.url, "744", "agent-view")

        connect_customer_to_agent(pbx, customer, agent)
        call = pbx.wait_log(r"INVITE \+?15550100 -> 744 \((call-\d+)\): 200 OK").group(1)
        until(sup_page, lambda d: d.find_element(By.CSS_SELECTOR, row(call)).is_displayed(), f"the row of {call}")
        assert "744" in text_of(sup_page, f"{row(call)} .agent") or "Alice" in text_of(sup_page, f"{row(call)} .agent")
        assert "15550100" in text_of(sup_page, f"{row(call)} .customer")
        until(agent_page, lambda d: text_of(d, "#agent-call") not in ("", "No call"), "744's call on its page")

        phones: dict[str, Phone] = {"customer": customer, "agent": agent, "supervisor": supervisor}
        mark = supervisor.event_count()
        click_mode(sup_page, call, "listen")
        supervisor.wait_call_event("ESTABLISHED", timeout=WAIT, since=mark)  # the PBX called 700's phone
        assert supervisor.wait_call_event("MENC", since=mark)["param"] == f"0,audio,{SRTP_SUITE}"
        started = pbx.wait_audit(WAIT, kind="started", supervisor="700", call=call)
        assert started["mode"] == "listen" and started["channel"] == "web", started
        until(sup_page, session_is("active", "listen"), "#my-session active in listen")
        phases = [record_phase("listen", phones)]
        assert text_of(agent_page, "#agent-supervisor") == "", "the agent is told about listening (off by default)"

        for mode in ("whisper", "barge"):
            click_mode(sup_page, call, mode)
            record = pbx.wait_audit(WAIT, kind="mode_changed", supervisor="700", mode=mode)
            assert record["channel"] == "web", record
            until(sup_page, session_is("active", mode), f"#my-session in {mode}")
            until(agent_page, lambda d: text_of(d, "#agent-supervisor") != "", f"the supervisor on 744's page ({mode})")
            assert re.search(r"700|Sam", text_of(agent_page, "#agent-supervisor")), text_of(agent_page, "#agent-supervisor")
            phases.append(record_phase(mode, phones))
        screenshot(sup_page, "supervisor")
        screenshot(agent_page, "agent")

        agent_page.find_element(By.ID, "request-assistance").click()
        until(sup_page, lambda d: "assistance" in (d.find_element(By.CSS_SELECTOR, row(call)).get_attribute("class") or ""),
              "the row marked as asking for help")
        until(agent_page, lambda d: d.find_element(By.ID, "withdraw-assistance").is_enabled(), "#withdraw-assistance")
        agent_page.find_element(By.ID, "withdraw-assistance").click()
        until(sup_page, lambda d: "assistance" not in (d.find_element(By.CSS_SELECTOR, row(call)).get_attribute("class") or ""),
              "the help request withdrawn")

        check_other_views(pbx, tmp_path, call)

        mark = supervisor.event_count()
        sup_page.find_element(By.ID, "stop").click()
        pbx.wait_audit(WAIT, kind="ended", supervisor="700")
        supervisor.wait_call_event("CLOSED", timeout=WAIT, since=mark)
        until(sup_page, session_is("none"), "#my-session none after Stop")
        until(agent_page, lambda d: text_of(d, "#agent-supervisor") == "", "no supervisor on 744's page")
        customer.hangup()
        agent.wait_call_event("CLOSED", timeout=WAIT)
        until(sup_page, lambda d: not d.find_elements(By.CSS_SELECTOR, row(call)), f"the row of {call} gone")
    return phases


def check_other_views(pbx: ConsoleSupervisedPbx, tmp_path: Path, call: str) -> None:
    """globex's supervisor 800 sees no call and is refused a forged start (403, audited);
    tenant admin 790 sees the call and the audit trail."""
    with browser(tmp_path / "browser-800") as page, browser(tmp_path / "browser-790") as admin:
        log_in(page, pbx.url, "800", "supervisor-view")
        until(page, lambda d: d.find_element(By.ID, "calls-empty").is_displayed(), "800's empty call list")
        assert not page.find_elements(By.CSS_SELECTOR, "#calls tr[data-call]"), "800 (globex) sees acme's call"
        forger = Console(pbx.url)
        forger.login_ok("800", WEB_PASSWORDS["800"])
        forged = forger.start(call, "listen")
        assert forged.status == 403 and forged.json().get("reason") == "cross_tenant", forged.describe()
        denial = pbx.wait_audit(WAIT, kind="security", supervisor="800", rule="console_cross_tenant")
        assert denial["tenant"] == "globex" and call in denial["detail"] and denial["target"] == "", denial
        assert find_call(forger.call_list(), call) is None

        log_in(admin, pbx.url, "790", "admin-view")
        until(admin, lambda d: d.find_element(By.CSS_SELECTOR, row(call)).is_displayed(), f"{call} for the admin")
        acme = [r for r in pbx.audit_records() if r["tenant"] == "acme"]
        until(admin, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#audit tr[data-seq]")) >= len(acme),
              f"the {len(acme)} audit records of acme")
        shown = {e.get_attribute("data-seq") for e in admin.find_elements(By.CSS_SELECTOR, "#audit tr[data-seq]")}
        assert {str(r["seq"]) for r in acme} <= shown, (shown, acme)
        others = {str(r["seq"]) for r in pbx.audit_records() if r["tenant"] != "acme"}
        assert not (others & shown), f"the admin of acme sees other tenants' records {others & shown}"
        screenshot(admin, "admin")


def test_logging_out_in_the_browser_ends_the_login(console_pbx: ConsolePbx, tmp_path: Path) -> None:
    """#logout shows the login form, and the server forgot the login: a reloaded page (same
    cookie jar) asks to log in again, and the old session cookie gets 401."""
    with browser(tmp_path / "browser-logout") as page:
        log_in(page, console_pbx.url, "700", "supervisor-view")
        cookie = page.get_cookie("callsup_session")
        assert cookie is not None and cookie["httpOnly"] and cookie.get("sameSite") == "Strict", cookie
        log_out(page)
    stale = Console(console_pbx.url)
    stale.cookies["callsup_session"] = str(cookie["value"])
    assert stale.me().status == 401, stale.last
