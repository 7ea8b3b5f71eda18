"""``selfcare demo``: one screen that shows what the SDK knows about a subscriber.

Names, descriptions and reasons come from the operator: every cell goes through
:func:`~selfcare.cli._output.safe`, so they print as text, never as markup or escapes.
"""

from __future__ import annotations

from datetime import date, timedelta

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from selfcare import Money, OperationStatus, Selfcare
from selfcare.cli import _format as fmt
from selfcare.cli._output import safe, text

__all__ = ["render_demo"]


def render_demo(sc: Selfcare) -> list[RenderableType]:
    """The demo screen's panels, read through the public API only."""
    account = sc.account.get()
    zone = account.zone

    def money(value: Money) -> str:  # as the account's region writes it (or SELFCARE_LOCALE)
        return value.format(default=account.locale)

    balance = sc.account.balance()
    today = balance.as_of.astimezone(zone).date()

    header = Table.grid(padding=(0, 2))
    _row(header, "Number", account.number.international, "Holder", account.holder)
    _row(header, "Tariff", account.tariff.name, "Status", account.status.value)
    _row(
        header,
        "Balance",
        Text(money(balance.amount), style=fmt.amount_style(balance.amount)),
        "Available",
        f"{money(balance.available)} (credit limit {money(balance.credit_limit)})",
    )
    panels: list[RenderableType] = [Panel(header, title="Account", title_align="left")]

    debts = _table("Open debts")
    debts.add_column("Bill")
    debts.add_column("Period", no_wrap=True)
    debts.add_column("Amount", justify="right", no_wrap=True)
    debts.add_column("Remaining", justify="right", no_wrap=True)
    debts.add_column("Due", no_wrap=True)
    debts.add_column("State")
    for bill in sc.account.debts():
        style = "bold red" if bill.is_overdue else ""
        _row(
            debts,
            bill.id,
            fmt.period(bill.period_start, bill.period_end),
            money(bill.amount_due),
            money(bill.remaining),
            fmt.day(bill.due_date),
            Text(bill.state.value.replace("_", " "), style=style),
        )
    if not debts.row_count:
        _row(debts, "Nothing owed", "", "", "", "", "")
    panels.append(debts)

    # The description says what the entry is in words ("Outgoing call"), so the kind's
    # code is left to `selfcare expenses`; numbers, times and amounts never wrap.
    recent = _table("Last 10 expenses")
    recent.add_column("When", no_wrap=True)
    recent.add_column("What")
    recent.add_column("Counterpart", no_wrap=True)
    recent.add_column("Usage", justify="right", no_wrap=True)
    recent.add_column("Cost", justify="right", no_wrap=True)
    for expense in sc.expenses.list().first(10):
        _row(
            recent,
            fmt.when(expense.at, zone, today),
            expense.description,
            fmt.number(expense.counterpart),
            fmt.usage(expense.duration, expense.volume),
            Text(money(expense.cost), style="green" if expense.is_credit else ""),
        )
    panels.append(recent)

    month_start = date(today.year, today.month, 1)
    summary = sc.expenses.summary(by="kind", since=month_start)
    spending = _table(f"Spending by kind since {fmt.day(month_start)}")
    spending.add_column("Kind")
    spending.add_column("Charges", justify="right")
    spending.add_column("Total", justify="right", no_wrap=True)
    for row in summary:
        _row(spending, row.key.replace("_", " "), str(row.count), money(row.total))
    _row(spending, Text("Total", style="bold"), "", Text(money(summary.total), style="bold"))
    panels.append(spending)

    week_ago = today - timedelta(days=6)
    calls = list(sc.calls.missed(since=week_ago))
    missed = _table(f"Missed calls since {fmt.day(week_ago)}: {len(calls)}")
    missed.add_column("When", no_wrap=True)
    missed.add_column("From", no_wrap=True)
    for call in calls:
        _row(missed, fmt.when(call.at, zone, today), call.counterpart.international)
    if not calls:
        _row(missed, "No missed calls", "")
    panels.append(missed)

    state = sc.forwarding.get()
    forwarding = _table(f"Call forwarding (voicemail {state.voicemail.international})")
    for column in ("Condition", "To", "Timer", "State", "MMI code"):
        forwarding.add_column(column)
    for rule in state.rules:
        target = "voicemail" if rule.to_voicemail else fmt.number(rule.number)
        if rule.effective:
            status = Text("forwarding", style="green")
        elif rule.active:
            status = Text("overridden by unconditional", style="yellow")
        else:
            status = Text("off", style="dim")
        timer = "" if rule.timer is None else f"{rule.timer} s"
        _row(
            forwarding, rule.condition.value.replace("_", " "), target, timer, status, str(rule.mmi)
        )
    panels.append(forwarding)

    operations = _table("Last operations")
    operations.add_column("When", no_wrap=True)
    for column in ("Channel", "Operation", "Status"):
        operations.add_column(column)
    for record in sc.logins.operations().first(5):
        style = "red" if record.status is OperationStatus.FAILED else ""
        outcome = record.status.value + (f": {record.reason}" if record.reason else "")
        _row(
            operations,
            fmt.when(record.at, zone, today),
            record.channel,
            record.operation.replace("_", " "),
            Text(outcome, style=style),
        )
    if not operations.row_count:
        _row(operations, "No operations yet", "", "", "")
    panels.append(operations)
    return panels


def _table(title: str) -> Table:
    return Table(
        title=text(title),
        title_justify="left",
        title_style="bold",
        box=box.SIMPLE_HEAD,
        expand=True,
    )


def _row(table: Table, *cells: RenderableType) -> None:
    """A row of data: every ``str`` is plain text (not markup), control characters out."""
    table.add_row(*(safe(cell) for cell in cells))


def print_demo(sc: Selfcare, console: Console) -> None:
    """Print the demo screen."""
    console.print(Group(*render_demo(sc)))
