"""Spending summaries, computed from expenses by any backend's client."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import tzinfo
from typing import Any, Literal

import attrs

from selfcare._errors import ValidationError
from selfcare.model import Expense, Money, PhoneNumber

__all__ = ["LINES_BY", "SpendingSummary", "Summarizer", "SummaryBy", "SummaryRow"]

SummaryBy = Literal["kind", "month", "counterpart", "line"]
_BY: tuple[SummaryBy, ...] = ("kind", "month", "counterpart")
LINES_BY: tuple[SummaryBy, ...] = ("line", "month", "kind")
"""The groupings of ``sc.lines.summary()`` (``line``: by the line's number)."""


@attrs.frozen
class SummaryRow:
    """Spending in one group: how many charges and their total."""

    key: str
    count: int
    total: Money


@attrs.frozen
class SpendingSummary:
    """Charges grouped by kind, month (``2026-11`` in the account's zone), counterpart or
    line (``sc.lines.summary()``).

    Credits (top-ups, refunds) are not spending and are left out; so is free usage.
    """

    by: SummaryBy
    rows: tuple[SummaryRow, ...]
    total: Money

    def __iter__(self) -> Iterator[SummaryRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def as_dict(self) -> dict[str, Money]:
        """``{key: total}`` in the summary's order."""
        return {row.key: row.total for row in self.rows}

    def to_pandas(self) -> Any:
        """A DataFrame with ``key``, ``count`` and ``total`` (Decimal) columns."""
        from selfcare.analysis import frame

        return frame(self.rows, SummaryRow)


class Summarizer:
    """Accumulates expenses one at a time, so a summary never holds the history in memory."""

    def __init__(
        self,
        by: SummaryBy | str,
        zone: tzinfo,
        currency: str,
        allowed: tuple[SummaryBy, ...] = _BY,
    ) -> None:
        if by not in allowed:
            raise ValidationError(f"by={by!r} must be one of {', '.join(allowed)}", field="by")
        self.by: SummaryBy = by
        self.zone, self.currency = zone, currency
        self._groups: dict[str, tuple[int, Money]] = {}

    def _key(self, expense: Expense, line: PhoneNumber | None) -> str:
        if self.by == "line":
            return line.e164 if line else "-"
        if self.by == "kind":
            return expense.kind.value
        if self.by == "month":
            return f"{expense.at.astimezone(self.zone):%Y-%m}"
        return expense.counterpart.e164 if expense.counterpart else "-"

    def add(self, expense: Expense, line: PhoneNumber | None = None) -> None:
        """Count ``expense`` (of ``line``, when summing by line) if it is a charge."""
        if expense.cost.amount <= 0:
            return
        key = self._key(expense, line)
        count, total = self._groups.get(key, (0, Money.zero(self.currency)))
        self._groups[key] = (count + 1, total + expense.cost)

    def result(self) -> SpendingSummary:
        """The summary so far: months in order, other groupings by total, largest first."""
        rows = [SummaryRow(key, count, total) for key, (count, total) in self._groups.items()]
        if self.by == "month":
            rows.sort(key=lambda row: row.key)
        else:
            rows.sort(key=lambda row: (-row.total.amount, row.key))
        total = Money.sum((row.total for row in rows), self.currency)
        return SpendingSummary(self.by, tuple(rows), total)
