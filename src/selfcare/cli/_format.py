"""How the command line shows selfcare's values to people."""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo

import click

from selfcare.cli._context import State
from selfcare.model import Money, PhoneNumber, Quantity

__all__ = ["amount_style", "day", "duration", "money", "number", "period", "when"]


def money(value: Money | None) -> str:
    """``value`` as its reader writes money (:meth:`Money.format`): ``SELFCARE_LOCALE``, else
    the account's locale when this command talks to a backend, else ``en_US``."""
    if value is None:
        return ""
    context = click.get_current_context(silent=True)
    state = None if context is None else context.find_object(State)
    return value.format(default=None if state is None else state.locale)


def amount_style(value: Money) -> str:
    """Red for debt, green for credit."""
    return "red" if value.amount < 0 else "green"


def when(value: datetime, zone: tzinfo, today: date | None = None) -> str:
    """Day, month and time in ``zone``; the year too unless it is ``today``'s (default: now),
    so a record from last December never reads as if it were from this one."""
    local = value.astimezone(zone)
    this_year = (today or datetime.now(zone).date()).year
    return f"{local:%d.%m %H:%M}" if local.year == this_year else f"{local:%d.%m.%Y %H:%M}"


def day(value: date) -> str:
    return f"{value:%d.%m.%Y}"


def period(start: date, end: date) -> str:
    """A span of days, the year said once when both ends share it: ``20.09 – 19.10.2026``."""
    if start.year == end.year:
        return f"{start:%d.%m} – {day(end)}"
    return f"{day(start)} – {day(end)}"


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
