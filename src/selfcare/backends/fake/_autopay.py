"""Autopay in the fake: a rule that tops the account up when its balance runs low.

Like the billing period's close, autopay is driven lazily by the clock: before every
operation the fake calls :func:`run_autopay`, which walks the rule's RRULE occurrences
(``dateutil.rrule``, in the account's zone) between the last check and now. At each one the
periods that ended by then are closed first (so a monthly fee due before the occurrence is
on the balance it sees), and if the balance is below the threshold the amount is charged
exactly as ``pay`` charges it: a payment in the history, a ``top_up`` credit in the ledger
paying the oldest open bill, and a ``pay`` entry with channel ``autopay`` in the operation log
(failed, with the bank's reason, when the card is declined). Each occurrence tops up at most
once, however far the clock jumped.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal

import attrs
from dateutil import rrule

from selfcare._errors import PaymentDeclined, ValidationError
from selfcare._time import day_start
from selfcare.backends.fake._billing import close_periods
from selfcare.backends.fake._events import advance
from selfcare.backends.fake._handlers import Session, handles
from selfcare.backends.fake._payments import charge, check_currency
from selfcare.backends.fake._state import Subscriber
from selfcare.model import AutopayRule, OperationStatus, PaymentMethod
from selfcare.model.payment import check_autopay_schedule
from selfcare.operations import DisableAutopay, GetAutopay, Pay, SetAutopay

__all__ = ["AUTOPAY_CHANNEL", "AutopaySetting", "run_autopay"]

AUTOPAY_CHANNEL = "autopay"
"""The channel autopay's top-ups carry in the operation log."""


@attrs.define
class AutopaySetting:
    """An autopay rule as the operator stores it (with the unmasked method it charges)."""

    threshold: Decimal
    amount: Decimal
    method: PaymentMethod = attrs.field(repr=False)
    schedule: str
    created_at: datetime
    recurrence: rrule.rrule = attrs.field(repr=False)
    checked_through: datetime
    """Occurrences up to this instant have been dealt with."""
    upcoming: datetime | None = None
    """The next occurrence after ``checked_through`` (``None``: the rule never occurs again)."""
    last_topup_at: datetime | None = None

    @classmethod
    def start(cls, sub: Subscriber, now: datetime, op: SetAutopay) -> AutopaySetting:
        """A rule set at ``now``: its parts left out of the RRULE are midnight of today."""
        schedule = check_autopay_schedule(op.schedule)
        dtstart = day_start(sub.today(now), sub.account.zone)
        recurrence = rrule.rrulestr(schedule, dtstart=dtstart)
        assert isinstance(recurrence, rrule.rrule)  # one RRULE value, never a set
        return cls(
            threshold=op.threshold.amount,
            amount=op.amount.amount,
            method=op.method,
            schedule=schedule,
            created_at=now,
            recurrence=recurrence,
            checked_through=now,
            upcoming=recurrence.after(now),
        )

    def view(self, sub: Subscriber) -> AutopayRule:
        return AutopayRule(
            threshold=sub.money(self.threshold),
            amount=sub.money(self.amount),
            method=str(self.method),
            schedule=self.schedule,
            created_at=self.created_at,
            last_topup_at=self.last_topup_at,
        )

    def due(self, now: datetime) -> Iterator[datetime]:
        """The occurrences after the last check up to ``now``, oldest first."""
        if self.upcoming is None or self.upcoming > now:
            return
        later: Iterator[datetime] = self.recurrence.xafter(self.upcoming, inc=True)
        for occurrence in later:
            if occurrence > now:
                self.upcoming = occurrence
                return
            yield occurrence
            self.checked_through = occurrence
        self.upcoming = None


def run_autopay(sub: Subscriber, now: datetime) -> None:
    """Top up at each occurrence of the subscriber's rule up to ``now`` where the balance
    is below the threshold."""
    setting = sub.autopay
    if setting is None:
        return
    for occurrence in setting.due(now):
        close_periods(sub, occurrence)
        advance(sub, occurrence)  # what happened before this top-up, before it
        if sub.balance >= setting.threshold:
            continue
        at = sub.entry_time(occurrence)
        amount = sub.money(setting.amount)
        logged = Pay(amount=amount, method=setting.method)
        try:
            charge(sub, at, amount, setting.method)
        except PaymentDeclined as exc:
            sub.log_operation(at, AUTOPAY_CHANNEL, logged, OperationStatus.FAILED, str(exc))
            continue
        setting.last_topup_at = at
        sub.log_operation(at, AUTOPAY_CHANNEL, logged, OperationStatus.DONE)


@handles(GetAutopay)
def get_autopay(s: Session, op: GetAutopay) -> AutopayRule | None:
    setting = s.subscriber.autopay
    return None if setting is None else setting.view(s.subscriber)


@handles(SetAutopay)
def set_autopay(s: Session, op: SetAutopay) -> AutopayRule:
    sub = s.subscriber
    check_currency(sub, op.threshold, "threshold")
    check_currency(sub, op.amount, "amount")
    if op.threshold.amount < -sub.credit_limit:
        raise ValidationError(
            f"threshold {op.threshold} is below what the balance can reach with this account's "
            f"credit limit of {sub.money(sub.credit_limit)}: it would never top up",
            field="threshold",
        )
    sub.autopay = AutopaySetting.start(sub, s.now, op)
    return sub.autopay.view(sub)


@handles(DisableAutopay)
def disable_autopay(s: Session, op: DisableAutopay) -> AutopayRule | None:
    sub = s.subscriber
    setting, sub.autopay = sub.autopay, None
    return None if setting is None else setting.view(sub)
