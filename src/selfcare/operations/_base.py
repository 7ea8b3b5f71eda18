"""The operation base classes: one frozen request class per thing a backend can do."""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar

import attrs

from selfcare._paging import DEFAULT_PAGE_SIZE, Page, check_page_size

__all__ = ["Capability", "Operation", "PagedOperation"]

R = TypeVar("R")
T = TypeVar("T")


class Capability:
    """Names of what a backend can do; ``sc.capabilities`` lists those it supports."""

    EXPENSES = "expenses"
    CALLS = "calls"
    ACCOUNT = "account"
    BILLS = "bills"


class Operation(Generic[R]):
    """A request a :class:`~selfcare.backends.Backend` executes, returning ``R``.

    Subclasses are ``@attrs.frozen`` and say which ``result`` type they return and which
    ``capability`` they belong to, so backends, the wire codec and the route table can all be
    generic over operations.
    """

    __slots__ = ()
    result: ClassVar[Any]
    capability: ClassVar[str]
    idempotent: ClassVar[bool] = True
    """Safe to repeat; non-idempotent operations carry an ``idempotency_key`` field."""


def _limit_validator(instance: Any, attribute: Any, value: Any) -> None:
    check_page_size(value)


@attrs.frozen
class PagedOperation(Operation[Page[T]]):
    """An operation that lists records newest first, a page at a time."""

    limit: int = attrs.field(default=DEFAULT_PAGE_SIZE, validator=_limit_validator, kw_only=True)
    cursor: str | None = attrs.field(default=None, kw_only=True)
