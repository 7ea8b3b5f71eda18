"""Encoding the next page while the client decodes this one (a server over the fake only).

A client paging through a history asks for page N+1 only once it has decoded page N, and
meanwhile the server sits idle. So, once a page with a next cursor is sent to a client that
is paging (its request carried a cursor: it asked for a next page before), the server reads
the next page the same way (the same backend: the same token, line and fake's rules) and
has its :class:`~selfcare.protocol._codec.ResultEncoder` keep the JSON. When the client
asks, the backend answers again (every rule still applies: a session ended meanwhile is
refused) and, if it answers with the very same records, the kept JSON is sent.

A client that reads a first page only (a dashboard, a portal's page) costs nothing extra,
and a pager that stops costs one page. A listing the backend builds anew on every call (the
fake's lines, complaints and messages are views made per request) can never be answered
from a page read ahead: after :data:`GIVE_UP` read-aheads of one listing that the next
request could not use, and none that it could, that listing is not read ahead any more (one
that was of use once is never given up: a record edited meanwhile, or another client asking
with the same cursor, is no reason to stop). A read in the fake logs no operation and draws
on no rate limit, so reading ahead changes nothing a subscriber can see. Its failures are
dropped (logged at debug level): the real request meets them, and reports them.
"""

from __future__ import annotations

import collections
import logging
import weakref
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

GIVE_UP = 3
"""Read-aheads of one listing that the next request could not use (the backend answered it
with other records), none ever of use, before that listing is no longer read ahead."""

_AWAITED = 64
"""How many pages read ahead are remembered until their request comes (a bound: a client
that stops paging never asks for its page)."""


class ReadAhead:
    """One app's read-ahead: :meth:`after` is what to do once a page has been sent."""

    def __init__(self, encoder: ResultEncoder, execute: Execute) -> None:
        self._encoder = encoder
        self._execute = execute
        # the cursor of each page read ahead: its listing, and a weak reference to its first
        # record, to tell whether the request for it got the same records back
        self._awaited: collections.OrderedDict[str, tuple[type, weakref.ref[Any]]]
        self._awaited = collections.OrderedDict()
        self._unused: collections.Counter[type] = collections.Counter()
        self._useless: set[type] = set()
        self._useful: set[type] = set()  # listings a page read ahead was ever of use for

    def after(self, backend: Any, op: Any, result: Any) -> BackgroundTask | None:
        """Reading and encoding the page after ``result``, as a task to run once ``result``
        is sent (a Starlette background task); ``None`` unless ``op`` asked for a next page
        (``cursor``) of a listing worth reading ahead, and ``result`` has one after it."""
        if type(result) is not Page or not isinstance(op, PagedOperation) or op.cursor is None:
            return None
        listing = type(op)
        self._judge(listing, op.cursor, result)
        if result.next_cursor is None or listing in self._useless:
            return None
        return BackgroundTask(self._read, backend, op, result.next_cursor)

    def _judge(self, listing: type, cursor: str, result: Page[Any]) -> None:
        """Count whether the page read ahead for this request was of use: the backend
        answered with the same first record."""
        awaited = self._awaited.pop(cursor, None)
        if awaited is None or awaited[0] is not listing or not result.items:
            return
        if awaited[1]() is result.items[0]:
            self._useful.add(listing)
        elif listing not in self._useful:  # a record edited meanwhile is no reason to stop
            self._unused[listing] += 1
            if self._unused[listing] >= GIVE_UP:
                self._useless.add(listing)

    async def _read(self, backend: Any, op: PagedOperation[Any], cursor: str) -> None:
        try:
            following = attrs.evolve(op, cursor=cursor)
            page = await self._execute(backend, following)
            self._encoder.encode(page)
        except Exception as exc:  # the real request will meet it, and report it
            log.debug("reading ahead %s failed: %s", op.operation_name(), type(exc).__name__)
            return
        if not page.items:
            return
        try:
            first = weakref.ref(page.items[0])
        except TypeError:  # records without weak references: never kept, never of use
            self._useless.add(type(op))
            return
        self._awaited[cursor] = (type(op), first)
        if len(self._awaited) > _AWAITED:
            self._awaited.popitem(last=False)
