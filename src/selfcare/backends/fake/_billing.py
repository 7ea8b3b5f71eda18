"""Billing periods that close as the clock moves: the fake's lazy month-end.

Before every operation the fake calls :func:`close_periods`. If the clock has reached the
next billing day, the ended period's bill is issued (exactly its charges, due
:data:`~selfcare.backends.fake._seed.PAYMENT_TERM` later) and the new period's monthly fees
are charged — the tariff plan's and each connected monthly option's — once per period,
however far the clock jumped. (Daily options are charged for their first day when connected;
the fake does not simulate the days of use that later daily fees follow.)
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from selfcare._time import day_start
from selfcare.backends.fake._catalog import offer
from selfcare.backends.fake._seed import PAYMENT_TERM
from selfcare.backends.fake._state import BillRecord, Subscriber
from selfcare.model import ChargePeriod, ExpenseKind

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
        at = min(day_start(billing_day, zone) + _FEE_OFFSET, now)
        last = sub.expenses.last()
        if last is not None and last.at > at:
            at = last.at  # keep the ledger append-only so balances chain entry by entry
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
    return issued
