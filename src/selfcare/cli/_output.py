"""Rendering records: rich tables for people, JSON Lines or CSV for scripts.

JSON and CSV are written record by record as the listing is iterated (a page is fetched only
when the previous one is written), so a year of history never sits in memory. JSON is the
wire codec's (times in UTC); CSV and tables show times in the account's zone.
"""

from __future__ import annotations

import csv
import enum
import io
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal
from typing import Any, Generic, TypeVar

import attrs
import click
from rich import box
from rich.console import Console, RenderableType
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn
from rich.table import Table
from rich.text import Text

from selfcare.cli import _format as fmt
from selfcare.cli._context import State
from selfcare.cli._errors import stdout_closed
from selfcare.model import Money, PhoneNumber, Quantity
from selfcare.protocol._codec import encode_result

__all__ = [
    "Column",
    "StdoutConsole",
    "emit",
    "emit_one",
    "human",
    "note",
    "plain",
    "progress",
    "stdout",
]

T = TypeVar("T")


@attrs.frozen
class Column(Generic[T]):
    """One column: its header, how to read it from a record, and how to show it to people."""

    header: str
    get: Callable[[T], object]
    show: Callable[[T], RenderableType] | None = None
    """Overrides the default human rendering (a rich Text with a style, say)."""
    right: bool = False
    key: str | None = None
    """The CSV column name: the record's field name as JSON has it (``due_date``); by default
    the header, lower-cased with ``_`` for spaces."""

    @property
    def name(self) -> str:
        """The column's name in CSV."""
        return self.key or self.header.lower().replace(" ", "_")


class StdoutConsole(Console):
    """A console on standard output that stops quietly when the reader goes away.

    rich would exit 1 on a closed pipe; the CLI's rule is :func:`stdout_closed`'s (exit 0).
    """

    def on_broken_pipe(self) -> None:
        self.quiet = True
        stdout_closed()


def stdout() -> Console:
    """A console on standard output (tables never wrap mid-word at pipe widths)."""
    return StdoutConsole(file=sys.stdout, highlight=False)


Zone = Callable[[], tzinfo]
"""The account's zone, asked for only when a time is shown (so offline commands stay offline)."""


def human(value: object, zone: Zone) -> str:
    """A value as people read it: times in the account's zone, money with its symbol."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return f"{value.astimezone(zone()):%d.%m.%Y %H:%M}"
    if isinstance(value, date):
        return fmt.day(value)
    if isinstance(value, timedelta):
        return fmt.duration(value)
    if isinstance(value, PhoneNumber):
        return value.international
    if isinstance(value, enum.Enum):
        return str(value.value).replace("_", " ")
    if isinstance(value, tuple | list):
        return ", ".join(human(item, zone) for item in value)
    return str(value)


def plain(value: object, zone: Zone) -> str:
    """A value for CSV: ISO times with the zone's offset, bare amounts, E.164 numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.astimezone(zone()).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(int(value.total_seconds()))
    if isinstance(value, Money):
        return f"{value.amount}"
    if isinstance(value, PhoneNumber):
        return value.e164
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, Quantity | Decimal):
        return str(value)
    if isinstance(value, tuple | list):
        return " ".join(plain(item, zone) for item in value)
    return str(value)


@contextmanager
def progress(label: str, total: int | None = None) -> Iterator[Callable[[int], None]]:
    """A progress bar on standard error (only when it is a terminal); yields ``advance(n)``."""
    console = Console(file=sys.stderr)
    columns = [SpinnerColumn(), TextColumn("{task.description}")]
    if total is not None:
        columns += [BarColumn(), MofNCompleteColumn()]
    else:
        columns.append(TextColumn("{task.completed}"))
    with Progress(
        *columns, console=console, transient=True, disable=not console.is_terminal
    ) as bar:
        task = bar.add_task(label, total=total)

        def advance(n: int = 1) -> None:
            bar.advance(task, n)

        yield advance


def emit(
    state: State,
    records: Iterable[T],
    columns: Sequence[Column[T]],
    *,
    title: str | None = None,
    empty: str = "Nothing found.",
    row_style: Callable[[T], str | None] | None = None,
    label: str = "Fetching",
) -> int:
    """Write ``records`` in the chosen format; returns how many were written."""
    count = 0
    with progress(label) as advance:
        if state.format == "json":
            out = sys.stdout
            for record in records:
                out.write(encode_result(record).decode() + "\n")
                out.flush()
                count += 1
                advance(1)
            return count
        zone: Zone = lambda: state.zone  # noqa: E731
        if state.format == "csv":
            writer = _CsvWriter()
            writer.row([c.name for c in columns])
            for record in records:
                writer.row([plain(c.get(record), zone) for c in columns])
                count += 1
                advance(1)
            return count
        table = Table(title=title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD)
        for column in columns:
            table.add_column(column.header, justify="right" if column.right else "left")
        for record in records:
            table.add_row(
                *(_cell(c, record, zone) for c in columns),
                style=None if row_style is None else row_style(record),
            )
            count += 1
            advance(1)
    console = stdout()
    if count:
        console.print(table)
    else:
        console.print(Text(empty, style="dim"))
    return count


def emit_one(
    state: State, record: Any, fields: Sequence[Column[Any]], *, title: str | None = None
) -> None:
    """Write one record: a two-column table for people, one JSON line, or a one-row CSV."""
    if state.format != "table":
        emit(state, [record], fields)
        return
    zone: Zone = lambda: state.zone  # noqa: E731
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    for field in fields:
        table.add_row(field.header, _cell(field, record, zone))
    console = stdout()
    if title:
        console.print(Text(title, style="bold"))
    console.print(table)


def _cell(column: Column[Any], record: Any, zone: Zone) -> RenderableType:
    if column.show is not None:
        return column.show(record)
    return human(column.get(record), zone)


class _CsvWriter:
    """CSV rows straight to standard output, flushed one by one."""

    def __init__(self) -> None:
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, lineterminator="\n")
        self._out = sys.stdout

    def row(self, values: Sequence[str]) -> None:
        self._writer.writerow(values)
        self._out.write(self._buffer.getvalue())
        self._out.flush()
        self._buffer.seek(0)
        self._buffer.truncate()


def note(message: str) -> None:
    """A line on standard error: notes that must not get into JSON or CSV on stdout."""
    click.echo(message, err=True)
