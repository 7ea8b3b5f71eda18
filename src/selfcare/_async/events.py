"""What happened on the line: the event log, read page by page or followed as it grows."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from selfcare._async._area import AsyncArea
from selfcare._async._io import sleep
from selfcare._async._paging import AsyncPager
from selfcare._client.context import Context
from selfcare._client.localize import localizer
from selfcare._client.paging import check_chosen_page_size
from selfcare._errors import NotSupported, TransportError, ValidationError
from selfcare._time import When, check_when
from selfcare.model.events import Event, EventType
from selfcare.operations import Capability, ListEvents
from selfcare.operations.events import check_types

__all__ = ["AsyncEvents"]

RECONNECT_ATTEMPTS = 8
"""How many times in a row a stream reconnects without receiving anything before it gives up."""
_BACKOFF_CAP = 30.0


class AsyncEvents(AsyncArea):
    """``sc.events``: the line's events (see docs/events.md for the types)."""

    def list(
        self,
        *,
        since: When | None = None,
        until: When | None = None,
        types: EventType | str | Any = None,
        page_size: int | None = None,
    ) -> AsyncPager[Event]:
        """Events in ``[since, until)``, newest first; ``types`` keeps some types only
        (``"bill.issued"``, ``["message.failed", "message.expired"]``)."""
        start, end = check_when(since, "since"), check_when(until, "until")
        wanted = check_types(types)
        check_chosen_page_size(page_size)

        def build(ctx: Context) -> ListEvents:
            return ListEvents(since=ctx.since(start), until=ctx.until(end), types=wanted)

        return AsyncPager(self._client, Event, build, page_size=page_size)

    async def stream(
        self,
        *,
        types: EventType | str | Any = None,
        after: str | None = None,
        reconnect_attempts: int = RECONNECT_ATTEMPTS,
    ) -> AsyncIterator[Event]:
        """Events as they happen, oldest first, for as long as you iterate.

        It starts after the event ``after`` (an id from an earlier event) or, without it,
        with the next event to happen. When the connection drops it reconnects and resumes
        after the last event it yielded, so none is lost and none repeated; it gives up
        (raising :class:`~selfcare.TransportError`) after ``reconnect_attempts`` failures
        in a row. Break out of the loop to stop.
        """
        wanted = check_types(types)
        if after is not None and not isinstance(after, str):
            raise ValidationError(f"after={after!r} must be an event id", field="after")
        if isinstance(reconnect_attempts, bool) or not isinstance(reconnect_attempts, int):
            raise ValidationError(
                f"reconnect_attempts={reconnect_attempts!r} must be an integer",
                field="reconnect_attempts",
            )
        backend: Any = self._client.backend
        opener = getattr(backend, "stream_events", None)
        if opener is None or Capability.EVENTS not in backend.capabilities:
            raise NotSupported("this backend has no events to stream")
        last = after if after is not None else await self._newest()
        zone = (await self._client._context()).zone
        localize = localizer(Event)
        in_place = getattr(backend, "fresh_results", False)
        failures = 0
        while True:
            try:
                async for event in opener(after=last, types=wanted):
                    failures = 0
                    last = event.id
                    yield event if localize is None else localize(event, zone, in_place)
            except TransportError:
                failures += 1
                if failures > reconnect_attempts:
                    raise
                await sleep(min(_BACKOFF_CAP, 0.25 * 2 ** (failures - 1)) if failures > 1 else 0)

    async def _newest(self) -> str | None:
        page = await self._client._execute(ListEvents(limit=1))
        return page.items[0].id if page.items else None
