"""The fake operator's seeded data keeps the invariants a real operator's data has."""

from datetime import timedelta
from decimal import Decimal

import pytest

from selfcare import BillState, CallDirection, ExpenseKind, PhoneNumber, Selfcare
from selfcare.backends.fake import FakeOperator, ManualClock
from tests.conftest import NOW


@pytest.fixture(scope="module")
def operator() -> FakeOperator:
    return FakeOperator(seed=42, clock=ManualClock(NOW))


@pytest.fixture(
    scope="module",
    params=[
        "demo",
        "oleg",
        "aigerim",
        "family",
        "family-member",
        "family:+79165557004",  # lines without a login, generated when first read
        "acme:+79857000123",
    ],
)
def subscriber(operator: FakeOperator, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    key, _, line = request.param.partition(":")
    login = operator.subscriber(key)
    return operator.line(login, PhoneNumber(line)) if line else login


def test_balance_is_opening_plus_credits_minus_charges(subscriber) -> None:  # type: ignore[no-untyped-def]
    expenses = list(subscriber.expenses)
    credits = sum((-e.cost.amount for e in expenses if e.cost.amount < 0), Decimal(0))
    charges = sum((e.cost.amount for e in expenses if e.cost.amount > 0), Decimal(0))
    assert subscriber.balance == subscriber.opening_balance + credits - charges
    running = subscriber.opening_balance
    for expense in expenses:  # and entry by entry
        running -= expense.cost.amount
        assert expense.balance_after.amount == running, expense


def test_credits_are_credit_kinds_and_charges_are_not(subscriber) -> None:  # type: ignore[no-untyped-def]
    for expense in subscriber.expenses:
        assert (expense.cost.amount < 0) == expense.is_credit, expense


def test_missed_calls_are_unanswered_incoming_calls_of_zero_length(subscriber) -> None:  # type: ignore[no-untyped-def]
    calls = list(subscriber.calls)
    missed = [c for c in calls if c.missed]
    assert missed
    for call in missed:
        assert call.direction is CallDirection.INCOMING
        assert not call.answered
        assert call.duration == timedelta(0)
        assert call.cost.amount == 0
    assert all(c.duration == timedelta(0) for c in calls if not c.answered)


def test_records_are_in_the_accounts_zone_and_in_the_past(subscriber) -> None:  # type: ignore[no-untyped-def]
    zone = subscriber.account.zone
    for record in [*subscriber.expenses, *subscriber.calls]:
        assert record.at.tzinfo == zone
        assert record.at <= NOW


def test_each_bill_is_the_charges_of_its_period(subscriber) -> None:  # type: ignore[no-untyped-def]
    zone = subscriber.account.zone
    for bill in subscriber.bills:
        charged = sum(
            (
                e.cost.amount
                for e in subscriber.expenses
                if e.cost.amount > 0
                and bill.period_start <= e.at.astimezone(zone).date() <= bill.period_end
            ),
            Decimal(0),
        )
        assert bill.amount_due == charged, bill.id
        assert bill.due_date == bill.issued_on + timedelta(days=20)
        assert bill.issued_on == bill.period_end + timedelta(days=1)


def test_the_newest_bill_is_open_and_the_one_before_it_overdue(subscriber) -> None:  # type: ignore[no-untyped-def]
    today = subscriber.today(NOW)
    states = [bill.state_on(today) for bill in subscriber.bills]
    assert states[-1] is BillState.ISSUED
    assert states[-2] is BillState.OVERDUE
    assert all(state is BillState.PAID for state in states[:-2])


def test_the_demo_subscriber_has_a_year_of_varied_history(operator: FakeOperator) -> None:
    demo = operator.subscriber("demo")
    kinds = {e.kind for e in demo.expenses}
    assert {
        ExpenseKind.VOICE_OUT,
        ExpenseKind.VOICE_IN,
        ExpenseKind.SMS,
        ExpenseKind.DATA,
        ExpenseKind.SUBSCRIPTION_FEE,
        ExpenseKind.ROAMING,
        ExpenseKind.TOP_UP,
    } <= kinds
    assert len(demo.calls) > 2000
    assert sum(1 for c in demo.calls if c.missed) > 100
    assert len(demo.bills) >= 11
    fees = [e for e in demo.expenses if e.kind is ExpenseKind.SUBSCRIPTION_FEE]
    assert len(fees) == len(demo.bills) + 1
    first = min(e.at for e in demo.expenses)
    assert NOW - first > timedelta(days=330)
    assert {e.roaming_country for e in demo.expenses if e.kind is ExpenseKind.ROAMING} == {"TR"}


def test_same_seed_same_data_other_seed_other_data() -> None:
    def fingerprint(seed: int) -> list[tuple[str, str, str]]:
        sc = Selfcare.fake(seed=seed, clock=ManualClock(NOW))
        return [(e.id, e.at.isoformat(), str(e.cost)) for e in sc.expenses.list().first(50)]

    assert fingerprint(42) == fingerprint(42)
    assert fingerprint(42) != fingerprint(7)


def test_subscribers_use_their_own_currency_and_zone(operator: FakeOperator) -> None:
    kz = operator.subscriber("aigerim")
    assert kz.account.currency == "KZT" and kz.account.time_zone == "Asia/Almaty"
    assert {e.cost.currency for e in kz.expenses} == {"KZT"}
