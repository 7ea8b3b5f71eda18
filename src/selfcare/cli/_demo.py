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

from selfcare import ExpenseKind, Money, OperationStatus, Quantity, Selfcare
from selfcare._i18n import gettext as _
from selfcare._i18n import ngettext
from selfcare.cli import _format as fmt
from selfcare.cli._output import safe, text
from selfcare.labels import operation as operation_label

__all__ = ["render_demo"]


def render_demo(sc: Selfcare) -> list[RenderableType]:
    """The demo screen's panels, read through the public API only, in the reader's language
    (:func:`selfcare._i18n.language`)."""
    account = sc.account.get()
    zone = account.zone

    def money(value: Money) -> str:  # as the account's region writes it (or SELFCARE_LOCALE)
        return fmt.money(value, account.locale)

    balance = sc.account.balance()
    today = balance.as_of.astimezone(zone).date()

    header = Table.grid(padding=(0, 2))
    _row(header, _("Number"), account.number.international, _("Holder"), account.holder)
    _row(header, _("Tariff"), account.tariff.name, _("Status"), fmt.enum_label(account.status))
    _row(
        header,
        _("Balance"),
        Text(money(balance.amount), style=fmt.amount_style(balance.amount)),
        _("Available"),
        _("%(available)s (credit limit %(limit)s)")
        % {"available": money(balance.available), "limit": money(balance.credit_limit)},
    )
    panels: list[RenderableType] = [Panel(header, title=_("Account"), title_align="left")]

    debts = _table(_("Open debts"))
    debts.add_column(_("Bill"))
    debts.add_column(_("Period"), no_wrap=True)
    debts.add_column(_("Amount"), justify="right", no_wrap=True)
    debts.add_column(_("Remaining"), justify="right", no_wrap=True)
    debts.add_column(_("Due"), no_wrap=True)
    debts.add_column(_("State"))
    for bill in sc.account.debts():
        style = "bold red" if bill.is_overdue else ""
        _row(
            debts,
            bill.id,
            fmt.period(bill.period_start, bill.period_end),
            money(bill.amount_due),
            money(bill.remaining),
            fmt.day(bill.due_date),
            Text(fmt.enum_label(bill.state), style=style),
        )
    if not debts.row_count:
        _row(debts, _("Nothing owed"), "", "", "", "", "")
    panels.append(debts)

    # The description says what the entry is in words ("Outgoing call"), so the kind's
    # code is left to `selfcare expenses`; numbers, times and amounts never wrap.
    recent = _table(_("Last 10 expenses"))
    recent.add_column(_("When"), no_wrap=True)
    recent.add_column(_("What"))
    recent.add_column(_("Counterpart"), no_wrap=True)
    recent.add_column(_("Usage"), justify="right", no_wrap=True)
    recent.add_column(_("Cost"), justify="right", no_wrap=True)
    for expense in sc.expenses.list().first(10):
        _row(
            recent,
            fmt.when(expense.at, zone, today),
            expense.description,
            fmt.number(expense.counterpart),
            _usage(expense.duration, expense.volume, account.locale),
            Text(money(expense.cost), style="green" if expense.is_credit else ""),
        )
    panels.append(recent)

    month_start = date(today.year, today.month, 1)
    summary = sc.expenses.summary(by="kind", since=month_start)
    spending = _table(_("Spending by kind since %(day)s") % {"day": fmt.day(month_start)})
    spending.add_column(_("Kind"))
    spending.add_column(_("Charges"), justify="right")
    spending.add_column(_("Total"), justify="right", no_wrap=True)
    for row in summary:
        _row(spending, _kind(row.key), fmt.count(row.count, account.locale), money(row.total))
    _row(spending, Text(_("Total"), style="bold"), "", Text(money(summary.total), style="bold"))
    panels.append(spending)

    week_ago = today - timedelta(days=6)
    calls = list(sc.calls.missed(since=week_ago))
    missed = _table(
        ngettext(
            "%(count)s missed call since %(day)s",
            "%(count)s missed calls since %(day)s",
            len(calls),
        )
        % {"count": fmt.count(len(calls), account.locale), "day": fmt.day(week_ago)}
    )
    missed.add_column(_("When"), no_wrap=True)
    missed.add_column(_("From"), no_wrap=True)
    for call in calls:
        _row(missed, fmt.when(call.at, zone, today), call.counterpart.international)
    if not calls:
        _row(missed, _("No missed calls"), "")
    panels.append(missed)

    state = sc.forwarding.get()
    forwarding = _table(
        _("Call forwarding (voicemail %(number)s)") % {"number": state.voicemail.international}
    )
    for column in (_("Condition"), _("To"), _("Timer"), _("State"), _("MMI code")):
        forwarding.add_column(column)
    for rule in state.rules:
        target = _("voicemail") if rule.to_voicemail else fmt.number(rule.number)
        if rule.effective:
            status = Text(_("forwarding"), style="green")
        elif rule.active:
            status = Text(_("overridden by unconditional"), style="yellow")
        else:
            status = Text(_("off"), style="dim")
        timer = "" if rule.timer is None else _("%(seconds)s s") % {"seconds": rule.timer}
        _row(forwarding, fmt.enum_label(rule.condition), target, timer, status, str(rule.mmi))
    panels.append(forwarding)

    operations = _table(_("Last operations"))
    operations.add_column(_("When"), no_wrap=True)
    for column in (_("Channel"), _("Operation"), _("Status")):
        operations.add_column(column)
    for record in sc.logins.operations().first(5):
        style = "red" if record.status is OperationStatus.FAILED else ""
        outcome = fmt.enum_label(record.status) + (f": {record.reason}" if record.reason else "")
        _row(
            operations,
            fmt.when(record.at, zone, today),
            record.channel,
            operation_label(record.operation),
            Text(outcome, style=style),
        )
    if not operations.row_count:
        _row(operations, _("No operations yet"), "", "", "")
    panels.append(operations)
    return panels


def _kind(key: str) -> str:
    """A summary's key (an expense kind's value) as people read it."""
    try:
        return fmt.enum_label(ExpenseKind(key))
    except ValueError:
        return key.replace("_", " ")


def _usage(duration: timedelta | None, volume: Quantity | None, locale: str | None) -> str:
    """Minutes and seconds of a call, or a volume with its plural (``5 минут``)."""
    if duration is not None:
        return fmt.duration(duration)
    return "" if volume is None else fmt.quantity(volume, locale)


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
