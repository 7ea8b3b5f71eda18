"""A queue in front of the shared connection pool: at most as many requests in httpx's pool
as it has connections; the others wait their turn here.

httpcore's pool rescans every queued request against every connection each time a request
starts or ends, so its cost grows with the queue times the connections: with 500 sign-ins
queued for 50 connections the portal spent its time in that scan (py-spy: all in
``_assign_requests_to_connections``) while the API server idled, and every sign-in waited
out its minute (bench/portal_load.py at 500 users). An ``asyncio.Semaphore`` queues in
arrival order at constant cost per request.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx

__all__ = ["QueueFirst"]


class QueueFirst(httpx.AsyncBaseTransport):
    """Lets ``slots`` requests at once into ``inner``; a request waits for a slot as long as
    its pool timeout (``httpx.Timeout(pool=...)``) says, then fails with ``PoolTimeout``,
    as it would have in the pool. A slot is held until the response is closed."""

    def __init__(self, inner: httpx.AsyncBaseTransport, slots: int) -> None:
        self.inner = inner
        self.slots = asyncio.Semaphore(slots)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        wait = request.extensions.get("timeout", {}).get("pool")
        try:
            await asyncio.wait_for(self.slots.acquire(), wait)
        except TimeoutError:
            raise httpx.PoolTimeout("no connection was free in time", request=request) from None
        try:
            response = await self.inner.handle_async_request(request)
        except BaseException:
            self.slots.release()
            raise
        if isinstance(response.stream, httpx.ByteStream):  # the body already whole (mocks)
            self.slots.release()
            return response
        assert isinstance(response.stream, httpx.AsyncByteStream)
        response.stream = _Releasing(response.stream, self.slots)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


class _Releasing(httpx.AsyncByteStream):
    """A response body that gives its slot back when closed (once)."""

    def __init__(self, stream: httpx.AsyncByteStream, slots: asyncio.Semaphore) -> None:
        self.stream, self._slots = stream, slots
        self._held = True

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self.stream:
            yield chunk

    async def aclose(self) -> None:
        try:
            await self.stream.aclose()
        finally:
            if self._held:
                self._held = False
                self._slots.release()
