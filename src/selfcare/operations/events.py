"""Operations on events (what happened on the line) and the alerts that add some of them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import attrs

from selfcare._client.paging import Page, check_page_size
from selfcare._errors import ValidationError
from selfcare._time import optional_aware_validator
from selfcare.model import Money
from selfcare.model._enums import coerce_enums
from selfcare.model.events import (
    MAX_BILL_DUE_WITHIN,
    AlertName,
    Alerts,
    Event,
    EventType,
    SpendingLimit,
)
from selfcare.operations._base import Capability, MutatingOperation, Operation, PagedOperation

__all__ = [
    "DisableAlerts",
    "GetAlerts",
    "ListEvents",
    "ReadEvents",
    "SetAlerts",
    "check_alert_names",
    "check_bill_due_within",
    "check_types",
]

MAX_READ = 1000


def check_types(value: Any) -> tuple[EventType, ...]:
    """Event types as given (one, or an iterable of names or members), checked."""
    return () if value is None else coerce_enums(EventType, value, "types", "event type")


@attrs.frozen
class ListEvents(PagedOperation[Event]):
    """Events in ``[since, until)``, newest first, optionally only of some ``types``."""

    result = Page[Event]
    capability = Capability.EVENTS

    since: datetime | None = attrs.field(default=None, validator=optional_aware_validator)
    until: datetime | None = attrs.field(default=None, validator=optional_aware_validator)
    types: tuple[EventType, ...] = attrs.field(default=(), converter=check_types)


def _read_limit(instance: Any, attribute: Any, value: Any) -> None:
    check_page_size(value, "limit")


@attrs.frozen
class ReadEvents(Operation[tuple[Event, ...]]):
    """Up to ``limit`` events that happened after the event ``after`` (from the first event
    the line has when ``None``), oldest first, optionally only of some ``types``: what a
    stream reads to resume where it stopped."""

    result = tuple[Event, ...]
    capability = Capability.EVENTS

    after: str | None = None
    types: tuple[EventType, ...] = attrs.field(default=(), converter=check_types)
    limit: int = attrs.field(default=100, validator=_read_limit)


@attrs.frozen
class GetAlerts(Operation[Alerts]):
    """The alerts set on the line."""

    result = Alerts
    capability = Capability.ALERTS


def check_bill_due_within(value: object, field: str = "bill_due_within") -> timedelta:
    """Whole days from 1 to 60, given as an int or a ``timedelta``."""
    given = value
    if isinstance(value, int) and not isinstance(value, bool):
        value = timedelta(days=value)
    if (
        not isinstance(value, timedelta)
        or value % timedelta(days=1)
        or not timedelta(days=1) <= value <= MAX_BILL_DUE_WITHIN
    ):
        shown = f"{given.days} days {given.seconds} s" if isinstance(given, timedelta) else given
        raise ValidationError(
            f"{field}={shown!r} must be a whole number of days from 1 to "
            f"{MAX_BILL_DUE_WITHIN.days}",
            field=field,
        )
    return value


def _due_within(value: Any) -> timedelta | None:
    return None if value is None else check_bill_due_within(value)


def _due_within_ok(instance: Any, attribute: Any, value: Any) -> None:
    if value is not None:  # the wire skips converters: check again
        check_bill_due_within(value)


def _balance_below(instance: Any, attribute: Any, value: Any) -> None:
    if value is not None and not isinstance(value, Money):
        raise ValidationError(f"balance_below must be Money, not {value!r}", field="balance_below")


def _spending_above(instance: Any, attribute: Any, value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, SpendingLimit) or not isinstance(value.amount, Money):
        raise ValidationError(
            f"spending_above must be an amount and a period, not {value!r}",
            field="spending_above",
        )
    if value.amount.amount <= 0:
        raise ValidationError(
            f"spending_above={value.amount} must be more than zero", field="spending_above"
        )


@attrs.frozen
class SetAlerts(MutatingOperation[Alerts]):
    """Turn on (or change) the alerts given; the others stay as they are."""

    result = Alerts
    capability = Capability.ALERTS

    balance_below: Money | None = attrs.field(default=None, validator=_balance_below)
    bill_due_within: timedelta | None = attrs.field(
        default=None, converter=_due_within, validator=_due_within_ok
    )
    spending_above: SpendingLimit | None = attrs.field(default=None, validator=_spending_above)

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if (self.balance_below, self.bill_due_within, self.spending_above) == (None, None, None):
            raise ValidationError(
                "set at least one alert: balance_below, bill_due_within or spending_above",
                field="balance_below",
            )


def check_alert_names(value: Any) -> tuple[AlertName, ...]:
    """Alert names as given (one, or an iterable), checked."""
    return coerce_enums(AlertName, value, "alerts", "alert")


@attrs.frozen
class DisableAlerts(MutatingOperation[Alerts]):
    """Turn off the ``alerts`` named (every alert when none is named); returns what stays on."""

    result = Alerts
    capability = Capability.ALERTS

    alerts: tuple[AlertName, ...] = attrs.field(default=(), converter=check_alert_names)
