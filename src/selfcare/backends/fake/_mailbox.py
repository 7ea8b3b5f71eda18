"""The fake operator's message centre: sent messages and how their delivery unfolds.

Nothing runs in the background: a message keeps what was asked for and what it cost, and its
status is worked out from the clock whenever it is read. Which numbers fail is fixed and
documented (``docs/fake-operator.md``):

* ``+7 999 000-00-00`` … ``+7 999 000-00-99`` do not exist: ``undeliverable`` two seconds
  after the message is accepted;
* ``+7 999 000-01-00`` and ``+7 999 000-01-01`` are switched off: ``expired`` when the
  validity period ends;
* every other number gets it after 2 s (high priority), 5 s (normal) or 30 s (low).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Final

import attrs

from selfcare.backends.fake._ledger import Ledger
from selfcare.model import Money, PhoneNumber
from selfcare.model.messaging import (
    AttachmentInfo,
    Delivery,
    Message,
    MessageKind,
    MessagePriority,
    MessageStatus,
    StatusChange,
)

__all__ = ["SWITCHED_OFF", "UNKNOWN_PREFIX", "Mailbox", "MessageRecord", "fate"]

UNKNOWN_PREFIX: Final = "+799900000"
"""Numbers starting so (``+7 999 000-00-xx``) belong to nobody."""
SWITCHED_OFF: Final = frozenset({"+79990000100", "+79990000101"})
"""Phones that stay switched off: messages to them expire."""
DELIVERY_DELAY: Final = {
    MessagePriority.HIGH: timedelta(seconds=2),
    MessagePriority.NORMAL: timedelta(seconds=5),
    MessagePriority.LOW: timedelta(seconds=30),
}
REJECT_DELAY: Final = timedelta(seconds=2)
UNKNOWN_REASON: Final = "unknown subscriber: the number is not in service"
EXPIRED_REASON: Final = "the validity period ended while the phone was unreachable"


def fate(
    number: PhoneNumber,
    start: datetime,
    validity: timedelta,
    priority: MessagePriority,
    report: bool,
) -> StatusChange:
    """The final status a copy sent to ``number`` reaches (once the clock gets there)."""
    if number.e164.startswith(UNKNOWN_PREFIX):
        return StatusChange(MessageStatus.UNDELIVERABLE, start + REJECT_DELAY, UNKNOWN_REASON)
    if number.e164 in SWITCHED_OFF:
        return StatusChange(MessageStatus.EXPIRED, start + validity, EXPIRED_REASON)
    status = MessageStatus.DELIVERED if report else MessageStatus.SENT
    return StatusChange(status, start + DELIVERY_DELAY[priority])


def summarise(statuses: list[MessageStatus]) -> MessageStatus:
    """A message's status from its copies': shared, still going, or a mixed outcome."""
    if len(set(statuses)) == 1:
        return statuses[0]
    if not all(s.is_final for s in statuses):
        return MessageStatus.ACCEPTED
    if any(s.reached for s in statuses):
        return MessageStatus.PARTIALLY_DELIVERED
    return MessageStatus.FAILED


@attrs.define(eq=False)
class MessageRecord:
    """A message as the message centre keeps it."""

    id: str
    at: datetime
    kind: MessageKind
    to: tuple[PhoneNumber, ...]
    costs: tuple[Decimal, ...]
    currency: str
    text: str | None
    parts: int
    validity: timedelta
    sender: str | None = None
    encoding: str | None = None
    deliver_at: datetime | None = None
    delivery_report: bool = True
    flash: bool = False
    priority: MessagePriority = MessagePriority.NORMAL
    subject: str | None = None
    attachments: tuple[AttachmentInfo, ...] = ()
    cancelled_at: datetime | None = None

    @property
    def start(self) -> datetime:
        """When the message centre starts delivering."""
        return self.deliver_at or self.at

    def is_scheduled(self, now: datetime) -> bool:
        """Waiting for its time, and not cancelled."""
        return self.cancelled_at is None and self.deliver_at is not None and now < self.deliver_at

    def history(self, number: PhoneNumber, now: datetime) -> tuple[StatusChange, ...]:
        """The delivery reports for ``number`` that have happened by ``now``."""
        changes: list[StatusChange] = []
        if self.deliver_at is not None:
            changes.append(StatusChange(MessageStatus.SCHEDULED, self.at))
        if self.cancelled_at is not None:
            changes.append(StatusChange(MessageStatus.CANCELLED, self.cancelled_at))
        else:
            changes.append(StatusChange(MessageStatus.ACCEPTED, self.start))
            changes.append(
                fate(number, self.start, self.validity, self.priority, self.delivery_report)
            )
        return tuple(change for change in changes if change.at <= now)

    def view(self, now: datetime) -> Message:
        """The message as the subscriber sees it at ``now``."""
        deliveries = []
        for number, cost in zip(self.to, self.costs, strict=True):
            history = self.history(number, now)
            deliveries.append(
                Delivery(number, history[-1].status, history, Money(cost, self.currency).rounded())
            )
        return Message(
            id=self.id,
            at=self.at,
            kind=self.kind,
            status=summarise([d.status for d in deliveries]),
            deliveries=tuple(deliveries),
            text=self.text,
            parts=self.parts,
            cost=Money.sum((d.cost for d in deliveries), self.currency),
            valid_until=self.start + self.validity,
            sender=self.sender,
            encoding=self.encoding,
            deliver_at=self.deliver_at,
            validity=self.validity,
            delivery_report=self.delivery_report,
            flash=self.flash,
            priority=self.priority,
            subject=self.subject,
            attachments=self.attachments,
        )


@attrs.define
class Mailbox:
    """One subscriber's sent messages, and the SMS allowance returned by cancellations."""

    messages: Ledger[MessageRecord] = attrs.field(factory=Ledger)
    by_id: dict[str, MessageRecord] = attrs.field(factory=dict)
    returned_sms: dict[date, int] = attrs.field(factory=dict)
    """SMS parts given back to the allowance of a billing period (keyed by its first day)."""

    def add(self, record: MessageRecord) -> None:
        self.messages.add(record)
        self.by_id[record.id] = record
