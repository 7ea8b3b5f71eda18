"""sc.payments (debts, paying, history, billing periods), on every contract configuration."""

import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest

from selfcare import (
    BillState,
    CurrencyMismatch,
    ExpenseKind,
    IdempotencyKeyReused,
    InvalidMoney,
    Money,
    NotFound,
    Payment,
    PaymentDeclined,
    PaymentMethod,
    PaymentStatus,
    ValidationError,
)
from selfcare.operations import Capability
from tests.conftest import MOSCOW, NOW

pytestmark = pytest.mark.requires(Capability.PAYMENTS)

CARD = "card:tok_visa_4242424242424242"


def _rub(amount: str) -> Money:
    return Money(amount, "RUB")


def test_debts_are_the_accounts_debts_and_next_due_is_the_soonest(sc) -> None:
    debts = sc.account.debts().to_list()
    assert debts == sc.account.debts().to_list()
    assert len(debts) == 2
    assert sc.payments.next_due() == min(debts, key=lambda bill: bill.due_date)
    assert sc.payments.next_due().is_overdue


def test_next_due_is_none_when_nothing_is_owed(sc) -> None:
    owed = Money.sum((bill.remaining for bill in sc.account.debts().to_list()), "RUB")
    sc.payments.pay(owed, method=CARD)
    assert sc.account.debts().to_list() == []
    assert sc.payments.next_due() is None


def test_bill_expenses_are_the_charges_of_its_period(sc) -> None:
    for bill in sc.account.bills().to_list()[-3:]:
        by_id = list(sc.payments.bill_expenses(bill.id, page_size=200))
        assert by_id == list(sc.payments.bill_expenses(bill))
        assert Money.sum((e.cost for e in by_id), "RUB") == bill.amount_due
        days = {e.at.astimezone(NOW.tzinfo).date() for e in by_id}
        assert min(days) >= bill.period_start and max(days) <= bill.period_end
        assert not any(e.is_credit for e in by_id)
        assert ExpenseKind.SUBSCRIPTION_FEE in {e.kind for e in by_id}


def test_bill_expenses_of_an_unknown_bill_fail_at_the_call(sc) -> None:
    with pytest.raises(NotFound, match="b-1999-01"):
        sc.payments.bill_expenses("b-1999-01")
    with pytest.raises(ValidationError, match="42"):
        sc.payments.bill_expenses(42)


def test_a_partial_payment_goes_to_the_oldest_open_bill(sc) -> None:
    overdue, current = sc.account.debts().to_list()
    before = sc.account.balance().amount
    payment = sc.payments.pay("100", method=CARD)
    assert isinstance(payment, Payment)
    assert payment.amount == _rub("100.00") and payment.status is PaymentStatus.SUCCEEDED
    assert payment.bills == (overdue.id,)
    assert payment.method == "card:***4242"
    assert sc.account.balance().amount == before + _rub("100")
    after_overdue, after_current = sc.account.debts().to_list()
    assert after_overdue.remaining == overdue.remaining - _rub("100")
    assert after_overdue.state is BillState.OVERDUE  # still something left after its due date
    assert after_current == current


def test_a_payment_spills_over_to_the_next_bill(sc) -> None:
    overdue, current = sc.account.debts().to_list()
    extra = _rub("50")
    payment = sc.payments.pay(overdue.remaining + extra, method="wallet:ym-100500")
    assert payment.bills == (overdue.id, current.id)
    assert payment.method == "wallet:ym-100500"
    (left,) = sc.account.debts().to_list()
    assert left.id == current.id and left.remaining == current.remaining - extra
    assert left.state is BillState.PARTIALLY_PAID


def test_overdue_follows_the_clock_after_a_partial_payment(sc, clock) -> None:
    overdue = sc.account.debts().to_list()[0]
    sc.payments.pay(overdue.remaining + _rub("10"), method=CARD)
    (bill,) = sc.account.debts().to_list()
    assert bill.state is BillState.PARTIALLY_PAID
    clock.advance(timedelta(days=(bill.due_date - NOW.date()).days))  # the due date itself
    assert sc.payments.next_due().state is BillState.PARTIALLY_PAID
    clock.advance(timedelta(days=1))
    late = next(b for b in sc.account.debts().to_list() if b.id == bill.id)
    assert late.state is BillState.OVERDUE and late.is_overdue
    sc.payments.pay(late.remaining, method=CARD)
    paid = next(b for b in sc.account.bills().to_list() if b.id == bill.id)
    assert paid.state is BillState.PAID and not paid.is_open


def test_a_payment_is_a_top_up_in_the_detailed_bill_and_logged(sc, operator) -> None:
    payment = sc.payments.pay(Decimal("250.50"), method=CARD)
    newest = sc.expenses.list().first(1)[0]
    assert newest.id == payment.expense_id
    assert newest.kind is ExpenseKind.TOP_UP and newest.cost == -_rub("250.50")
    log = list(operator.subscriber().operations)[-1]
    assert log.operation == "pay" and log.status.value == "done"
    assert log.parameter("method") == "card:***4242"
    assert "4242424242424242" not in repr(log)


@pytest.mark.parametrize("amount", [100, Decimal("100"), "100", "100.00", _rub("100")])
def test_amount_accepts_money_decimal_int_and_numeric_strings(sc, amount) -> None:
    assert sc.payments.pay(amount, method=CARD).amount == _rub("100")


@pytest.mark.parametrize(
    ("amount", "error", "named"),
    [
        (0, InvalidMoney, "0"),
        (-5, InvalidMoney, "-5"),
        ("100000.01", InvalidMoney, "100000.01 RUB"),
        ("12.345", InvalidMoney, "12.345"),
        (12.5, InvalidMoney, "12.5"),
        ("lots", InvalidMoney, "lots"),
        (Money("10", "KZT"), CurrencyMismatch, "KZT"),
        ([10], ValidationError, "[10]"),
    ],
)
def test_bad_amounts_are_refused_naming_the_value(sc, operator, amount, error, named) -> None:
    logged = len(operator.subscriber().operations)
    with pytest.raises(error, match=named.replace(".", r"\.").replace("[", r"\[")) as caught:
        sc.payments.pay(amount, method=CARD)
    assert caught.value.field == "amount"
    assert len(operator.subscriber().operations) == logged  # refused before anything was sent


def test_a_decimal_comma_is_a_decimal_point_in_what_people_type(sc, operator) -> None:
    """Amounts people type take a decimal comma, on every backend (the SDK reads it before
    sending); "1,000" could mean a thousand, so a comma before exactly three digits is refused
    as ambiguous, and grouping separators are refused (docs/payments.md, issue 15)."""
    assert sc.payments.pay("12,50", method=CARD).amount == _rub("12.50")
    assert sc.payments.pay(" 7,5 ", method=CARD).amount == _rub("7.50")
    logged = len(operator.subscriber().operations)
    for bad, named in [("1,000", "ambiguous"), ("1,234.50", "1,234.50"), ("1 000", "1 000")]:
        with pytest.raises(InvalidMoney, match=named) as caught:
            sc.payments.pay(bad, method=CARD)
        assert caught.value.field == "amount"
    assert len(operator.subscriber().operations) == logged


def test_the_maximum_itself_is_accepted(sc) -> None:
    assert sc.payments.pay("100000", method=CARD).amount == _rub("100000")


@pytest.mark.parametrize("method", ["paypal:x1234567", "card:short", "wallet:a", "tok_123456789"])
def test_bad_methods_are_refused(sc, method) -> None:
    with pytest.raises(ValidationError) as caught:
        sc.payments.pay(100, method=method)
    assert caught.value.field == "method"


def test_a_declined_payment_changes_nothing_but_is_in_the_history(sc, operator) -> None:
    before = sc.account.balance().amount
    debts = sc.account.debts().to_list()
    with pytest.raises(PaymentDeclined, match=r"card:\*\*\*0002"):
        sc.payments.pay(300, method=PaymentMethod.card("tok_declined_0002"))
    assert sc.account.balance().amount == before
    assert sc.account.debts().to_list() == debts
    declined = sc.payments.list().first(1)[0]
    assert declined.status is PaymentStatus.DECLINED and not declined.succeeded
    assert declined.expense_id is None and declined.bills == ()
    log = list(operator.subscriber().operations)[-1]
    assert log.status.value == "failed" and "declined" in log.reason


def test_the_same_idempotency_key_pays_once(sc) -> None:
    before = sc.account.balance().amount
    first = sc.payments.pay(200, method=CARD, idempotency_key="pay-2026-11-25-a")
    again = sc.payments.pay("200", method=CARD, idempotency_key="pay-2026-11-25-a")
    assert again == first
    assert sc.account.balance().amount == before + _rub("200")
    with pytest.raises(IdempotencyKeyReused, match="pay-2026-11-25-a"):
        sc.payments.pay(300, method=CARD, idempotency_key="pay-2026-11-25-a")


def test_history_lists_payments_newest_first_and_filters_by_time(sc) -> None:
    seeded = list(sc.payments.list())
    assert len(seeded) >= 10  # a year of monthly bank-card top-ups
    keys = [(p.at, p.id) for p in seeded]
    assert keys == sorted(keys, reverse=True)
    assert all(p.status is PaymentStatus.SUCCEEDED for p in seeded)
    made = sc.payments.pay(10, method=CARD)
    assert sc.payments.list(since=NOW).to_list() == [made]
    october = list(sc.payments.list(since=date(2026, 10, 1), until=date(2026, 10, 31)))
    assert october and all(p.at.month == 10 for p in october)
    assert list(sc.payments.list(page_size=2)) == [made, *seeded]


def test_history_matches_the_top_ups_of_the_detailed_bill(sc) -> None:
    payments = {p.expense_id: p for p in sc.payments.list()}
    top_ups = list(sc.expenses.list(kinds="top_up"))
    assert set(payments) == {e.id for e in top_ups}
    for expense in top_ups:
        assert payments[expense.id].amount == -expense.cost
        assert payments[expense.id].at == expense.at


def test_the_next_billing_day_issues_a_bill_and_charges_the_fee(sc, clock) -> None:
    bills = sc.account.bills().to_list()
    last = bills[-1]
    next_day = date(2026, 12, 15)
    assert last.issued_on == date(2026, 11, 15)
    clock.advance(timedelta(days=(next_day - NOW.date()).days - 1))
    assert [b.id for b in sc.account.bills().to_list()] == [b.id for b in bills]  # the day before
    clock.advance(timedelta(days=1))
    new = sc.account.bills().to_list()
    assert len(new) == len(bills) + 1
    bill = new[-1]
    assert (bill.id, bill.period_start, bill.period_end) == (
        "b-2026-11",
        date(2026, 11, 15),
        date(2026, 12, 14),
    )
    assert bill.issued_on == next_day and bill.due_date == next_day + timedelta(days=20)
    assert bill.state is BillState.ISSUED and bill.remaining == bill.amount_due
    assert Money.sum((e.cost for e in sc.payments.bill_expenses(bill)), "RUB") == bill.amount_due
    fee = sc.expenses.list(kinds="subscription_fee").first(1)[0]
    assert fee.at.astimezone(MOSCOW).date() == next_day and fee.cost == _rub("550")
    assert sc.account.bills().to_list() == new  # once per period, however often it is asked


def test_a_long_jump_issues_every_missed_bill(sc, clock) -> None:
    count = len(sc.account.bills().to_list())
    clock.advance(timedelta(days=100))  # 2027-03-05: Dec, Jan and Feb billing days passed
    bills = sc.account.bills().to_list()
    assert [b.id for b in bills[count:]] == ["b-2026-11", "b-2026-12", "b-2027-01"]
    for earlier, later in itertools.pairwise(bills):
        assert later.period_start == earlier.period_end + timedelta(days=1)
    assert all(b.is_overdue for b in sc.account.debts().to_list()[:-1])


@pytest.mark.requires(Capability.BILLS)
def test_old_names_still_work_and_say_what_to_call_instead(sc) -> None:
    with pytest.warns(DeprecationWarning, match=r"use sc\.account\.debts\(\)"):
        assert sc.payments.debts() == sc.account.debts().to_list()
    with pytest.warns(DeprecationWarning, match=r"use sc\.payments\.list\(\)"):
        assert sc.payments.history().first(3) == sc.payments.list().first(3)
    if Capability.LOGINS in sc.capabilities:
        with pytest.warns(DeprecationWarning, match=r"use sc\.logins\.list\(\)"):
            assert sc.logins.history().first(3) == sc.logins.list().first(3)
