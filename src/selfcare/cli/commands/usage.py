"""``selfcare expenses`` and ``selfcare calls``: the detailed bill and the call log."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from typing import TypeVar

import click
from rich.text import Text

from selfcare._i18n import gettext as _
from selfcare.cli import _format as fmt
from selfcare.cli._context import State, pass_state
from selfcare.cli._options import choice, limit_option, output_options, since_until
from selfcare.cli._output import Column, emit
from selfcare.model import Call, CallDirection, Expense, ExpenseKind

__all__ = ["COMMANDS", "limited", "page_size"]

T = TypeVar("T")

EXPENSE_COLUMNS: list[Column[Expense]] = [
    Column("When", lambda e: e.at, key="at", wrap=True),
    Column("Kind", lambda e: e.kind),
    Column("Counterpart", lambda e: e.counterpart),
    Column("Usage", lambda e: fmt.usage(e.duration, e.volume), right=True, csv=False),
    Column("Duration", lambda e: e.duration, table=False),
    Column("Volume", lambda e: None if e.volume is None else e.volume.value, table=False),
    Column("Volume unit", lambda e: None if e.volume is None else e.volume.unit, table=False),
    Column(
        "Cost",
        lambda e: e.cost,
        show=lambda e: Text(fmt.money(e.cost), style="green" if e.is_credit else ""),
        right=True,
    ),
    Column("Balance after", lambda e: e.balance_after, right=True),
    Column("Description", lambda e: e.description, wrap=True),
    Column("Id", lambda e: e.id),
]

CALL_COLUMNS: list[Column[Call]] = [
    Column("When", lambda c: c.at, key="at", wrap=True),
    Column("Direction", lambda c: c.direction),
    Column("Number", lambda c: c.counterpart, key="counterpart"),
    Column(
        "Answered",
        lambda c: c.answered,
        show=lambda c: Text(_("missed"), style="red") if c.missed else Text(_("yes")),
    ),
    Column("Duration", lambda c: c.duration, right=True),
    Column("Cost", lambda c: c.cost, right=True),
    Column("Id", lambda c: c.id),
]


def page_size(limit: int | None) -> int:
    """A page size that fetches no more than ``limit`` needs."""
    return 100 if limit is None else min(limit, 1000)


def limited(records: Iterable[T], limit: int | None) -> Iterator[T]:
    """The first ``limit`` records (all when ``None``), still lazily."""
    return iter(records) if limit is None else itertools.islice(records, limit)


def _range(
    state: State,
    since: date | datetime | timedelta | None,
    until: date | datetime | timedelta | None,
) -> tuple[date | datetime | None, date | datetime | None]:
    return state.when(since), state.when(until)


@click.command()
@since_until
@click.option(
    "--kind", "kinds", multiple=True, type=choice(ExpenseKind), help="Only this kind (repeatable)."
)
@click.option("--counterpart", help="Only charges involving this number (as you would dial it).")
@limit_option
@output_options
@pass_state
def expenses(
    state: State,
    since: date | datetime | timedelta | None,
    until: date | datetime | timedelta | None,
    kinds: tuple[str, ...],
    counterpart: str | None,
    limit: int | None,
) -> None:
    """Every charge and credit, newest first (credits in green).

    Example: selfcare --fake expenses --since 30d --kind sms --kind voice_out --limit 20
    """
    start, end = _range(state, since, until)
    pager = state.client().expenses.list(
        since=start,
        until=end,
        kinds=kinds or None,
        counterpart=counterpart,
        page_size=page_size(limit),
    )
    emit(
        state, limited(pager, limit), EXPENSE_COLUMNS, title=_("Expenses"), empty=_("No expenses.")
    )


@click.command()
@since_until
@click.option("--missed", is_flag=True, help="Only incoming calls nobody answered.")
@click.option("--direction", type=choice(CallDirection), help="Only incoming or outgoing calls.")
@click.option("--counterpart", help="Only calls with this number.")
@limit_option
@output_options
@pass_state
def calls(
    state: State,
    since: date | datetime | timedelta | None,
    until: date | datetime | timedelta | None,
    missed: bool,
    direction: str | None,
    counterpart: str | None,
    limit: int | None,
) -> None:
    """The call log, newest first; --missed for the calls to return.

    Example: selfcare --fake calls --missed --since 7d
    """
    start, end = _range(state, since, until)
    pager = state.client().calls.list(
        since=start,
        until=end,
        direction=direction,
        missed=True if missed else None,
        counterpart=counterpart,
        page_size=page_size(limit),
    )
    emit(state, limited(pager, limit), CALL_COLUMNS, title=_("Calls"), empty=_("No calls."))


COMMANDS = [expenses, calls]
