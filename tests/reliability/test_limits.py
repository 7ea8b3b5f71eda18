"""Request limits of the reference server, on both faces: a body over the size limit is
refused with 413 before it is read whole; JSON nested deeper than the depth limit, and numbers
no amount can be, are a 4xx problem (never a 500, never a long traceback in the log); a
problem never quotes oversized input in full."""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from selfcare.backends.fake import FakeOperator, ManualClock
from selfcare.server import FakeResolver, LiveServer, RequestLimits, create_app, create_tmf_app
from tests.conftest import NOW

PASSWORD = "/v1/auth/password"
TICKETS = "/tmf-api/troubleTicket/v4/troubleTicket"
NUMBER = "+79165550123"


@pytest.fixture(scope="module")
def operator() -> FakeOperator:
    return FakeOperator(seed=42, clock=ManualClock(NOW))


@pytest.fixture(scope="module")
def native(operator: FakeOperator) -> Iterator[str]:
    with LiveServer(create_app(FakeResolver(operator))) as server:
        yield server.url


@pytest.fixture(scope="module")
def tmf(operator: FakeOperator) -> Iterator[str]:
    with LiveServer(create_tmf_app(FakeResolver(operator))) as server:
        yield server.url


def _headers(operator: FakeOperator) -> dict[str, str]:
    return {
        "Authorization": f"Bearer {operator.token().reveal()}",
        "Content-Type": "application/json",
        "Idempotency-Key": f"limits-{uuid.uuid4().hex}",
    }


def _nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def test_900_deep_json_is_a_short_4xx_on_the_native_face(
    native: str, operator: FakeOperator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    body = b'{"number": "' + NUMBER.encode() + b'", "password": ' + _nested(900) + b"}"
    answer = httpx.post(native + PASSWORD, content=body, headers=_headers(operator))
    assert answer.status_code == 422, answer.text
    problem = answer.json()
    assert problem["field"] == "body" and "32" in problem["detail"], problem
    assert "deeper" in problem["detail"]
    assert len(caplog.text) < 2_000, caplog.text[:3_000]


def test_900_deep_json_is_a_short_4xx_on_the_tmf_face(
    tmf: str, operator: FakeOperator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    body = b'{"description": ' + _nested(900) + b', "severity": "minor", "ticketType": "x"}'
    answer = httpx.post(tmf + TICKETS, content=body, headers=_headers(operator))
    assert answer.status_code == 400, answer.text
    assert "32" in answer.json()["message"] and answer.json()["field"] == "body"
    assert len(caplog.text) < 2_000, caplog.text[:3_000]


def test_nesting_within_the_limit_passes_and_the_limit_is_configurable(
    operator: FakeOperator,
) -> None:
    app = create_app(FakeResolver(operator), limits=RequestLimits(max_depth=3))
    with LiveServer(app) as server:
        ok = {"number": NUMBER, "password": [[1]]}  # depth 3: the object, two arrays
        shallow = httpx.post(server.url + PASSWORD, json=ok)
        assert shallow.status_code == 422 and shallow.json()["field"] == "password"
        deep = httpx.post(server.url + PASSWORD, json={**ok, "password": [[[1]]]})
        assert deep.status_code == 422 and "deeper than 3" in deep.json()["detail"]
        # brackets inside strings are text, not nesting
        text = httpx.post(server.url + PASSWORD, json={**ok, "password": "[[[[[[{{{{"})
        assert text.status_code == 401, text.text


@pytest.mark.parametrize(
    "amount",
    [
        "1" * 5_000,  # a JSON number of 5,000 digits
        '"' + "1" * 5_000 + '"',  # a decimal string of 5,000 digits
        '"0.' + "0" * 5_000 + '1"',
        '"1e999999999"',
        '"' + "9" * 40 + '.5"',
    ],
)
def test_numbers_no_amount_can_be_are_a_4xx(
    native: str, operator: FakeOperator, amount: str, caplog: pytest.LogCaptureFixture
) -> None:
    body = (
        '{"amount": {"amount": ' + amount + ', "currency": "RUB"}, '
        '"method": {"kind": "card", "reference": "tok_visa_4242"}}'
    )
    answer = httpx.post(native + "/v1/payments", content=body, headers=_headers(operator))
    assert 400 <= answer.status_code < 500, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert len(answer.text) < 1_000
    assert "Traceback" not in caplog.text


def test_a_problem_never_quotes_oversized_input_in_full(
    native: str, tmf: str, operator: FakeOperator
) -> None:
    long = "x" * 100_000
    answers = [
        httpx.post(native + PASSWORD, json={"number": NUMBER, long: 1}),
        httpx.post(native + PASSWORD, json={"number": long, "password": "p"}),
        httpx.get(
            native + "/v1/expenses", params={"limit": "1" * 5_000}, headers=_headers(operator)
        ),
        httpx.post(
            native + "/v1/contacts",
            json={"name": long, "phones": [NUMBER]},
            headers=_headers(operator),
        ),
        httpx.get(tmf + TICKETS + "/" + long[:20_000], headers=_headers(operator)),
    ]
    for answer in answers:
        assert 400 <= answer.status_code < 500, answer.text[:300]
        assert len(answer.text) < 1_000, answer.text[:300]
        assert "xxxxxxxx" in answer.text or "11111111" in answer.text  # still says what it was


class _Body:
    """An ASGI ``receive`` handing out a body in 64 KiB chunks, counting what was taken."""

    def __init__(self, size: int) -> None:
        self.left = size
        self.taken = 0

    async def __call__(self) -> dict[str, Any]:
        if self.left <= 0:
            await asyncio.sleep(3600)  # the client has nothing more to say
        chunk = min(self.left, 65_536)
        self.left -= chunk
        self.taken += chunk
        return {"type": "http.request", "body": b" " * chunk, "more_body": self.left > 0}


def _call(app: Any, path: str, body: _Body, headers: dict[str, str]) -> tuple[int, bytes]:
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    asyncio.run(app(scope, body, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    content = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], content


@pytest.mark.parametrize("face", ["native", "tmf"])
def test_an_oversized_body_is_refused_with_413_before_it_is_read_whole(
    operator: FakeOperator, face: str
) -> None:
    limits = RequestLimits(max_body_bytes=100_000)
    resolver = FakeResolver(operator)
    app = (
        create_app(resolver, limits=limits)
        if face == "native"
        else create_tmf_app(resolver, limits=limits)
    )
    path = PASSWORD if face == "native" else TICKETS
    headers = _headers(operator)
    streamed = _Body(50_000_000)  # no Content-Length: counted while streaming
    status, content = _call(app, path, streamed, headers)
    assert status == 413, content[:300]
    assert streamed.taken <= 100_000 + 65_536
    assert "100000" in json.loads(content)["detail" if face == "native" else "message"]
    declared = _Body(50_000_000)  # a Content-Length over the limit: nothing is read
    status, _ = _call(app, path, declared, {**headers, "Content-Length": "50000000"})
    assert status == 413 and declared.taken == 0
    fits = _Body(90_000)  # under the limit: read whole, then refused as JSON
    status, _ = _call(app, path, fits, {**headers, "Content-Length": "90000"})
    assert status in (400, 422) and fits.taken == 90_000


def test_limits_are_checked() -> None:
    with pytest.raises(ValueError, match="max_body_bytes"):
        RequestLimits(max_body_bytes=0)
    with pytest.raises(ValueError, match="max_depth"):
        RequestLimits(max_depth=0)
