import io
from datetime import UTC, date, datetime, timedelta

import pytest
from click.testing import CliRunner
from rich.console import Console

from selfcare import Selfcare
from selfcare.backends.fake import ManualClock
from selfcare.cli import _format as fmt
from selfcare.cli._app import cli
from selfcare.cli._demo import print_demo
from tests.conftest import MOSCOW, NOW


def test_help() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "selfcare demo" in result.output


def test_demo_shows_the_whole_screen() -> None:
    result = CliRunner().invoke(cli, ["demo", "--seed", "42"], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    out = result.output
    for section in (
        "Account",
        "Anna Smirnova",
        "+7 916 555-01-23",
        "Balance",
        "Open debts",
        "overdue",
        "Last 10 expenses",
        "Spending by kind since",
        "Total",
        "missed calls since",
        "Call forwarding (voicemail +7 916 000-01-23)",
        "no reply",
        "**61*+79160000123**20#",
        "##21#",
        "Last operations",
        "file complaint",
        "set forwarding",
    ):
        assert section in out, section
    assert "₽" in out
    assert "Traceback" not in out


def _screen(width: int) -> str:
    console = Console(record=True, width=width, file=io.StringIO())
    with Selfcare.fake(seed=42, clock=ManualClock(NOW)) as sc:
        print_demo(sc, console)
    return console.export_text()


def _section(screen: str, title: str) -> list[str]:
    """The rows of one table of the screen (after its header rule, up to the blank line)."""
    lines = screen.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    rule = next(i for i in range(start, len(lines)) if "───" in lines[i])
    rows = []
    for line in lines[rule + 1 :]:
        if not line.strip():
            break
        rows.append(line.strip())
    return rows


@pytest.mark.parametrize("width", [80, 120])
def test_rows_are_whole_and_dated_unambiguously(width: int) -> None:
    screen = _screen(width)
    sc = Selfcare.fake(seed=42, clock=ManualClock(NOW))
    expenses = sc.expenses.list().first(10)
    rows = _section(screen, "Last 10 expenses")
    assert len(rows) == 10  # one line each: nothing wraps at 80 columns
    for row, expense in zip(rows, expenses, strict=True):
        local = expense.at.astimezone(MOSCOW)
        assert row.startswith(f"{local:%d.%m %H:%M} "), row  # this year: no year
        assert expense.description in row
        if expense.counterpart is not None:
            assert expense.counterpart.international in row
        assert expense.cost.format("ru_RU") in row  # the account (RU) writes money so

    missed = list(sc.calls.missed(since=NOW.date() - timedelta(days=6)))
    title = f"{len(missed)} missed call{'' if len(missed) == 1 else 's'} since"
    assert f"{title} {NOW.date() - timedelta(days=6):%d.%m.%Y}" in screen
    for row, call in zip(_section(screen, title), missed, strict=True):
        assert row.split()[:2] == f"{call.at.astimezone(MOSCOW):%d.%m %H:%M}".split()
        assert call.counterpart.international in row

    for row, bill in zip(_section(screen, "Open debts"), sc.account.debts().to_list(), strict=True):
        assert row.startswith(bill.id)
        assert f"{bill.due_date:%d.%m.%Y}" in row and bill.remaining.format("ru_RU") in row
        assert ("overdue" in row) is bill.is_overdue

    # An operation from last year says so: "11.12" alone would read as this December.
    operations = sc.logins.operations().first(5)
    rows = _section(screen, "Last operations")
    assert len(rows) == len(operations)
    assert any(record.at.year != NOW.year for record in operations)
    for row, record in zip(rows, operations, strict=True):
        local = record.at.astimezone(MOSCOW)
        shown = f"{local:%d.%m %H:%M}" if local.year == NOW.year else f"{local:%d.%m.%Y %H:%M}"
        assert row.startswith(shown + " "), row


def test_when_shows_the_year_only_when_it_is_not_this_one() -> None:
    this_year = datetime(2026, 3, 1, 9, 5, tzinfo=UTC)
    last_year = datetime(2025, 12, 31, 21, 30, tzinfo=UTC)  # 1 January 2026 in Moscow
    today = date(2026, 11, 25)
    assert fmt.when(this_year, MOSCOW, today) == "01.03 12:05"
    assert fmt.when(last_year, MOSCOW, today) == "01.01 00:30"
    assert fmt.when(last_year, UTC, today) == "31.12.2025 21:30"
    assert fmt.period(date(2026, 9, 20), date(2026, 10, 19)) == "20.09 – 19.10.2026"
    assert fmt.period(date(2025, 12, 20), date(2026, 1, 19)) == "20.12.2025 – 19.01.2026"
