"""An ASGI middleware that injects faults into a seeded fraction of requests.

Three faults, as real networks produce them:

- ``drop``: the server does the work, starts the response, then the connection dies (the
  client sees a broken read and cannot know whether the work was done);
- ``unavailable``: 503 with ``Retry-After: 0`` before the work is done (a proxy in front);
- ``slow``: the server does the work but never answers: the client times out and hangs up
  (waiting for that, not for a clock, so how fast the machine is changes nothing).
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

Scope = dict[str, Any]


class Dropped(Exception):
    """Raised after the response has started, so uvicorn aborts the connection."""


class FaultInjector:
    def __init__(self, app: Any, *, rate: float, seed: int) -> None:
        self.app = app
        self.rate = rate
        self.rng = random.Random(seed)
        self.enabled = True
        self.requests = 0
        self.faults: Counter[str] = Counter()

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not self.enabled:
            await self.app(scope, receive, send)
            return
        self.requests += 1
        fault = None
        if self.rng.random() < self.rate:
            fault = self.rng.choice(["drop", "unavailable", "slow"])
            self.faults[fault] += 1
        if fault == "unavailable":
            await send(
                {
                    "type": "http.response.start",
                    "status": 503,
                    "headers": [
                        (b"content-type", b"application/problem+json"),
                        (b"retry-after", b"0"),
                    ],
                }
            )
            await send(
                {
                    "type": "http.response.body",
                    "body": (
                        b'{"type":"urn:selfcare:problem:api-error","title":"Service Unavailable",'
                        b'"status":503,"detail":"injected fault"}'
                    ),
                }
            )
            return
        if fault is None:
            await self.app(scope, receive, send)
            return
        messages: list[dict[str, Any]] = []

        async def capture(message: dict[str, Any]) -> None:
            messages.append(message)

        await self.app(scope, receive, capture)  # the work is done either way
        if fault == "slow":  # the answer is held until the client gives up and hangs up
            while (await receive())["type"] != "http.disconnect":
                pass
            return
        await send(messages[0])  # headers out, then the connection dies
        raise Dropped("injected: connection dropped after the work was done")
