"""Rendering records: rich tables for people, JSON Lines or CSV for scripts.

Every value is data, never markup or terminal control: table cells, titles and notes are
:class:`rich.text.Text` (``[link=…]`` in a name prints as those characters) with control
characters taken out (:func:`terminal`), so ``ESC ]0;…BEL`` in a stored name cannot retitle
or clear the terminal. JSON keeps the data whole with every control character escaped
(``\\u001b``); CSV cells lose their control characters (tabs and line breaks stay) and a cell
a spreadsheet would run as a formula gets a ``'`` in front (numbers such as ``-12.50`` and
``+79161234567`` stay numbers: see :mod:`selfcare._rules.text`).

JSON and CSV are written record by record as the listing is iterated (a page is fetched only
when the previous one is written), so a year of history never sits in memory. JSON is the
wire codec's (times in UTC); CSV and tables show times in the account's zone.
"""

from __future__ import annotations

import enum
import re
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

from selfcare._i18n import gettext as _
from selfcare._rules.text import csv_row, strip_controls
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
    "terminal",
    "text",
]

T = TypeVar("T")


@attrs.frozen
class Column(Generic[T]):
    """One column: its header, how to read it from a record, and how to show it to people."""

    header: str
    """The header in English: the CSV name (unless ``key``) and the msgid people read
    translated (``babel.cfg`` extracts ``Column``'s first argument)."""
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


def terminal(value: str) -> str:
    """``value`` without control characters other than tab and line feed: safe to print."""
    return strip_controls(value, "\t\n")


def text(value: str, style: str = "") -> Text:
    """Data for a rich console: never markup, never a terminal escape."""
    return Text(terminal(value), style=style)


def safe(value: RenderableType) -> RenderableType:
    """A cell's rendering as plain text: a ``str`` becomes :func:`text` (not markup), a
    ``Text`` loses any control characters; other renderables are the caller's own."""
    if isinstance(value, str):
        return text(value)
    if isinstance(value, Text) and terminal(value.plain) != value.plain:
        return text(value.plain, style=str(value.style))
    return value


_C1 = re.compile("[\x7f-\x9f]")


def _json_line(record: object) -> str:
    """A record as one JSON line; msgspec escapes C0 controls, this escapes DEL and C1 too
    (they can only be inside strings, so ``\\u009b`` is the same JSON value)."""
    line = encode_result(record).decode()
    return _C1.sub(lambda m: f"\\u{ord(m.group()):04x}", line)


Zone = Callable[[], tzinfo]
"""The account's zone, asked for only when a time is shown (so offline commands stay offline)."""


def human(value: object, zone: Zone) -> str:
    """A value as people read it: times in the account's zone, money with its symbol."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return f"{value.astimezone(zone()):%d.%m.%Y %H:%M}"
    if isinstance(value, date):
        return fmt.day(value)
    if isinstance(value, timedelta):
        return fmt.duration(value)
    if isinstance(value, PhoneNumber):
        return value.international
    if isinstance(value, Money):
        return fmt.money(value)
    if isinstance(value, enum.Enum):
        return fmt.enum_label(value)
    if isinstance(value, Quantity):
        return fmt.quantity(value)
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
    columns = [SpinnerColumn(), TextColumn("{task.description}", markup=False)]
    if total is not None:
        columns += [BarColumn(), MofNCompleteColumn()]
    else:
        columns.append(TextColumn("{task.completed}"))
    with Progress(
        *columns, console=console, transient=True, disable=not console.is_terminal
    ) as bar:
        task = bar.add_task(terminal(label), total=total)  # labels name files: data

        def advance(n: int = 1) -> None:
            bar.advance(task, n)

        yield advance


def emit(
    state: State,
    records: Iterable[T],
    columns: Sequence[Column[T]],
    *,
    title: str | None = None,
    empty: str | None = None,
    row_style: Callable[[T], str | None] | None = None,
    label: str | None = None,
) -> int:
    """Write ``records`` in the chosen format; returns how many were written.

    ``title``, ``empty`` and ``label`` are for people, already in their language (the
    caller wraps them in ``_()``); column headers are translated here, since their English
    text is also the CSV header (``--json`` and ``--csv`` stay English)."""
    count = 0
    with progress(_("Fetching") if label is None else label) as advance:
        if state.format == "json":
            out = sys.stdout
            for record in records:
                out.write(_json_line(record) + "\n")
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
        table = Table(
            title=None if title is None else text(title),
            title_justify="left",
            title_style="bold",
            box=box.SIMPLE_HEAD,
        )
        for column in columns:
            table.add_column(_(column.header), justify="right" if column.right else "left")
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
        console.print(text(_("Nothing found.") if empty is None else empty, style="dim"))
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
        table.add_row(_(field.header), _cell(field, record, zone))
    console = stdout()
    if title:
        console.print(text(title, style="bold"))
    console.print(table)


def _cell(column: Column[Any], record: Any, zone: Zone) -> RenderableType:
    if column.show is not None:
        return safe(column.show(record))
    return text(human(column.get(record), zone))


class _CsvWriter:
    """CSV rows straight to standard output, flushed one by one: control characters out
    (tabs and line breaks stay), formulas neutralised by :func:`selfcare._rules.text.csv_row`."""

    def __init__(self) -> None:
        self._out = sys.stdout

    def row(self, values: Sequence[str]) -> None:
        self._out.write(csv_row([terminal(v) for v in values], line_end="\n"))
        self._out.flush()


def note(message: str) -> None:
    """A line on standard error: notes that must not get into JSON or CSV on stdout (data in
    them loses its control characters)."""
    click.echo(terminal(message), err=True)
