"""Drive an AsyncSelfcare from synchronous test code, so one contract test covers both clients.

Every coroutine the async client returns is run on one event loop in a background thread;
async iterators are stepped on that loop too. The async code path is exercised for real.
"""

from __future__ import annotations

import asyncio
import inspect
import threading
from collections.abc import Coroutine, Iterator
from typing import Any

from selfcare import AsyncPager
from selfcare._async._area import AsyncArea


class EventLoopThread:
    """An event loop running in a daemon thread."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()

    def run(self, coro: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=60)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)
        self.loop.close()


def wrap(value: Any, runner: EventLoopThread) -> Any:
    if inspect.iscoroutine(value):
        return wrap(runner.run(value), runner)
    if isinstance(value, AsyncPager) or type(value).__name__ == "AsyncLineExpenses":
        return PagerBridge(value, runner)
    if inspect.isasyncgen(value):
        return _iterate(value, runner)
    if isinstance(value, AsyncArea) or type(value).__name__ in (
        "AsyncSelfcare",
        "AsyncPendingLogin",
    ):
        return Bridge(value, runner)
    return value


def _iterate(agen: Any, runner: EventLoopThread) -> Iterator[Any]:
    while True:
        try:
            item = runner.run(agen.__anext__())
        except StopAsyncIteration:
            return
        yield wrap(item, runner)


class Bridge:
    """A synchronous view of an async object."""

    def __init__(self, target: Any, runner: EventLoopThread) -> None:
        self._target = target
        self._runner = runner

    @property
    def unwrapped(self) -> Any:
        return self._target

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if callable(value) and not isinstance(value, type):
            return lambda *args, **kwargs: wrap(value(*args, **kwargs), self._runner)
        return wrap(value, self._runner)

    def __repr__(self) -> str:
        return f"Bridge({self._target!r})"


class PagerBridge(Bridge):
    """A synchronous view of an AsyncPager (iteration included)."""

    def __iter__(self) -> Iterator[Any]:
        return _iterate(self._target.__aiter__(), self._runner)
