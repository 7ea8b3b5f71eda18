"""How the command line shows selfcare's values to people."""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal

import click

from selfcare import _i18n
from selfcare._i18n import gettext as _
from selfcare._i18n import ngettext
from selfcare.cli._context import State
from selfcare.model import Money, PhoneNumber, Quantity, Unit

__all__ = [
    "amount_style",
    "count",
    "day",
    "duration",
    "enum_label",
    "locale",
    "money",
    "number",
    "period",
    "quantity",
    "when",
]


def locale(account_locale: str | None = None) -> str | None:
    """The locale money and numbers are written in (``SELFCARE_LOCALE`` still wins, in
    :meth:`Money.format`): in English the account's (``None`` offline), as before
    translations; in another language the account's when it is in that language
    (``ru_RU``), else the one the language variable names (``ru_RU.UTF-8``), else the
    language's own (``ru``)."""
    if account_locale is None:
        context = click.get_current_context(silent=True)
        state = None if context is None else context.find_object(State)
        account_locale = None if state is None else state.locale
    lang = _i18n.language()
    if lang == _i18n.DEFAULT_LANGUAGE:
        return account_locale
    if account_locale is not None and account_locale.split("_")[0].lower() == lang:
        return account_locale
    return _i18n.language_locale()


def money(value: Money | None, account_locale: str | None = None) -> str:
    """``value`` as its reader writes money (:meth:`Money.format`): ``SELFCARE_LOCALE``, else
    :func:`locale` (the account's when this command talks to a backend), else ``en_US``."""
    if value is None:
        return ""
    return value.format(default=locale(account_locale))


def count(value: int | Decimal, account_locale: str | None = None) -> str:
    """A number as the reader's locale writes it (``1 234`` in Russian), through Babel."""
    from babel.numbers import format_decimal

    from selfcare.model._locale import resolve_locale

    return str(format_decimal(value, locale=resolve_locale(None, locale(account_locale))))


def enum_label(value: enum.Enum) -> str:
    """An enumeration's member as people read it, in their language."""
    from selfcare.labels import label

    return label(value)


def quantity(value: Quantity, account_locale: str | None = None) -> str:
    """``300 minutes``, ``1 минута``, ``2 минуты``, ``5 минут``: plurals by the language's
    rules, through the catalog; megabytes and messages keep their symbols."""
    n = value.value.normalize()
    shown = count(n, account_locale)
    whole = int(n) if n == n.to_integral_value() else 2  # a fraction reads as "few"
    unit = value.unit
    if unit is Unit.MINUTE:
        return ngettext("%(n)s minute", "%(n)s minutes", whole) % {"n": shown}
    if unit is Unit.SECOND:
        return ngettext("%(n)s second", "%(n)s seconds", whole) % {"n": shown}
    if unit is Unit.MEGABYTE:
        return _("%(n)s MB") % {"n": shown}
    if unit is Unit.GIGABYTE:
        return _("%(n)s GB") % {"n": shown}
    if unit is Unit.SMS:
        return ngettext("%(n)s SMS", "%(n)s SMS", whole) % {"n": shown}
    return ngettext("%(n)s MMS", "%(n)s MMS", whole) % {"n": shown}


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
    return "" if volume is None else str(volume)  # also the CSV cell: stays English
