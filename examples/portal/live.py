"""Events in the page as they happen: server-sent events from the portal to the browser.

The browser's ``EventSource`` opens ``GET /events/stream``; the portal follows the signed-in
user's line with ``sc.events.stream()`` (the client of *that* session: its token can only read
its own line's events) and passes each event on as one SSE message whose ``data`` is what the
page shows (type, time, summary: already in the reader's language). The browser reconnects by
itself, sending the last id it got (``Last-Event-ID``), and the stream resumes after it.

Each stream holds one connection to the operator, so they are bounded: a few per session (a
new tab's stream ends the oldest) and ``max_live_streams`` in all, well below the shared
pool's size, so that pages never wait for a connection a stream holds. A stream ends when its
session does (signed out, expired); the next reconnect gets ``204``, which stops the browser.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from web import (
    Portal,
    UserSession,
    clip,
    label,
    local_time,
    long_date,
    readable,
    request_language,
)

from selfcare import (
    Balance,
    Bill,
    Complaint,
    ConnectedService,
    Event,
    ForwardingState,
    LoginRecord,
    Message,
    Money,
    Payment,
    _i18n,
)
from selfcare.model.events import Spending, SpendingPeriod

__all__ = ["KEEPALIVE", "event_stream", "shown", "summary"]

log = logging.getLogger("selfcare.portal")

KEEPALIVE = 15.0
"""Seconds of silence after which a comment line goes out (proxies keep the connection)."""
EVENT_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
"""What an event id looks like (``evt_0000000001``): anything else is refused unread."""


def summary(event: Event, lang: str, locale: str) -> str:
    """One line on what ``event`` is about, in ``lang``, money written for ``locale``."""
    data = event.data

    def _(message: str, **values: Any) -> str:
        return _i18n.gettext(message, lang) % values if values else _i18n.gettext(message, lang)

    def money(value: Money) -> str:
        return value.format(default=locale)

    if isinstance(data, Message):
        return _(
            "%(kind)s %(id)s: %(status)s",
            kind=data.kind.value.upper(),
            id=data.id,
            status=label(data.status, lang),
        )
    if isinstance(data, Bill):
        return _(
            "Bill %(id)s: %(remaining)s of %(due)s to pay by %(date)s",
            id=data.id,
            remaining=money(data.remaining),
            due=money(data.amount_due),
            date=long_date(data.due_date, lang),
        )
    if isinstance(data, Payment):
        return _(
            "%(amount)s by %(method)s: %(status)s",
            amount=money(data.amount),
            method=data.method,
            status=label(data.status, lang),
        )
    if isinstance(data, Balance):
        return _("Balance %(amount)s", amount=money(data.amount))
    if isinstance(data, Spending):
        values = {"spent": money(data.spent), "limit": money(data.limit)}
        if data.period is SpendingPeriod.DAY:
            return _("Spent %(spent)s today, above your alert of %(limit)s", **values)
        return _("Spent %(spent)s this month, above your alert of %(limit)s", **values)
    if isinstance(data, ConnectedService):
        return f"{data.name} ({data.code})"
    if isinstance(data, ForwardingState):
        active = [label(rule.condition, lang) for rule in data.effective]
        if not active:
            return _("Call forwarding is off")
        return _("Call forwarding: %(rules)s", rules=", ".join(active))
    if isinstance(data, Complaint):
        return _("Complaint %(id)s: %(status)s", id=data.id, status=label(data.status, lang))
    if isinstance(data, LoginRecord):
        return _(
            "Signed in by %(method)s (%(channel)s)",
            method=label(data.method, lang),
            channel=data.channel,
        )
    return ""


def shown(event: Event, lang: str, zone: ZoneInfo, locale: str) -> dict[str, str]:
    """What the page shows of ``event`` (the same on the page and in the stream)."""
    at: datetime = event.occurred_at
    return {
        "id": event.id,
        "type": event.type.value,
        "label": label(event.type, lang),
        "at": local_time(at, zone),
        "datetime": at.isoformat(),
        "summary": clip(summary(event, lang, locale)),
    }


def _frame(event_id: str, name: str, data: dict[str, str]) -> bytes:
    body = json.dumps(data, ensure_ascii=False)
    return f"id: {event_id}\nevent: {name}\ndata: {body}\n\n".encode()


async def event_stream(request: Request) -> Response:
    """``GET /events/stream``: the signed-in line's events, after ``Last-Event-ID`` (a
    reconnect) or ``?after=`` (the newest event the page showed)."""
    portal: Portal = request.app.state.portal
    user = await portal.user(request)
    if user is None:
        # 204 tells EventSource to stop reconnecting; the page says why.
        return Response(status_code=204, headers={"Cache-Control": "no-store"})
    after = request.headers.get("last-event-id") or request.query_params.get("after") or None
    if after is not None and not EVENT_ID.fullmatch(after):
        return Response(
            f"after={clip(after, 40)!r} is not an event id",
            status_code=400,
            media_type="text/plain",
        )
    if not portal.live.admit(user):
        return Response(
            "Too many live pages are open right now; reload the page later.",
            status_code=503,
            media_type="text/plain",
            headers={"Retry-After": "30"},
        )
    lang = request_language(request)[0]

    async def frames() -> AsyncIterator[bytes]:
        # The pump starts with the body, so a response never sent never leaves one behind.
        queue: asyncio.Queue[Event | BaseException | None] = asyncio.Queue(maxsize=64)
        pump = asyncio.create_task(_pump(user, after, queue))
        portal.live.started(user, pump)
        try:
            yield b"retry: 2000\n\n"
            while True:
                try:
                    item = await asyncio.wait_for(queue.get(), KEEPALIVE)
                except TimeoutError:
                    if pump.done() and queue.empty():
                        item = None
                    else:
                        yield b": keep-alive\n\n"
                        continue
                if item is None:  # ended by the portal: say why, so the page stops here
                    gone = user not in portal.sessions.values()
                    reason = {"reason": "signed-out" if gone else "replaced"}
                    yield f"event: ended\ndata: {json.dumps(reason)}\n\n".encode()
                    return
                if isinstance(item, BaseException):
                    data = {"error": readable(item)}
                    yield f"event: failed\ndata: {json.dumps(data)}\n\n".encode()
                    return
                data = shown(item, lang, user.zone, user.account.locale)
                yield _frame(item.id, "event", data)
        finally:
            pump.cancel()
            with contextlib.suppress(BaseException):
                await pump
            portal.live.ended(user, pump)

    return StreamingResponse(
        frames(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


async def _pump(
    user: UserSession, after: str | None, queue: asyncio.Queue[Event | BaseException | None]
) -> None:
    """Follow the line with the session's own client, into ``queue``; ``None`` when
    cancelled (the session ended), the error when the SDK gives up."""
    stream = user.client.events.stream(after=after)
    try:
        async for event in stream:
            await queue.put(event)
    except asyncio.CancelledError:
        with contextlib.suppress(asyncio.QueueFull):
            queue.put_nowait(None)
        raise
    except Exception as exc:  # shown by readable(): an SDK error's message, else a reference
        await queue.put(exc)
    finally:
        await stream.aclose()  # type: ignore[attr-defined]
