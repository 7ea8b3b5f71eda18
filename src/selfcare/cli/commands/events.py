"""``selfcare events``: what happened on the line, listed or followed as it happens."""

from __future__ import annotations

import contextlib
import itertools
import sys
from collections.abc import Iterable
from datetime import date, datetime, timedelta

import click
from rich.text import Text

from selfcare._i18n import gettext as _
from selfcare.cli import _format as fmt
from selfcare.cli._context import State, pass_state
from selfcare.cli._options import choice, limit_option, output_options, since_until
from selfcare.cli._output import Column, Zone, emit, human, stdout
from selfcare.cli.commands.usage import limited, page_size
from selfcare.labels import label
from selfcare.model import (
    Balance,
    Bill,
    Complaint,
    ConnectedService,
    ForwardingState,
    LoginRecord,
    Message,
    Payment,
)
from selfcare.model.events import Event, EventType, Spending, SpendingPeriod

__all__ = ["COMMANDS", "summary", "told"]


def summary(event: Event) -> str:
    """One line on what an event is about, in English: the ``summary`` that JSON and CSV
    carry (stable for scripts; :func:`told` is the same for people, in their language)."""
    data = event.data
    if isinstance(data, Message):
        return f"{data.kind.value.upper()} {data.id}: {data.status.value}"
    if isinstance(data, Bill):
        return f"bill {data.id}: {data.remaining} of {data.amount_due} due {data.due_date}"
    if isinstance(data, Payment):
        return f"{data.amount} from {data.method}: {data.status.value}"
    if isinstance(data, Balance):
        return f"balance {data.amount}"
    if isinstance(data, Spending):
        return f"spent {data.spent} this {data.period.value} (alert above {data.limit})"
    if isinstance(data, ConnectedService):
        return f"{data.name} ({data.code})"
    if isinstance(data, ForwardingState):
        active = [rule.condition.value for rule in data.effective]
        return "forwarding: " + (", ".join(active) if active else "off")
    if isinstance(data, Complaint):
        return f"complaint {data.id}: {data.status.value}"
    if isinstance(data, LoginRecord):
        return f"signed in by {data.method.value} on {data.channel}"
    return ""


def told(event: Event) -> str:
    """:func:`summary` for people: in their language, money and dates as they write them."""
    data = event.data
    if isinstance(data, Message):
        kind = label(data.kind).upper()
        return _("%(kind)s %(id)s: %(status)s") % {
            "kind": kind,
            "id": data.id,
            "status": label(data.status),
        }
    if isinstance(data, Bill):
        return _("bill %(id)s: %(remaining)s of %(amount)s due %(due)s") % {
            "id": data.id,
            "remaining": fmt.money(data.remaining),
            "amount": fmt.money(data.amount_due),
            "due": fmt.day(data.due_date),
        }
    if isinstance(data, Payment):
        return _("%(amount)s from %(method)s: %(status)s") % {
            "amount": fmt.money(data.amount),
            "method": data.method,
            "status": label(data.status),
        }
    if isinstance(data, Balance):
        return _("balance %(amount)s") % {"amount": fmt.money(data.amount)}
    if isinstance(data, Spending):
        spent = {"spent": fmt.money(data.spent), "limit": fmt.money(data.limit)}
        if data.period is SpendingPeriod.DAY:
            return _("spent %(spent)s today (alert above %(limit)s)") % spent
        return _("spent %(spent)s this month (alert above %(limit)s)") % spent
    if isinstance(data, ConnectedService):
        return f"{data.name} ({data.code})"
    if isinstance(data, ForwardingState):
        active = [label(rule.condition) for rule in data.effective]
        if not active:
            return _("forwarding: off")
        return _("forwarding: %(conditions)s") % {"conditions": ", ".join(active)}
    if isinstance(data, Complaint):
        return _("complaint %(id)s: %(status)s") % {"id": data.id, "status": label(data.status)}
    if isinstance(data, LoginRecord):
        return _("signed in by %(method)s on %(channel)s") % {
            "method": label(data.method),
            "channel": data.channel,
        }
    return ""


COLUMNS: list[Column[Event]] = [
    Column("When", lambda e: e.occurred_at, key="occurred_at"),
    Column("Type", lambda e: e.type.value, key="type"),  # a code people type in --type
    Column("What", summary, show=told, key="summary"),  # English in JSON and CSV
    Column("Id", lambda e: e.id, key="id"),
]


@click.command()
@since_until
@click.option(
    "--type",
    "types",
    type=choice(EventType),
    multiple=True,
    help="Only this type (repeat for several).",
)
@click.option(
    "--follow",
    "-f",
    is_flag=True,
    help="Keep going: print each new event as it happens, oldest first (Ctrl-C stops).",
)
@click.option("--after", metavar="ID", help="With --follow: catch up after this event id first.")
@limit_option
@output_options
@pass_state
def events(
    state: State,
    since: date | datetime | timedelta | None,
    until: date | datetime | timedelta | None,
    types: tuple[str, ...],
    follow: bool,
    after: str | None,
    limit: int | None,
) -> None:
    """What happened on the line: deliveries, bills, payments, alerts, changes.

    Lists events newest first. With --follow, prints new events as they happen, one line
    each (JSON Lines with --json), resuming after a dropped connection without losing or
    repeating one; --limit stops after that many.

    Example: selfcare --fake events --type bill.issued --since 30d
    """
    sc = state.client()
    if not follow:
        if after is not None:
            raise click.UsageError("--after goes with --follow")
        pager = sc.events.list(
            since=state.when(since),
            until=state.when(until),
            types=types or None,
            page_size=page_size(limit),
        )
        emit(state, limited(pager, limit), COLUMNS, title=_("Events"), empty=_("No events."))
        return
    if since is not None or until is not None:
        raise click.UsageError("--since and --until list past events; --follow takes --after")
    stream: Iterable[Event] = sc.events.stream(types=types or None, after=after)
    if limit is not None:
        stream = itertools.islice(stream, limit)
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C is how a follower stops
        _follow(state, stream)


def _follow(state: State, stream: Iterable[Event]) -> None:
    if state.format != "table":
        emit(state, stream, COLUMNS)
        return
    console = stdout()
    zone: Zone = lambda: state.zone  # noqa: E731
    for event in stream:
        line = Text(human(event.occurred_at, zone), style="dim")
        line.append(f"  {event.type.value}", style="bold")
        line.append(f"  {told(event)}")
        console.print(line)
        sys.stdout.flush()


COMMANDS = [events]
