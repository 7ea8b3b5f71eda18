"""``selfcare lines``: the lines a login may see (a family's, a company's) and their export."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import click

from selfcare._i18n import gettext as _
from selfcare._i18n import ngettext
from selfcare.cli import _format as fmt
from selfcare.cli._context import State, pass_state
from selfcare.cli._options import output_options, since_until
from selfcare.cli._output import Column, emit, progress
from selfcare.model import Line, PhoneNumber

__all__ = ["COMMANDS"]

LINE_COLUMNS: list[Column[Line]] = [
    Column("Number", lambda line: line.number),
    Column("Holder", lambda line: line.holder),
    Column("Role", lambda line: line.role),
    Column("Tariff", lambda line: line.tariff.name, key="tariff"),
    Column("Status", lambda line: line.status),
]


@click.group()
def lines() -> None:
    """The lines this login may see and their data: list, export.

    An owner's or a manager's login sees every line of the account, a member's only their
    own. On the fake operator, --subscriber family (four lines) or acme (1,000) shows them.

    Example: selfcare --fake --subscriber acme lines list --json
    """


@lines.command("list")
@output_options
@pass_state
def list_lines(state: State) -> None:
    """The lines this login may see, by number, with holder, role and tariff.

    Example: selfcare --fake --subscriber family lines list
    """
    pager = state.client().lines.list(page_size=1000)
    emit(state, pager, LINE_COLUMNS, title=_("Lines"), empty=_("No lines."))


@lines.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@since_until
@click.option("--line", "numbers", multiple=True, help="Only this line (repeatable).")
@click.option(
    "--max-concurrency",
    type=click.IntRange(1, 64),
    default=8,
    show_default=True,
    help="Lines fetched at once (by the async client; this command goes line by line).",
)
@click.option("--overwrite", is_flag=True, help="Rewrite lines already in DIRECTORY.")
@pass_state
def export(
    state: State,
    directory: Path,
    since: date | datetime | timedelta | None,
    until: date | datetime | timedelta | None,
    numbers: tuple[str, ...],
    max_concurrency: int,
    overwrite: bool,
) -> None:
    """Write the lines' expenses to DIRECTORY as Parquet, a partition per line and month.

    DuckDB reads it as it is: select * from
    read_parquet('DIRECTORY/**/*.parquet', hive_partitioning = true). A second run skips the
    lines already written (resumes), unless --overwrite.

    Example: selfcare --fake --subscriber family lines export fleet --since 30d
    """
    client = state.client()
    total = len(numbers) if numbers else sum(1 for _line in client.lines.list(page_size=1000))
    with progress(_("Exporting lines"), total) as advance:

        def done(number: PhoneNumber, rows: int | None) -> None:
            advance(1)

        summary = client.lines.export(
            directory,
            since=state.when(since),
            until=state.when(until),
            lines=list(numbers) or None,
            max_concurrency=max_concurrency,
            overwrite=overwrite,
            progress=done,
        )
    skipped = ""
    if summary.skipped:  # "lines" is the line count's plural; this one needs none
        skipped = " " + _("(%(count)s already there, skipped)") % {
            "count": fmt.count(summary.skipped)
        }
    wrote = ngettext(
        "Wrote %(lines)s line%(skipped)s: %(rows)s rows, %(bytes)s bytes of Parquet in %(path)s",
        "Wrote %(lines)s lines%(skipped)s: %(rows)s rows, %(bytes)s bytes of Parquet in %(path)s",
        summary.lines,
    ) % {
        "lines": fmt.count(summary.lines),
        "skipped": skipped,
        "rows": fmt.count(summary.rows),
        "bytes": fmt.count(summary.bytes),
        "path": summary.path,
    }
    click.echo(wrote)


COMMANDS = [lines]
