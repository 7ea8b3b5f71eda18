"""The retry policy and the HTTP driver's use of it (driver tests use httpx.MockTransport)."""

from __future__ import annotations

import logging
import random
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from selfcare import APIError, NotFound, RateLimited, Selfcare, TransportError, ValidationError
from selfcare.backends import HttpBackend
from selfcare.protocol._retry import RetryPolicy, parse_retry_after

ACCOUNT = (
    b'{"number":"+79165550123","holder":"A","tariff":{"code":"t","name":"T"},"status":"active",'
    b'"currency":"RUB","region":"RU","time_zone":"Europe/Moscow","billing_day":1,'
    b'"personal_account":"1"}'
)
PAYMENT = (
    b'{"id":"p1","at":"2026-11-25T09:00:00Z","amount":{"amount":"100.00","currency":"RUB"},'
    b'"method":"card:***4242","status":"succeeded","bills":[],"expense_id":"e1"}'
)


def problem(status: int, slug: str, **headers: str) -> httpx.Response:
    body = {"type": f"urn:selfcare:problem:{slug}", "title": "x", "status": status, "detail": slug}
    return httpx.Response(
        status, json=body, headers={"content-type": "application/problem+json", **headers}
    )


def test_parse_retry_after() -> None:
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    now = datetime(2026, 11, 25, 12, tzinfo=UTC)
    later = format_datetime(now + timedelta(seconds=30), usegmt=True)
    assert parse_retry_after(later, now=now.timestamp()) == pytest.approx(30)
    assert (
        parse_retry_after(
            format_datetime(now - timedelta(hours=1), usegmt=True), now=now.timestamp()
        )
        == 0
    )


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 413, 422, 500, 501])
def test_errors_a_retry_cannot_fix_are_not_retried(status: int) -> None:
    policy = RetryPolicy()
    assert policy.delay(0, time.monotonic(), response=httpx.Response(status)) is None


@pytest.mark.parametrize("status", [408, 429, 502, 503, 504])
def test_transient_statuses_are_retried_with_capped_jittered_backoff(status: int) -> None:
    policy = RetryPolicy(max_retries=4, backoff=0.5, max_backoff=1.5)
    started = time.monotonic()
    rng = random.Random(1)
    delays = [policy.delay(n, started, response=httpx.Response(status), rng=rng) for n in range(4)]
    assert all(d is not None and 0 <= d <= min(1.5, 0.5 * 2**n) for n, d in enumerate(delays))
    assert policy.delay(4, started, response=httpx.Response(status)) is None


def test_retry_after_is_honoured_up_to_its_cap() -> None:
    policy = RetryPolicy(max_retry_after=10)
    started = time.monotonic()
    assert policy.delay(0, started, response=httpx.Response(503, headers={"Retry-After": "3"})) == 3
    assert policy.delay(0, started, response=httpx.Response(429, headers={"Retry-After": "0"})) == 0
    assert (
        policy.delay(0, started, response=httpx.Response(429, headers={"Retry-After": "30"}))
        is None
    )


def test_the_deadline_bounds_the_whole_call() -> None:
    policy = RetryPolicy(deadline=5)
    long_ago = time.monotonic() - 4
    assert (
        policy.delay(0, long_ago, response=httpx.Response(503, headers={"Retry-After": "2"}))
        is None
    )


def test_connection_errors_are_retried_other_exceptions_are_not() -> None:
    policy = RetryPolicy()
    assert policy.delay(0, time.monotonic(), error=httpx.ConnectError("refused")) is not None
    assert policy.delay(0, time.monotonic(), error=httpx.ReadTimeout("slow")) is not None
    assert policy.delay(0, time.monotonic(), error=ValueError("bug")) is None


@pytest.mark.parametrize("bad", [-1, 11, "2", True])
def test_max_retries_is_validated(bad: object) -> None:
    with pytest.raises(ValidationError, match="max_retries"):
        RetryPolicy(max_retries=bad)  # type: ignore[arg-type]


class Script:
    """A MockTransport handler answering from a script and recording what it saw."""

    def __init__(self, *answers: httpx.Response | Exception) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        # A snapshot: the driver re-sends the same request object with updated headers.
        self.requests.append(
            httpx.Request(request.method, request.url, headers=request.headers.copy())
        )
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def client(script: Script, **options: object) -> Selfcare:
    backend = HttpBackend(
        "http://selfcare.test",
        "tok",
        transport=httpx.MockTransport(script),
        retry=RetryPolicy(backoff=0, **options),
    )  # type: ignore[arg-type]
    return Selfcare(backend)


def test_a_post_is_retried_with_the_same_idempotency_key(caplog: pytest.LogCaptureFixture) -> None:
    script = Script(
        httpx.Response(200, content=ACCOUNT),  # the client learns the currency
        problem(503, "unavailable", **{"Retry-After": "0"}),
        httpx.ConnectError("reset"),
        httpx.Response(200, content=PAYMENT),
    )
    sc = client(script)
    caplog.set_level(logging.INFO, logger="selfcare")
    payment = sc.payments.pay("100", method="card:tok_visa_4242")
    assert payment.id == "p1"
    posts = script.requests[1:]
    assert [r.method for r in posts] == ["POST"] * 3
    assert len({r.headers["Idempotency-Key"] for r in posts}) == 1
    assert [r.headers.get("Selfcare-Retry") for r in posts] == [None, "1", "2"]
    messages = [r.getMessage() for r in caplog.records if r.name == "selfcare.http"]
    assert messages[0].startswith("retrying pay (retry 1 of 2)") and "HTTP 503" in messages[0]
    assert "ConnectError" in messages[1]
    assert "tok" not in " ".join(messages)


def test_retries_are_bounded_and_the_last_error_surfaces() -> None:
    script = Script(*[problem(503, "api-error", **{"Retry-After": "0"})] * 3)
    with pytest.raises(APIError):
        client(script).account.get()
    assert len(script.requests) == 3  # one try and max_retries=2 retries


def test_rate_limits_come_back_as_rate_limited_with_retry_after() -> None:
    script = Script(*[problem(429, "rate-limited", **{"Retry-After": "0"})] * 2)
    with pytest.raises(RateLimited):
        client(script, max_retries=1).account.get()


def test_no_retries_when_asked_per_call() -> None:
    script = Script(httpx.ConnectError("refused"))
    sc = client(script)
    with pytest.raises(TransportError, match="ConnectError"):
        sc.with_options(max_retries=0).account.get()
    assert len(script.requests) == 1


def test_the_deadline_is_set_per_client_and_per_call(monkeypatch: pytest.MonkeyPatch) -> None:
    sc = Selfcare(base_url="http://selfcare.test", token="tok", max_retries=4, deadline=30)
    assert (sc.backend.retry.max_retries, sc.backend.retry.deadline) == (4, 30)  # type: ignore[attr-defined]
    with pytest.raises(ValidationError, match="deadline=-1"):
        Selfcare(base_url="http://selfcare.test", token="tok", deadline=-1)
    script = Script(*[problem(503, "unavailable", **{"Retry-After": "1"})] * 3)
    slept: list[float] = []  # what the driver waited, recorded instead of timed
    monkeypatch.setattr("selfcare.backends.http._sync.sleep", slept.append)
    with pytest.raises(APIError):
        client(script).with_options(deadline=0.5).account.get()
    assert len(script.requests) == 1  # a 1 s wait would overrun the 0.5 s deadline
    assert slept == []  # so it gives up at once instead of waiting
    script = Script(*[problem(503, "unavailable", **{"Retry-After": "1"})] * 2)
    with pytest.raises(APIError):
        client(script, max_retries=1).with_options(deadline=5).account.get()
    assert (len(script.requests), slept) == (2, [1.0])  # within the deadline it does wait


def test_4xx_is_raised_at_once() -> None:
    script = Script(problem(404, "not-found"))
    with pytest.raises(NotFound):
        client(script).account.get()
    assert len(script.requests) == 1


def test_a_success_after_a_timeout() -> None:
    script = Script(httpx.ReadTimeout("slow"), httpx.Response(200, content=ACCOUNT))
    assert client(script).account.get().holder == "A"


def test_a_pin_lockout_is_not_waited_out() -> None:
    locked = problem(429, "too-many-attempts", **{"Retry-After": "5"})
    assert RetryPolicy().delay(0, time.monotonic(), response=locked) is None
    in_progress = problem(409, "request-in-progress", **{"Retry-After": "0"})
    assert RetryPolicy().delay(0, time.monotonic(), response=in_progress) == 0
    assert RetryPolicy().delay(0, time.monotonic(), response=problem(409, "conflict")) is None
