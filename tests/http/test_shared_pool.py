"""``http_client=``: many clients (one per signed-in user of a web app) share one pool."""

from __future__ import annotations

import asyncio

import httpx

from selfcare import AsyncSelfcare, Selfcare
from tests.http.test_client_config import Recorder


def test_clients_share_one_pool_each_with_its_own_token_and_url() -> None:
    seen = Recorder()
    with httpx.Client(
        base_url="http://elsewhere.test",
        headers={"X-Shared": "1"},
        cookies={"shared": "cookie"},
        auth=("someone", "else"),
        transport=httpx.MockTransport(seen),
    ) as shared:
        alice = Selfcare(base_url="http://api.test/root", token="tok-a", http_client=shared)
        bob = Selfcare(base_url="http://api.test/root", token="tok-b", http_client=shared)
        alice.account.get()
        bob.account.get()
        alice.close()
        assert not shared.is_closed  # the owner closes it, not the clients
        bob.account.get()
    sent = [(str(r.url), r.headers["Authorization"]) for r in seen.requests]
    assert sent == [
        ("http://api.test/root/v1/account", "Bearer tok-a"),
        ("http://api.test/root/v1/account", "Bearer tok-b"),
        ("http://api.test/root/v1/account", "Bearer tok-b"),
    ]
    for request in seen.requests:  # nothing of the shared client's own settings leaks in
        assert "X-Shared" not in request.headers and "Cookie" not in request.headers


def test_async_clients_share_one_pool() -> None:
    seen = Recorder()

    async def main() -> None:
        async with httpx.AsyncClient(transport=httpx.MockTransport(seen)) as shared:
            clients = [
                AsyncSelfcare(base_url="http://api.test", token=f"tok-{n}", http_client=shared)
                for n in range(3)
            ]
            for client in clients:
                await client.account.get()
                await client.aclose()
            assert not shared.is_closed

    asyncio.run(main())
    assert [r.headers["Authorization"] for r in seen.requests] == [
        "Bearer tok-0",
        "Bearer tok-1",
        "Bearer tok-2",
    ]


def test_a_client_without_http_client_still_closes_its_own_pool() -> None:
    sc = Selfcare(base_url="http://api.test", token="tok")
    pool = sc.backend._http  # type: ignore[attr-defined]
    sc.close()
    assert pool.is_closed
