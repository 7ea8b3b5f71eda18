"""Webhook delivery: the reference server POSTs each line's events to its endpoints, signed.

The operator keeps the endpoints and an outbox per endpoint and decides what is due
(:meth:`~selfcare.backends.fake.FakeOperator.due_deliveries`: each endpoint's next event,
retries on the operator's clock); the :class:`WebhookDispatcher` does the I/O: it signs
each delivery per Standard Webhooks (:func:`selfcare.webhooks.sign`), POSTs it, and tells
the operator how it went (2xx: delivered; anything else, a timeout or a refused
connection: tried again later). Endpoints are served concurrently, each endpoint's events
one at a time, in order.

:meth:`WebhookDispatcher.step` delivers what is due now and returns, so a test drives
deliveries with a :class:`~selfcare.backends.fake.ManualClock` and no sleeping;
:meth:`WebhookDispatcher.run` is the server's loop (``create_app`` starts it when its
resolver fronts a fake operator).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import attrs
import httpx

from selfcare._version import __version__
from selfcare.backends.fake._webhooks import Delivery
from selfcare.webhooks import encode, sign

__all__ = ["DeliveryStats", "WebhookDispatcher"]

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
    or anything with its ``due_deliveries()``/``delivered()``) over HTTP.

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
                    ok = await self._attempt(delivery)
                except Exception:  # an unexpected error counts as a failed attempt
                    log.exception("webhook delivery to %s failed", delivery.endpoint.id)
                    ok = False
                made += 1
                self.operator.delivered(delivery, ok)
                delivery = self.operator.next_delivery(delivery) if ok else None

        while True:
            batch: list[Delivery] = self.operator.due_deliveries()
            if not batch:
                return made
            await asyncio.gather(*(drain(d) for d in batch))

    async def _attempt(self, delivery: Delivery) -> bool:
        self.stats.attempts += 1
        body = encode(delivery.event)
        headers = sign(body, delivery.secret, message_id=delivery.message_id, timestamp=self.wall())
        headers["content-type"] = "application/json"
        headers["user-agent"] = self._user_agent
        what = f"{delivery.event.id} to {delivery.endpoint.id} (attempt {delivery.attempt})"
        url = delivery.endpoint.url
        assert url is not None  # the fake's endpoints always have theirs (None: a TMF delete)
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
