"""The route table: which HTTP method and path carries each operation under ``/v1``.

Both the HTTP backend and the reference server are generic loops over this table, so the two
sides of the protocol cannot drift apart, and the OpenAPI document is generated from it.

Where an operation's fields travel follows from the method: path parameters are the
``{names}`` in the path; for GET and DELETE every other field is a query parameter; for
POST, PUT and PATCH they form the JSON body. ``idempotency_key`` always travels as the
``Idempotency-Key`` header.
"""

from __future__ import annotations

import re
from typing import Any

import attrs

from selfcare.operations import (
    GetAccount,
    GetBalance,
    ListBills,
    ListCalls,
    ListExpenses,
    Operation,
)

__all__ = ["ROUTES", "Route", "route_for"]

PREFIX = "/v1"
_PARAM = re.compile(r"\{(\w+)\}")


@attrs.frozen
class Route:
    """One row of the table: an operation and the method and path that carry it."""

    op: type[Operation[Any]]
    method: str
    path: str
    summary: str = ""

    @property
    def name(self) -> str:
        """The operation's snake_case name (the OpenAPI ``operationId``)."""
        return self.op.operation_name()

    @property
    def path_fields(self) -> tuple[str, ...]:
        return tuple(_PARAM.findall(self.path))

    @property
    def fields(self) -> tuple[str, ...]:
        """Every field of the operation except the idempotency key."""
        return tuple(f.name for f in attrs.fields(self.op) if f.name != "idempotency_key")

    @property
    def query_fields(self) -> tuple[str, ...]:
        if self.method not in ("GET", "DELETE"):
            return ()
        return tuple(f for f in self.fields if f not in self.path_fields)

    @property
    def body_fields(self) -> tuple[str, ...]:
        if self.method in ("GET", "DELETE"):
            return ()
        return tuple(f for f in self.fields if f not in self.path_fields)

    def url_path(self, op: Operation[Any]) -> str:
        """The path with this operation's path parameters filled in."""
        return _PARAM.sub(lambda m: _path_value(getattr(op, m.group(1))), self.path)


def _path_value(value: object) -> str:
    from urllib.parse import quote

    return quote(str(value), safe="")


ROUTES: tuple[Route, ...] = (
    Route(GetAccount, "GET", f"{PREFIX}/account", "The subscriber's account"),
    Route(GetBalance, "GET", f"{PREFIX}/account/balance", "The balance now"),
    Route(ListBills, "GET", f"{PREFIX}/bills", "Bills, oldest first"),
    Route(ListExpenses, "GET", f"{PREFIX}/expenses", "The detailed bill, newest first"),
    Route(ListCalls, "GET", f"{PREFIX}/calls", "The call log, newest first"),
)

_BY_OP = {route.op: route for route in ROUTES}


def route_for(op_type: type[Operation[Any]]) -> Route:
    """The route of an operation type (``KeyError`` when the protocol has none)."""
    return _BY_OP[op_type]
