"""The two things the async and sync clients do differently: sleeping and fanning out.

Hand-written in both ``_async/`` and ``_sync/`` (``scripts/unasync.py`` skips this file), so the
generated area code can say ``await sleep(...)`` and ``await map_bounded(...)`` either way.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import TypeVar

__all__ = ["map_bounded", "sleep"]

T = TypeVar("T")
R = TypeVar("R")


async def sleep(seconds: float) -> None:
    """Pause without blocking the event loop."""
    await asyncio.sleep(seconds)


async def map_bounded(
    func: Callable[[T], Awaitable[R]], items: Iterable[T], *, limit: int
) -> list[R]:
    """``func`` over ``items`` with at most ``limit`` running at once; results in order.

    ``limit`` workers take the next item as each finishes one, so what is held besides the
    results is ``limit`` tasks however many items there are (a fleet export's thousand
    lines cost what eight do). If one call raises, the others still running are cancelled
    (an ``asyncio.TaskGroup``), so nothing keeps working unseen in the background, and the
    first error propagates as itself, as the sync twin's would, not wrapped in an
    ``ExceptionGroup``.
    """
    pending = enumerate(items)
    results: dict[int, R] = {}

    async def worker() -> None:
        for index, item in pending:  # shared: each item goes to one worker
            results[index] = await func(item)

    try:
        async with asyncio.TaskGroup() as group:
            for _ in range(limit):
                group.create_task(worker())
    except BaseExceptionGroup as failed:
        raise failed.exceptions[0] from None
    return [results[index] for index in range(len(results))]
