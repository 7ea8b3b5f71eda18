"""The portal's accessibility in headless Chromium: axe-core finds no serious or critical
violation on any page (colour contrast included), and signing in and activating a payment
card work from the keyboard alone.

axe-core is an npm package pinned in ``tests/portal/axe/package.json`` (and its lock file),
installed with ``npm ci`` into ``tests/portal/axe/node_modules`` (gitignored) on first use,
and injected into each page through the driver.

Like every browser test file, it starts on an operator back at its seed (the ``page``
fixture), so it passes before or after the others.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from selfcare import PhoneNumber
from selfcare.backends.fake import FakeOperator
from tests._once import one_at_a_time
from tests.portal.conftest import BROWSER_LINE, SIGNED_IN_PAGES, Page

pytestmark = pytest.mark.browser

AXE_DIR = Path(__file__).parent / "axe"
AXE = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
TAB_LIMIT = 60
"""Tab presses before giving up on reaching an element (a page has fewer stops)."""


@pytest.fixture(scope="module")
def axe_source() -> str:
    with one_at_a_time("axe-core"):
        if not AXE.exists():
            npm = shutil.which("npm")
            if npm is None:
                pytest.skip("npm is not installed, so axe-core cannot be installed")
            subprocess.run(
                [npm, "ci", "--prefix", str(AXE_DIR), "--no-audit", "--no-fund"],
                check=True,
                capture_output=True,
                timeout=300,
            )
    return AXE.read_text(encoding="utf-8")


def _violations(page: Page, axe: str) -> list[str]:
    """axe-core's serious and critical findings on the current page, one line each."""
    driver = page.driver
    if not driver.execute_script("return typeof window.axe !== 'undefined'"):
        driver.execute_script(axe)
    found = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        ".then((r) => done(r.violations.map((v) => ["
        "  v.id, v.impact, v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(' | ')])))"
        ".catch((e) => done([['axe-error', 'critical', String(e)]]));"
    )
    return [f"{rule} ({impact}): {where}" for rule, impact, where in found if impact in BAD]


BAD = {"serious", "critical"}


def _signed_out(page: Page) -> None:
    page.open("/signin")
    if page.all("#signout"):
        page.submit("#signout")


def _sign_in_by_password(page: Page) -> None:
    page.fill("#number", "8 916 555-01-23")
    page.fill("#password", "demo-password-1")
    page.submit("#signin-password")
    assert page.driver.current_url.endswith("/dashboard")


def test_no_page_has_a_serious_violation(
    page: Page, axe_source: str, portal_operator: FakeOperator
) -> None:
    driver = page.driver
    driver.set_script_timeout(120)
    found: dict[str, list[str]] = {}

    def check(name: str) -> None:
        found[name] = _violations(page, axe_source)

    _signed_out(page)
    check("/signin")
    page.fill("#number", "8 916 555-01-23")
    page.fill("#password", "wrong-password")
    page.submit("#signin-password")
    check("/signin (a wrong password)")
    page.fill("#code-number", "8 916 555-01-23")
    page.submit("#send-code")
    page.click("#keypad-choice summary")
    check("/signin/code (keypad open)")
    code = portal_operator.sign_in.last_code(PhoneNumber.parse(BROWSER_LINE)).code.reveal()
    page.fill("#code", code)
    page.submit("#confirm-code")
    assert driver.current_url.endswith("/dashboard")
    for path in (*SIGNED_IN_PAGES, "/expenses?since=yesterday"):  # and the error page
        page.open(path)
        check(path)
    # a contact, a mailing list and a complaint, where the session's other tests made some
    for listing, link in (
        ("/contacts", "#contacts a"),
        ("/contacts", "#lists a"),
        ("/complaints", "#complaints a"),
    ):
        page.open(listing)
        targets = page.all(link)
        if targets:
            page.submit_element(targets[0])
            check(driver.current_url.split("/", 3)[3])
    assert {name: v for name, v in found.items() if v} == {}


def _press(page: Page, *keys: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(page.driver).send_keys(*keys).perform()


def _tab_to(page: Page, selector: str) -> None:
    """Press Tab (only) until the element ``selector`` names has the focus."""
    from selenium.webdriver.common.keys import Keys

    for _ in range(TAB_LIMIT):
        if page.driver.execute_script(
            "return document.activeElement && document.activeElement.matches(arguments[0])",
            selector,
        ):
            return
        _press(page, Keys.TAB)
    raise AssertionError(f"Tab never reached {selector}")


def _from_the_top(page: Page) -> None:
    """Focus back at the start of the document, as after loading a page."""
    page.driver.execute_script(
        "document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);"
    )


def _submit_by_key(page: Page, key: str) -> None:
    """Press ``key`` on the focused control and wait for the page it leads to."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.wait import WebDriverWait

    from tests.portal.conftest import SAFETY_NET

    old = page.css("html")
    _press(page, key)

    def replaced(driver: Any) -> bool:
        try:
            old.is_enabled()
        except WebDriverException:
            return True
        return False

    WebDriverWait(page.driver, SAFETY_NET).until(replaced)


def test_sign_in_and_card_activation_from_the_keyboard(
    page: Page, portal_operator: FakeOperator
) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    from selfcare import Selfcare

    _signed_out(page)
    _from_the_top(page)
    _tab_to(page, "#number")
    _press(page, "8 916 555-01-23", Keys.TAB)
    assert page.driver.execute_script("return document.activeElement.id") == "password"
    _press(page, "demo-password-1")
    _submit_by_key(page, Keys.ENTER)
    assert page.driver.current_url.endswith("/dashboard")

    sc = Selfcare.fake(operator=portal_operator)
    before = sc.account.balance().amount
    page.open("/payments")
    _from_the_top(page)
    pin = "11111111111112"  # a 500 ₽ card no other test uses
    position = {k.text: int(k.get_attribute("data-position")) for k in page.all("#keypad .key")}
    _tab_to(page, "#keypad button.key[data-position='0']")
    at = 0
    for digit in pin:  # the keys are in position order: Tab moves right, Shift+Tab left
        to = position[digit]
        keys = ActionChains(page.driver)
        if to < at:
            keys.key_down(Keys.SHIFT).send_keys(Keys.TAB * (at - to)).key_up(Keys.SHIFT)
        else:
            keys.send_keys(Keys.TAB * (to - at))
        keys.send_keys(Keys.SPACE).perform()
        at = to
    assert page.css("#pin-dots").get_attribute("data-entered") == str(len(pin))
    _tab_to(page, "#activate")
    _submit_by_key(page, Keys.ENTER)
    assert any("Card activated" in f for f in page.flashes()), page.flashes()
    assert sc.account.balance().amount > before
