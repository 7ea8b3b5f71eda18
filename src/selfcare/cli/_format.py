"""How the command line shows selfcare's values to people."""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo

from selfcare.model import Money, PhoneNumber, Quantity

__all__ = ["amount_style", "day", "duration", "money", "number", "when"]


def money(value: Money | None) -> str:
    return "" if value is None else str(value)


def amount_style(value: Money) -> str:
    """Red for debt, green for credit."""
    return "red" if value.amount < 0 else "green"


def when(value: datetime, zone: tzinfo) -> str:
    return f"{value.astimezone(zone):%d.%m %H:%M}"


def day(value: date) -> str:
    return f"{value:%d.%m.%Y}"


def duration(value: timedelta | None) -> str:
    if value is None:
        return ""
    minutes, seconds = divmod(int(value.total_seconds()), 60)
    return f"{minutes}:{seconds:02d}"


def number(value: PhoneNumber | None) -> str:
    return "" if value is None else value.international


def usage(duration_value: timedelta | None, volume: Quantity | None) -> str:
    if duration_value is not None:
        return duration(duration_value)
    return "" if volume is None else str(volume)
