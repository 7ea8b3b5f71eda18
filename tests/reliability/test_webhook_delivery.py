"""Webhook delivery holds up: through 30 % injected faults every event reaches its endpoint
at least once, first arrivals in order; an endpoint down for an hour of the fake's clock
gets everything afterwards, in order; one subscriber's events never reach another's
endpoint; no signing secret in any log record.

Deliveries are stepped on the fake's ManualClock (the dispatcher's retries are due on that
clock): nothing sleeps. The faults are the fault test's (``_faults.FaultInjector``) in front
of the receiver: the connection dropped after the receiver did its work, 503, or no answer
until the dispatcher's timeout hangs up."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterator
from datetime import timedelta
from decimal import Decimal

import httpx
import pytest

from selfcare import Selfcare, SelfcareError
from selfcare.backends import HttpBackend
from selfcare.backends.fake import FakeOperator, ManualClock, RateLimits
from selfcare.protocol._retry import RetryPolicy
from selfcare.server import FakeResolver, LiveServer, WebhookDispatcher, create_app
from tests._receiver import Receiver
from tests.conftest import NOW
from tests.reliability._faults import FaultInjector

CARD = "card:tok_visa_4242424242424242"
PAYMENTS = {"demo": 60, "oleg": 30}


class Records(logging.Handler):
    """Every log record's text (message and traceback) while installed."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.texts: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        self.texts.append(text)


@pytest.fixture
def records() -> Iterator[Records]:
    handler = Records()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler
    root.removeHandler(handler)
    root.setLevel(level)


@pytest.fixture
def world() -> tuple[FakeOperator, ManualClock]:
    clock = ManualClock(NOW)
    operator = FakeOperator(seed=42, clock=clock, limits=RateLimits.generous())
    for key in PAYMENTS:
        operator.subscriber(key).credit_limit = Decimal(1_000_000)
    return operator, clock


def _create_through_faults(operator: FakeOperator, key: str, url: str) -> object:
    """Create an endpoint through the selfcare server with 30 % faults; a call that still
    fails after its retries is repeated with its key, as the SDK documents."""
    faults = FaultInjector(create_app(FakeResolver(operator)), rate=0.3, seed=3)
    with LiveServer(faults) as server:
        backend = HttpBackend(
            server.url,
            operator.token(key),
            timeout=0.25,
            retry=RetryPolicy(max_retries=3, backoff=0.01, max_backoff=0.05),
        )
        with Selfcare(backend) as sc:
            faults.enabled = False
            sc.with_options(timeout=60).account.get()
            faults.enabled = True
            made = None
            for _ in range(20):  # each attempt is the same key: created once
                try:
                    made = sc.webhooks.create(url, idempotency_key=f"faulty-{key}")
                    break
                except SelfcareError:
                    continue
            faults.enabled = False
            assert made is not None
            assert len(sc.with_options(timeout=60).webhooks.list().to_list()) == 1
            return made


def _drain(
    operator: FakeOperator,
    clock: ManualClock,
    client: httpx.AsyncClient,
    between: Callable[[int], None] = lambda n: None,
    *,
    rounds: int,
    step: timedelta,
) -> tuple[int, WebhookDispatcher]:
    """Step the dispatcher ``rounds`` times, ``between(n)`` and the clock ``step`` on after
    each, then until the outboxes are empty (retries due on the clock: at most a day)."""

    async def go() -> tuple[int, WebhookDispatcher]:
        dispatcher = WebhookDispatcher(operator, client=client)
        for n in range(rounds):
            await dispatcher.step()
            between(n)
            clock.advance(step)
        extra = 0
        await dispatcher.step()
        while operator.undelivered() and extra < 24 * 12:
            clock.advance(timedelta(minutes=5))
            await dispatcher.step()
            extra += 1
        await client.aclose()
        return extra, dispatcher

    return asyncio.run(go())


def test_every_event_arrives_through_faults_in_order_and_only_to_its_line(
    world, records, report
) -> None:
    operator, clock = world
    receiver = Receiver()
    faults = FaultInjector(receiver.app, rate=0.3, seed=11)
    with LiveServer(faults) as server:
        made = {
            key: _create_through_faults(operator, key, f"{server.url}/{key}") for key in PAYMENTS
        }
        for key, endpoint in made.items():
            receiver.secrets[f"/{key}"] = endpoint.secret  # type: ignore[attr-defined]
        clients = {key: Selfcare(operator.backend(key)) for key in PAYMENTS}

        def pay(n: int) -> None:
            for key, count in PAYMENTS.items():
                if n < count:
                    clients[key].payments.pay(100 + n, method=CARD)

        # the dispatcher's own timeout ends the 'slow' faults (the receiver holds its answer)
        client = httpx.AsyncClient(timeout=0.25)
        _, dispatcher = _drain(
            operator, clock, client, pay, rounds=max(PAYMENTS.values()), step=timedelta(seconds=1)
        )
    duplicates = 0
    for key in PAYMENTS:
        sub = operator.subscriber(key)
        logged = [e.id for e in sub.events.by_seq]
        got = [e for e in receiver.events(f"/{key}")]
        assert {e.line for e in got} == {sub.account.number}  # never another line's
        first = list(dict.fromkeys(e.id for e in got))
        assert first == logged  # every event at least once, first arrivals in order
        assert sum(e.type.value == "payment.succeeded" for e in sub.events.by_seq) >= PAYMENTS[key]
        duplicates += len(got) - len(first)
    assert receiver.refused == 0
    injected = sum(faults.faults.values())
    assert injected > 0.2 * faults.requests * 0.9
    secrets = [m.secret.reveal() for m in made.values()]  # type: ignore[attr-defined]
    leaks = [t for t in records.texts if any(s in t or s[6:] in t for s in secrets)]
    assert leaks == []
    report(
        f"webhooks through faults: {dispatcher.stats.attempts} delivery attempts, {injected} "
        f"faults injected ({dict(faults.faults)}), "
        f"{sum(len(operator.subscriber(k).events.by_seq) for k in PAYMENTS)} events all "
        f"delivered at least once and in order ({duplicates} repeats), none to another "
        f"line's endpoint; {len(records.texts)} log records, no signing secret in any"
    )


def test_an_endpoint_down_for_an_hour_gets_everything_afterwards_in_order(
    world, records, report
) -> None:
    operator, clock = world
    sc = Selfcare.fake(operator=operator)
    made = sc.webhooks.create("https://down.example/hook")
    receiver = Receiver(made.secret)
    receiver.status = 503

    def act(n: int) -> None:
        if n % 10 == 0:  # a payment every ten minutes of the hour
            sc.payments.pay(100 + n, method=CARD)
        if n == 59:
            receiver.status = 204  # back after an hour
            nonlocal refused
            refused = receiver.requests

    refused = 0
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=receiver.app))
    started = clock.now()
    _, dispatcher = _drain(operator, clock, client, act, rounds=60, step=timedelta(minutes=1))
    got = receiver.events()
    logged = operator.subscriber().events.by_seq
    assert [e.id for e in got] == [e.id for e in logged]  # all, in order, once each
    assert [e.data.amount.amount for e in got if e.type.value == "payment.succeeded"] == [
        100 + n for n in range(0, 60, 10)
    ]
    back_after = clock.now() - started
    assert back_after < timedelta(hours=3)  # the retry schedule reaches it soon after
    report(
        f"webhooks, endpoint down 1 h of the fake's clock: {refused} attempts "
        f"refused, then all {len(got)} events in order, the last {back_after} after the "
        f"first event ({dispatcher.stats.attempts} attempts in all)"
    )
