"""Encoding the next page while the client decodes this one (a server over the fake only).

A client paging through a history asks for page N+1 only once it has decoded page N, and
meanwhile the server sits idle. So, once a page with a next cursor is sent, the server
reads the next page the same way (the same backend: the same token, line and fake's
rules) and has its :class:`~selfcare.protocol._codec.ResultEncoder` keep the JSON. When
the client asks, the backend answers again (every rule still applies: a token revoked
meanwhile is refused) and, if it answers with the very same records, the kept JSON is sent.

A read in the fake logs no operation and draws on no rate limit, so reading ahead changes
nothing a subscriber can see. At most one read-ahead runs at a time (it must not compete
with real requests under load), and its failures are dropped: the real request meets them.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import attrs
from starlette.background import BackgroundTask

from selfcare._client.paging import Page
from selfcare.operations import PagedOperation
from selfcare.protocol._codec import ResultEncoder

__all__ = ["ReadAhead"]

log = logging.getLogger("selfcare.server")

Execute = Callable[[Any, Any], Awaitable[Any]]


class ReadAhead:
    """One app's read-ahead: :meth:`after` is what to do once a page has been sent."""

    def __init__(self, encoder: ResultEncoder, execute: Execute) -> None:
        self._encoder = encoder
        self._execute = execute
        self._running = False

    def after(self, backend: Any, op: Any, result: Any) -> BackgroundTask | None:
        """Reading and encoding the page after ``result``, as a task to run once ``result``
        is sent (a Starlette background task: the next request on the connection is served
        meanwhile); ``None`` when ``result`` is not a page with a next one."""
        if type(result) is not Page or result.next_cursor is None:
            return None
        if not isinstance(op, PagedOperation):
            return None
        return BackgroundTask(self._read, backend, op, result.next_cursor)

    async def _read(self, backend: Any, op: PagedOperation[Any], cursor: str) -> None:
        # the flag is taken and given back here, in the task: a response that never finished
        # sending (the client went away) runs no task, and must not leave it taken
        if self._running:
            return
        self._running = True
        try:
            following = attrs.evolve(op, cursor=cursor)
            self._encoder.encode(await self._execute(backend, following))
        except Exception as exc:  # the real request will meet it, and report it
            log.debug("reading ahead %s failed: %s", op.operation_name(), type(exc).__name__)
        finally:
            self._running = False
