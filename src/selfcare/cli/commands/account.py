"""``selfcare balance`` and ``selfcare bills``: what is on the account and what is owed."""

from __future__ import annotations

import click
from rich.text import Text

from selfcare._i18n import gettext as _
from selfcare.cli import _format as fmt
from selfcare.cli._context import State, pass_state
from selfcare.cli._format import enum_label
from selfcare.cli._options import output_options
from selfcare.cli._output import Column, emit, emit_one
from selfcare.model import Balance, Bill

__all__ = ["BILL_COLUMNS", "COMMANDS"]

BILL_COLUMNS: list[Column[Bill]] = [
    Column("Bill", lambda b: b.id, key="id"),
    Column("Period start", lambda b: b.period_start),
    Column("Period end", lambda b: b.period_end),
    Column("Due", lambda b: b.due_date, key="due_date"),
    Column("Amount", lambda b: b.amount_due, right=True, key="amount_due"),
    Column("Remaining", lambda b: b.remaining, right=True),
    Column(
        "State",
        lambda b: b.state,
        show=lambda b: Text(enum_label(b.state), style="bold red" if b.is_overdue else ""),
    ),
]


def _overdue(bill: Bill) -> str | None:
    return "red" if bill.is_overdue else None


@click.command()
@output_options
@pass_state
def balance(state: State) -> None:
    """The balance now, the credit limit and what is available.

    Example: selfcare --fake balance
    """
    sc = state.client()
    account = state.account()
    now = sc.account.balance()
    fields: list[Column[Balance]] = [
        Column(
            "Balance",
            lambda b: b.amount,
            key="amount",
            show=lambda b: Text(fmt.money(b.amount), style=fmt.amount_style(b.amount)),
        ),
        Column("Credit limit", lambda b: b.credit_limit),
        Column("Available", lambda b: b.available),
        Column("As of", lambda b: b.as_of),
    ]
    title = f"{account.number.international} · {account.holder} · {account.tariff.name}"
    shown = {"number": account.number, "holder": account.holder, "tariff": account.tariff.code}
    emit_one(state, now, fields, title=None if state.format != "table" else title, extra=shown)


@click.command()
@click.option("--open", "open_only", is_flag=True, help="Only bills with something left to pay.")
@output_options
@pass_state
def bills(state: State, open_only: bool) -> None:
    """Bills, oldest first; overdue ones are shown in red.

    Example: selfcare --fake bills --open
    """
    sc = state.client()
    found = sc.account.debts() if open_only else sc.account.bills()
    emit(state, found, BILL_COLUMNS, title=_("Bills"), empty=_("Nothing owed."), row_style=_overdue)


COMMANDS = [balance, bills]
