"""Events: what happened on a line (a message delivered, a bill issued, a payment landed…),
and the alerts a subscriber sets for some of them.

An :class:`Event` is a fact with a stable ``id``, a dotted ``type``, the instant it happened,
the line it concerns, and ``data``: the model object it is about (the :class:`Message`,
the :class:`Bill`, the :class:`Payment`…), as it was when the event happened. Which type
carries which data is :data:`EVENT_DATA`; ``docs/events.md`` has the table.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta
from typing import Any, Final

import attrs

from selfcare._errors import ValidationError
from selfcare._time import Instant
from selfcare.model._repr import compact_repr
from selfcare.model.account import Balance, Bill
from selfcare.model.complaints import Complaint
from selfcare.model.forwarding import ForwardingState
from selfcare.model.history import LoginRecord
from selfcare.model.messaging import Message
from selfcare.model.money import Money
from selfcare.model.payment import Payment
from selfcare.model.phone import PhoneNumber
from selfcare.model.services import ConnectedService

__all__ = [
    "ALERT_NAMES",
    "EVENT_DATA",
    "MAX_BILL_DUE_WITHIN",
    "AlertName",
    "Alerts",
    "Event",
    "EventData",
    "EventType",
    "Spending",
    "SpendingLimit",
    "SpendingPeriod",
]


class EventType(enum.StrEnum):
    """What an event says happened (``docs/events.md`` lists when each is emitted)."""

    MESSAGE_DELIVERED = "message.delivered"
    MESSAGE_FAILED = "message.failed"
    MESSAGE_EXPIRED = "message.expired"
    BILL_ISSUED = "bill.issued"
    BILL_DUE_SOON = "bill.due_soon"
    BILL_OVERDUE = "bill.overdue"
    PAYMENT_SUCCEEDED = "payment.succeeded"
    PAYMENT_FAILED = "payment.failed"
    BALANCE_LOW = "balance.low"
    SPENDING_ABOVE = "spending.above"
    SERVICE_CONNECTED = "service.connected"
    SERVICE_DISCONNECTED = "service.disconnected"
    FORWARDING_CHANGED = "forwarding.changed"
    COMPLAINT_UPDATED = "complaint.updated"
    SIGN_IN_SUCCEEDED = "sign_in.succeeded"


class SpendingPeriod(enum.StrEnum):
    """The window a spending alert adds charges up over."""

    DAY = "day"
    """The calendar day in the account's zone."""
    MONTH = "month"
    """The billing period (from the account's billing day)."""


@attrs.frozen(repr=False)
class Spending:
    """What was spent in a period when it went above the subscriber's limit."""

    __repr__ = compact_repr

    period: SpendingPeriod
    period_start: date
    spent: Money
    """Every charge of the period so far (credits are not subtracted)."""
    limit: Money


EventData = (
    Message
    | Bill
    | Payment
    | Balance
    | Spending
    | ConnectedService
    | ForwardingState
    | Complaint
    | LoginRecord
)
"""The model objects an event can carry."""

EVENT_DATA: Final[dict[EventType, type[Any]]] = {
    EventType.MESSAGE_DELIVERED: Message,
    EventType.MESSAGE_FAILED: Message,
    EventType.MESSAGE_EXPIRED: Message,
    EventType.BILL_ISSUED: Bill,
    EventType.BILL_DUE_SOON: Bill,
    EventType.BILL_OVERDUE: Bill,
    EventType.PAYMENT_SUCCEEDED: Payment,
    EventType.PAYMENT_FAILED: Payment,
    EventType.BALANCE_LOW: Balance,
    EventType.SPENDING_ABOVE: Spending,
    EventType.SERVICE_CONNECTED: ConnectedService,
    EventType.SERVICE_DISCONNECTED: ConnectedService,
    EventType.FORWARDING_CHANGED: ForwardingState,
    EventType.COMPLAINT_UPDATED: Complaint,
    EventType.SIGN_IN_SUCCEEDED: LoginRecord,
}
"""The class of ``data`` each event type carries."""


def _data_matches(instance: Event, attribute: Any, value: Any) -> None:
    wanted = EVENT_DATA[instance.type]
    if type(value) is not wanted:
        raise ValidationError(
            f"a {instance.type.value} event carries a {wanted.__name__}, "
            f"not a {type(value).__name__}",
            field="data",
        )


@attrs.frozen(repr=False)
class Event:
    """Something that happened on a line, with the model object it is about.

    ``id`` is unique on the line and never changes; ids sort in the order events happened
    (``occurred_at`` never goes back from one event to the next). ``data`` is the object
    as it was at ``occurred_at``: a ``message.delivered`` event's :class:`Message` shows it
    delivered, even if you read the event a week later.
    """

    __repr__ = compact_repr

    id: str
    type: EventType = attrs.field(converter=EventType)
    occurred_at: Instant
    line: PhoneNumber
    data: EventData = attrs.field(validator=_data_matches)

    @property
    def at(self) -> datetime:
        """``occurred_at``, under the name the other records' times have."""
        return self.occurred_at


class AlertName(enum.StrEnum):
    """The alerts a subscriber can set (the keyword names of ``sc.alerts.set``)."""

    BALANCE_BELOW = "balance_below"
    BILL_DUE_WITHIN = "bill_due_within"
    SPENDING_ABOVE = "spending_above"


ALERT_NAMES: Final = tuple(name.value for name in AlertName)
MAX_BILL_DUE_WITHIN: Final = timedelta(days=60)
"""The longest warning before a due date ``bill_due_within`` takes."""


@attrs.frozen(repr=False)
class SpendingLimit:
    """A spending alert: tell me when charges in a ``period`` go above ``amount``."""

    __repr__ = compact_repr

    amount: Money
    period: SpendingPeriod = SpendingPeriod.MONTH


@attrs.frozen(repr=False)
class Alerts:
    """The alerts set on the line (``None``: that alert is off).

    * ``balance_below``: a ``balance.low`` event when the balance drops below this amount
      (once per crossing: it re-arms when the balance is back at or above it);
    * ``bill_due_within``: a ``bill.due_soon`` event this many days before an unpaid bill's
      due date (once per bill);
    * ``spending_above``: a ``spending.above`` event when the period's charges go above the
      amount (once per period).
    """

    __repr__ = compact_repr

    balance_below: Money | None = None
    bill_due_within: timedelta | None = None
    spending_above: SpendingLimit | None = None

    @property
    def enabled(self) -> tuple[AlertName, ...]:
        """The alerts that are on."""
        return tuple(name for name in AlertName if getattr(self, name.value) is not None)
