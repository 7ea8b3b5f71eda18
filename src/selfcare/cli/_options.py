"""Options many commands share: output format, time range, how many records."""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any, TypeVar

import click

from selfcare.cli._context import State
from selfcare.cli._params import WHEN

__all__ = ["choice", "limit_option", "output_options", "since_until"]

F = TypeVar("F", bound=Callable[..., Any])


def _set_format(name: str) -> Callable[[click.Context, click.Parameter, bool], None]:
    def callback(ctx: click.Context, param: click.Parameter, value: bool) -> None:
        if not value:
            return
        state = ctx.ensure_object(State)
        if state.format not in ("table", name):
            raise click.UsageError("--json and --csv cannot be used together", ctx=ctx)
        state.format = name  # type: ignore[assignment]

    return callback


def output_options(func: F) -> F:
    """``--json`` (JSON Lines, times in UTC) and ``--csv`` (times in the account's zone)."""
    func = click.option(
        "--csv",
        "csv_",
        is_flag=True,
        expose_value=False,
        callback=_set_format("csv"),
        help="CSV with a header row; times in the account's zone.",
    )(func)
    func = click.option(
        "--json",
        "json_",
        is_flag=True,
        expose_value=False,
        callback=_set_format("json"),
        help="One JSON object per line (JSON Lines), times in UTC.",
    )(func)
    return func


def since_until(func: F) -> F:
    """``--since`` and ``--until``: a date, a time, or ``Nd`` for N days ago."""
    func = click.option(
        "--until",
        type=WHEN,
        help="Up to this day (included) or instant. Same forms as --since.",
    )(func)
    func = click.option(
        "--since",
        type=WHEN,
        help="From this day (2026-11-01, in the account's zone), instant "
        "(2026-11-01T10:00) or Nd (N days ago).",
    )(func)
    return func


def limit_option(func: F) -> F:
    """``--limit N``: stop after N records (newest first)."""
    return click.option(
        "--limit", type=click.IntRange(min=1), help="At most this many records (newest first)."
    )(func)


def choice(values: type[enum.Enum]) -> click.Choice[str]:
    """A case-insensitive choice among an enum's values."""
    return click.Choice([str(member.value) for member in values], case_sensitive=False)
