"""The fake's payment rules keep the operator's invariants: credits fill the oldest bills first,
the payment history mirrors the top-ups, and periods closed by the clock bill exactly their
charges."""

from datetime import timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from selfcare import ExpenseKind
from selfcare.backends.fake import FakeOperator, ManualClock
from selfcare.backends.fake._billing import close_periods
from tests.conftest import NOW
from tests.fake.test_invariants import (
    test_balance_is_opening_plus_credits_minus_charges as check_balance,
)
from tests.fake.test_invariants import test_each_bill_is_the_charges_of_its_period as check_bills

AMOUNTS = st.lists(
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal(2000), places=2), max_size=6
)


@settings(max_examples=40, deadline=None)
@given(AMOUNTS)
def test_credits_fill_the_oldest_open_bills_first(amounts: list[Decimal]) -> None:
    sub = FakeOperator(seed=42, clock=ManualClock(NOW), profiles=_oleg()).subscriber("oleg")
    owed = [bill.remaining for bill in sub.bills]
    balance = sub.balance
    for n, amount in enumerate(amounts):
        payment = sub.top_up(NOW + timedelta(minutes=n), amount, "card:***0000", "test")
        assert payment.amount.amount == amount and payment.expense_id is not None
    total = sum(amounts, Decimal(0))
    assert sub.balance == balance + total
    left = [bill.remaining for bill in sub.bills]
    assert sum(owed) - sum(left) == min(total, sum(owed))
    assert all(after <= before for before, after in zip(owed, left, strict=True))
    open_bills = [n for n, remaining in enumerate(left) if remaining > 0]
    if open_bills:  # every bill before the first open one is paid; after it, untouched
        first = open_bills[0]
        assert left[first + 1 :] == owed[first + 1 :]
    check_balance(sub)


def test_history_mirrors_the_top_ups_of_every_subscriber() -> None:
    operator = FakeOperator(seed=42, clock=ManualClock(NOW))
    for sub in operator.subscribers.values():
        top_ups = [e for e in sub.expenses if e.kind is ExpenseKind.TOP_UP]
        assert [p.expense_id for p in sub.payments] == [e.id for e in top_ups]
        paid_bills = {bill for p in sub.payments for bill in p.bills}
        assert paid_bills == {b.id for b in sub.bills if b.paid > 0}


@settings(max_examples=15, deadline=None)
@given(st.integers(min_value=0, max_value=200), st.integers(min_value=0, max_value=23))
def test_periods_closed_by_the_clock_keep_the_invariants(days: int, hours: int) -> None:
    clock = ManualClock(NOW)
    sub = FakeOperator(seed=42, clock=clock, profiles=_oleg()).subscriber("oleg")
    fees = sum(1 for e in sub.expenses if e.kind is ExpenseKind.SUBSCRIPTION_FEE)
    count = len(sub.bills)
    now = clock.advance(timedelta(days=days, hours=hours))
    issued = close_periods(sub, now)
    assert close_periods(sub, now) == []  # once per period
    assert len(sub.bills) == count + len(issued)
    assert sub.bills[-1].issued_on <= sub.today(now) < sub.bills[-1].issued_on + timedelta(days=31)
    new_fees = sum(1 for e in sub.expenses if e.kind is ExpenseKind.SUBSCRIPTION_FEE) - fees
    assert new_fees == len(issued)
    check_bills(sub)
    check_balance(sub)


def _oleg():  # type: ignore[no-untyped-def]
    from selfcare.backends.fake import DEFAULT_PROFILES

    return [p for p in DEFAULT_PROFILES if p.key == "oleg"]
