"""The portal's one connection pool to the operator, shared by every signed-in user's client:
its limits are what the load of many subscribers at once queues on (bench/portal_load.py)."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import httpx


def test_the_shared_pool_keeps_its_connections_and_sets_the_queue_wait(
    portal_module: Any,
) -> None:
    """Every connection the pool may open is kept alive (with 10 of 50 kept, each burst closed
    40 only to reopen them), and the clients of signed-in users wait for a free connection as
    long as the pool says (``POOL_WAIT``), not their own 10 s: with 500 users queueing for 50
    connections the 10 s wait failed 940 of 3,000 requests of bench/portal_load.py."""
    seen: list[dict[str, float | None]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return httpx.Response(401, json={"type": "about:blank", "status": 401})

    async def main() -> None:
        pool = portal_module.http_connect("http://api.test")
        limits = pool.http._transport.inner._pool  # httpcore's pool behind the queue
        assert limits._max_keepalive_connections == limits._max_connections == 50
        await pool.aclose()
        pool = portal_module.SharedPool("http://api.test", transport=httpx.MockTransport(handler))
        client = pool("some-token")
        with contextlib.suppress(Exception):  # refused: only its timeouts matter here
            await client.account.get()
        await pool.aclose()

    asyncio.run(main())
    assert seen and seen[0]["pool"] == portal_module.POOL_WAIT == 60.0
    assert seen[0]["read"] == 10.0


class Held(httpx.AsyncBaseTransport):
    """Answers each request only when the test lets it; counts how many are inside at once."""

    def __init__(self) -> None:
        self.inside = 0
        self.most = 0
        self.go = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.inside += 1
        self.most = max(self.most, self.inside)
        await self.go.wait()
        self.inside -= 1
        return httpx.Response(200, content=b"{}")


def test_requests_beyond_the_connections_wait_in_front_of_the_pool(portal_module: Any) -> None:
    """At most as many requests enter httpx's pool as it has connections; the rest queue in
    front, in order. (httpcore rescans its whole queue against every connection whenever a
    request starts or ends: with 450 sign-ins queued inside it the portal did nothing else,
    and all 500 of bench/portal_load.py's sign-ins timed out while the API server idled.)"""
    inner = Held()

    async def main() -> None:
        pool = portal_module.SharedPool(
            "http://api.test", transport=inner, limits=httpx.Limits(max_connections=3)
        )
        sent = [asyncio.create_task(pool.http.get("http://api.test/")) for _ in range(10)]
        for _ in range(20):  # let every task run up to where it waits
            await asyncio.sleep(0)
        assert inner.inside == 3
        inner.go.set()
        answers = await asyncio.gather(*sent)
        assert [a.status_code for a in answers] == [200] * 10
        await pool.aclose()

    asyncio.run(main())
    assert inner.most == 3
