"""Lazy iteration over every page of a listing, one page in memory at a time."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

from selfcare._client.context import Context
from selfcare._client.paging import (
    MAX_PAGE_SIZE,
    Page,
    check_chosen_page_size,
    check_count,
    page_size_for,
)
from selfcare._errors import ValidationError
from selfcare.operations import Operation, PagedOperation

if TYPE_CHECKING:
    from selfcare._async._client import AsyncSelfcare

__all__ = ["AsyncPager"]

T = TypeVar("T")


class AsyncPager(Generic[T]):
    """Every record of a listing, fetched a page at a time as you iterate.

    Nothing is requested until you iterate. Memory holds one page however long the
    history is. ``pages()`` walks page by page; ``first(n)``, ``to_list()``,
    ``to_pandas()`` and ``to_arrow()`` collect; ``to_parquet(path)`` streams to a file.
    A listing the operator returns whole (the phonebook, mailing lists) is one page.

    Each request asks for the caller's ``page_size``; without one, 100 records when
    iterating or walking pages and 1,000 when collecting every record
    (:func:`~selfcare._client.paging.page_size_for`).
    """

    def __init__(
        self,
        client: AsyncSelfcare,
        item_type: type[T],
        build: Callable[[Context], PagedOperation[T] | Operation[tuple[T, ...]]],
        *,
        page_size: int | None = None,
    ) -> None:
        self._client = client
        self._item_type = item_type
        self._build = build
        self._page_size = page_size
        self._whole = page_size_for(page_size, collecting=True)
        """The page size when collecting every record."""

    async def pages(
        self, *, limit: int | None = None, cursor: str | None = None
    ) -> AsyncIterator[Page[T]]:
        """Each page in turn; ``limit`` overrides the page size (by default the listing's
        ``page_size``, else 100), and ``cursor`` (a page's ``next_cursor``) resumes after
        that page, as a web page's "next" link does."""
        op = self._build(await self._client._context())
        if not isinstance(op, PagedOperation):
            if cursor is not None:
                raise ValidationError(
                    f"cursor {cursor!r} was not issued by this listing (it is a single page)",
                    field="cursor",
                )
            whole: tuple[T, ...] = await self._client._execute(op)
            yield Page(tuple(whole))
            return
        if limit is None:
            limit = page_size_for(self._page_size, collecting=False)
        op = attrs.evolve(op, limit=limit)
        if cursor is not None:
            op = attrs.evolve(op, cursor=cursor)
        while True:
            page: Page[T] = await self._client._execute(op)
            yield page
            if page.next_cursor is None:
                return
            op = attrs.evolve(op, cursor=page.next_cursor)

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.pages():
            for item in page.items:
                yield item

    async def first(self, n: int) -> list[T]:
        """The first ``n`` records (newest first), fetching no more pages than needed."""
        items: list[T] = []
        if check_count(n) == 0:
            return items
        async for page in self.pages(limit=min(n, MAX_PAGE_SIZE)):
            items.extend(page.items[: n - len(items)])
            if len(items) >= n:
                break
        return items

    async def to_list(self) -> list[T]:
        """Every record, in memory."""
        return [item async for page in self.pages(limit=self._whole) for item in page.items]

    async def to_pandas(self) -> Any:
        """Every record as a pandas DataFrame, times in the account's zone (needs the
        ``analysis`` extra)."""
        from selfcare.analysis import frame

        ctx = await self._client._context()
        return frame(await self.to_list(), self._item_type, ctx.zone, ctx.currency)

    async def to_arrow(self) -> Any:
        """Every record as a ``pyarrow.Table``, typed as :meth:`to_pandas` types its columns.

        Each page is converted as it arrives, so only the compact Arrow columns pile up, never
        the records themselves (needs the ``analysis`` extra)."""
        from selfcare.analysis import require_pyarrow

        pa = require_pyarrow("to_arrow()")

        tables = [table async for table in self._arrow_pages(self._whole)]
        return pa.concat_tables(tables)

    async def to_parquet(
        self, path: str | os.PathLike[str], *, page_size: int | None = None
    ) -> int:
        """Write every record to a Parquet file at ``path``, one row group per page (of
        ``page_size`` records: by default the listing's, else 1,000), and return how many
        rows were written.

        Pages are fetched, converted and written one at a time, so memory stays bounded by a
        page however long the history is. The columns are those of :meth:`to_arrow`.
        """
        from selfcare.analysis import require_pyarrow

        require_pyarrow("to_parquet()")
        import pyarrow.parquet as pq

        writer: Any = None
        rows = 0
        try:
            async for table in self._arrow_pages(check_chosen_page_size(page_size) or self._whole):
                if writer is None:
                    writer = pq.ParquetWriter(os.fspath(path), table.schema)
                writer.write_table(table, row_group_size=max(table.num_rows, 1))
                rows += table.num_rows
        finally:
            if writer is not None:
                writer.close()
        return rows

    async def _arrow_pages(self, page_size: int) -> AsyncIterator[Any]:
        from selfcare.analysis import arrow_table

        ctx = await self._client._context()
        async for page in self.pages(limit=page_size):
            yield arrow_table(page.items, self._item_type, ctx.zone, ctx.currency)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._item_type.__name__}>"
