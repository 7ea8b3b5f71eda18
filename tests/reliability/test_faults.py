"""Through 30 % injected faults: every call succeeds or raises, and nothing happens twice.

500 SMS sends, 200 card activations and 200 payments go through a server that, for a seeded
30 % of requests, drops the connection after doing the work, answers 503 with Retry-After 0,
or never answers, so the client times out. The client retries with the same idempotency key.
Before anything is repeated, every successful call has exactly one effect and every call
that raised at most one (a dropped answer can hide work that was done; never twice). A call
that raised is, as the SDK documents, safe to repeat with its key: the test repeats those
with faults off and checks each key then has exactly one effect.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest

from selfcare import Payment, Secret, Selfcare, SelfcareError
from selfcare.backends import HttpBackend
from selfcare.backends.fake import FakeOperator, ManualClock, RateLimits
from selfcare.backends.fake._cards import PaymentCard
from selfcare.protocol._retry import RetryPolicy
from selfcare.server import FakeResolver, LiveServer, create_app
from tests.conftest import NOW
from tests.reliability._faults import FaultInjector

SENDS, CARDS, PAYMENTS = 500, 200, 200


class Retries(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += record.getMessage().startswith("retrying")


@pytest.fixture
def world() -> tuple[FakeOperator, list[Secret]]:
    operator = FakeOperator(seed=42, clock=ManualClock(NOW), limits=RateLimits.generous())
    operator.subscriber().credit_limit = Decimal(1_000_000)
    pins = [Secret(f"{90_000_000_000_000 + n:014d}") for n in range(CARDS)]
    for n, pin in enumerate(pins):
        operator.cards.add(
            pin, PaymentCard(f"F{n:06d}", Decimal(10), "RUB", NOW.date() + timedelta(days=30))
        )
    return operator, pins


def effects(operator: FakeOperator, calls: list[tuple[str, str, object]]) -> Counter[str]:
    """How many times the operator's state shows each call's effect, by idempotency key."""
    sub = operator.subscriber()
    texts = Counter(m.text for m in sub.mailbox.messages if m.text)
    payments = [p for p in sub.payments if isinstance(p, Payment) and p.at >= NOW]
    methods = Counter(p.method for p in payments)
    amounts = Counter(p.amount.amount for p in payments if p.method.startswith("card:"))
    found: Counter[str] = Counter()
    for n, (kind, key, argument) in enumerate(calls):
        if kind == "sms":
            found[key] = texts[f"hello {key}"]
        elif kind == "card":
            found[key] = methods[f"voucher:F{n - SENDS:06d}"]
        else:
            found[key] = amounts[argument]  # type: ignore[index]
    return found


def test_exactly_once_through_faults(world: tuple[FakeOperator, list[Secret]], report) -> None:
    operator, pins = world
    faults = FaultInjector(create_app(FakeResolver(operator)), rate=0.3, seed=7)
    retries = Retries()
    logging.getLogger("selfcare.http").addHandler(retries)
    logging.getLogger("selfcare.http").setLevel(logging.INFO)
    calls: list[tuple[str, str, object]] = []  # (kind, idempotency key, argument)
    outcomes: dict[str, object] = {}
    try:
        with LiveServer(faults) as server:
            backend = HttpBackend(
                server.url,
                operator.token(),
                # Ends the 'slow' faults. Under load a normal answer may come late too: one
                # fault more, which changes no assertion (each holds whatever the faults).
                timeout=0.25,
                retry=RetryPolicy(max_retries=3, backoff=0.01, max_backoff=0.05),
            )
            with Selfcare(backend) as sc:
                faults.enabled = False  # the client learns the account without faults
                sc.with_options(timeout=60).account.get()
                faults.enabled = True
                for n in range(SENDS):
                    calls.append(("sms", f"fault-sms-{n:04d}", f"+7916{n:07d}"))
                for n, pin in enumerate(pins):
                    calls.append(("card", f"fault-card-{n:04d}", pin))
                for n in range(PAYMENTS):
                    calls.append(("pay", f"fault-pay-{n:04d}", Decimal(100 + n)))

                def run(kind: str, key: str, argument: object, sc: Selfcare = sc) -> object:
                    if kind == "sms":
                        return sc.messages.send_sms(argument, f"hello {key}", idempotency_key=key)  # type: ignore[arg-type]
                    if kind == "card":
                        return sc.payments.activate_card(argument, idempotency_key=key)  # type: ignore[arg-type]
                    return sc.payments.pay(
                        argument, method="card:tok_visa_4242", idempotency_key=key
                    )  # type: ignore[arg-type]

                failed = []
                for kind, key, argument in calls:
                    try:
                        outcomes[key] = run(kind, key, argument)
                    except SelfcareError as exc:
                        failed.append((kind, key, argument, type(exc).__name__))
                injected = sum(faults.faults.values())
                # before any repeat: one effect per successful call, at most one per failed
                # call (its work may have been done with the answer lost), none twice
                first = effects(operator, calls)
                succeeded = [key for _, key, _ in calls if key in outcomes]
                assert all(first[key] == 1 for key in succeeded)
                assert all(first[key] <= 1 for _, key, _, _ in failed)
                lost_answers = sum(first[key] for _, key, _, _ in failed)
                faults.enabled = False
                # The documented remedy: the same key again. Nothing is injected any more, so
                # the short timeout that ends 'slow' faults has no part left to play: a busy
                # machine must not make the remedy fail.
                patient = sc.with_options(timeout=60)
                for kind, key, argument, _ in failed:
                    outcomes[key] = run(kind, key, argument, patient)
    finally:
        logging.getLogger("selfcare.http").removeHandler(retries)

    sub = operator.subscriber()
    sms_keys = Counter(
        m.text.removeprefix("hello ")
        for m in sub.mailbox.messages
        if m.text and m.text.startswith("hello fault-")
    )
    payments = [p for p in sub.payments if isinstance(p, Payment) and p.at >= NOW]
    card_serials = Counter(p.method for p in payments if p.method.startswith("voucher:F"))
    money_in = Counter(p.amount.amount for p in payments if p.method.startswith("card:"))

    report(
        f"fault test: {faults.requests} requests, {injected} faults injected "
        f"({dict(faults.faults)}), {retries.count} retries, {len(failed)} calls raised "
        f"after retries ({lost_answers} of them had done the work) and were repeated with "
        f"their key, duplicates = "
        f"{sum(c - 1 for c in [*sms_keys.values(), *card_serials.values(), *money_in.values()])}"
    )

    assert injected > 0.2 * faults.requests * 0.9
    assert len(outcomes) == len(calls)
    assert sorted(sms_keys) == sorted(k for kind, k, _ in calls if kind == "sms")
    assert set(sms_keys.values()) == {1}
    assert len(card_serials) == CARDS and set(card_serials.values()) == {1}
    assert sorted(money_in) == sorted(Decimal(100 + n) for n in range(PAYMENTS))
    assert set(money_in.values()) == {1}
    assert set(effects(operator, calls).values()) == {1}
    ids = [o.id for o in outcomes.values()]
    assert len(set(ids)) == len(ids)  # every call got its own single result
