"""Deprecated: the call-forwarding MMI codes now live in :mod:`selfcare.forwarding`.

``from selfcare.forwarding_codes import parse_mmi`` keeps working with a
:class:`DeprecationWarning` naming the new place; import from :mod:`selfcare.forwarding`.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

from selfcare import forwarding as _forwarding

if TYPE_CHECKING:  # what mypy and IDEs see; at run time, __getattr__ below warns
    from selfcare.forwarding import (
        BASIC_SERVICE_CODES,
        NO_REPLY_TIMER_VALUES,
        ForwardingCondition,
        MmiAction,
        MmiCode,
        check_no_reply_timer,
        check_timer_applies,
        coerce_condition,
        parse_mmi,
    )

__all__ = [
    "BASIC_SERVICE_CODES",
    "NO_REPLY_TIMER_VALUES",
    "ForwardingCondition",
    "MmiAction",
    "MmiCode",
    "check_no_reply_timer",
    "check_timer_applies",
    "coerce_condition",
    "parse_mmi",
]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    warnings.warn(
        f"selfcare.forwarding_codes.{name} is deprecated; use selfcare.forwarding.{name}",
        DeprecationWarning,
        stacklevel=2,
    )
    return getattr(_forwarding, name)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
