"""``selfcare history``: who signed in, and every operation with how it ended."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import click
from rich.text import Text

from selfcare._i18n import gettext as _
from selfcare.cli._context import State, pass_state
from selfcare.cli._format import enum_label
from selfcare.cli._options import choice, limit_option, output_options, since_until
from selfcare.cli._output import Column, emit
from selfcare.cli.commands.usage import limited, page_size
from selfcare.model import LoginMethod, LoginRecord, LoginStatus, OperationRecord, OperationStatus
from selfcare.operations.history import logged_operation_names

__all__ = ["COMMANDS"]

LOGIN_COLUMNS: list[Column[LoginRecord]] = [
    Column("When", lambda r: r.at, key="at", wrap=True),
    Column("Channel", lambda r: r.channel),
    Column("Method", lambda r: r.method),
    Column(
        "Status",
        lambda r: r.status,
        show=lambda r: Text(enum_label(r.status), style="red" if r.failed else ""),
    ),
    Column("Reason", lambda r: r.reason, wrap=True),
    Column("IP", lambda r: r.ip),
    Column("Client", lambda r: r.client, wrap=True),
]


def _params(record: OperationRecord) -> str:
    return ", ".join(f"{p.name}={p.value}" for p in record.parameters)


OPERATION_COLUMNS: list[Column[OperationRecord]] = [
    Column("When", lambda r: r.at, key="at", wrap=True),
    Column("Channel", lambda r: r.channel),
    Column("Operation", lambda r: r.operation),
    Column("Parameters", _params, wrap=True),
    Column(
        "Status",
        lambda r: r.status,
        show=lambda r: Text(
            enum_label(r.status) + (f": {r.reason}" if r.reason else ""),
            style="red" if r.status is OperationStatus.FAILED else "",
        ),
    ),
    Column("Reason", lambda r: r.reason, wrap=True),
]


@click.group()
def history() -> None:
    """Your own history: sign-ins and the operation log.

    Example: selfcare --fake history operations --since 90d
    """


@history.command("logins")
@since_until
@click.option("--method", type=choice(LoginMethod), help="Only this way of signing in.")
@click.option("--status", type=choice(LoginStatus), help="Only successful or failed ones.")
@limit_option
@output_options
@pass_state
def logins(
    state: State,
    since: date | datetime | timedelta | None,
    until: date | datetime | timedelta | None,
    method: str | None,
    status: str | None,
    limit: int | None,
) -> None:
    """Sign-in attempts, newest first; failed ones in red.

    Example: selfcare --fake history logins --status failed
    """
    pager = state.client().logins.list(
        since=state.when(since),
        until=state.when(until),
        method=method,
        status=status,
        page_size=page_size(limit),
    )
    emit(state, limited(pager, limit), LOGIN_COLUMNS, title=_("Sign-ins"), empty=_("No sign-ins."))


@history.command("operations")
@since_until
@click.option(
    "--type",
    "operation",
    type=click.Choice(sorted(logged_operation_names())),
    help="Only this operation.",
)
@click.option("--status", type=choice(OperationStatus), help="Only done, failed or pending.")
@limit_option
@output_options
@pass_state
def operations(
    state: State,
    since: date | datetime | timedelta | None,
    until: date | datetime | timedelta | None,
    operation: str | None,
    status: str | None,
    limit: int | None,
) -> None:
    """Every operation you performed, newest first, with how it ended.

    Example: selfcare --fake history operations --type set_forwarding
    """
    pager = state.client().logins.operations(
        since=state.when(since),
        until=state.when(until),
        operation=operation,
        status=status,
        page_size=page_size(limit),
    )
    emit(
        state,
        limited(pager, limit),
        OPERATION_COLUMNS,
        title=_("Operations"),
        empty=_("No operations."),
    )


COMMANDS = [history]
