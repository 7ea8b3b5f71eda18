"""Encoding the next page while the client decodes this one (a server over the fake only).

A client paging through a history asks for page N+1 only once it has decoded page N, and
meanwhile the server sits idle. So, once a page with a next cursor is sent to a client that
is paging (its request carried a cursor: it asked for a next page before), the server reads
the next page the same way (the same backend: the same token, line and fake's rules) and
has its :class:`~selfcare.protocol._codec.ResultEncoder` keep the JSON. When the client
asks, the backend answers again (every rule still applies: a session ended meanwhile is
refused) and, if it answers with the very same records, the kept JSON is sent.

A client that reads a first page only (a dashboard, a portal's page) costs nothing extra,
and a pager that stops costs one page. A read in the fake logs no operation and draws on no
rate limit, so reading ahead changes nothing a subscriber can see. Its failures are dropped
(logged at debug level): the real request meets them, and reports them.
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

    def after(self, backend: Any, op: Any, result: Any) -> BackgroundTask | None:
        """Reading and encoding the page after ``result``, as a task to run once ``result``
        is sent (a Starlette background task); ``None`` unless ``op`` asked for a next page
        (``cursor``) and ``result`` has one after it."""
        if type(result) is not Page or result.next_cursor is None:
            return None
        if not isinstance(op, PagedOperation) or op.cursor is None:
            return None
        return BackgroundTask(self._read, backend, op, result.next_cursor)

    async def _read(self, backend: Any, op: PagedOperation[Any], cursor: str) -> None:
        try:
            following = attrs.evolve(op, cursor=cursor)
            self._encoder.encode(await self._execute(backend, following))
        except Exception as exc:  # the real request will meet it, and report it
            log.debug("reading ahead %s failed: %s", op.operation_name(), type(exc).__name__)
