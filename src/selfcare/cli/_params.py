"""Parameter types for what people type: days and instants, durations, amounts."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import click

__all__ = ["DURATION", "LATER", "WHEN", "Duration", "Later", "When"]

if TYPE_CHECKING:
    _ParamType = click.ParamType[Any]
else:  # click < 8.2 has no type parameters at run time
    _ParamType = click.ParamType

_AGO = re.compile(r"(\d{1,4})d")
_SPAN = re.compile(r"(\d+)([smhd])")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


class When(_ParamType):
    """``2026-11-01`` (a whole day in the account's zone), ``2026-11-01T10:00[+03:00]``
    (naive times are in the account's zone) or ``7d`` (seven days before today)."""

    name = "when"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, date | timedelta):
            return value
        text = str(value).strip()
        if match := _AGO.fullmatch(text):
            return timedelta(days=int(match.group(1)))
        try:
            if len(text) == 10:
                return date.fromisoformat(text)
            return datetime.fromisoformat(text)
        except ValueError:
            self.fail(
                f"{text!r} is not a date (2026-11-01), a time (2026-11-01T10:00) or Nd (days ago)",
                param,
                ctx,
            )


class Duration(_ParamType):
    """``90s``, ``30m``, ``2h``, ``1d`` or combinations such as ``1h30m``."""

    name = "duration"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, timedelta):
            return value
        text = str(value).strip().lower()
        pieces = _SPAN.findall(text)
        if not pieces or "".join(n + u for n, u in pieces) != text:
            self.fail(f"{text!r} is not a duration such as 90s, 30m, 2h, 1d or 1h30m", param, ctx)
        total = timedelta()
        for number, unit in pieces:
            total += timedelta(**{_UNITS[unit]: int(number)})
        return total


class Later(_ParamType):
    """When to send: ``2026-11-25T18:00[+03:00]`` (naive times are in the account's zone) or
    ``+2h`` / ``in 1d2h`` (that long from now); a :class:`timedelta` for the latter."""

    name = "time"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, datetime | timedelta):
            return value
        text = str(value).strip()
        relative = text.removeprefix("+").removeprefix("in ").strip()
        if relative != text:
            return DURATION.convert(relative, param, ctx)
        try:
            if len(text) > 10:
                return datetime.fromisoformat(text)
        except ValueError:
            pass
        self.fail(
            f"{text!r} is not a time such as 2026-11-25T18:00 (in the account's zone) or +2h "
            "(from now)",
            param,
            ctx,
        )


WHEN = When()
DURATION = Duration()
LATER = Later()
