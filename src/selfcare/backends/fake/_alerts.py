"""Alerts the subscriber sets, as the fake operator keeps them: each fires once per crossing.

* balance below an amount: ``balance.low`` when an entry takes the balance from at or above
  the amount to below it; it re-arms when an entry brings the balance back to the amount;
* spending above an amount in a day or a billing period: ``spending.above`` when the
  period's charges go above it, once per period;
* a bill due within some days: ``bill.due_soon`` when the clock reaches that many days
  before an unpaid bill's due date, once per bill.

An alert only looks at crossings after it is set: setting ``balance_below`` above the
balance you have now does not fire until the balance has been back above it and falls again.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

import attrs
from dateutil.relativedelta import relativedelta

from selfcare._time import day_start
from selfcare.model import Balance, Expense, Money
from selfcare.model.events import Alerts, EventType, Spending, SpendingLimit, SpendingPeriod

if TYPE_CHECKING:
    from selfcare.backends.fake._state import Subscriber

__all__ = ["AlertState", "period_start"]


def period_start(sub: Subscriber, day: date, period: SpendingPeriod) -> date:
    """The first day of the ``period`` that ``day`` falls in."""
    if period is SpendingPeriod.DAY:
        return day
    billing_day = sub.account.billing_day
    if day.day >= billing_day:
        return day.replace(day=billing_day)
    return (day - relativedelta(months=1)).replace(day=billing_day)


@attrs.define
class AlertState:
    """The alerts set on a line and where each stands."""

    balance_below: Decimal | None = None
    below: bool = False
    """The balance is below ``balance_below`` (so the alert waits to re-arm)."""
    bill_due_within: timedelta | None = None
    warned_bills: set[str] = attrs.field(factory=set)
    spending_above: Decimal | None = None
    spending_period: SpendingPeriod = SpendingPeriod.MONTH
    spent_since: date | None = None
    spent: Decimal = Decimal(0)
    spending_fired: bool = False

    def view(self, sub: Subscriber) -> Alerts:
        spending = None
        if self.spending_above is not None:
            spending = SpendingLimit(sub.money(self.spending_above), self.spending_period)
        return Alerts(
            balance_below=None if self.balance_below is None else sub.money(self.balance_below),
            bill_due_within=self.bill_due_within,
            spending_above=spending,
        )

    def set_balance_below(self, sub: Subscriber, amount: Decimal) -> None:
        self.balance_below = amount
        self.below = sub.balance < amount

    def set_spending_above(
        self, sub: Subscriber, now: datetime, amount: Decimal, period: SpendingPeriod
    ) -> None:
        """Start counting the current period's charges so far."""
        self.spending_above, self.spending_period = amount, period
        start = period_start(sub, sub.today(now), period)
        self.spent_since = start
        self.spent = _charges_since(sub, start)
        self.spending_fired = self.spent > amount

    def set_bill_due_within(self, sub: Subscriber, now: datetime, within: timedelta) -> None:
        """Bills already inside the window when it is set are not warned about."""
        self.bill_due_within = within
        today = sub.today(now)
        self.warned_bills = {bill.id for bill in sub.bills if bill.due_date - within <= today}

    def after_post(self, sub: Subscriber, expense: Expense) -> None:
        """Check the alerts an entry of the detailed bill can cross."""
        if self.balance_below is not None:
            below = expense.balance_after.amount < self.balance_below
            if below and not self.below:
                sub.events.stage(
                    expense.at,
                    EventType.BALANCE_LOW,
                    Balance(
                        amount=expense.balance_after,
                        credit_limit=sub.money(sub.credit_limit),
                        as_of=expense.at,
                    ),
                )
            self.below = below
        if self.spending_above is not None and expense.cost.amount > 0:
            start = period_start(sub, sub.today(expense.at), self.spending_period)
            if start != self.spent_since:
                self.spent_since, self.spent, self.spending_fired = start, Decimal(0), False
            self.spent += expense.cost.amount
            if self.spent > self.spending_above and not self.spending_fired:
                self.spending_fired = True
                sub.events.stage(
                    expense.at,
                    EventType.SPENDING_ABOVE,
                    Spending(
                        period=self.spending_period,
                        period_start=start,
                        spent=sub.money(self.spent),
                        limit=sub.money(self.spending_above),
                    ),
                )


def _charges_since(sub: Subscriber, start: date) -> Decimal:
    since = day_start(start, sub.account.zone)
    total = Decimal(0)
    for expense in reversed(list(sub.expenses)):
        if expense.at < since:
            break
        if expense.cost.amount > 0:
            total += expense.cost.amount
    return total


def money_or_none(value: Money | None) -> Decimal | None:
    return None if value is None else value.amount
