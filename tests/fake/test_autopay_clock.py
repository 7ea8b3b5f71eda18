"""Autopay driven by the fake's clock: each occurrence of the rule tops up exactly when the
balance at that moment (billing periods closed up to it) is below the threshold, however the
clock jumps, and the ledger and bills keep their invariants."""

from datetime import timedelta
from decimal import Decimal

from dateutil import rrule
from hypothesis import given, settings
from hypothesis import strategies as st

from selfcare import Money, Selfcare
from selfcare._time import day_start
from selfcare.backends.fake import FakeOperator, ManualClock
from tests.conftest import NOW
from tests.fake.test_invariants import (
    test_balance_is_opening_plus_credits_minus_charges as check_balance,
)
from tests.fake.test_invariants import test_each_bill_is_the_charges_of_its_period as check_bills

SCHEDULES = st.sampled_from(
    [
        "FREQ=DAILY;BYHOUR=9",
        "FREQ=HOURLY;BYMINUTE=15",
        "FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=8;BYMINUTE=30",
        "FREQ=MONTHLY;BYMONTHDAY=1,15",
        "FREQ=DAILY;INTERVAL=3",
    ]
)
JUMPS = st.lists(st.integers(min_value=1, max_value=24 * 40), min_size=1, max_size=5)


@settings(max_examples=10, deadline=None)
@given(SCHEDULES, JUMPS, st.integers(min_value=-500, max_value=3000))
def test_each_occurrence_tops_up_exactly_when_below(
    schedule: str, jumps: list[int], above: int
) -> None:
    clock = ManualClock(NOW)
    operator = FakeOperator(seed=42, clock=clock)
    sc = Selfcare.fake(operator=operator)
    sub = operator.subscriber()
    threshold = sub.balance + above
    sc.payments.set_autopay(threshold=threshold, amount=400, method="card:tok_visa_4242")
    sc.payments.set_autopay(
        threshold=threshold, amount=400, method="card:tok_visa_4242", schedule=schedule
    )
    for hours in jumps:
        clock.advance(timedelta(hours=hours))
        sc.account.balance()  # any operation lets the fake catch up with its clock
    end = clock.now()
    zone = sub.account.zone
    start = day_start(NOW.astimezone(zone).date(), zone)
    occurrences = rrule.rrulestr(schedule, dtstart=start).between(NOW, end, inc=True)
    occurrences = [at for at in occurrences if at > NOW]
    ledger = list(sub.expenses)
    topped = {p.at: p for p in sub.payments if p.at > NOW}
    assert set(topped) <= set(occurrences)
    for at in occurrences:
        # What the rule saw: the ledger up to the occurrence (a fee the clock posted at that
        # very instant included), without the top-up itself.
        made = topped[at].expense_id if at in topped else None
        before = [e for e in ledger if e.at <= at and e.id != made]
        balance = before[-1].balance_after.amount if before else sub.opening_balance
        assert (at in topped) == (balance < threshold), (at, balance, threshold)
        if at in topped:
            assert topped[at].amount == Money(Decimal(400), "RUB")
    logged = [r for r in sub.operations if r.channel == "autopay"]
    assert [r.at for r in logged] == sorted(topped)
    check_balance(sub)
    check_bills(sub)
