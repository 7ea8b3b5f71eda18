"""Fake handlers for SMS and MMS: checks, charges (allowance first) and the message centre."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from selfcare._client.paging import Page
from selfcare._errors import Conflict, NotFound, ValidationError
from selfcare._rules.messaging import (
    MMS_MAX_SIZE,
    check_attachments,
    check_delivery_time,
    check_recipients,
    check_sender,
    check_sms_text,
    check_subject,
    check_validity,
)
from selfcare._time import day_start
from selfcare.backends.fake._eventlog import watch_message
from selfcare.backends.fake._handlers import Session, handles
from selfcare.backends.fake._mailbox import MessageRecord
from selfcare.backends.fake._state import Subscriber
from selfcare.model import ExpenseKind, PhoneNumber, Quantity, Unit
from selfcare.model.messaging import Message, MessageKind
from selfcare.operations import CancelMessage, GetMessage, ListMessages, SendMms, SendSms


def _period_start(sub: Subscriber, day: date) -> date:
    """The first day of the billing period ``day`` falls in."""
    billing_day = sub.account.billing_day
    if day.day >= billing_day:
        return day.replace(day=billing_day)
    return (day - relativedelta(months=1)).replace(day=billing_day)


def _sms_left(s: Session) -> int:
    """SMS parts left in this billing period's allowance."""
    sub = s.subscriber
    first_day = _period_start(sub, s.today)
    since = day_start(first_day, sub.account.zone)
    sent = sub.expenses.page(
        since=since,
        until=None,
        cursor=None,
        limit=len(sub.expenses) + 1,
        match=lambda e: (
            e.kind is ExpenseKind.SMS and e.volume is not None and e.volume.unit is Unit.SMS
        ),
    ).items
    used = sum(int(e.volume.value) for e in sent if e.volume is not None)
    used -= sub.mailbox.returned_sms.get(first_day, 0)
    return max(0, sub.tariff.sms - used)


def _check_funds(s: Session, costs: list[Decimal], what: str) -> None:
    sub = s.subscriber
    total = sum(costs, Decimal(0))
    available = sub.balance + sub.credit_limit
    if total > available:
        raise Conflict(
            f"the {what} costs {sub.money(total)} but only {sub.money(available)} is available "
            "(balance and credit limit); top up first",
            cost=str(total),
        )


def _charge(
    s: Session,
    kind: ExpenseKind,
    to: tuple[PhoneNumber, ...],
    costs: list[Decimal],
    unit: Unit,
    count: int,
    description: str,
) -> None:
    for number, cost in zip(to, costs, strict=True):
        s.subscriber.post(
            s.now, kind, cost, description, counterpart=number, volume=Quantity(count, unit)
        )


def _common(s: Session, op: SendSms | SendMms) -> None:
    region = s.subscriber.account.region
    check_recipients(op.to, region)
    check_sender(op.sender, region)
    check_validity(op.validity)
    check_delivery_time(op.deliver_at, s.now)


@handles(SendSms)
def send_sms(s: Session, op: SendSms) -> Message:
    _common(s, op)
    if op.flash and op.deliver_at is not None:
        raise ValidationError("a flash SMS cannot be scheduled", field="deliver_at")
    plan = check_sms_text(op.text)
    sub = s.subscriber
    left = _sms_left(s)
    costs = []
    for _ in op.to:
        free = min(left, plan.count)
        left -= free
        costs.append(sub.tariff.sms_price * (plan.count - free))
    _check_funds(s, costs, "SMS")
    record = MessageRecord(
        id=sub.next_id("m"),
        at=s.now,
        kind=MessageKind.SMS,
        to=op.to,
        costs=tuple(costs),
        currency=sub.currency,
        text=op.text,
        parts=plan.count,
        validity=op.validity,
        sender=op.sender,
        encoding=plan.encoding.value,
        deliver_at=op.deliver_at,
        delivery_report=op.delivery_report,
        flash=op.flash,
        priority=op.priority,
    )
    parts = "" if plan.count == 1 else f" ({plan.count} parts)"
    _charge(s, ExpenseKind.SMS, op.to, costs, Unit.SMS, plan.count, f"Outgoing SMS{parts}")
    sub.mailbox.add(record)
    watch_message(sub, record)
    return record.view(s.now)


@handles(SendMms)
def send_mms(s: Session, op: SendMms) -> Message:
    _common(s, op)
    check_subject(op.subject)
    check_attachments(op.subject, op.text, op.attachments, MMS_MAX_SIZE)
    sub = s.subscriber
    costs = [sub.tariff.mms_price for _ in op.to]
    _check_funds(s, costs, "MMS")
    record = MessageRecord(
        id=sub.next_id("m"),
        at=s.now,
        kind=MessageKind.MMS,
        to=op.to,
        costs=tuple(costs),
        currency=sub.currency,
        text=op.text,
        parts=1,
        validity=op.validity,
        sender=op.sender,
        deliver_at=op.deliver_at,
        delivery_report=op.delivery_report,
        priority=op.priority,
        subject=op.subject,
        attachments=tuple(a.info() for a in op.attachments),
    )
    _charge(s, ExpenseKind.MMS, op.to, costs, Unit.MMS, 1, "Outgoing MMS")
    sub.mailbox.add(record)
    watch_message(sub, record)
    return record.view(s.now)


def _record(s: Session, message_id: str) -> MessageRecord:
    record = s.subscriber.mailbox.by_id.get(message_id)
    if record is None:
        raise NotFound(f"there is no message {message_id!r}", field="id")
    return record


@handles(GetMessage)
def get_message(s: Session, op: GetMessage) -> Message:
    return _record(s, op.id).view(s.now)


@handles(ListMessages)
def list_messages(s: Session, op: ListMessages) -> Page[Message]:
    now = s.now

    def match(record: MessageRecord) -> bool:
        return op.status is None or record.view(now).status is op.status

    page = s.subscriber.mailbox.messages.page(
        since=op.since, until=op.until, cursor=op.cursor, limit=op.limit, match=match
    )
    return Page(tuple(record.view(now) for record in page.items), page.next_cursor)


@handles(CancelMessage)
def cancel_message(s: Session, op: CancelMessage) -> Message:
    record = _record(s, op.id)
    if not record.is_scheduled(s.now):
        status = record.view(s.now).status
        raise Conflict(
            f"message {op.id} is {status.value}; only a scheduled message can be cancelled",
            field="id",
            status=status.value,
        )
    sub = s.subscriber
    charged = sum(record.costs, Decimal(0))
    record.cancelled_at = s.now
    if charged:
        sub.post(
            s.now,
            ExpenseKind.REFUND,
            -charged,
            f"Refund: cancelled {record.kind.value.upper()} {record.id}",
        )
    record.costs = tuple(Decimal(0) for _ in record.costs)
    if record.kind is MessageKind.SMS:
        first_day = _period_start(sub, sub.today(record.at))
        returned = sub.mailbox.returned_sms
        returned[first_day] = returned.get(first_day, 0) + record.parts * len(record.to)
    return record.view(s.now)
