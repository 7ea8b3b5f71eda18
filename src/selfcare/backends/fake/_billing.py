"""Billing periods that close as the clock moves: the fake's lazy month-end.

Before every operation the fake calls :func:`close_periods`. If the clock has reached the
next billing day, the ended period's bill is issued (exactly its charges, due
:data:`~selfcare.backends.fake._seed.PAYMENT_TERM` later) and the new period's monthly fees
are charged — the tariff plan's and each connected monthly option's — once per period,
however far the clock jumped. Options with a daily fee are charged for every day they stay
connected, each day's fee in the period it belongs to (an option charged only on the days
it is used, such as roaming, is charged for its first day: the fake simulates no roaming).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from selfcare._time import day_start
from selfcare.backends.fake._catalog import offer
from selfcare.backends.fake._seed import PAYMENT_TERM
from selfcare.backends.fake._state import BillRecord, Subscriber
from selfcare.model import ChargePeriod, ExpenseKind
from selfcare.model.events import EventType

__all__ = ["close_periods"]

_FEE_OFFSET = timedelta(seconds=5)  # the fee is posted just after midnight, as the seed does


def close_periods(sub: Subscriber, now: datetime) -> list[BillRecord]:
    """Issue the bill of every period that ended by ``now``; return the new bills."""
    issued: list[BillRecord] = []
    today = sub.today(now)
    zone = sub.account.zone
    while sub.bills:
        start = sub.bills[-1].issued_on
        billing_day = start + relativedelta(months=1)
        if today < billing_day:
            break
        _charge_daily_fees(sub, billing_day - timedelta(days=1), now)
        charges = sub.expenses.page(
            since=day_start(start, zone),
            until=day_start(billing_day, zone),
            cursor=None,
            limit=len(sub.expenses) + 1,
            match=lambda expense: expense.cost.amount > 0,
        )
        bill = BillRecord(
            id=f"b-{start:%Y-%m}",
            period_start=start,
            period_end=billing_day - timedelta(days=1),
            issued_on=billing_day,
            due_date=billing_day + PAYMENT_TERM,
            amount_due=sum((e.cost.amount for e in charges.items), Decimal(0)),
        )
        sub.bills.append(bill)
        issued.append(bill)
        at = _fee_time(sub, billing_day, now)
        sub.events.stage(at, EventType.BILL_ISSUED, bill.view(billing_day, sub.currency))
        sub.post(
            at,
            ExpenseKind.SUBSCRIPTION_FEE,
            sub.tariff.monthly_fee,
            f"Monthly fee: {sub.tariff.name}",
        )
        for code in sorted(sub.services):
            option = offer(sub.currency, code)
            if option.period is ChargePeriod.MONTH and option.recurring > 0:
                sub.post(
                    at,
                    ExpenseKind.SUBSCRIPTION_FEE,
                    option.recurring,
                    f"{option.name}: monthly fee",
                )
    _charge_daily_fees(sub, today, now)
    return issued


def _charge_daily_fees(sub: Subscriber, through: date, now: datetime) -> None:
    """Post every day's fee of the options charged daily, up to and including ``through``."""
    if not sub.daily_fees_through:
        return
    day = min(sub.daily_fees_through.values()) + timedelta(days=1)
    while day <= through:
        for code, paid in sorted(sub.daily_fees_through.items()):
            if paid < day:
                option = offer(sub.currency, code)
                sub.post(
                    _fee_time(sub, day, now),
                    ExpenseKind.SUBSCRIPTION_FEE,
                    option.recurring,
                    f"{option.name}: daily fee",
                )
                sub.daily_fees_through[code] = day
        day += timedelta(days=1)


def _fee_time(sub: Subscriber, day: date, now: datetime) -> datetime:
    """When a fee for ``day`` is posted: just after its midnight (never after ``now``), and
    never before the ledger's last entry, so balances chain entry by entry."""
    return sub.entry_time(min(day_start(day, sub.account.zone) + _FEE_OFFSET, now))
