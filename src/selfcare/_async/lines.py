"""Many lines under one login: listing them, and their histories merged across lines."""

from __future__ import annotations

import builtins
import heapq
import os
import shutil
from collections.abc import AsyncIterator, Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from selfcare._async._area import AsyncArea
from selfcare._async._io import map_bounded
from selfcare._async._paging import AsyncPager
from selfcare._client.context import Context
from selfcare._client.fleet_export import ExportSummary, LineWriter, check_concurrency, line_dir
from selfcare._client.paging import Page, check_chosen_page_size, page_size_for
from selfcare._client.summary import LINES_BY, SpendingSummary, Summarizer, SummaryBy
from selfcare._errors import ValidationError
from selfcare._time import When, check_when
from selfcare.model import Expense, Line, LineBills, LineExpense, PhoneNumber
from selfcare.operations import ListBills, ListExpenses, ListLines

if TYPE_CHECKING:
    from selfcare._async._client import AsyncSelfcare

__all__ = ["AsyncLineExpenses", "AsyncLines"]

Numbers = Iterable[str | PhoneNumber] | None


class AsyncLines(AsyncArea):
    """``sc.lines``: the lines this login may see, and their data across lines.

    An owner's or a manager's login sees every line of the account, a member's only their
    own; ``sc.line(number)`` acts on one of them (``docs/lines.md``).
    """

    def list(self, *, page_size: int | None = None) -> AsyncPager[Line]:
        """The lines this login may see, by number, fetched lazily page by page."""
        check_chosen_page_size(page_size)
        return AsyncPager(self._client, Line, lambda ctx: ListLines(), page_size=page_size)

    def expenses(
        self,
        *,
        since: When | None = None,
        until: When | None = None,
        lines: Numbers = None,
        page_size: int | None = None,
    ) -> AsyncLineExpenses:
        """The expenses of ``lines`` (numbers as typed; all the login may see if ``None``)
        merged newest first, each with its line, fetched lazily: a page per line in memory.

        ``since``/``until`` as for ``sc.expenses.list()``, in the login's account zone."""
        start, end = check_when(since, "since"), check_when(until, "until")
        check_chosen_page_size(page_size)
        return AsyncLineExpenses(self._client, lines, start, end, page_size)

    async def summary(
        self,
        by: SummaryBy = "line",
        *,
        since: When | None = None,
        until: When | None = None,
        lines: Numbers = None,
    ) -> SpendingSummary:
        """Spending (charges only) of ``lines`` grouped ``by`` ``"line"``, ``"month"`` or
        ``"kind"``, read a page per line at a time."""
        ctx = await self._client._context()
        summarizer = Summarizer(by, ctx.zone, ctx.currency, allowed=LINES_BY)
        merged = self.expenses(since=since, until=until, lines=lines, page_size=1000)
        async for record in merged:
            summarizer.add(record.expense, record.line)
        return summarizer.result()

    async def export(
        self,
        path: str | os.PathLike[str],
        *,
        since: When | None = None,
        until: When | None = None,
        lines: Numbers = None,
        max_concurrency: int = 8,
        overwrite: bool = False,
        page_size: int | None = None,
        progress: Callable[[PhoneNumber, int | None], None] | None = None,
    ) -> ExportSummary:
        """Write the expenses of ``lines`` (all the login may see if ``None``) to ``path`` as
        a Hive-partitioned Parquet dataset, ``line=+7…/month=2026-11/part-0.parquet``, that
        DuckDB, Polars, pyarrow and Spark read as it is (needs the ``analysis`` extra).

        Up to ``max_concurrency`` lines are fetched at once (the async client; the sync one
        goes line by line), each a page at a time (``page_size`` records, 1,000 unless
        given), so memory holds a page per line in flight. Resumable: a line already in
        ``path`` is skipped unless ``overwrite=True`` (a line is moved into place only once
        complete). ``progress(number, rows)`` is called as each line is done (``rows`` is
        ``None`` for a skipped line)."""
        start, end = check_when(since, "since"), check_when(until, "until")
        check_chosen_page_size(page_size)
        limit = check_concurrency(max_concurrency)
        root = Path(path)
        root.mkdir(parents=True, exist_ok=True)
        for stale in root.glob(".line=*.partial"):  # left by an export that was killed
            shutil.rmtree(stale, ignore_errors=True)
        ctx = await self._client._context()
        op = ListExpenses(
            since=ctx.since(start),
            until=ctx.until(end),
            limit=page_size_for(page_size, collecting=True),
        )

        async def one(number: PhoneNumber) -> tuple[int, int] | None:
            if line_dir(root, number).exists() and not overwrite:
                if progress is not None:
                    progress(number, None)
                return None
            writer = LineWriter(root, number, ctx.zone, ctx.currency)
            try:
                await _write_line(_scoped(self._client, number, ctx), op, writer)
                size = writer.finish(overwrite=overwrite)
            except BaseException:
                writer.abort()
                raise
            if progress is not None:
                progress(number, writer.rows)
            return writer.rows, size

        numbers = await _numbers(self._client, lines)
        done = await map_bounded(one, numbers, limit=limit)
        written = [result for result in done if result is not None]
        return ExportSummary(
            path=root,
            lines=len(written),
            skipped=len(done) - len(written),
            rows=sum(rows for rows, _ in written),
            bytes=sum(size for _, size in written),
        )

    async def bills(self, *, lines: Numbers = None) -> builtins.list[LineBills]:
        """The account's bills with a section per line (by number), oldest bill first."""
        sections: builtins.list[LineBills] = []
        for number in await _numbers(self._client, lines):
            bills = await self._client.line(number)._execute(ListBills())
            sections.append(LineBills(number, tuple(bills)))
        return sections


async def _numbers(client: AsyncSelfcare, lines: Numbers) -> list[PhoneNumber]:
    """``lines`` read in the account's region (without repeats), or every line it may see."""
    if lines is None:
        return [line.number async for line in AsyncLines(client).list(page_size=1000)]
    if isinstance(lines, str | PhoneNumber):
        raise ValidationError(
            "lines must be a list of numbers, not one number: lines=[...]", field="lines"
        )
    ctx = await client._context()
    numbers: dict[str, PhoneNumber] = {}
    for value in lines:
        number = ctx.phone(value, "lines")
        assert number is not None
        numbers.setdefault(number.e164, number)
    return list(numbers.values())


@attrs.define
class _Head:
    """The next record of one line in the merge (the heap's top is the newest)."""

    at: datetime
    id: str
    index: int
    expense: Expense

    def __lt__(self, other: _Head) -> bool:
        return (self.at, self.id, -self.index) > (other.at, other.id, -other.index)


@attrs.define
class _Source:
    """One line's listing: its scoped client, the request of its next page, and its page."""

    number: PhoneNumber
    client: AsyncSelfcare
    op: ListExpenses
    page: Page[Expense] | None = None
    position: int = 0


class AsyncLineExpenses:
    """Lines' expenses merged newest first (:meth:`AsyncLines.expenses`).

    Nothing is requested until you iterate; then each line's first page, and each line's
    next page when its last record has been given out, so memory holds a page per line.
    """

    def __init__(
        self,
        client: AsyncSelfcare,
        lines: Numbers,
        since: When | None,
        until: When | None,
        page_size: int | None,
    ) -> None:
        self._client = client
        self._lines = lines
        self._since, self._until = since, until
        self._page_size = page_size
        """The caller's page size; ``None``: 100 when iterating, 1,000 when collecting."""

    def __aiter__(self) -> AsyncIterator[LineExpense]:
        return self._merged(page_size_for(self._page_size, collecting=False))

    async def _merged(self, page_size: int) -> AsyncIterator[LineExpense]:
        ctx = await self._client._context()
        op = ListExpenses(
            since=ctx.since(self._since), until=ctx.until(self._until), limit=page_size
        )
        sources = [
            _Source(number, _scoped(self._client, number, ctx), op)
            for number in await _numbers(self._client, self._lines)
        ]
        heap: list[_Head] = []
        for index, source in enumerate(sources):
            head = await _advance(source, index)
            if head is not None:
                heap.append(head)
        heapq.heapify(heap)
        while heap:
            head = heap[0]
            yield LineExpense(sources[head.index].number, head.expense)
            following = await _advance(sources[head.index], head.index)
            if following is None:
                heapq.heappop(heap)
            else:
                heapq.heapreplace(heap, following)

    async def to_list(self) -> list[LineExpense]:
        """Every record, in memory (pages of 1,000 unless you chose a page size)."""
        return [
            record async for record in self._merged(page_size_for(self._page_size, collecting=True))
        ]

    async def to_pandas(self) -> Any:
        """A DataFrame with a ``line`` column and the expense columns of
        ``sc.expenses.list().to_pandas()``, newest first (needs the ``analysis`` extra)."""
        from selfcare.analysis import frame

        records = await self.to_list()
        zone = (await self._client._context()).zone
        table = frame([record.expense for record in records], Expense, zone)
        table.insert(0, "line", [record.line.e164 for record in records])
        table["line"] = table["line"].astype("string")
        return table

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


def _scoped(client: AsyncSelfcare, number: PhoneNumber, ctx: Context) -> AsyncSelfcare:
    """``client`` on line ``number``, reading times in the login's account zone (one account's
    lines share it), so the merge asks no line for its account first."""
    scoped = client.line(number)
    scoped._ctx = ctx
    return scoped


async def _write_line(client: AsyncSelfcare, op: ListExpenses, writer: LineWriter) -> None:
    """Every page of one line's expenses, into ``writer``."""
    cursor: str | None = None
    while True:
        page = await client._execute(attrs.evolve(op, cursor=cursor))
        writer.write(page.items)
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


async def _advance(source: _Source, index: int) -> _Head | None:
    """The line's next record, fetching its next page when the current one is used up."""
    page = source.page
    while page is None or source.position >= len(page.items):
        if page is not None and page.next_cursor is None:
            return None
        cursor = None if page is None else page.next_cursor
        page = await source.client._execute(attrs.evolve(source.op, cursor=cursor))
        source.page, source.position = page, 0
    expense = page.items[source.position]
    source.position += 1
    return _Head(expense.at, expense.id, index, expense)
