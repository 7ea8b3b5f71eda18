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
import io
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal
from typing import Any, Generic, TypeVar

import attrs
import click
import msgspec
from rich import box
from rich.console import Console, RenderableType
from rich.measure import Measurement
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
_UNBOUNDED = 10_000
_LONG_WORD = 24
"""A prose column is never narrower than its longest word up to this many cells."""


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
    wrap: bool = False
    """Prose (descriptions, names, notes) that may wrap onto more lines. Every other column
    (ids, codes, numbers, amounts, times) is shown whole, never cut or ellipsised: people
    copy ids and codes from a table into the next command."""
    table: bool = True
    """Shown in tables; ``False`` for a CSV (and JSON) column a table shows merged into
    another (an expense's ``duration`` and ``volume``, shown as one ``Usage``)."""
    csv: bool = True
    """Written to CSV and carried by JSON; ``False`` for a table's merged view of fields CSV
    and JSON have apart (an expense's ``Usage``)."""

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


Nested = Mapping[str, Sequence["Column[Any]"]]
"""``{"rules": RULE_COLUMNS}``: a record field holding records that a table shows as rows."""


class _JsonLines:
    """Records as JSON lines that carry everything the table shows: the record's own JSON,
    plus each column the record has no key for under the column's name (``available``,
    ``mmi_code``), plus ``extra`` (what a table shows in its title), the same for the
    records in ``nested`` fields."""

    def __init__(
        self, columns: Sequence[Column[Any]], extra: Mapping[str, object], nested: Nested
    ) -> None:
        self.columns, self.extra, self.nested = columns, extra, nested
        self._complete: bool | None = None

    def line(self, record: object) -> str:
        if self._complete:  # the record's own JSON has every column: as it is
            return _json_line(record)
        document = _document(record, self.columns, self.nested)
        if self._complete is None and not (self.extra or self.nested):
            first = _json_value(record)
            self._complete = isinstance(first, dict) and all(c.name in first for c in self.columns)
        if not isinstance(document, dict):
            return _json_line(record)
        document.update({key: _json_value(value) for key, value in self.extra.items()})
        return _json_line(document)


def _json_value(value: object) -> Any:
    """``value`` as the wire's JSON has it, as plain Python (times in UTC)."""
    return msgspec.json.decode(encode_result(value))


def _document(record: object, columns: Sequence[Column[Any]], nested: Nested) -> Any:
    document = _json_value(record)
    if not isinstance(document, dict):
        return document
    for field, inner in nested.items():
        items = getattr(record, field, None)
        if isinstance(items, tuple | list) and isinstance(document.get(field), list):
            document[field] = [_document(item, inner, {}) for item in items]
    for column in columns:
        if column.name not in document:
            document[column.name] = _json_value(column.get(record))
    return document


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
    """A value for CSV: ISO times with the zone's offset, bare amounts, E.164 numbers,
    durations in whole seconds (``73``: the one duration format of every CSV)."""
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
    extra: Mapping[str, object] | None = None,
    nested: Nested | None = None,
) -> int:
    """Write ``records`` in the chosen format; returns how many were written.

    JSON carries every column too (see :class:`_JsonLines`); ``extra`` adds what the table
    shows in its title to JSON and CSV; ``nested`` names fields whose records a table shows
    as rows, for JSON to carry their columns as well. ``title``, ``empty`` and ``label`` are
    for people, already in their language (the caller wraps them in ``_()``); column headers
    are translated here, since their English text is also the CSV header (``--json`` and
    ``--csv`` stay English)."""
    count = 0
    with progress(_("Fetching") if label is None else label) as advance:
        if state.format == "json":
            out = sys.stdout
            lines = _JsonLines([c for c in columns if c.csv], extra or {}, nested or {})
            for record in records:
                out.write(lines.line(record) + "\n")
                out.flush()
                count += 1
                advance(1)
            return count
        zone: Zone = lambda: state.zone  # noqa: E731
        if state.format == "csv":
            columns = [c for c in columns if c.csv]
            writer = _CsvWriter()
            writer.row([c.name for c in columns] + list(extra or {}))
            tail = [plain(v, zone) for v in (extra or {}).values()]
            for record in records:
                writer.row([plain(c.get(record), zone) for c in columns] + tail)
                count += 1
                advance(1)
            return count
        table = Table(
            title=None if title is None else text(title),
            title_justify="left",
            title_style="bold",
            box=box.SIMPLE_HEAD,
        )
        columns = [c for c in columns if c.table]
        for column in columns:
            table.add_column(
                Text(_(column.header), no_wrap=False),  # a header may wrap, its values not
                justify="right" if column.right else "left",
                no_wrap=not column.wrap,
                overflow="fold",
            )
        sizes = [_Size.of(c.header, c.wrap) for c in columns]
        for record in records:
            cells = [_cell(c, record, zone) for c in columns]
            for size, cell in zip(sizes, cells, strict=True):
                size.add(cell)
            table.add_row(*cells, style=None if row_style is None else row_style(record))
            count += 1
            advance(1)
    console = stdout()
    if count:
        _print_whole(console, table, sizes)
    else:
        console.print(text(_("Nothing found.") if empty is None else empty, style="dim"))
    return count


_MEASURE = Console(width=_UNBOUNDED, file=io.StringIO())


@attrs.define
class _Size:
    """How narrow and how wide a column's cells can be: a kept column (``wrap=False``) is
    never narrower than its widest cell; a prose column never narrower than its longest
    word (up to :data:`_LONG_WORD`), so a code in a list of codes stays whole too."""

    wrap: bool
    minimum: int = 1
    maximum: int = 1

    @classmethod
    def of(cls, header: str, wrap: bool) -> _Size:
        low, high = Measurement.get(_MEASURE, _MEASURE.options, Text(header))
        return cls(wrap, min(low, _LONG_WORD), high)

    def add(self, cell: RenderableType) -> None:
        low, high = Measurement.get(_MEASURE, _MEASURE.options, cell)
        self.maximum = max(self.maximum, high)
        self.minimum = max(self.minimum, min(low, _LONG_WORD) if self.wrap else high)


def _print_whole(console: Console, table: Table, sizes: Sequence[_Size]) -> None:
    """Print ``table`` with every kept column whole: prose columns wrap to make room, each
    down to its longest word; when even that is wider than the console, the table is printed
    wider than it (the terminal wraps the long lines: nothing is cut or ellipsised)."""
    padding = sum(table._get_padding_width(i) for i in range(len(table.columns)))
    room = console.width - table._extra_width - padding
    if sum(s.maximum for s in sizes) <= room:
        console.print(table)
        return
    widths = [s.minimum for s in sizes]
    spare = room - sum(widths)
    slack = [s.maximum - s.minimum if s.wrap else 0 for s in sizes]
    total: int = sum(slack)
    if spare > 0 and total:  # share the room left among prose columns, by their slack
        grown = [min(gap, spare * gap // total) for gap in slack]
        left = spare - sum(grown)
        for index, gap in enumerate(slack):  # what rounding down left, to the first that fit
            more = min(left, gap - grown[index])
            grown[index] += more
            left -= more
        widths = [w + g for w, g in zip(widths, grown, strict=True)]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    if spare >= 0:
        console.print(table)
        return
    wider = StdoutConsole(file=console.file, highlight=False, width=console.width - spare)
    wider.print(table)


def emit_one(
    state: State,
    record: Any,
    fields: Sequence[Column[Any]],
    *,
    title: str | None = None,
    extra: Mapping[str, object] | None = None,
    nested: Nested | None = None,
) -> None:
    """Write one record: a two-column table for people, one JSON line, or a one-row CSV
    (``extra`` and ``nested`` as for :func:`emit`)."""
    if state.format != "table":
        inner = nested if state.format == "json" else None
        emit(state, [record], fields, extra=extra, nested=inner)
        return
    zone: Zone = lambda: state.zone  # noqa: E731
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    for field in fields:
        if field.table:
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
