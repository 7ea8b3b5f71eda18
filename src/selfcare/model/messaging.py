"""SMS and MMS: what was sent, to whom, and what became of it (delivery reports)."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from typing import Any

import attrs

from selfcare._errors import ValidationError
from selfcare._time import aware_validator, optional_aware_validator
from selfcare.model._repr import compact_repr
from selfcare.model.history import OperationStatus
from selfcare.model.money import Money
from selfcare.model.phone import PhoneNumber

__all__ = [
    "Attachment",
    "AttachmentInfo",
    "Broadcast",
    "Delivery",
    "Message",
    "MessageKind",
    "MessagePriority",
    "MessageStatus",
    "RecipientResult",
    "RecipientStatus",
    "StatusChange",
]


class MessageKind(enum.StrEnum):
    """SMS or MMS."""

    SMS = "sms"
    MMS = "mms"


class MessagePriority(enum.StrEnum):
    """How urgently the operator's message centre handles a message."""

    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"


class MessageStatus(enum.StrEnum):
    """Where a message (or one recipient's copy of it) is in its life.

    ``scheduled → accepted → delivered``, or ``sent`` when no delivery report was asked for,
    or ``expired`` when the validity period ran out first, or ``undeliverable`` when the
    network refused the number; ``cancelled`` ends a scheduled message. A message with several
    recipients whose final states differ is ``partially_delivered`` (some got it) or
    ``failed`` (none did).
    """

    SCHEDULED = "scheduled"
    ACCEPTED = "accepted"
    SENT = "sent"
    DELIVERED = "delivered"
    EXPIRED = "expired"
    UNDELIVERABLE = "undeliverable"
    CANCELLED = "cancelled"
    PARTIALLY_DELIVERED = "partially_delivered"
    FAILED = "failed"

    @property
    def is_final(self) -> bool:
        """Nothing will change any more."""
        return self not in (MessageStatus.SCHEDULED, MessageStatus.ACCEPTED)

    @property
    def reached(self) -> bool:
        """The message got to the phone (delivered, or sent without a report)."""
        return self in (MessageStatus.DELIVERED, MessageStatus.SENT)


@attrs.frozen(repr=False)
class StatusChange:
    """One entry of a delivery report: the status a message took, when, and why."""

    __repr__ = compact_repr

    status: MessageStatus
    at: datetime = attrs.field(validator=aware_validator)
    reason: str | None = None


@attrs.frozen(repr=False)
class Delivery:
    """One recipient's copy of a message: its status, the history of reports, what it cost."""

    __repr__ = compact_repr

    recipient: PhoneNumber
    status: MessageStatus
    history: tuple[StatusChange, ...]
    cost: Money

    @property
    def reason(self) -> str | None:
        """Why the last status was reached (for ``expired`` and ``undeliverable``)."""
        return self.history[-1].reason if self.history else None

    @property
    def updated_at(self) -> datetime | None:
        """When the status last changed."""
        return self.history[-1].at if self.history else None


def _check_content_type(instance: object, attribute: Any, value: Any) -> None:
    if type(value) is not str or "/" not in value:
        raise ValidationError(
            f"content_type={value!r} must be a MIME type such as 'image/jpeg'",
            field="content_type",
        )


def _check_data(instance: object, attribute: Any, value: Any) -> None:
    if type(value) is not bytes:
        raise ValidationError(
            f"attachment data must be bytes, not {type(value).__name__}", field="data"
        )


@attrs.frozen(repr=False)
class Attachment:
    """A part of an MMS to send: its bytes, MIME type and an optional file name.

    ``send_mms`` builds these from paths and bytes for you; build one directly to name the
    type yourself: ``Attachment(b"...", "image/png", name="logo.png")``.
    """

    data: bytes = attrs.field(validator=_check_data)
    content_type: str = attrs.field(validator=_check_content_type)
    name: str | None = None

    @property
    def size(self) -> int:
        """Size in bytes."""
        return len(self.data)

    def info(self) -> AttachmentInfo:
        """What a sent message remembers of this attachment (not its bytes)."""
        return AttachmentInfo(self.content_type, self.size, self.name)

    def __repr__(self) -> str:
        name = "" if self.name is None else f"{self.name!r}, "
        return f"Attachment({name}{self.content_type}, {self.size} bytes)"


@attrs.frozen(repr=False)
class AttachmentInfo:
    """An attachment of a sent MMS: type, size and name (the bytes stay with the operator)."""

    __repr__ = compact_repr

    content_type: str
    size: int
    name: str | None = None


@attrs.frozen(repr=False)
class Message:
    """An SMS or MMS the subscriber sent, as the operator sees it now.

    ``deliveries`` has one entry per recipient, each with its own status and delivery
    reports; ``status`` sums them up (see :class:`MessageStatus`). ``cost`` is what all
    copies were charged; ``parts`` is the number of SMS parts per copy (1 for an MMS).
    """

    __repr__ = compact_repr

    id: str
    at: datetime = attrs.field(validator=aware_validator)
    """When the operator accepted the request."""
    kind: MessageKind
    status: MessageStatus
    deliveries: tuple[Delivery, ...]
    text: str | None
    parts: int
    cost: Money
    valid_until: datetime = attrs.field(validator=aware_validator)
    sender: str | None = None
    """An alphanumeric sender name, an E.164 number, or ``None`` for the subscriber's number."""
    encoding: str | None = None
    """``"gsm7"`` or ``"ucs2"`` for an SMS (see :mod:`selfcare.sms`)."""
    deliver_at: datetime | None = attrs.field(default=None, validator=optional_aware_validator)
    validity: timedelta | None = None
    delivery_report: bool = True
    flash: bool = False
    priority: MessagePriority = MessagePriority.NORMAL
    subject: str | None = None
    attachments: tuple[AttachmentInfo, ...] = ()

    @property
    def recipients(self) -> tuple[PhoneNumber, ...]:
        """Every recipient, in the order given."""
        return tuple(d.recipient for d in self.deliveries)

    @property
    def is_final(self) -> bool:
        """Nothing about this message will change any more."""
        return self.status.is_final

    @property
    def operation_status(self) -> OperationStatus:
        """How the operation log records the send: pending while scheduled."""
        if self.status is MessageStatus.SCHEDULED:
            return OperationStatus.PENDING
        return OperationStatus.DONE

    def delivery(self, recipient: PhoneNumber | str) -> Delivery:
        """The copy sent to ``recipient`` (an E.164 string or a PhoneNumber)."""
        e164 = recipient.e164 if isinstance(recipient, PhoneNumber) else recipient
        for delivery in self.deliveries:
            if delivery.recipient.e164 == e164:
                return delivery
        raise KeyError(f"message {self.id} was not sent to {e164}")


class RecipientStatus(enum.StrEnum):
    """What a broadcast did for one recipient."""

    SENT = "sent"
    REJECTED = "rejected"


@attrs.frozen(repr=False)
class RecipientResult:
    """One recipient of a broadcast: sent (with its message) or rejected (with the reason)."""

    __repr__ = compact_repr

    recipient: str
    """The recipient as given (a number as typed, or a contact's name and number)."""
    status: RecipientStatus
    number: PhoneNumber | None = None
    message: Message | None = None
    reason: str | None = None

    @property
    def sent(self) -> bool:
        """The operator accepted this recipient's message."""
        return self.status is RecipientStatus.SENT


@attrs.frozen(repr=False)
class Broadcast:
    """What a broadcast did, recipient by recipient, in the order given (duplicates removed)."""

    __repr__ = compact_repr

    results: tuple[RecipientResult, ...]

    @property
    def sent(self) -> tuple[RecipientResult, ...]:
        """Recipients whose message was accepted."""
        return tuple(r for r in self.results if r.sent)

    @property
    def rejected(self) -> tuple[RecipientResult, ...]:
        """Recipients that were not sent to, each with its reason."""
        return tuple(r for r in self.results if not r.sent)

    @property
    def messages(self) -> tuple[Message, ...]:
        """The messages sent, one per accepted recipient."""
        return tuple(r.message for r in self.results if r.message is not None)

    def cost(self, currency: str) -> Money:
        """What the accepted messages were charged, together."""
        return Money.sum((m.cost for m in self.messages), currency)

    def __len__(self) -> int:
        return len(self.results)
