"""The event stream: a line's events as server-sent events (``GET /v1/events/stream``).

Each event is one SSE message: ``id`` is the event's id, ``event`` its type, ``data`` its
JSON (the same document ``GET /v1/events`` pages). A client that reconnects sends the last
id it got as ``Last-Event-ID`` (browsers' ``EventSource`` does so by itself) and the stream
resumes right after it. Without one the stream starts at the line's first event; the SDK
asks for the newest event first and resumes after it, so it starts with what happens next.

The stream reads the backend with ``ReadEvents`` and, when there is nothing new, waits:
on the fake operator's signal (an operation, its manual clock moving) or a second, whichever
comes first, sending a comment every 15 s of silence so that proxies keep the connection.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import anyio
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from selfcare._errors import ValidationError
from selfcare.operations import ReadEvents
from selfcare.operations.events import check_types
from selfcare.protocol._codec import encode_result

__all__ = ["KEEPALIVE", "POLL", "event_stream"]

POLL = 1.0
"""Seconds between looks at a backend that cannot say when something happened."""
KEEPALIVE = 15.0
"""Seconds of silence after which the stream sends a comment line."""
_BATCH = ReadEvents().limit
_PARAMS = frozenset({"types", "after"})


def event_stream(
    resolve: Any,
    token: Callable[[Request], Any],
    execute: Callable[[Any, Any], Awaitable[Any]],
) -> Callable[[Request], Awaitable[Response]]:
    """The endpoint of ``GET /v1/events/stream`` for the backends ``resolve`` gives."""

    async def stream(request: Request) -> Response:
        backend = resolve(token(request))
        if inspect.isawaitable(backend):
            backend = await backend
        unknown = sorted(set(request.query_params.keys()) - _PARAMS)
        if unknown:
            raise ValidationError(f"unknown query parameter {unknown[0]!r}", field=unknown[0])
        types = check_types(request.query_params.getlist("types"))
        after = request.headers.get("last-event-id") or request.query_params.get("after")
        limit = getattr(request.app.state, "event_stream_limit", None)
        signal = getattr(getattr(backend, "operator", None), "events_changed", None)
        version = None if signal is None else signal.version  # read before the log is
        first = await execute(backend, ReadEvents(after=after or None, types=types))

        async def frames() -> AsyncIterator[bytes]:
            nonlocal version
            last, batch, sent = after or None, first, 0
            quiet_since = time.monotonic()
            yield b"retry: 1000\n\n"
            while True:
                for event in batch:
                    last = event.id
                    body = encode_result(event).decode()
                    yield f"id: {event.id}\nevent: {event.type.value}\ndata: {body}\n\n".encode()
                    sent += 1
                    if limit is not None and sent >= limit:
                        return  # the server may end a stream at any time; clients resume
                if batch:
                    quiet_since = time.monotonic()
                elif time.monotonic() - quiet_since >= KEEPALIVE:
                    quiet_since = time.monotonic()
                    yield b": keep-alive\n\n"
                if len(batch) < _BATCH:
                    if signal is None:
                        await anyio.sleep(POLL)
                    else:
                        await signal.wait_async(version, POLL)
                version = None if signal is None else signal.version
                batch = await execute(backend, ReadEvents(after=last, types=types))

        return StreamingResponse(
            frames(),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )

    return stream
