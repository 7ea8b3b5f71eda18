"""A webhook endpoint for tests: a Starlette app that verifies each delivery with
``selfcare.webhooks.unwrap`` and keeps what it received, served by ``LiveServer``."""

from __future__ import annotations

import threading
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from selfcare import Event, Secret, WebhookVerificationError
from selfcare.webhooks import unwrap


class Receiver:
    """``app`` answers 204 to a verified delivery (400 to one that fails verification, and
    ``status`` instead while ``status`` is not 204: an endpoint that is down)."""

    def __init__(self, secret: Secret | None = None) -> None:
        self.secrets: dict[str, Secret] = {}
        """The secret of each path (``/a``…); ``secret`` serves every path."""
        self.secret = secret
        self.status = 204
        self.received: list[tuple[str, str, Event]] = []
        """(path, webhook-id, event) of each verified delivery, in the order they came."""
        self.refused = 0
        self.requests = 0
        self.raw: list[tuple[bytes, dict[str, str]]] = []
        """Every delivery's body and headers as received."""
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)
        self.app = Starlette(routes=[Route("/{path:path}", self._endpoint, methods=["POST"])])

    async def _endpoint(self, request: Request) -> Response:
        with self.lock:
            self.requests += 1
        if self.status != 204:
            return Response(status_code=self.status)
        path = request.url.path
        secret = self.secrets.get(path, self.secret)
        body = await request.body()
        with self.lock:
            self.raw.append((body, dict(request.headers)))
        if secret is None:
            return Response(status_code=204)  # kept for the test to verify later
        try:
            event = unwrap(body, request.headers, secret)
        except WebhookVerificationError:
            with self.lock:
                self.refused += 1
            return Response(status_code=400)
        with self.arrived:
            self.received.append((path, request.headers["webhook-id"], event))
            self.arrived.notify_all()
        return Response(status_code=204)

    def events(self, path: str | None = None) -> list[Event]:
        with self.lock:
            return [e for p, _, e in self.received if path is None or p == path]

    def wait_for(self, count: int, timeout: float = 60) -> Any:
        """Until ``count`` deliveries arrived (a condition, not a timed assertion: the
        timeout only ends a test that would otherwise hang)."""
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.received) >= count, timeout)
            return len(self.received)
