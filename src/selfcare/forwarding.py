"""Call forwarding in one place: conditions, rules, the no-reply timer and MMI codes.

``from selfcare.forwarding import parse_mmi`` reads a code a subscriber would dial
(``**61*+79161234567**20#``, ``##002#``); :class:`ForwardingState` is what
``sc.forwarding.get()`` returns. The codes themselves live in
:mod:`selfcare.forwarding_codes`, the rules in :mod:`selfcare.model.forwarding`; this
module is the public name for both.
"""

from __future__ import annotations

from selfcare.forwarding_codes import (
    BASIC_SERVICE_CODES,
    NO_REPLY_TIMER_VALUES,
    ForwardingCondition,
    MmiAction,
    MmiCode,
    check_no_reply_timer,
    coerce_condition,
    parse_mmi,
)
from selfcare.model.forwarding import (
    BASIC_CONDITIONS,
    DEFAULT_NO_REPLY_TIMER,
    ForwardingRule,
    ForwardingState,
    expand,
)

__all__ = [
    "BASIC_CONDITIONS",
    "BASIC_SERVICE_CODES",
    "DEFAULT_NO_REPLY_TIMER",
    "NO_REPLY_TIMER_VALUES",
    "ForwardingCondition",
    "ForwardingRule",
    "ForwardingState",
    "MmiAction",
    "MmiCode",
    "check_no_reply_timer",
    "coerce_condition",
    "expand",
    "parse_mmi",
]
