"""The portal's events page (live through server-sent events) and its alert settings: over
plain HTTP for the stream's rules, in headless Chromium for what a subscriber sees."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import closing
from typing import Any

import httpx
import pytest

from selfcare import Selfcare
from selfcare.backends.fake import FakeOperator, ManualClock
from selfcare.server import FakeResolver, LiveServer, create_app
from tests.conftest import NOW
from tests.portal.conftest import SAFETY_NET, Page

pytestmark = pytest.mark.usefixtures("fresh_operator")


def _signed_in(portal_url: str, token: str, **headers: str) -> httpx.Client:
    http = httpx.Client(
        base_url=portal_url,
        follow_redirects=True,
        timeout=SAFETY_NET,
        headers={"Origin": portal_url, **headers},
    )
    form = http.get("/signin")
    csrf = re.findall(r'name="csrf_token" value="([^"]+)"', form.text)[0]
    signed_in = http.post("/signin", data={"csrf_token": csrf, "token": token})
    assert signed_in.url.path == "/dashboard"
    return http


def _csrf(html: str) -> str:
    return re.findall(r'name="csrf_token" value="([^"]+)"', html)[0]


def _sse(lines: Iterator[str]) -> Iterator[tuple[str, str, str]]:
    """(id, event, data) of each message of a server-sent-events stream."""
    fields: dict[str, str] = {}
    for line in lines:
        if not line:
            if "data" in fields:
                yield fields.get("id", ""), fields.get("event", "message"), fields["data"]
            fields = {}
        elif not line.startswith(":"):
            name, _, value = line.partition(":")
            fields[name] = value.removeprefix(" ")


@pytest.fixture
def demo(portal_url: str, portal_operator: FakeOperator) -> Iterator[httpx.Client]:
    with closing(_signed_in(portal_url, portal_operator.token().reveal())) as http:
        yield http


def _newest(operator: FakeOperator, key: str = "demo") -> str:
    sc = Selfcare.fake(operator=operator, subscriber=key)
    sc.forwarding.set("busy", "+79161234567")  # an event to start after
    return sc.events.list().first(1)[0].id


def test_the_stream_brings_the_lines_own_events_and_no_one_elses(
    demo: httpx.Client, portal_operator: FakeOperator
) -> None:
    after = _newest(portal_operator)
    oleg = Selfcare.fake(operator=portal_operator, subscriber="oleg")
    mine = Selfcare.fake(operator=portal_operator)
    oleg.forwarding.set("busy", "+79161234567")  # another subscriber's event, first
    mine.forwarding.disable("all")
    expected = mine.events.list().first(1)[0]
    with demo.stream("GET", "/events/stream", params={"after": after}) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        event_id, name, data = next(_sse(response.iter_lines()))
    assert (event_id, name) == (expected.id, "event")
    shown = json.loads(data)
    assert shown["type"] == "forwarding.changed" and shown["id"] == expected.id
    assert shown["summary"] == "Call forwarding is off"
    # and the page itself lists it, without any script
    page = demo.get("/events")
    assert f'data-id="{expected.id}"' in page.text and "Call forwarding is off" in page.text


def test_the_stream_speaks_the_pages_language(
    portal_url: str, portal_operator: FakeOperator
) -> None:
    after = _newest(portal_operator)
    Selfcare.fake(operator=portal_operator).forwarding.disable("all")
    token = portal_operator.token().reveal()
    ru = _signed_in(portal_url, token, **{"Accept-Language": "ru"})
    with closing(ru), ru.stream("GET", "/events/stream", params={"after": after}) as response:
        _, _, data = next(_sse(response.iter_lines()))
    shown = json.loads(data)
    assert shown["label"] == "переадресация изменена", shown
    assert shown["summary"] == "Переадресация выключена"


def test_the_stream_refuses_what_it_cannot_serve(portal_url: str, demo: httpx.Client) -> None:
    with httpx.Client(base_url=portal_url, timeout=SAFETY_NET) as anonymous:
        assert anonymous.get("/events/stream").status_code == 204  # EventSource stops
    refused = demo.get("/events/stream", params={"after": "x" * 500})
    assert refused.status_code == 400 and len(refused.text) < 100
    assert "is not an event id" in refused.text


def test_signing_out_ends_the_stream(demo: httpx.Client, portal_operator: FakeOperator) -> None:
    after = _newest(portal_operator)
    with demo.stream("GET", "/events/stream", params={"after": after}) as response:
        lines = response.iter_lines()
        assert next(lines) == "retry: 2000"
        signed_out = demo.post("/signout", data={"csrf_token": _csrf(demo.get("/events").text)})
        assert signed_out.url.path == "/signin"
        messages = list(_sse(lines))  # the stream ends: this returns
    assert messages == [("", "ended", '{"reason": "signed-out"}')]


def test_the_alert_settings_refuse_bad_input_with_a_message(
    demo: httpx.Client, portal_operator: FakeOperator
) -> None:
    sc = Selfcare.fake(operator=portal_operator)
    page = demo.get("/alerts")
    cases = [
        ({"alert": "balance_below", "balance_below": "abc"}, "balance_below", "as a number"),
        ({"alert": "balance_below", "balance_below": "0"}, "balance_below", "more than zero"),
        ({"alert": "balance_below", "balance_below": "9" * 40}, "balance_below", "too long"),
        ({"alert": "bill_due_within", "bill_due_within": "61"}, "bill_due_within", "1 to 60"),
        (
            {"alert": "spending_above", "spending_above": "500", "period": "week"},
            "period",
            "a month or a day",
        ),
    ]
    for data, field, words in cases:
        answer = demo.post("/alerts/set", data={"csrf_token": _csrf(page.text), **data})
        assert answer.status_code == 400, data
        assert words in answer.text, data
        assert re.search(rf'id="{field}"[^>]*aria-invalid="true"', answer.text), data
        assert "9" * 40 not in answer.text  # an oversized input is not echoed
    assert sc.alerts.get().enabled == ()
    ru = demo.post(
        "/alerts/set?lang=ru",
        data={"csrf_token": _csrf(page.text), "alert": "bill_due_within", "bill_due_within": "x"},
    )
    assert "Введите целое число дней от 1 до 60." in ru.text


def test_alerts_set_and_turned_off_in_the_browser(
    page: Page, portal_operator: FakeOperator
) -> None:
    sc = Selfcare.fake(operator=portal_operator)
    page.open("/alerts")
    page.fill("#balance_below", "99,50")
    page.submit("#save-balance_below")
    assert page.driver.current_url.endswith("/alerts")
    assert str(sc.alerts.get().balance_below.amount) == "99.50"  # type: ignore[union-attr]
    assert "99,50" in page.text("#alert-balance_below .state")
    page.fill("#bill_due_within", "3")
    page.submit("#save-bill_due_within")
    assert "3 days" in page.text("#alert-bill_due_within .state")
    page.fill("#spending_above", "abc")
    page.submit("#save-spending_above")
    assert "as a number" in page.text("#spending_above-error")
    assert page.css("#spending_above").get_attribute("aria-invalid") == "true"
    page.submit("#off-balance_below")
    assert sc.alerts.get().enabled == ("bill_due_within",)
    page.submit("#off-all")
    assert sc.alerts.get().enabled == ()


def test_new_events_appear_in_the_page_as_they_happen(
    page: Page, portal_operator: FakeOperator
) -> None:
    from selenium.webdriver.support.wait import WebDriverWait

    after = _newest(portal_operator)
    page.open("/events")
    assert page.all(f"#event-rows tr[data-id='{after}']")  # listed by the server
    wait = WebDriverWait(page.driver, SAFETY_NET)
    wait.until(lambda d: page.css("#live-status").get_attribute("data-state") == "live")
    sc = Selfcare.fake(operator=portal_operator)
    sc.forwarding.set("no_reply", "+79161234567")
    Selfcare.fake(operator=portal_operator, subscriber="oleg").forwarding.disable("all")
    sc.forwarding.disable("all")
    newest = sc.events.list().first(2)
    wait.until(lambda d: len(page.all("#event-rows tr.new")) == 2)
    rows = page.all("#event-rows tr")
    assert [r.get_attribute("data-id") for r in rows[:3]] == [e.id for e in newest] + [after]
    assert "Call forwarding is off" in rows[0].text
    page.screenshot("events-live")
    page.open("/dashboard")  # leaving the page closes its stream


def test_live_streams_are_bounded_per_session_and_in_all(portal_module: Any) -> None:
    """A session's newer stream ends its oldest (whose page is told, and stops); beyond the
    portal's limit a stream is refused (503), so streams never take every pooled connection."""
    operator = FakeOperator(seed=42, clock=ManualClock(NOW))
    with LiveServer(create_app(FakeResolver(operator))) as api:
        app = portal_module.create_portal(
            portal_module.http_connect(api.url),
            demo_token=operator.token().reveal(),
            max_live_streams=1,
            live_streams_per_session=1,
        )
        with LiveServer(app) as portal:
            token = operator.token().reveal()
            after = _newest(operator)
            first, other = _signed_in(portal.url, token), _signed_in(portal.url, token)
            with closing(first), closing(other):
                url, params = "/events/stream", {"after": after}
                with first.stream("GET", url, params=params) as older:
                    lines = older.iter_lines()
                    assert next(lines) == "retry: 2000"
                    with other.stream("GET", url, params=params) as refused:
                        assert refused.status_code == 503 and "Retry-After" in refused.headers
                    with first.stream("GET", url, params=params) as newer:
                        assert next(newer.iter_lines()) == "retry: 2000"
                        assert list(_sse(lines)) == [("", "ended", '{"reason": "replaced"}')]
                assert len(app.state.portal.live) <= 1
