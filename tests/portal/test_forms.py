"""The portal's forms over plain HTTP (no browser): what a stale page, a hand-edited form or a
script could post. Every refusal is a readable message on the page naming the bad value, never
a traceback or a bare Python error."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from selfcare.backends.fake import FakeOperator

pytestmark = pytest.mark.usefixtures("fresh_operator")  # the seed's data, whatever ran before


class FormPoster(httpx.Client):
    """Posts the portal's forms as its own pages do: from its origin, with the CSRF token of
    the session (which the portal refuses any post without)."""

    csrf = ""

    def post(self, url: Any, *, data: Any = None, **options: Any) -> httpx.Response:  # type: ignore[override]
        answer = super().post(url, data={"csrf_token": self.csrf, **(data or {})}, **options)
        found = re.search(r'name="csrf_token" value="([^"]+)"', answer.text)
        self.csrf = found.group(1) if found else self.csrf
        return answer


@pytest.fixture
def client(portal_url: str, portal_operator: FakeOperator) -> Iterator[httpx.Client]:
    with FormPoster(
        base_url=portal_url, follow_redirects=True, timeout=30, headers={"Origin": portal_url}
    ) as http:
        form = http.get("/signin")
        http.csrf = re.findall(r'name="csrf_token" value="([^"]+)"', form.text)[0]
        signed_in = http.post("/signin", data={"token": portal_operator.token().reveal()})
        assert signed_in.url.path == "/dashboard"
        yield http


def _messages(html: str) -> list[str]:
    found = re.findall(r'<p class="flash (?:error|ok)"[^>]*>([^<]*)</p>', html)
    return [m.replace("&#39;", "'") for m in found]


def _refused(response: httpx.Response, *expected: str) -> str:
    assert response.status_code < 500 and "Traceback" not in response.text
    errors = _messages(response.text)
    assert errors, response.text[-500:]
    for fragment in expected:
        assert any(fragment in e for e in errors), errors
    assert not any("invalid literal" in e for e in errors), errors
    return errors[0]


def test_forwarding_refuses_by_name(client: httpx.Client) -> None:
    form = {"condition": "no_reply", "target": "voicemail", "timer": "abc"}
    _refused(client.post("/forwarding/set", data=form), "timer='abc'")
    form = {"condition": "busy", "target": "number", "number": "12345", "timer": ""}
    _refused(client.post("/forwarding/set", data=form), "'12345'")
    form = {"condition": "busy", "target": "number", "number": " ", "timer": ""}
    _refused(client.post("/forwarding/set", data=form), "number")
    form = {"condition": "no_reply", "target": "voicemail", "timer": "7"}
    _refused(client.post("/forwarding/set", data=form), "7")


def test_sms_refuses_by_name(client: httpx.Client) -> None:
    form = {"numbers": "+79161234567", "text": ""}
    _refused(client.post("/messages/send", data=form), "text=''")
    form = {"numbers": "+79161234567", "text": "hi", "validity": "forever"}
    _refused(client.post("/messages/send", data=form), "validity='forever'")
    _refused(client.post("/messages/send", data={"text": "hi"}), "recipient")


def test_keypad_form_carries_positions_only(client: httpx.Client) -> None:
    page = client.get("/payments").text
    form = re.search(r'<form[^>]*id="card-form".*?</form>', page, re.S)
    assert form is not None
    names = set(re.findall(r'name="([^"]+)"', form.group(0)))
    assert names == {"keypad_id", "positions", "csrf_token"}
    keys = re.findall(r'class="key" data-position="(\d)">(\d)</button>', form.group(0))
    assert sorted(int(p) for p, _ in keys) == list(range(10))
    position = {digit: p for p, digit in keys}

    keypad = re.search(r'name="keypad_id" value="([^"]+)"', page)
    assert keypad is not None
    pin = "12345678901234"  # no card of the fake operator has it
    clicks = ",".join(position[d] for d in pin)
    wrong = {"keypad_id": keypad.group(1), "positions": clicks}
    message = _refused(client.post("/payments/card", data=wrong), "no payment card has the PIN")
    assert pin not in message
    _refused(client.post("/payments/card", data={"keypad_id": "x", "positions": "a"}), "positions")
    stale = {"keypad_id": keypad.group(1), "positions": "1,2"}  # a keypad serves once
    _refused(client.post("/payments/card", data=stale), "keypad")
