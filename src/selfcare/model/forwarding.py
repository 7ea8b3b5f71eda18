"""Call forwarding (3GPP TS 22.082): one rule per condition, and which of them take effect."""

from __future__ import annotations

from typing import Any

import attrs

from selfcare._errors import ValidationError
from selfcare.forwarding import (
    ForwardingCondition,
    MmiAction,
    MmiCode,
    check_no_reply_timer,
    coerce_condition,
)
from selfcare.model._repr import compact_repr
from selfcare.model.phone import PhoneNumber

__all__ = [
    "BASIC_CONDITIONS",
    "DEFAULT_NO_REPLY_TIMER",
    "ForwardingRule",
    "ForwardingState",
    "expand",
]

BASIC_CONDITIONS: tuple[ForwardingCondition, ...] = (
    ForwardingCondition.UNCONDITIONAL,
    ForwardingCondition.BUSY,
    ForwardingCondition.NO_REPLY,
    ForwardingCondition.NOT_REACHABLE,
)
"""The four services a rule exists for; ``all`` and ``all_conditional`` are groups of them."""

DEFAULT_NO_REPLY_TIMER = 20
"""Seconds a call rings before no-reply forwarding takes it, when no timer is given."""


def expand(condition: ForwardingCondition) -> tuple[ForwardingCondition, ...]:
    """The basic conditions a condition stands for (``all_conditional`` → busy, no reply, …)."""
    if condition is ForwardingCondition.ALL:
        return BASIC_CONDITIONS
    if condition is ForwardingCondition.ALL_CONDITIONAL:
        return BASIC_CONDITIONS[1:]
    return (condition,)


def _basic(instance: Any, attribute: Any, value: Any) -> None:
    if value not in BASIC_CONDITIONS:
        raise ValidationError(
            f"a forwarding rule is for one of {', '.join(c.value for c in BASIC_CONDITIONS)}, "
            f"not {getattr(value, 'value', value)!r} (a group sets several rules)",
            field="condition",
        )


def _timer(instance: Any, attribute: Any, value: int | None) -> None:
    if value is None:
        return
    check_no_reply_timer(value)
    if instance.condition is not ForwardingCondition.NO_REPLY or instance.number is None:
        raise ValidationError(
            f"timer={value!r}: only an active no-reply rule has a timer", field="timer"
        )


@attrs.frozen(repr=False)
class ForwardingRule:
    """What happens to calls under one condition.

    ``active`` rules have a forwarded-to ``number`` (the voicemail number when
    ``to_voicemail``). ``effective`` is whether the rule takes calls now: an active
    unconditional rule overrides the conditional ones, which stay registered (active but
    not effective) and take over again once it is disabled.
    """

    __repr__ = compact_repr

    condition: ForwardingCondition = attrs.field(validator=_basic)
    number: PhoneNumber | None = None
    to_voicemail: bool = False
    timer: int | None = attrs.field(default=None, validator=_timer)
    """Seconds before an unanswered call is forwarded (no-reply rules only)."""
    effective: bool = False

    @property
    def active(self) -> bool:
        """A forwarded-to number is registered and switched on."""
        return self.number is not None

    @property
    def mmi(self) -> MmiCode:
        """The code a subscriber would dial for this state: register it, or erase it."""
        if self.number is None:
            return MmiCode(MmiAction.ERASURE, self.condition)
        return MmiCode(MmiAction.REGISTER, self.condition, self.number, self.timer)


@attrs.frozen(repr=False)
class ForwardingState:
    """Every forwarding rule of the line (always the four basic conditions, CFU first)."""

    __repr__ = compact_repr

    rules: tuple[ForwardingRule, ...]
    voicemail: PhoneNumber
    """The subscriber's voicemail number: the target of forwarding to voicemail."""

    def rule(self, condition: ForwardingCondition | str) -> ForwardingRule:
        """The rule for one basic condition (``"busy"``, ``ForwardingCondition.NO_REPLY``…)."""
        wanted = coerce_condition(condition)
        for rule in self.rules:
            if rule.condition is wanted:
                return rule
        raise ValidationError(
            f"{wanted.value!r} is a group of conditions, not one rule; ask for one of "
            f"{', '.join(c.value for c in BASIC_CONDITIONS)}",
            field="condition",
        )

    @property
    def effective(self) -> tuple[ForwardingRule, ...]:
        """The rules that forward calls now."""
        return tuple(rule for rule in self.rules if rule.effective)

    @property
    def unconditional(self) -> bool:
        """Every call is forwarded (CFU is active and overrides the rest)."""
        return self.rule(ForwardingCondition.UNCONDITIONAL).active
