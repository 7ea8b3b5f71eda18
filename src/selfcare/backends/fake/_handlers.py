"""The fake operator's rules, one handler per operation type, registered with :func:`handles`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from selfcare.operations import Operation

if TYPE_CHECKING:
    from selfcare.backends.fake._operator import FakeOperator
    from selfcare.backends.fake._state import Subscriber

__all__ = ["HANDLERS", "Session", "handles"]

Op = TypeVar("Op", bound=Operation[Any])
Handler = Callable[["Session", Any], Any]
HANDLERS: dict[type[Operation[Any]], Handler] = {}
OpHandler = Callable[["Session", Op], Any]


@attrs.frozen
class Session:
    """What a handler sees: the operator, the signed-in subscriber and the time now."""

    operator: FakeOperator
    subscriber: Subscriber
    now: datetime

    @property
    def today(self) -> date:
        """Today in the subscriber's time zone."""
        return self.subscriber.today(self.now)


def handles(
    op_type: type[Op],
) -> Callable[[Callable[[Session, Op], Any]], Callable[[Session, Op], Any]]:
    """Register the decorated function as the fake's handler of ``op_type``."""

    def register(handler: Callable[[Session, Op], Any]) -> Callable[[Session, Op], Any]:
        if op_type in HANDLERS:
            raise TypeError(f"{op_type.__name__} already has a fake handler")
        HANDLERS[op_type] = handler
        return handler

    return register
