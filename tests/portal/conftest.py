"""Fixtures for the portal's browser tests: headless Debian Chromium driven by selenium.

Chromium and its driver are installed with apt when missing (CI runs as root with Debian
mirrors); if that is impossible the browser tests are skipped saying why. Chromium is kept
off the network: every host but 127.0.0.1/localhost resolves to nothing.
"""

from __future__ import annotations

import importlib
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from selfcare.backends.fake import FakeOperator, ManualClock
from selfcare.server import FakeResolver, LiveServer, MobileNetwork, create_app
from tests._once import one_at_a_time
from tests.conftest import NOW

ROOT = Path(__file__).resolve().parents[2]
PORTAL_DIR = ROOT / "examples" / "portal"
# Every run saves screenshots under tests/artifacts/; the ones in the docs are refreshed only on
# request (SELFCARE_UPDATE_SCREENSHOTS=1), since the keypad's shuffle changes them every run.
SCREENSHOTS = (
    ROOT / "docs" / "portal" / "screenshots"
    if os.environ.get("SELFCARE_UPDATE_SCREENSHOTS") == "1"
    else ROOT / "tests" / "artifacts" / "screenshots"
)
CHROMEDRIVER = "/usr/bin/chromedriver"


def _install_chromium() -> str | None:
    """Why Chromium cannot be had, or None once ``chromium`` and its driver are installed."""
    if shutil.which("chromium") and os.path.exists(CHROMEDRIVER):
        return None
    if not shutil.which("apt-get"):
        return "chromium is not installed and there is no apt-get to install it"
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        return "chromium is not installed and installing it needs root"
    command = (
        "apt-get update && apt-get install -y --no-install-recommends chromium chromium-driver"
    )
    try:
        done = subprocess.run(
            ["sh", "-c", command], capture_output=True, text=True, timeout=600, check=False
        )
    except subprocess.TimeoutExpired:
        return "installing chromium with apt-get timed out"
    if done.returncode != 0 or not shutil.which("chromium"):
        return f"apt-get could not install chromium: {done.stderr.strip()[-300:]}"
    return None


@pytest.fixture(scope="session")
def portal_module() -> Any:
    """``examples/portal/app.py`` imported as a module."""
    sys.path.insert(0, str(PORTAL_DIR))
    return importlib.import_module("app")


@pytest.fixture(scope="session")
def portal_operator() -> FakeOperator:
    """One fake operator for the browser session, on a manual clock (2026-11-25 12:00 MSK)."""
    return FakeOperator(seed=42, clock=ManualClock(NOW))


BROWSER_LINE = "+79165550123"
"""The demo subscriber's line, which the operator's network sees the browser on: Chromium
connects from 127.0.0.1, mapped as ``selfcare serve --mobile-network 127.0.0.1=...`` does."""


@pytest.fixture(scope="session")
def mobile_lines() -> dict[str, Any]:
    """The API server's address-to-line map; a test may take 127.0.0.1 out for a while
    (an unmapped connection) and must put it back."""
    return dict(MobileNetwork.parse([f"127.0.0.1={BROWSER_LINE}"]).lines)


@pytest.fixture(scope="session")
def portal_servers(
    portal_module: Any, portal_operator: FakeOperator, mobile_lines: dict[str, Any]
) -> Iterator[tuple[str, FakeResolver]]:
    """The reference server on the fake operator (the browser's connection mapped to the
    demo line), and the portal in front of it over HTTP: the portal's URL and the API
    server's resolver (whose ``reset()`` puts the operator back to its seed)."""
    network = MobileNetwork(lines=mobile_lines)
    resolver = FakeResolver(portal_operator)
    with LiveServer(create_app(resolver, network=network)) as api:
        app = portal_module.create_portal(
            portal_module.http_connect(api.url), demo_token=portal_operator.token().reveal()
        )
        with LiveServer(app) as portal:
            yield portal.url, resolver


@pytest.fixture(scope="session")
def portal_url(portal_servers: tuple[str, FakeResolver]) -> str:
    return portal_servers[0]


@pytest.fixture(scope="module")
def fresh_operator(portal_servers: tuple[str, FakeResolver]) -> None:
    """The operator back at its seed for each test file (its data, sessions, codes and
    lockouts; the API tokens stay): no file depends on what another one did, so the files
    pass in any order and split across workers (``pytest-xdist --dist loadfile``)."""
    portal_servers[1].reset()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium, off the network, one for the whole session."""
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    with one_at_a_time("chromium"):
        reason = _install_chromium()
    if reason is not None:
        message = f"browser tests need Debian's chromium and chromium-driver: {reason}"
        if os.environ.get("CI"):  # .ci/run: the browser tests must run there, not be skipped
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "chromium"
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
    ):
        options.add_argument(argument)
    # The console, where Chromium reports what the Content-Security-Policy blocked.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.implicitly_wait(0)
    # selenium logs each WebDriver command with its body at DEBUG, so the passwords the
    # tests type would reach the suite's leak check: that is the test's own traffic to the
    # driver, not the portal's or the SDK's (whose loggers stay at DEBUG).
    wire = logging.getLogger("selenium.webdriver.remote.remote_connection")
    level = wire.level
    wire.setLevel(logging.INFO)
    yield driver
    driver.quit()
    wire.setLevel(level)


SIGNED_IN_PAGES = (
    "/dashboard",
    "/expenses",
    "/calls",
    "/forwarding",
    "/messages",
    "/contacts",
    "/payments",
    "/history",
    "/complaints",
    "/events",
    "/alerts",
)
"""Every page of the navigation, for the checks that walk them all (CSP, accessibility)."""

SAFETY_NET = 120
"""Seconds a browser wait may take before the test fails: a page that never comes, not a slow one."""


class Page:
    """A thin helper over the driver: open portal paths, find things, take screenshots."""

    def __init__(self, driver: Any, base: str) -> None:
        self.driver = driver
        self.base = base

    def open(self, path: str) -> None:
        self.driver.get(self.base + path)

    def css(self, selector: str) -> Any:
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.CSS_SELECTOR, selector)

    def all(self, selector: str) -> list[Any]:
        from selenium.webdriver.common.by import By

        return self.driver.find_elements(By.CSS_SELECTOR, selector)

    def text(self, selector: str) -> str:
        return str(self.css(selector).text)

    def fill(self, selector: str, value: str) -> None:
        element = self.css(selector)
        element.clear()
        element.send_keys(value)

    def click(self, selector: str) -> None:
        """Click something that stays on the page (a key, a checkbox, a radio button)."""
        self.css(selector).click()

    def submit(self, selector: str) -> None:
        """Click a button that posts a form, and wait for the page it leads to."""
        self.submit_element(self.css(selector))

    def submit_element(self, element: Any) -> None:
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.support.wait import WebDriverWait

        old = self.css("html")
        element.click()

        def replaced(driver: Any) -> bool:
            # Chromium reports a node of the previous document either as stale or as "Node
            # with given id does not belong to the document"; both mean the page changed.
            try:
                old.is_enabled()
            except WebDriverException:
                return True
            return False

        # Generous: a safety net for a machine with both cores busy, not a measure of speed.
        WebDriverWait(self.driver, SAFETY_NET).until(replaced)
        WebDriverWait(self.driver, SAFETY_NET).until(
            lambda d: d.execute_script("return document.readyState") == "complete"
        )

    def flashes(self) -> list[str]:
        return [str(e.text) for e in self.all(".flash")]

    def screenshot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))


@pytest.fixture(scope="module")
def page(browser: Any, portal_url: str, fresh_operator: None) -> Page:
    """The portal in the browser, signed in as the demo subscriber with the offered token:
    afresh for each test file, on an operator back at its seed, with no cookie (session,
    language) left from another file."""
    ui = Page(browser, portal_url)
    ui.open("/signin")
    browser.delete_all_cookies()
    ui.open("/")
    assert browser.current_url.endswith("/signin")
    ui.screenshot("signin")
    ui.click("#use-demo")
    ui.submit("#signin")
    assert browser.current_url.endswith("/dashboard"), ui.flashes()
    return ui
