"""Fake handlers for the detailed bill and the call log."""

from __future__ import annotations

from selfcare._client.paging import Page
from selfcare.backends.fake._handlers import Session, handles
from selfcare.model import Call, Expense
from selfcare.operations import ListCalls, ListExpenses


@handles(ListExpenses)
def list_expenses(s: Session, op: ListExpenses) -> Page[Expense]:
    kinds = frozenset(op.kinds)

    def match(expense: Expense) -> bool:
        return (not kinds or expense.kind in kinds) and (
            op.counterpart is None or expense.counterpart == op.counterpart
        )

    unfiltered = not kinds and op.counterpart is None
    return s.subscriber.expenses.page(
        since=op.since,
        until=op.until,
        cursor=op.cursor,
        limit=op.limit,
        match=None if unfiltered else match,
    )


@handles(ListCalls)
def list_calls(s: Session, op: ListCalls) -> Page[Call]:
    def match(call: Call) -> bool:
        return (
            (op.direction is None or call.direction is op.direction)
            and (op.missed is None or call.missed is op.missed)
            and (op.counterpart is None or call.counterpart == op.counterpart)
        )

    unfiltered = op.direction is None and op.missed is None and op.counterpart is None
    return s.subscriber.calls.page(
        since=op.since,
        until=op.until,
        cursor=op.cursor,
        limit=op.limit,
        match=None if unfiltered else match,
    )
