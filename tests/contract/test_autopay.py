"""sc.payments autopay (top up when the balance runs low, on an RRULE), on every configuration."""

from datetime import datetime, timedelta

import pytest

from selfcare import (
    AutopayRule,
    CurrencyMismatch,
    ExpenseKind,
    IdempotencyKeyReused,
    InvalidMoney,
    Money,
    NotSupported,
    PaymentStatus,
    ValidationError,
)
from selfcare.operations import Capability
from tests.conftest import MOSCOW, NOW

CARD = "card:tok_visa_4242424242424242"
TOKEN = "tok_visa_4242424242424242"


def _rub(amount: object) -> Money:
    return Money(str(amount), "RUB")


def _autopay_payments(sc):  # type: ignore[no-untyped-def]
    return [p for p in sc.payments.list(since=NOW) if p.at > NOW]


@pytest.mark.requires(Capability.AUTOPAY)
def test_set_reads_back_masked_and_disable_removes_it(sc, operator) -> None:
    assert sc.payments.autopay() is None
    rule = sc.payments.set_autopay(threshold=100, amount="500", method=CARD)
    assert isinstance(rule, AutopayRule)
    assert rule.threshold == _rub("100.00") and rule.amount == _rub("500.00")
    assert rule.method == "card:***4242" and TOKEN not in repr(rule)
    assert rule.schedule == "FREQ=DAILY;BYHOUR=9"
    assert rule.created_at == NOW and rule.last_topup_at is None
    assert sc.payments.autopay() == rule
    log = list(operator.subscriber().operations)
    assert log[-1].operation == "set_autopay" and log[-1].status.value == "done"
    assert log[-1].parameter("method") == "card:***4242"
    assert not any(
        TOKEN in value for record in log for value in (p.value for p in record.parameters)
    )
    assert sc.payments.disable_autopay() == rule
    assert sc.payments.autopay() is None
    assert sc.payments.disable_autopay() is None  # already off: nothing to remove
    assert [r.operation for r in list(operator.subscriber().operations)[-2:]] == [
        "disable_autopay",
        "disable_autopay",
    ]


@pytest.mark.requires(Capability.AUTOPAY)
def test_the_clock_tops_up_once_per_occurrence_below_the_threshold(sc, clock, operator) -> None:
    balance = sc.account.balance().amount
    threshold = balance + _rub("700")
    sc.payments.set_autopay(
        threshold=threshold, amount=500, method=CARD, schedule="FREQ=DAILY;BYHOUR=9"
    )
    clock.advance(timedelta(hours=20))  # 26 Nov 08:00: no occurrence yet
    assert _autopay_payments(sc) == []
    clock.advance(timedelta(days=3))  # 29 Nov 08:00: 26, 27 and 28 Nov at 09:00 passed
    made = _autopay_payments(sc)[::-1]
    # 26th: below (b < b+700) → b+500; 27th: still below → b+1000; 28th: above, nothing.
    nine = [datetime(2026, 11, day, 9, 0, tzinfo=MOSCOW) for day in (26, 27)]
    assert [p.at for p in made] == nine
    assert all(p.amount == _rub("500.00") and p.method == "card:***4242" for p in made)
    assert all(p.status is PaymentStatus.SUCCEEDED for p in made)
    assert sc.account.balance().amount == balance + _rub("1000")
    assert sc.payments.autopay().last_topup_at == nine[-1]
    # As pay posts one: a top-up credit in the detailed bill, paying the oldest open bill.
    credits = {e.id: e for e in sc.expenses.list(since=NOW, kinds="top_up")}
    assert {p.expense_id for p in made} == set(credits)
    assert all(credits[p.expense_id].kind is ExpenseKind.TOP_UP for p in made)
    assert made[0].bills  # the seeded account owes: the money went to its oldest bill
    logged = [r for r in operator.subscriber().operations if r.channel == "autopay"]
    assert [(r.at, r.operation, r.status.value) for r in logged] == [
        (at, "pay", "done") for at in nine
    ]
    assert all(r.parameter("method") == "card:***4242" for r in logged)
    clock.advance(timedelta(days=2))  # above the threshold: no more top-ups
    assert len(_autopay_payments(sc)) == 2


@pytest.mark.requires(Capability.AUTOPAY)
def test_disabling_stops_the_top_ups(sc, clock) -> None:
    balance = sc.account.balance().amount
    sc.payments.set_autopay(threshold=balance + _rub("5000"), amount=100, method=CARD)
    clock.advance(timedelta(days=1))  # 26 Nov 12:00: one occurrence
    assert len(_autopay_payments(sc)) == 1
    sc.payments.disable_autopay()
    clock.advance(timedelta(days=5))
    assert len(_autopay_payments(sc)) == 1
    assert sc.account.balance().amount == balance + _rub("100")


@pytest.mark.requires(Capability.AUTOPAY)
def test_an_hourly_schedule_after_a_long_jump_tops_up_each_hour_until_above(sc, clock) -> None:
    balance = sc.account.balance().amount
    sc.payments.set_autopay(
        threshold=balance + _rub("350"), amount=100, method=CARD, schedule="FREQ=HOURLY;BYMINUTE=30"
    )
    clock.advance(timedelta(hours=10))
    made = _autopay_payments(sc)[::-1]
    assert [p.at for p in made] == [
        datetime(2026, 11, 25, hour, 30, tzinfo=MOSCOW) for hour in (12, 13, 14, 15)
    ]
    assert sc.account.balance().amount == balance + _rub("400")


@pytest.mark.requires(Capability.AUTOPAY)
def test_a_declined_card_logs_a_failed_top_up(sc, clock, operator) -> None:
    balance = sc.account.balance().amount
    sc.payments.set_autopay(
        threshold=balance + _rub("1"), amount=100, method="card:tok_declined_0002"
    )
    clock.advance(timedelta(days=1))
    declined = _autopay_payments(sc)
    assert [p.status for p in declined] == [PaymentStatus.DECLINED]
    assert sc.account.balance().amount == balance
    assert sc.payments.autopay().last_topup_at is None
    logged = [r for r in operator.subscriber().operations if r.channel == "autopay"]
    assert len(logged) == 1 and logged[0].status.value == "failed"
    assert "declined" in logged[0].reason


BAD = [
    ({"threshold": 1.5}, InvalidMoney, "threshold 1.5"),
    ({"threshold": "0.001"}, InvalidMoney, "threshold 0.001"),
    ({"threshold": Money("10", "USD")}, CurrencyMismatch, "threshold"),
    ({"amount": 12.5}, InvalidMoney, "amount 12.5"),
    ({"amount": 0}, InvalidMoney, "amount 0"),
    ({"amount": -5}, InvalidMoney, "amount -5"),
    ({"amount": 100_001}, InvalidMoney, "100001.00 RUB"),
    ({"amount": Money("10", "KZT")}, CurrencyMismatch, "KZT"),
    ({"method": "cash"}, ValidationError, "method"),
    ({"schedule": "FREQ=MINUTELY"}, ValidationError, "FREQ=MINUTELY"),
    ({"schedule": "FREQ=HOURLY;BYMINUTE=0,30"}, ValidationError, "more often than hourly"),
    ({"schedule": "every day"}, ValidationError, "'every day'"),
    ({"schedule": "FREQ=DAILY;COUNT=3"}, ValidationError, "COUNT"),
    ({"schedule": "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=31"}, ValidationError, "never occurs"),
]


@pytest.mark.requires(Capability.AUTOPAY)
@pytest.mark.parametrize(("change", "error", "named"), BAD, ids=[str(b[0]) for b in BAD])
def test_bad_rules_are_refused_before_sending(sc, operator, change, error, named) -> None:
    log = len(operator.subscriber().operations)
    args = {"threshold": 100, "amount": 500, "method": CARD, **change}
    with pytest.raises(error, match=named) as caught:
        sc.payments.set_autopay(**args)
    assert caught.value.field == next(iter(change))
    assert len(operator.subscriber().operations) == log  # nothing reached the operator
    assert sc.payments.autopay() is None


@pytest.mark.requires(Capability.AUTOPAY)
def test_a_threshold_the_balance_can_never_reach_is_refused(sc) -> None:
    with pytest.raises(ValidationError, match="credit limit") as caught:
        sc.payments.set_autopay(threshold=-1_000_000, amount=500, method=CARD)
    assert caught.value.field == "threshold"
    assert sc.payments.autopay() is None


@pytest.mark.requires(Capability.AUTOPAY)
def test_the_same_idempotency_key_sets_once(sc, clock, operator) -> None:
    first = sc.payments.set_autopay(
        threshold=100, amount=500, method=CARD, idempotency_key="autopay-2026-11-25"
    )
    clock.advance(timedelta(minutes=5))
    again = sc.payments.set_autopay(
        threshold="100", amount=500, method=CARD, idempotency_key="autopay-2026-11-25"
    )
    assert again == first and again.created_at == NOW
    sets = [r for r in operator.subscriber().operations if r.operation == "set_autopay"]
    assert len(sets) == 1
    with pytest.raises(IdempotencyKeyReused, match="autopay-2026-11-25"):
        sc.payments.set_autopay(
            threshold=200, amount=500, method=CARD, idempotency_key="autopay-2026-11-25"
        )


@pytest.mark.lacks(Capability.AUTOPAY)
def test_tmf_has_no_threshold_top_up(sc, configuration) -> None:
    assert configuration.startswith("tmf")  # the only backend without autopay
    with pytest.raises(NotSupported, match="threshold"):
        sc.payments.set_autopay(threshold=100, amount=500, method=CARD)
    with pytest.raises(NotSupported):
        sc.payments.autopay()
