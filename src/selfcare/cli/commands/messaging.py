"""``selfcare sms``, ``mms``, ``messages`` and ``broadcast``: send, plan, follow, broadcast."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import attrs
import click
from rich.text import Text

from selfcare._errors import NotFound, ValidationError
from selfcare._i18n import gettext as _
from selfcare.cli import _format as fmt
from selfcare.cli._context import State, pass_state
from selfcare.cli._errors import EXIT_FAILED
from selfcare.cli._format import enum_label
from selfcare.cli._options import choice, limit_option, output_options, since_until
from selfcare.cli._output import Column, emit, emit_one, note, progress
from selfcare.cli._params import DURATION, LATER
from selfcare.cli.commands.usage import limited, page_size
from selfcare.model import Money
from selfcare.model.contacts import MailingList
from selfcare.model.messaging import (
    Broadcast,
    Delivery,
    Message,
    MessageStatus,
    RecipientResult,
    RecipientStatus,
)
from selfcare.operations import new_idempotency_key
from selfcare.sms import Encoding, SmsPlan, plan

__all__ = ["COMMANDS", "find_list"]

F = TypeVar("F", bound=Callable[..., Any])

BROADCAST_CHUNK = 8
"""Recipients per broadcast call: small enough for a live progress bar."""


def _short(text: str | None, width: int = 40) -> str:
    if not text:
        return ""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


MESSAGE_COLUMNS: list[Column[Message]] = [
    Column("When", lambda m: m.at, key="at", wrap=True),
    Column("Kind", lambda m: m.kind),
    Column(
        "Status",
        lambda m: m.status,
        show=lambda m: Text(
            enum_label(m.status),
            style="green" if m.status.reached else ("red" if m.is_final else "yellow"),
        ),
    ),
    Column("To", lambda m: m.recipients),
    Column("Parts", lambda m: m.parts, right=True),
    Column("Cost", lambda m: m.cost, right=True),
    Column("Text", lambda m: m.subject or m.text, show=lambda m: _short(m.subject or m.text)),
    Column("Id", lambda m: m.id),
]

MESSAGE_FIELDS: list[Column[Message]] = [
    Column("Id", lambda m: m.id),
    Column("Kind", lambda m: m.kind),
    Column("Status", lambda m: m.status),
    Column("To", lambda m: m.recipients),
    Column("Sender", lambda m: m.sender),
    Column("Parts", lambda m: m.parts),
    Column("Encoding", lambda m: m.encoding),
    Column("Cost", lambda m: m.cost),
    Column("Deliver at", lambda m: m.deliver_at),
    Column("Valid until", lambda m: m.valid_until),
    Column("Subject", lambda m: m.subject),
    Column("Text", lambda m: m.text, wrap=True),
]

DELIVERY_COLUMNS: list[Column[Delivery]] = [
    Column("Recipient", lambda d: d.recipient),
    Column("Status", lambda d: d.status),
    Column("Updated", lambda d: d.updated_at, key="updated_at"),
    Column("Reason", lambda d: d.reason, wrap=True),
    Column("Cost", lambda d: d.cost, right=True),
]

RESULT_COLUMNS: list[Column[RecipientResult]] = [
    Column("Recipient", lambda r: r.recipient),
    Column(
        "Status",
        lambda r: r.status,
        show=lambda r: Text(enum_label(r.status), style="green" if r.sent else "red"),
    ),
    Column("Message", lambda r: None if r.message is None else r.message.id),
    Column("Reason", lambda r: r.reason, wrap=True),
]


MAX_STDIN_TEXT = 20_000
"""The most characters ``--text -`` reads: more than any SMS or MMS text can be."""


def _text(value: str) -> str:
    """``-`` reads the text from standard input (at most :data:`MAX_STDIN_TEXT` characters)."""
    if value != "-":
        return value
    read = sys.stdin.read(MAX_STDIN_TEXT + 1)
    if len(read) > MAX_STDIN_TEXT:
        raise ValidationError(
            f"the text on standard input is too long: more than {MAX_STDIN_TEXT} characters",
            field="text",
        )
    return read.rstrip("\n")


def _deliver_at(state: State, value: datetime | timedelta | None) -> datetime | None:
    """``--at``: an instant (naive ones in the account's zone), or a delay from the backend's
    now (a fake may run on its own clock)."""
    if value is None:
        return None
    if isinstance(value, timedelta):
        return state.now() + value
    result = state.when(value)
    assert isinstance(result, datetime)
    return result


def _send_options(func: F) -> F:
    """Options sms send, mms send and broadcast share."""
    for option in reversed(
        [
            click.option(
                "--at",
                "at",
                type=LATER,
                help="Send later: at this time (2026-11-25T18:00, account's zone) or after "
                "this delay (+2h).",
            ),
            click.option(
                "--validity", type=DURATION, help="How long to retry an unreachable phone (1d)."
            ),
            click.option("--sender", help="Sender name (≤ 11 Latin letters/digits) or number."),
            click.option("--no-report", is_flag=True, help="Do not ask for a delivery report."),
            click.option(
                "--idempotency-key",
                help="Repeat a failed command with the same key: nothing is sent twice.",
            ),
        ]
    ):
        func = option(func)
    return func


@click.group()
def sms() -> None:
    """SMS: plan a text (parts and cost), send it, look at it, cancel a scheduled one.

    Example:

        selfcare --fake sms send "8 916 123-45-67" --text "Running late"
    """


@sms.command("send")
@click.argument("to", nargs=-1, required=True)
@click.option("--text", required=True, help="The text ('-' reads it from standard input).")
@click.option("--flash", is_flag=True, help="Show on screen without storing it.")
@_send_options
@output_options
@pass_state
def sms_send(
    state: State,
    to: tuple[str, ...],
    text: str,
    flash: bool,
    at: datetime | timedelta | None,
    validity: timedelta | None,
    sender: str | None,
    no_report: bool,
    idempotency_key: str | None,
) -> None:
    """Send an SMS to one number or several (TO, as you would dial them).

    Example: selfcare --fake sms send +79161234567 "8 916 765-43-21" --text "See you at 7"
    """
    message = state.client().messages.send_sms(
        list(to),
        _text(text),
        sender=sender,
        deliver_at=_deliver_at(state, at),
        validity=validity,
        delivery_report=not no_report,
        flash=flash,
        idempotency_key=idempotency_key,
    )
    emit_one(state, message, MESSAGE_FIELDS, title=_("Message sent"))


def _price(state: State, value: str | None) -> Money | None:
    if value is None:
        return None
    amount, _, currency = value.strip().partition(" ")
    code = currency.strip().upper() or state.account().currency
    return Money.parse(amount, code, field="price")  # 2.50 or 2,50, as every amount


@sms.command("plan")
@click.argument("text")
@click.option(
    "--encoding", type=click.Choice([e.value for e in Encoding]), help="Force an encoding."
)
@click.option(
    "--price",
    help="Price of one SMS ('2.50', in the account's currency, or '2.50 RUB'); "
    "by default the tariff's, when a backend is given.",
)
@output_options
@pass_state
def sms_plan(state: State, text: str, encoding: str | None, price: str | None) -> None:
    """How TEXT would be sent: encoding, parts and what it costs.

    Works offline; the cost is priced at --price, or at the tariff's SMS price when a
    backend is given (--fake, --base-url or a saved profile).

    Example: selfcare --fake sms plan "Привет! Встречаемся в 7"
    """
    checked = _text(text)
    unit = _price(state, price)
    if unit is None and state.has_backend:
        unit = state.client().messages.sms_price()
    found = plan(checked, price=unit, encoding=encoding)  # type: ignore[arg-type]
    fields: list[Column[SmsPlan]] = [
        Column("Encoding", lambda p: p.encoding),
        Column("Parts", lambda p: p.count, key="count"),
        Column("Units", lambda p: p.units),
        Column("Per part", lambda p: p.per_part),
        Column("Left in last part", lambda p: p.remaining, key="remaining"),
        Column(
            "Cost",
            lambda p: p.cost,
            show=lambda p: "unknown" if p.cost is None else fmt.money(p.cost),
        ),
    ]
    emit_one(state, found, fields, title=_("SMS plan"))


@sms.command("show")
@click.argument("message_id")
@output_options
@pass_state
def sms_show(state: State, message_id: str) -> None:
    """One message as it stands now, with a delivery report per recipient.

    Example: selfcare --base-url http://127.0.0.1:8080 sms show m00000001
    """
    message = state.client().messages.get(message_id)
    deliveries = {"deliveries": DELIVERY_COLUMNS}
    title = _("Message %(id)s") % {"id": message.id}
    emit_one(state, message, MESSAGE_FIELDS, title=title, nested=deliveries)
    if state.format == "table" and message.deliveries:
        emit(state, message.deliveries, DELIVERY_COLUMNS, title=_("Deliveries"))


@sms.command("cancel")
@click.argument("message_id")
@output_options
@pass_state
def sms_cancel(state: State, message_id: str) -> None:
    """Cancel a scheduled message and get its charge back.

    Example: selfcare --base-url http://127.0.0.1:8080 sms cancel m00000001
    """
    message = state.client().messages.cancel(message_id)
    emit_one(state, message, MESSAGE_FIELDS, title=_("Message cancelled"))


@click.group()
def mms() -> None:
    """MMS: a subject, text and pictures, sounds or video.

    Example: selfcare --fake mms send +79161234567 --subject Hi --attach photo.jpg
    """


@mms.command("send")
@click.argument("to", nargs=-1, required=True)
@click.option("--subject", help="Subject (≤ 40 characters).")
@click.option("--text", help="Text ('-' reads it from standard input).")
@click.option(
    "--attach",
    "attachments",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A file to attach (repeatable): JPEG, GIF, PNG, AMR, 3GPP, text…",
)
@_send_options
@output_options
@pass_state
def mms_send(
    state: State,
    to: tuple[str, ...],
    subject: str | None,
    text: str | None,
    attachments: tuple[Path, ...],
    at: datetime | timedelta | None,
    validity: timedelta | None,
    sender: str | None,
    no_report: bool,
    idempotency_key: str | None,
) -> None:
    """Send an MMS to TO (one number or several); the whole message must fit 300 KB.

    Example: selfcare --fake mms send +79161234567 --subject Photo --attach cat.jpg
    """
    message = state.client().messages.send_mms(
        list(to),
        subject=subject,
        text=None if text is None else _text(text),
        attachments=attachments,
        sender=sender,
        deliver_at=_deliver_at(state, at),
        validity=validity,
        delivery_report=not no_report,
        idempotency_key=idempotency_key,
    )
    emit_one(state, message, MESSAGE_FIELDS, title=_("Message sent"))


@click.command()
@since_until
@click.option("--status", type=choice(MessageStatus), help="Only messages in this status.")
@limit_option
@output_options
@pass_state
def messages(
    state: State,
    since: date | datetime | timedelta | None,
    until: date | datetime | timedelta | None,
    status: str | None,
    limit: int | None,
) -> None:
    """Messages sent, newest first.

    Example: selfcare --fake messages --status scheduled
    """
    pager = state.client().messages.list(
        since=state.when(since), until=state.when(until), status=status, page_size=page_size(limit)
    )
    emit(
        state, limited(pager, limit), MESSAGE_COLUMNS, title=_("Messages"), empty=_("No messages.")
    )


def find_list(state: State, ref: str) -> MailingList:
    """A mailing list by id, or else by its exact name."""
    lists = state.client().contacts.lists
    for found in lists.list():
        if ref in (found.id, found.name):
            return lists.get(found.id)
    raise NotFound(f"there is no mailing list {ref!r} (see 'selfcare lists list')")


@click.command()
@click.argument("list_ref", metavar="LIST")
@click.option("--text", required=True, help="The text ('-' reads it from standard input).")
@click.option("--flash", is_flag=True, help="Show on screen without storing it.")
@_send_options
@output_options
@pass_state
def broadcast(
    state: State,
    list_ref: str,
    text: str,
    flash: bool,
    at: datetime | timedelta | None,
    validity: timedelta | None,
    sender: str | None,
    no_report: bool,
    idempotency_key: str | None,
) -> None:
    """Send the text to each member of the mailing list LIST (its id or name) separately.

    A refused number does not stop the others; the exit code is 1 when any was refused.
    Repeating with the same --idempotency-key sends nobody twice.

    Example: selfcare --base-url http://127.0.0.1:8080 broadcast Family --text "Dinner at 8"
    """
    sc = state.client()
    found = find_list(state, list_ref)
    body = _text(text)
    key = idempotency_key or new_idempotency_key()
    when = _deliver_at(state, at)
    members = found.members
    results: list[RecipientResult] = []
    with progress(_("Sending to %(list)s") % {"list": found.name}, total=len(members)) as advance:
        for start in range(0, len(members), BROADCAST_CHUNK):
            chunk = attrs.evolve(found, members=members[start : start + BROADCAST_CHUNK])
            done = sc.messages.broadcast(
                chunk,
                body,
                sender=sender,
                deliver_at=when,
                validity=validity,
                delivery_report=not no_report,
                flash=flash,
                idempotency_key=key,
            )
            results.extend(done.results)
            advance(len(chunk.members))
    outcome = Broadcast(tuple(results))
    if state.format == "json":
        emit(state, [outcome], [], nested={"results": RESULT_COLUMNS})
    else:
        emit(
            state,
            outcome.results,
            RESULT_COLUMNS,
            title=_("Broadcast to %(list)s") % {"list": found.name},
        )
    note(
        _("Sent %(sent)s, refused %(refused)s.")
        % {"sent": len(outcome.sent), "refused": len(outcome.rejected)}
    )
    if any(r.status is RecipientStatus.REJECTED for r in outcome.results):
        click.get_current_context().exit(EXIT_FAILED)


COMMANDS = [sms, mms, messages, broadcast]
