"""The fake's event rules and handlers: what fires when the clock passes an instant, the
event log's listing and reading, and the alerts.

Before every operation the backend calls :func:`advance`, which fires, at their own
instants, what the clock has passed since the last call: messages reaching their final
status, complaints moving on, bills becoming overdue or due soon. Events of the rules that
run inside operations (a payment, a connected service, a sign-in…) are staged where they
happen; ``FakeBackend`` flushes them all after the operation, in the order they happened.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from selfcare._client.paging import Page
from selfcare._errors import ValidationError
from selfcare._time import day_start
from selfcare.backends.fake._eventlog import watch_complaint
from selfcare.backends.fake._handlers import Session, handles
from selfcare.backends.fake._payments import check_currency
from selfcare.backends.fake._state import Subscriber
from selfcare.model import MessageStatus
from selfcare.model.events import AlertName, Alerts, Event, EventType
from selfcare.operations import DisableAlerts, GetAlerts, ListEvents, ReadEvents, SetAlerts

__all__ = ["advance", "start_events"]

_MESSAGE_EVENTS = {
    MessageStatus.DELIVERED: EventType.MESSAGE_DELIVERED,
    MessageStatus.EXPIRED: EventType.MESSAGE_EXPIRED,
    MessageStatus.UNDELIVERABLE: EventType.MESSAGE_FAILED,
    MessageStatus.FAILED: EventType.MESSAGE_FAILED,
    MessageStatus.PARTIALLY_DELIVERED: EventType.MESSAGE_FAILED,
}
"""A message's final status and the event it makes (``sent``, without a delivery report,
makes none: nobody reported a delivery)."""


def start_events(sub: Subscriber, now: datetime) -> None:
    """Start the line's event log at ``now``; complaints still moving get their timers."""
    sub.events.start(now)
    for record in sub.complaints:
        watch_complaint(sub, record.id, record.at, after=now)


def advance(sub: Subscriber, now: datetime) -> None:
    """Fire what the clock passed since the last call, each at its own instant."""
    log = sub.events
    last = log.checked_through
    if last is None or now <= last:
        return
    for at, what, key in log.due(now):
        if what == "message":
            _message_final(sub, at, key)
        elif what == "complaint":
            record = next((r for r in sub.complaints if r.id == key), None)
            if record is not None:
                log.stage(at, EventType.COMPLAINT_UPDATED, record.view(at))
    zone = sub.account.zone
    within = sub.alerts.bill_due_within
    for bill in sub.bills:
        if bill.remaining <= 0:
            continue
        if within is not None and bill.id not in sub.alerts.warned_bills:
            soon = day_start(bill.due_date - within, zone)
            if last < soon <= now:
                sub.alerts.warned_bills.add(bill.id)
                log.stage(soon, EventType.BILL_DUE_SOON, bill.view(sub.today(soon), sub.currency))
        overdue = day_start(bill.due_date + timedelta(days=1), zone)
        if last < overdue <= now:
            log.stage(overdue, EventType.BILL_OVERDUE, bill.view(sub.today(overdue), sub.currency))
    log.checked_through = now


def _message_final(sub: Subscriber, at: datetime, message_id: str) -> None:
    record = sub.mailbox.by_id.get(message_id)
    if record is None or record.cancelled_at is not None:
        return
    message = record.view(at)
    kind = _MESSAGE_EVENTS.get(message.status)
    if kind is not None:
        sub.events.stage(at, kind, message)


@handles(ListEvents)
def list_events(s: Session, op: ListEvents) -> Page[Event]:
    wanted = frozenset(op.types)
    return s.subscriber.events.log.page(
        since=op.since,
        until=op.until,
        cursor=op.cursor,
        limit=op.limit,
        match=lambda event: not wanted or event.type in wanted,
    )


@handles(ReadEvents)
def read_events(s: Session, op: ReadEvents) -> tuple[Event, ...]:
    return s.subscriber.events.read(op.after, op.types, op.limit)


@handles(GetAlerts)
def get_alerts(s: Session, op: GetAlerts) -> Alerts:
    return s.subscriber.alerts.view(s.subscriber)


@handles(SetAlerts)
def set_alerts(s: Session, op: SetAlerts) -> Alerts:
    sub = s.subscriber
    state = sub.alerts
    if op.balance_below is not None:
        check_currency(sub, op.balance_below, "balance_below")
        floor = -sub.credit_limit
        if op.balance_below.amount <= floor:
            raise ValidationError(
                f"balance_below={op.balance_below} is at or below what the balance can reach "
                f"with this account's credit limit of {sub.money(sub.credit_limit)}: it would "
                "never fire",
                field="balance_below",
            )
    if op.spending_above is not None:
        check_currency(sub, op.spending_above.amount, "spending_above")
    if op.balance_below is not None:
        state.set_balance_below(sub, op.balance_below.amount)
    if op.spending_above is not None:
        limit = op.spending_above
        state.set_spending_above(sub, s.now, limit.amount.amount, limit.period)
    if op.bill_due_within is not None:
        state.set_bill_due_within(sub, s.now, op.bill_due_within)
    return state.view(sub)


@handles(DisableAlerts)
def disable_alerts(s: Session, op: DisableAlerts) -> Alerts:
    state = s.subscriber.alerts
    for name in op.alerts or tuple(AlertName):
        if name is AlertName.BALANCE_BELOW:
            state.balance_below = None
        elif name is AlertName.BILL_DUE_WITHIN:
            state.bill_due_within = None
        else:
            state.spending_above = None
    return state.view(s.subscriber)
