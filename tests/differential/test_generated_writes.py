"""Generated write sequences (valid and invalid arguments) answer the same on every backend.

Hypothesis draws a few short sequences of writes every backend supports (SMS, payments,
payment cards, complaints, services) mixed with clock moves; each configuration runs the
same sequence on its own operator, kept in lockstep across examples (one operator per
configuration for the whole test: creating operators is what costs), and what each write
returned or raised, and the balance and newest records after it, must equal the fake's.
Derandomized and bounded, so CI runs the same few examples every time.
"""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from selfcare.backends.fake import FakeOperator, ManualClock
from selfcare.operations import Capability as C
from tests.conftest import CONFIGURATIONS, NOW
from tests.differential._scenarios import SOMEONE, Steps
from tests.differential.conftest import OTHERS, REFERENCE, Open
from tests.differential.test_parity import differences

Op = tuple[str, tuple[Any, ...]]
EXAMPLES = itertools.count()
"""Numbers the examples, for idempotency keys unique across them (the same on every backend)."""

sms = st.tuples(
    st.sampled_from([SOMEONE, "8 903 555-00-11", "12", ""]),
    st.sampled_from(["Hi", "", "Привет, как дела?", "x" * 170]),
    st.sampled_from([None, 2, -1]),
).map(lambda args: ("sms", args))
pay = st.tuples(
    st.sampled_from(["1", "150.50", "0", "-5", "0.001", "100001"]),
    st.sampled_from(["card:tok_4242", "wallet:ym-1", "cash"]),
).map(lambda args: ("pay", args))
card = st.tuples(
    st.sampled_from(
        ["11111111111112", "11111111111113", "98765432109876", "33333333333333", "123"]
    ),
).map(lambda args: ("card", args))
complaint = st.tuples(
    st.sampled_from(["billing", "network", "roaming"]),
    st.sampled_from(["Subject", "  "]),
).map(lambda args: ("complaint", args))
service = st.tuples(
    st.sampled_from(["connect", "disconnect"]),
    st.sampled_from(["internet-5gb", "internet-unlimited", "voicemail", "nope"]),
).map(lambda args: ("service", args))
wait = st.sampled_from([5, 180]).map(lambda minutes: ("wait", (minutes,)))
sequences = st.lists(st.one_of(sms, pay, card, complaint, service, wait), min_size=1, max_size=4)


def write(kind: str, args: tuple[Any, ...], key: str) -> tuple[Any, str]:
    """The call that makes one generated write, and the capability it needs."""
    if kind == "sms":
        to, text, hours = args
        at = None if hours is None else NOW + timedelta(hours=hours)
        return (
            lambda sc: sc.messages.send_sms(to, text, deliver_at=at, idempotency_key=key),
            C.MESSAGES,
        )
    if kind == "pay":
        amount, method = args
        return (
            lambda sc: sc.payments.pay(amount, method=method, idempotency_key=key),
            C.PAYMENTS,
        )
    if kind == "card":
        return (
            lambda sc: sc.payments.activate_card(args[0], idempotency_key=key),
            C.PAYMENT_CARDS,
        )
    if kind == "complaint":
        category, subject = args
        return (
            lambda sc: sc.complaints.file(subject, "Text", category=category, idempotency_key=key),
            C.COMPLAINTS,
        )
    action, code = args
    return (
        lambda sc: getattr(sc.services, action)(code, idempotency_key=key),
        C.SERVICES,
    )


def run(steps: Steps, ops: list[Op], example: int) -> None:
    for index, (kind, args) in enumerate(ops):
        if kind == "wait":
            steps.advance(timedelta(minutes=args[0]))
            continue
        call, capability = write(kind, args, f"gen-{example:03d}-{index:02d}")
        steps(f"{index}: {kind}{args}", call, capability)
    steps("balance", lambda sc: sc.account.balance(), C.ACCOUNT)
    steps("newest expenses", lambda sc: sc.expenses.list().first(5), C.EXPENSES)
    steps("newest payments", lambda sc: sc.payments.list().first(3), C.PAYMENTS)
    steps("newest messages", lambda sc: sc.messages.list().first(3), C.MESSAGES)


@pytest.fixture(scope="module")
def lockstep() -> dict[str, tuple[FakeOperator, ManualClock]]:
    """One operator and clock per configuration, moved in lockstep by every example."""
    operators = {}
    for configuration in CONFIGURATIONS:
        clock = ManualClock(NOW)
        operators[configuration] = (FakeOperator(seed=42, clock=clock), clock)
    return operators


@settings(
    max_examples=5,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: the operators keep their state
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=sequences)
def test_generated_writes_answer_the_same(
    ops: list[Op],
    lockstep: dict[str, tuple[FakeOperator, ManualClock]],
    open_client: Open,
) -> None:
    example = next(EXAMPLES)
    answers = {}
    for configuration in CONFIGURATIONS:
        operator, clock = lockstep[configuration]
        with open_client(configuration, operator) as sc:
            steps = Steps(sc, clock)
            steps.scenario("generated", lambda s: run(s, ops, example))
        answers[configuration] = steps.recorded["generated"]
    found = {
        configuration: differences(answers[REFERENCE], answers[configuration])
        for configuration in OTHERS
    }
    found = {configuration: diffs for configuration, diffs in found.items() if diffs}
    assert not found, "\n".join(
        f"{configuration}: {diff}" for configuration, diffs in found.items() for diff in diffs
    )
