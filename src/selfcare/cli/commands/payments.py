"""``selfcare pay``, ``payments``, ``card activate`` and ``autopay``: paying, the payment
history, prepaid cards and automatic top-ups.

A card PIN is read from a hidden prompt or from standard input (``--pin-stdin``), never from
the command line, where other users could see it in the process list.
"""

from __future__ import annotations

import sys
from datetime import date, datetime, timedelta

import click
from rich.text import Text

from selfcare._i18n import gettext as _
from selfcare._secret import Secret
from selfcare.cli._context import State, pass_state
from selfcare.cli._errors import BadInput
from selfcare.cli._format import enum_label
from selfcare.cli._options import limit_option, output_options, since_until
from selfcare.cli._output import Column, emit, emit_one, note
from selfcare.cli.commands.usage import limited, page_size
from selfcare.model import AUTOPAY_SCHEDULE, AutopayRule, Payment

__all__ = ["COMMANDS"]

PAYMENT_COLUMNS: list[Column[Payment]] = [
    Column("When", lambda p: p.at, key="at", wrap=True),
    Column("Amount", lambda p: p.amount, right=True),
    Column("Method", lambda p: p.method),
    Column(
        "Status",
        lambda p: p.status,
        show=lambda p: Text(enum_label(p.status), style="green" if p.succeeded else "red"),
    ),
    Column("Bills", lambda p: p.bills, wrap=True),
    Column("Id", lambda p: p.id),
]


method_option = click.option(
    "--method",
    envvar="SELFCARE_PAYMENT_METHOD",
    show_envvar=True,
    required=True,
    help="card:<token> (a processor's card token) or wallet:<id>.",
)
"""Where the money comes from, for ``pay`` and ``autopay set`` alike."""


@click.command()
@click.argument("amount")
@method_option
@click.option("--idempotency-key", help="Repeat a failed payment with the same key: never twice.")
@output_options
@pass_state
def pay(state: State, amount: str, method: str, idempotency_key: str | None) -> None:
    """Pay AMOUNT (in the account's currency) from a card or wallet; oldest bills first.

    Example: selfcare --fake pay 500 --method card:tok_4242424242
    """
    payment = state.client().payments.pay(amount, method=method, idempotency_key=idempotency_key)
    emit_one(state, payment, PAYMENT_COLUMNS, title=_("Payment"))


@click.command()
@since_until
@limit_option
@output_options
@pass_state
def payments(
    state: State,
    since: date | datetime | timedelta | None,
    until: date | datetime | timedelta | None,
    limit: int | None,
) -> None:
    """Payments newest first, declined ones too.

    Example: selfcare --fake payments --since 90d
    """
    pager = state.client().payments.list(
        since=state.when(since), until=state.when(until), page_size=page_size(limit)
    )
    emit(
        state, limited(pager, limit), PAYMENT_COLUMNS, title=_("Payments"), empty=_("No payments.")
    )


@click.group()
def card() -> None:
    """Prepaid payment cards (scratch cards).

    Example: selfcare --fake card activate
    """


@card.command("activate", context_settings={"allow_extra_args": True})
@click.option("--pin-stdin", is_flag=True, help="Read the PIN from standard input (scripts).")
@output_options
@pass_state
def activate(state: State, pin_stdin: bool) -> None:
    """Credit a prepaid card to the account by its PIN (asked for, never an argument).

    Example: selfcare --fake card activate   (then type the PIN; it is not shown)

    In scripts: printf '%s\\n' "$PIN" | selfcare --fake card activate --pin-stdin
    """
    if click.get_current_context().args:
        # Most likely the PIN itself: refuse it without echoing it (click would repeat it in
        # "unexpected extra argument"), and before anything is sent.
        raise BadInput(
            "card activate takes no arguments: a PIN on the command line is visible in the "
            "process list; type it at the prompt, or pipe it in with --pin-stdin"
        )
    if pin_stdin:
        pin = Secret(sys.stdin.readline().strip())
    else:
        pin = Secret(str(click.prompt(_("Card PIN"), hide_input=True)).strip())
    payment = state.client().payments.activate_card(pin)
    emit_one(state, payment, PAYMENT_COLUMNS, title=_("Card activated"))


AUTOPAY_FIELDS: list[Column[AutopayRule]] = [
    Column("Below", lambda r: r.threshold, key="threshold", right=True),
    Column("Top up", lambda r: r.amount, key="amount", right=True),
    Column("Method", lambda r: r.method),
    Column("Schedule", lambda r: r.schedule, wrap=True),
    Column("Set", lambda r: r.created_at, key="created_at"),
    Column("Last top-up", lambda r: r.last_topup_at, key="last_topup_at"),
]


def _show_rule(state: State, rule: AutopayRule | None, *, title: str, off: str) -> None:
    if rule is not None:
        emit_one(state, rule, AUTOPAY_FIELDS, title=title)
    elif state.format == "json":
        click.echo("null")
    else:
        note(off)


@click.group()
def autopay() -> None:
    """Top up automatically when the balance runs low: show the rule, set it, turn it off.

    Example: selfcare --fake autopay set 100 500 --method card:tok_4242424242
    """


@autopay.command("show")
@output_options
@pass_state
def autopay_show(state: State) -> None:
    """The autopay rule, or that autopay is off.

    Example: selfcare --fake autopay show
    """
    _show_rule(
        state, state.client().payments.autopay(), title=_("Autopay"), off=_("Autopay is off.")
    )


@autopay.command("set")
@click.argument("threshold")
@click.argument("amount")
@method_option
@click.option(
    "--schedule",
    default=AUTOPAY_SCHEDULE,
    show_default=True,
    help="When to look at the balance: an RFC 5545 RRULE in the account's zone, at most hourly.",
)
@click.option("--idempotency-key", help="Repeat a failed request with the same key: set once.")
@output_options
@pass_state
def autopay_set(
    state: State,
    threshold: str,
    amount: str,
    method: str,
    schedule: str,
    idempotency_key: str | None,
) -> None:
    """Top up by AMOUNT whenever the balance is below THRESHOLD (replaces any rule).

    Both are in the account's currency; --schedule such as "FREQ=WEEKLY;BYDAY=MO;BYHOUR=8".

    Example: selfcare --fake autopay set 100 500 --method card:tok_4242424242
    """
    rule = state.client().payments.set_autopay(
        threshold=threshold,
        amount=amount,
        method=method,
        schedule=schedule,
        idempotency_key=idempotency_key,
    )
    _show_rule(state, rule, title=_("Autopay set"), off="")


@autopay.command("off")
@output_options
@pass_state
def autopay_off(state: State) -> None:
    """Turn autopay off (prints the rule it removed).

    Example: selfcare --fake autopay off
    """
    removed = state.client().payments.disable_autopay()
    _show_rule(state, removed, title=_("Autopay turned off"), off=_("Autopay was already off."))


COMMANDS = [pay, payments, card, autopay]
