"""The portal's sign-in rules over its ASGI app (no browser): the code's resend cool-down on
the portal's clock, a code's tries running out, access tokens only in development mode, the
callback that arrives without the SameSite=Strict cookie, oversized input refused by name."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from selfcare import PhoneNumber
from selfcare.backends.fake import FakeOperator, ManualClock
from selfcare.server import FakeResolver, create_app
from tests.conftest import NOW

PORTAL = "http://portal.test"
LINE = PhoneNumber.parse("+79165550123")


class Ticks:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def operator() -> FakeOperator:
    return FakeOperator(seed=42, clock=ManualClock(NOW))


@pytest.fixture
def ticks() -> Ticks:
    return Ticks()


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    return found.group(1) if found else ""


@pytest.fixture
async def portal(
    portal_module: Any, operator: FakeOperator, ticks: Ticks
) -> AsyncIterator[tuple[Any, httpx.AsyncClient]]:
    api = httpx.ASGITransport(app=create_app(FakeResolver(operator)), client=("10.0.0.9", 1))
    connect = portal_module.http_connect("http://api.test", transport=api)
    app = portal_module.create_portal(connect, secret_key="k", clock=ticks)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 5000))
    async with httpx.AsyncClient(
        transport=transport, base_url=PORTAL, headers={"Origin": PORTAL}
    ) as browser:
        yield app, browser
    await app.state.portal.close()


async def _post(browser: httpx.AsyncClient, path: str, **data: str) -> httpx.Response:
    page = await browser.get("/signin")
    return await browser.post(path, data={"csrf_token": _csrf(page.text), **data})


async def _code_page_post(browser: httpx.AsyncClient, path: str, **data: str) -> httpx.Response:
    page = await browser.get("/signin/code")
    return await browser.post(path, data={"csrf_token": _csrf(page.text), **data})


async def test_resend_waits_for_the_cool_down(
    portal: tuple[Any, httpx.AsyncClient], operator: FakeOperator, ticks: Ticks
) -> None:
    _, browser = portal
    answer = await _post(browser, "/signin/code", number="8 916 555-01-23")
    assert answer.status_code == 303 and answer.headers["location"] == "/signin/code"
    first = operator.sign_in.last_code(LINE)
    ticks.now += 59
    early = await _code_page_post(browser, "/signin/code/resend")
    assert early.status_code == 429 and "wait 1 second before" in early.text
    assert operator.sign_in.last_code(LINE) is first
    ticks.now += 1
    page = await browser.get("/signin/code")
    assert 'data-wait="0"' in page.text
    resent = await _code_page_post(browser, "/signin/code/resend")
    assert resent.status_code == 200 and 'id="resent"' in resent.text
    second = operator.sign_in.last_code(LINE)
    assert second is not first
    assert 'data-wait="60"' in resent.text
    done = await _code_page_post(browser, "/signin/code/confirm", code=second.code.reveal())
    assert done.status_code == 303 and done.headers["location"] == "/dashboard"


async def test_a_codes_tries_run_out(
    portal: tuple[Any, httpx.AsyncClient], operator: FakeOperator
) -> None:
    app, browser = portal
    app.state.portal.settings = type(app.state.portal.settings)(code_attempts=2)
    await _post(browser, "/signin/code", number="+7 916 555-01-23")
    right = operator.sign_in.last_code(LINE).code.reveal()
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    once = await _code_page_post(browser, "/signin/code/confirm", code=wrong)
    assert once.status_code == 401 and 'data-left="1"' in once.text and "1 try left" in once.text
    typo = await _code_page_post(browser, "/signin/code/confirm", code="12")
    assert typo.status_code == 400 and 'data-left="1"' in typo.text  # refused before sending
    twice = await _code_page_post(browser, "/signin/code/confirm", code=wrong)
    assert twice.status_code == 401 and "last try for this code" in twice.text
    assert (await browser.get("/signin/code")).headers["location"] == "/signin"
    assert not app.state.portal.pending


async def test_tokens_only_in_development_mode(
    portal: tuple[Any, httpx.AsyncClient], operator: FakeOperator
) -> None:
    _, browser = portal
    page = await browser.get("/signin")
    assert 'id="token"' not in page.text and 'id="number"' in page.text
    refused = await _post(browser, "/signin", token=operator.token().reveal())
    assert refused.status_code == 403 and "not with an access token" in refused.text


async def test_a_callback_without_the_cookie_goes_round_once(
    portal: tuple[Any, httpx.AsyncClient],
) -> None:
    _, browser = portal
    callback = "/signin/network/callback?code=x&state=y"
    first = await browser.get(callback)  # as from the operator's site: no pending sign-in
    assert first.status_code == 200
    assert 'http-equiv="refresh"' in first.text and "again=1" in first.text
    second = await browser.get(callback + "&again=1")
    assert second.status_code == 400 and "start again" in second.text


async def test_oversized_numbers_are_refused_by_name(
    portal: tuple[Any, httpx.AsyncClient],
) -> None:
    _, browser = portal
    answer = await _post(browser, "/signin/password", number="9" * 10_000, password="x")
    assert answer.status_code == 400 and "number is too long" in answer.text
    assert "9" * 100 not in answer.text
