"""Fake handlers for call forwarding (3GPP TS 22.082).

Rules: a rule exists per basic condition; groups (``all``, ``all_conditional``) set or erase
each member. An active unconditional rule overrides the conditional ones, which stay
registered. The no-reply timer defaults to 20 s. A line cannot forward to itself.
"""

from __future__ import annotations

from typing import Any

from selfcare._errors import ValidationError
from selfcare.backends.fake._handlers import Session, handles
from selfcare.backends.fake._state import Subscriber
from selfcare.forwarding import ForwardingCondition
from selfcare.model import ForwardingRule, ForwardingState
from selfcare.model.events import EventType
from selfcare.model.forwarding import BASIC_CONDITIONS, DEFAULT_NO_REPLY_TIMER, expand
from selfcare.operations import DisableForwarding, GetForwarding, SetForwarding

__all__ = ["forwarding_state"]


def forwarding_state(sub: Subscriber) -> ForwardingState:
    """The subscriber's rules as they see them, with CFU precedence applied."""
    unconditional = ForwardingCondition.UNCONDITIONAL in sub.forwarding
    rules = []
    for condition in BASIC_CONDITIONS:
        number, timer = sub.forwarding.get(condition, (None, None))
        rules.append(
            ForwardingRule(
                condition=condition,
                number=number,
                to_voicemail=number is not None and number == sub.voicemail,
                timer=timer,
                effective=number is not None
                and (condition is ForwardingCondition.UNCONDITIONAL or not unconditional),
            )
        )
    return ForwardingState(rules=tuple(rules), voicemail=sub.voicemail)


@handles(GetForwarding)
def get_forwarding(s: Session, op: GetForwarding) -> ForwardingState:
    return forwarding_state(s.subscriber)


@handles(SetForwarding)
def set_forwarding(s: Session, op: SetForwarding) -> ForwardingState:
    sub = s.subscriber
    before = dict(sub.forwarding)
    target = sub.voicemail if op.voicemail or op.number is None else op.number
    if target == sub.account.number:
        raise ValidationError(
            f"cannot forward {sub.account.number.international} to itself", field="to"
        )
    for condition in expand(op.condition):
        timer = None
        if condition is ForwardingCondition.NO_REPLY:
            timer = op.timer if op.timer is not None else DEFAULT_NO_REPLY_TIMER
        sub.forwarding[condition] = (target, timer)
    return _changed(s, before)


@handles(DisableForwarding)
def disable_forwarding(s: Session, op: DisableForwarding) -> ForwardingState:
    before = dict(s.subscriber.forwarding)
    for condition in expand(op.condition):
        s.subscriber.forwarding.pop(condition, None)
    return _changed(s, before)


def _changed(s: Session, before: dict[Any, Any]) -> ForwardingState:
    """The state now, with a ``forwarding.changed`` event if it differs from ``before``."""
    state = forwarding_state(s.subscriber)
    if s.subscriber.forwarding != before:
        s.subscriber.events.stage(s.now, EventType.FORWARDING_CHANGED, state)
    return state
