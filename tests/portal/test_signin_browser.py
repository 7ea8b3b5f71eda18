"""Signing in to the portal in headless Chromium as a subscriber does: phone number and
password, a one-time code by SMS (typed, or on the on-screen keypad; resend cool-down,
tries left, expiry), or the mobile network (the browser's 127.0.0.1 is mapped to the demo
line on the API server, as ``selfcare serve --mobile-network 127.0.0.1=...`` maps it), and
the refusals: a wrong password, a wrong and an expired code, an unmapped connection.

Every test starts signed out and ends signed in as the demo subscriber, as the session's
other browser tests expect.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from selfcare import PhoneNumber, Selfcare
from selfcare.backends.fake import FakeOperator
from tests.portal.conftest import BROWSER_LINE, Page

pytestmark = pytest.mark.browser

NUMBER = "8 916 555-01-23"
PASSWORD = "demo-password-1"


def _signed_out(page: Page) -> None:
    page.open("/signin")
    if page.all("#signout"):
        page.submit("#signout")
    assert page.driver.current_url.endswith("/signin")


def _at_dashboard(page: Page) -> None:
    assert page.driver.current_url.endswith("/dashboard"), page.driver.page_source[-2000:]
    assert BROWSER_LINE in page.text("#who")


def _last_code(operator: FakeOperator) -> str:
    return operator.sign_in.last_code(PhoneNumber.parse(BROWSER_LINE)).code.reveal()


def _latest_login(operator: FakeOperator) -> Any:
    return Selfcare.fake(operator=operator).logins.list().first(1)[0]


def _ask_for_code(page: Page) -> None:
    page.fill("#code-number", NUMBER)
    page.submit("#send-code")
    assert page.driver.current_url.endswith("/signin/code")


def test_password_and_a_wrong_one(page: Page, portal_operator: FakeOperator) -> None:
    _signed_out(page)
    page.fill("#number", NUMBER)
    page.fill("#password", "not-my-password")
    page.submit("#signin-password")
    assert "wrong number or password" in page.text("#error")
    assert page.css("#number").get_attribute("value") == NUMBER  # kept; the password is not
    assert page.css("#password").get_attribute("value") == ""
    page.fill("#password", PASSWORD)
    page.submit("#signin-password")
    _at_dashboard(page)
    assert PASSWORD not in page.driver.page_source


def test_code_with_tries_left_resend_cool_down_and_keypad(
    page: Page, portal_operator: FakeOperator
) -> None:
    _signed_out(page)
    _ask_for_code(page)
    assert page.css("#attempts-left").get_attribute("data-left") == "5"
    assert page.css("#resend").get_attribute("disabled") is not None  # the cool-down runs
    first = _last_code(portal_operator)
    wrong = f"{(int(first) + 1) % 10**6:06d}"
    page.fill("#code", wrong)
    page.submit("#confirm-code")
    assert "wrong code" in page.text("#error")
    assert page.css("#attempts-left").get_attribute("data-left") == "4"
    assert "4 tries left" in page.text("#attempts-left")

    page.driver.execute_script("document.getElementById('resend').disabled = false")
    page.submit("#resend")  # too early: refused, saying how long to wait
    assert "before asking for a new code" in page.text("#resend-refused")
    assert len(portal_operator.sign_in.sent_codes(PhoneNumber.parse(BROWSER_LINE))) >= 1
    assert _last_code(portal_operator) == first  # nothing new was sent

    page.click("#keypad-choice summary")
    keys = {k.text: k for k in page.all("#keypad button.key")}
    assert sorted(keys) == list("0123456789")
    for digit in first:
        keys[digit].click()
    assert page.css("#pin-dots").get_attribute("data-entered") == "6"
    page.screenshot("signin-code")
    assert first not in page.css("#positions").get_attribute("value").replace(",", "")
    page.submit("#confirm-keypad")
    _at_dashboard(page)
    latest = _latest_login(portal_operator)
    assert (latest.method, latest.status) == ("otp", "success")


def test_an_expired_code(page: Page, portal_operator: FakeOperator) -> None:
    _signed_out(page)
    _ask_for_code(page)
    code = _last_code(portal_operator)
    portal_operator.clock.advance(timedelta(minutes=5, seconds=1))  # the code works 5 minutes
    page.fill("#code", code)
    page.submit("#confirm-code")
    assert "the code expired" in page.text("#error")
    _signed_out(page)
    page.fill("#number", NUMBER)
    page.fill("#password", PASSWORD)
    page.submit("#signin-password")
    _at_dashboard(page)


def test_mobile_network(page: Page, portal_operator: FakeOperator) -> None:
    _signed_out(page)
    page.submit("#signin-network")  # to the operator and back, recognised by the connection
    _at_dashboard(page)
    latest = _latest_login(portal_operator)
    assert (latest.method, latest.status, latest.ip) == ("network", "success", "127.0.0.1")


def test_an_unmapped_network(page: Page, mobile_lines: dict[str, Any]) -> None:
    _signed_out(page)
    line = mobile_lines.pop("127.0.0.1")  # the browser on Wi-Fi: no line for its address
    try:
        page.submit("#signin-network")
    finally:
        mobile_lines["127.0.0.1"] = line
    assert page.driver.current_url.split("?")[0].endswith("/signin/network/callback")
    assert "did not recognise this connection" in page.text("#error")
    assert page.all("#password")  # the other ways are offered on the same page
    page.submit("#signin-network")
    _at_dashboard(page)
