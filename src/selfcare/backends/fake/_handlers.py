"""The fake operator's rules, one handler per operation type, registered with :func:`handles`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from selfcare._secret import Secret
from selfcare.operations import Operation

if TYPE_CHECKING:
    from selfcare.backends.fake._operator import FakeOperator
    from selfcare.backends.fake._state import Subscriber

__all__ = ["HANDLERS", "PUBLIC_HANDLERS", "Front", "Session", "handles", "handles_public"]

Op = TypeVar("Op", bound=Operation[Any])
Handler = Callable[["Session", Any], Any]
HANDLERS: dict[type[Operation[Any]], Handler] = {}
PUBLIC_HANDLERS: dict[type[Operation[Any]], Callable[[Front, Any], Any]] = {}
"""Handlers of the operations made before anyone is signed in (sign-in itself)."""
OpHandler = Callable[["Session", Op], Any]


@attrs.frozen
class Session:
    """What a handler sees: the operator, the signed-in subscriber and the time now."""

    operator: FakeOperator
    subscriber: Subscriber
    now: datetime
    credential: Secret | None = None
    """The token the request came with (``None`` in process, where nobody signs in)."""

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


@attrs.frozen
class Front:
    """What a public handler sees: the operator, the time now, the channel and client asking."""

    operator: FakeOperator
    now: datetime
    channel: str
    client: str | None = None
    """The caller's address as the server saw it (``None`` in process)."""


def handles_public(
    op_type: type[Op],
) -> Callable[[Callable[[Front, Op], Any]], Callable[[Front, Op], Any]]:
    """Register the decorated function as the fake's handler of public ``op_type``."""

    def register(handler: Callable[[Front, Op], Any]) -> Callable[[Front, Op], Any]:
        if op_type in PUBLIC_HANDLERS:
            raise TypeError(f"{op_type.__name__} already has a fake handler")
        PUBLIC_HANDLERS[op_type] = handler
        return handler

    return register
