"""Event delivery: the reference server POSTs each line's events to its webhook endpoints,
signed, and to its TMF notification hubs, as TMF event envelopes.

The operator keeps the endpoints and hubs and an outbox for each and decides what is due
(:meth:`~selfcare.backends.fake.FakeOperator.due_deliveries`: each outbox's next event,
retries on the operator's clock, one schedule for both kinds); the
:class:`WebhookDispatcher` does the I/O: it renders each delivery (a webhook endpoint's
event signed per Standard Webhooks, :func:`selfcare.webhooks.sign`; a hub's notification
as its API's TMF envelope, unsigned as TMF630 hubs are, by
:func:`selfcare.server.tmf.hub.notification`), POSTs it, and tells the operator how it went
(2xx: delivered; anything else, a timeout or a refused connection: tried again later).
Outboxes are served concurrently, each one's events one at a time, in order.

:meth:`WebhookDispatcher.step` delivers what is due now and returns, so a test drives
deliveries with a :class:`~selfcare.backends.fake.ManualClock` and no sleeping;
:meth:`WebhookDispatcher.run` is the server's loop (``create_app`` starts it when its
resolver fronts a fake operator; ``create_tmf_app`` through its
:class:`~selfcare.server.tmf.hub.TmfHubs`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from typing import Any, Protocol

import attrs
import httpx

from selfcare._version import __version__
from selfcare.backends.fake._webhooks import Delivery
from selfcare.webhooks import encode, sign

__all__ = ["DeliveryStats", "WebhookDispatcher", "delivering"]

log = logging.getLogger("selfcare.webhooks")

POLL = 1.0
"""Seconds the loop waits, unprompted, before looking at the outboxes again."""
TIMEOUT = 10.0
"""Seconds an endpoint has to answer a delivery."""


@attrs.define
class DeliveryStats:
    """What a dispatcher has done so far."""

    attempts: int = 0
    delivered: int = 0
    failed: int = 0


class WebhookDispatcher:
    """Delivers the outboxes of ``operator`` (a :class:`~selfcare.backends.fake.FakeOperator`
    or anything with its ``due_deliveries()``/``delivered()``) over HTTP: webhook endpoints
    and TMF hubs, in one loop.

    ``client`` is the ``httpx.AsyncClient`` to POST with (one with ``timeout`` seconds by
    default, which the dispatcher closes in :meth:`aclose`); ``wall`` gives the signing
    time (the machine's clock: receivers check the ``webhook-timestamp`` against theirs,
    whatever the operator's clock says).
    """

    def __init__(
        self,
        operator: Any,
        *,
        client: httpx.AsyncClient | None = None,
        timeout: float = TIMEOUT,
        wall: Callable[[], datetime] | None = None,
    ) -> None:
        self.operator = operator
        self._own_client = client is None
        self._client = client
        self._timeout = timeout
        self.wall = wall or (lambda: datetime.now(UTC))
        self.stats = DeliveryStats()
        self._user_agent = f"selfcare-webhooks/{__version__}"

    async def step(self) -> int:
        """Attempt every delivery due now, endpoints concurrently: each endpoint goes on to
        its next event as soon as one is taken, until nothing more is due (failed ones wait
        for their retry time). Returns the attempts made."""
        made = 0

        async def drain(delivery: Delivery | None) -> None:
            nonlocal made
            while delivery is not None:
                try:
                    sent = await self._attempt(delivery)
                except Exception:  # an unexpected error counts as a failed attempt
                    log.exception("webhook delivery to %s failed", delivery.endpoint.id)
                    sent = False
                if sent is None:  # nothing to send for this event: passed over
                    self.operator.delivered(delivery, True, sent=False)
                    ok = True
                else:
                    made += 1
                    self.operator.delivered(delivery, sent)
                    ok = sent
                delivery = self.operator.next_delivery(delivery) if ok else None

        while True:
            batch: list[Delivery] = self.operator.due_deliveries()
            if not batch:
                return made
            await asyncio.gather(*(drain(d) for d in batch))

    def _render(self, delivery: Delivery) -> tuple[bytes, dict[str, str]] | None:
        """The body and headers of ``delivery``; ``None`` when there is nothing to send (a
        TMF hub's query filters this event's notification out)."""
        if delivery.hub is not None:
            from selfcare.server.tmf.hub import notification  # the TMF face loads on need

            body = notification(delivery.hub, delivery.event)
            return None if body is None else (body, {})
        assert delivery.secret is not None  # a webhook endpoint always has its secret
        body = encode(delivery.event)
        headers = sign(body, delivery.secret, message_id=delivery.message_id, timestamp=self.wall())
        return body, headers

    async def _attempt(self, delivery: Delivery) -> bool | None:
        rendered = self._render(delivery)
        if rendered is None:
            return None
        body, headers = rendered
        self.stats.attempts += 1
        headers["content-type"] = "application/json"
        headers["user-agent"] = self._user_agent
        what = f"{delivery.event.id} to {delivery.endpoint.id} (attempt {delivery.attempt})"
        url = delivery.endpoint.url
        assert url is not None  # the fake's outboxes always have theirs (None: a TMF delete)
        try:
            response = await self.client.post(url, content=body, headers=headers)
        except (httpx.HTTPError, OSError) as exc:
            self.stats.failed += 1
            log.info("webhook delivery of %s failed: %s", what, type(exc).__name__)
            return False
        if response.is_success:
            self.stats.delivered += 1
            log.debug("webhook delivery of %s: %s", what, response.status_code)
            return True
        self.stats.failed += 1
        log.info("webhook delivery of %s failed: HTTP %s", what, response.status_code)
        return False

    async def run(self, poll: float = POLL) -> None:
        """Deliver for as long as the task runs: after every operation that adds events and
        every move of a manual clock (the operator's signal), and every ``poll`` seconds
        (a real clock brings retries and deliveries without anyone asking)."""
        signal = self.operator.events_changed
        while True:
            version = signal.version
            try:
                await self.step()
            except Exception:  # one bad round must not end deliveries for everyone
                log.exception("webhook delivery round failed")
            await signal.wait_async(version, poll)

    @property
    def client(self) -> httpx.AsyncClient:
        """The client deliveries go through, opened on first use: an app that never
        delivers (its lifespan off, as in tests) opens no connection pool."""
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=self._timeout, follow_redirects=False)
        return self._client

    async def aclose(self) -> None:
        """Close the HTTP client it made, if it made one."""
        if self._own_client and self._client is not None:
            await self._client.aclose()

    def __repr__(self) -> str:
        return f"WebhookDispatcher({self.stats})"


class _Loop(Protocol):
    async def run(self) -> None: ...
    async def aclose(self) -> None: ...


def delivering(loop: _Loop | None) -> Callable[[Any], AbstractAsyncContextManager[None]]:
    """An app's lifespan running ``loop`` (a :class:`WebhookDispatcher`, or the TMF face's
    :class:`~selfcare.server.tmf.hub.TmfHubs`) while the app is served, then stopping it and
    closing its client; ``None``: nothing runs (tests step deliveries themselves)."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        if loop is None:
            yield
            return
        task = asyncio.get_running_loop().create_task(loop.run())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            await loop.aclose()

    return lifespan
