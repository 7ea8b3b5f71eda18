"""``selfcare forwarding``: where calls go when the line is busy, unanswered or off."""

from __future__ import annotations

import click
from rich.text import Text

from selfcare._i18n import N_
from selfcare._i18n import gettext as _
from selfcare.cli import _format as fmt
from selfcare.cli._context import State, pass_state
from selfcare.cli._format import enum_label
from selfcare.cli._options import choice, output_options
from selfcare.cli._output import Column, emit, note
from selfcare.forwarding import ForwardingCondition
from selfcare.model import ForwardingRule, ForwardingState

__all__ = ["COMMANDS"]

CONDITION = choice(ForwardingCondition)


def _state(rule: ForwardingRule) -> str:
    if rule.effective:
        return "forwarding"
    return "overridden by unconditional" if rule.active else "off"


_STYLES = {"forwarding": "green", "overridden by unconditional": "yellow", "off": "dim"}
_LABELS = {
    "forwarding": N_("forwarding"),
    "overridden by unconditional": N_("overridden by unconditional"),
    "off": N_("off"),
}


def _status(rule: ForwardingRule) -> Text:
    state = _state(rule)
    return Text(_(_LABELS[state]), style=_STYLES[state])


RULE_COLUMNS: list[Column[ForwardingRule]] = [
    Column("Condition", lambda r: r.condition),
    Column(
        "To",
        lambda r: r.number,
        key="number",
        show=lambda r: "voicemail" if r.to_voicemail else fmt.number(r.number),
    ),
    Column("Voicemail", lambda r: r.to_voicemail, key="to_voicemail"),
    Column("Timer", lambda r: r.timer, show=lambda r: "" if r.timer is None else f"{r.timer} s"),
    Column("State", _state, show=_status),
    Column("MMI code", lambda r: str(r.mmi)),
]


def _show(state: State, forwarding: ForwardingState) -> None:
    if state.format == "json":
        emit(state, [forwarding], [], nested={"rules": RULE_COLUMNS})
        return
    title = _("Call forwarding (voicemail %(number)s)") % {
        "number": forwarding.voicemail.international
    }
    emit(state, forwarding.rules, RULE_COLUMNS, title=title)


@click.group()
def forwarding() -> None:
    """Call forwarding: show it, forward to a number or to voicemail, switch it off.

    Conditions: unconditional, busy, no_reply, not_reachable, and the groups all_conditional
    and all. Example:

        selfcare --fake forwarding set no_reply 8 916 123-45-67 --timer 15
    """


@forwarding.command("show")
@output_options
@pass_state
def show(state: State) -> None:
    """Every rule, which of them take effect, and its MMI code.

    Example: selfcare --fake forwarding show
    """
    _show(state, state.client().forwarding.get())


@forwarding.command("set")
@click.argument("condition", type=CONDITION)
@click.argument("number", nargs=-1, required=True)
@click.option("--timer", type=int, help="No-reply timer: 5 to 30 seconds in steps of 5.")
@click.option("--timeout", "old_timer", type=int, hidden=True, deprecated="use --timer")
@output_options
@pass_state
def set_(
    state: State,
    condition: str,
    number: tuple[str, ...],
    timer: int | None,
    old_timer: int | None,
) -> None:
    """Forward calls under CONDITION to NUMBER (typed as you would dial it).

    Example: selfcare --fake forwarding set busy +7 916 123-45-67
    """
    result = state.client().forwarding.set(
        condition, " ".join(number), timer=_timer(timer, old_timer)
    )
    note(
        _("Forwarding %(condition)s calls to %(number)s.")
        % {"condition": enum_label(ForwardingCondition(condition)), "number": " ".join(number)}
    )
    _show(state, result)


@forwarding.command("voicemail")
@click.argument("condition", type=CONDITION)
@click.option("--timer", type=int, help="No-reply timer: 5 to 30 seconds in steps of 5.")
@click.option("--timeout", "old_timer", type=int, hidden=True, deprecated="use --timer")
@output_options
@pass_state
def voicemail(state: State, condition: str, timer: int | None, old_timer: int | None) -> None:
    """Forward calls under CONDITION to your voicemail.

    Example: selfcare --fake forwarding voicemail all_conditional --timer 20
    """
    result = state.client().forwarding.to_voicemail(condition, timer=_timer(timer, old_timer))
    note(
        _("Forwarding %(condition)s calls to voicemail.")
        % {"condition": enum_label(ForwardingCondition(condition))}
    )
    _show(state, result)


@forwarding.command("disable")
@click.argument("condition", type=CONDITION)
@output_options
@pass_state
def disable(state: State, condition: str) -> None:
    """Switch forwarding under CONDITION off ('all' switches every rule off).

    Example: selfcare --fake forwarding disable all
    """
    result = state.client().forwarding.disable(condition)
    note(
        _("Forwarding %(condition)s calls is off.")
        % {"condition": enum_label(ForwardingCondition(condition))}
    )
    _show(state, result)


COMMANDS = [forwarding]


def _timer(timer: int | None, old_timer: int | None) -> int | None:
    """``--timer``, or its deprecated old spelling ``--timeout`` (click warned about it)."""
    if timer is not None and old_timer is not None:
        raise click.UsageError("give --timer only (--timeout is its deprecated old name)")
    return old_timer if timer is None else timer
