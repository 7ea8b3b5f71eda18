"""Instants and days: aware datetimes only, and a ``date`` means that whole day in a zone."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from typing import Annotated, Any

import msgspec

from selfcare._errors import NaiveDatetime, ValidationError

__all__ = ["Instant", "When", "check_when", "day_start", "require_aware", "to_instant"]

Instant = Annotated[datetime, msgspec.Meta(tz=True)]
"""An aware datetime; the wire decoder refuses one without an offset."""

When = date | datetime
"""What a time filter accepts: an aware datetime (an instant) or a date (a whole day)."""


def require_aware(value: datetime, field: str, *, dates: bool = False) -> datetime:
    """Return ``value`` if it carries a time zone; raise :class:`NaiveDatetime` naming it if not.

    The advice suggests a ``date`` only where ``field`` takes one (``dates=True``: the time
    filters); elsewhere (a delivery time, a record's time) only an aware datetime will do.
    """
    if value.tzinfo is None or value.utcoffset() is None:
        example = value.replace(second=0, microsecond=0).isoformat(timespec="minutes")
        advice = (
            f"pass an aware datetime, e.g. datetime.fromisoformat({example!r})"
            ".replace(tzinfo=ZoneInfo('Europe/Moscow')) or .replace(tzinfo=sc.account.get().zone)"
        )
        if dates:
            advice += ", or a date for the whole day in the account's zone"
        raise NaiveDatetime(f"{field}={value.isoformat()} has no time zone; {advice}", field=field)
    return value


def aware_validator(instance: Any, attribute: Any, value: Any) -> None:
    """attrs validator: the field holds an aware datetime."""
    if type(value) is not datetime:
        raise ValidationError(
            f"{attribute.name} must be a datetime, not {value!r}", field=attribute.name
        )
    require_aware(value, attribute.name)


def optional_aware_validator(instance: Any, attribute: Any, value: Any) -> None:
    """attrs validator: the field holds an aware datetime or ``None``."""
    if value is not None:
        aware_validator(instance, attribute, value)


def check_when(value: object, field: str) -> When | None:
    """Validate a user-supplied time filter without needing the account's zone yet."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return require_aware(value, field, dates=True)
    if isinstance(value, date):
        return value
    raise ValidationError(
        f"{field}={value!r} must be a date or an aware datetime, not {type(value).__name__}",
        field=field,
    )


def day_start(day: date, zone: tzinfo) -> datetime:
    """Midnight at the start of ``day`` in ``zone``."""
    return datetime.combine(day, time(), tzinfo=zone)


def to_instant(value: When | None, zone: tzinfo, *, end: bool) -> datetime | None:
    """Turn a filter bound into an instant.

    A ``date`` is the whole day in ``zone``: as a start bound it is that day's midnight, as an
    end bound (``end=True``) the next day's midnight, so ``until=date`` includes the day.
    """
    if value is None or isinstance(value, datetime):
        return value
    return day_start(value + timedelta(days=1) if end else value, zone)
