"""The detailed bill: every charge and credit, filtered and summarised."""

from __future__ import annotations

from collections.abc import Iterable

from selfcare._async._area import AsyncArea
from selfcare._async._paging import AsyncPager
from selfcare._client.context import Context
from selfcare._client.paging import check_chosen_page_size
from selfcare._client.summary import SpendingSummary, Summarizer, SummaryBy
from selfcare._time import When, check_when
from selfcare.model import Expense, ExpenseKind, PhoneNumber
from selfcare.model._enums import coerce_enum
from selfcare.operations import ListExpenses

__all__ = ["AsyncExpenses"]


class AsyncExpenses(AsyncArea):
    """``sc.expenses``: the history of what was charged and credited."""

    def list(
        self,
        *,
        since: When | None = None,
        until: When | None = None,
        kinds: Iterable[ExpenseKind | str] | ExpenseKind | str | None = None,
        counterpart: str | PhoneNumber | None = None,
        page_size: int | None = None,
    ) -> AsyncPager[Expense]:
        """Expenses newest first, fetched lazily page by page.

        ``since``/``until`` take aware datetimes or dates; a date is that whole day in the
        account's zone (``until`` includes it). ``kinds`` keeps only some kinds;
        ``counterpart`` takes a number as people type it.
        """
        start, end = check_when(since, "since"), check_when(until, "until")
        wanted = _kinds(kinds)
        check_chosen_page_size(page_size)

        def build(ctx: Context) -> ListExpenses:
            return ListExpenses(
                since=ctx.since(start),
                until=ctx.until(end),
                kinds=wanted,
                counterpart=ctx.phone(counterpart, "counterpart"),
            )

        return AsyncPager(self._client, Expense, build, page_size=page_size)

    async def summary(
        self,
        by: SummaryBy = "kind",
        *,
        since: When | None = None,
        until: When | None = None,
    ) -> SpendingSummary:
        """Spending (charges only) grouped ``by`` ``"kind"``, ``"month"`` or ``"counterpart"``."""
        ctx = await self._client._context()
        summarizer = Summarizer(by, ctx.zone, ctx.currency)
        async for expense in self.list(since=since, until=until, page_size=1000):
            summarizer.add(expense)
        return summarizer.result()


def _kinds(
    value: Iterable[ExpenseKind | str] | ExpenseKind | str | None,
) -> tuple[ExpenseKind, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    return tuple(coerce_enum(ExpenseKind, kind, "kinds") for kind in value)
