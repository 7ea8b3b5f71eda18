"""Lazy iteration over every page of a listing, one page in memory at a time."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

from selfcare._context import Context
from selfcare._paging import MAX_PAGE_SIZE, Page
from selfcare.operations import PagedOperation

if TYPE_CHECKING:
    from selfcare._async._client import AsyncSelfcare

__all__ = ["AsyncPager"]

T = TypeVar("T")


class AsyncPager(Generic[T]):
    """Every record of a listing, fetched a page at a time as you iterate.

    Nothing is requested until you iterate. Memory holds one page however long the
    history is. ``pages()`` walks page by page; ``first(n)``, ``to_list()`` and
    ``to_pandas()`` collect.
    """

    def __init__(
        self,
        client: AsyncSelfcare,
        item_type: type[T],
        build: Callable[[Context], PagedOperation[T]],
    ) -> None:
        self._client = client
        self._item_type = item_type
        self._build = build

    async def pages(
        self, *, limit: int | None = None, cursor: str | None = None
    ) -> AsyncIterator[Page[T]]:
        """Each page in turn; ``limit`` overrides the page size, and ``cursor`` (a page's
        ``next_cursor``) resumes after that page, as a web page's "next" link does."""
        op = self._build(await self._client._context())
        if limit is not None:
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
        if n <= 0:
            return items
        async for page in self.pages(limit=min(n, MAX_PAGE_SIZE)):
            items.extend(page.items[: n - len(items)])
            if len(items) >= n:
                break
        return items

    async def to_list(self) -> list[T]:
        """Every record, in memory."""
        return [item async for item in self]

    async def to_pandas(self) -> Any:
        """Every record as a pandas DataFrame, times in the account's zone (needs the
        ``analysis`` extra)."""
        from selfcare.analysis import frame

        zone = (await self._client._context()).zone
        return frame(await self.to_list(), self._item_type, zone)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._item_type.__name__}>"
