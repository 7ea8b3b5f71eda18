"""``http_client=``: many clients (one per signed-in user of a web app) share one pool."""

from __future__ import annotations

import asyncio

import httpx
import pytest

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


def test_every_sign_in_can_send_through_a_shared_pool() -> None:
    """``login``, ``start_login`` and ``start_network_login`` take ``http_client=`` too, so a
    web app signing many subscribers in keeps one pool; closing a signed-in client leaves it
    open. (Before, each sign-in opened a pool of its own: the portal held 11 for 20.)"""
    from selfcare import ValidationError
    from selfcare.backends.fake import FakeOperator, ManualClock
    from selfcare.model import PhoneNumber
    from selfcare.server import FakeResolver, create_app
    from tests.conftest import NOW

    operator = FakeOperator(seed=42, clock=ManualClock(NOW))
    app = create_app(FakeResolver(operator))
    url, number = "http://api.test", "8 916 555-01-23"

    async def main() -> None:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as pool:
            sc = await AsyncSelfcare.login(
                url, number, password="demo-password-1", http_client=pool
            )
            assert (await sc.account.get()).number.e164 == "+79165550123"
            await sc.aclose()
            pending = await AsyncSelfcare.start_login(url, number, http_client=pool)
            code = operator.sign_in.last_code(PhoneNumber.parse("+79165550123")).code
            other = await pending.confirm(code)
            await other.account.get()
            await other.aclose()
            login = await AsyncSelfcare.start_network_login(
                url, redirect_uri="http://127.0.0.1:9/cb", http_client=pool
            )
            assert "prompt=none" in login.authorization_url
            await login.aclose()
            assert not pool.is_closed
            with pytest.raises(ValidationError, match="not both") as refused:
                await AsyncSelfcare.start_network_login(
                    url,
                    redirect_uri="http://127.0.0.1:9/cb",
                    http_client=pool,
                    transport=httpx.AsyncHTTPTransport(),
                )
            assert refused.value.field == "http_client"

    made: list[object] = []
    init = httpx.AsyncHTTPTransport.__init__

    def counting(self: httpx.AsyncHTTPTransport, *args: object, **kwargs: object) -> None:
        made.append(self)
        init(self, *args, **kwargs)  # type: ignore[arg-type]

    httpx.AsyncHTTPTransport.__init__ = counting  # type: ignore[method-assign]
    try:
        asyncio.run(main())
    finally:
        httpx.AsyncHTTPTransport.__init__ = init  # type: ignore[method-assign]
    assert len(made) == 1  # the one the test itself made for the refused call


def test_the_sync_sign_ins_take_http_client_too() -> None:
    """The sync twin is generated from the async source (``scripts/unasync.py --check``):
    the same argument, for a ``httpx.Client``."""
    import inspect

    for name in ("login", "start_login", "start_network_login"):
        assert "http_client" in inspect.signature(getattr(Selfcare, name)).parameters


def test_the_wait_for_a_shared_connection_is_the_pool_owners() -> None:
    """How long a request may queue for one of a shared pool's connections is set by the
    pool's owner (its ``timeout.pool``), who knows how many users share how many
    connections; the client's own timeout still bounds connecting and reading. (Before, each
    client put its 10 s on the pool wait too: the portal's 500 users queueing for 50
    connections failed with PoolTimeout, retried, and were shown "service unavailable".)"""
    from selfcare.backends.http import HttpBackend

    seen: list[dict[str, float | None]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return Recorder()(request)

    pool = httpx.Timeout(3.0, pool=42.0)
    with httpx.Client(transport=httpx.MockTransport(handler), timeout=pool) as shared:
        Selfcare(base_url="http://api.test", token="t", http_client=shared).account.get()
        Selfcare(base_url="http://api.test", token="t", timeout=7, http_client=shared).account.get()
    own = HttpBackend("http://api.test", "t", transport=httpx.MockTransport(handler))
    Selfcare(backend=own).account.get()
    assert seen == [
        {"connect": 5.0, "read": 10.0, "write": 10.0, "pool": 42.0},
        {"connect": 7.0, "read": 7.0, "write": 7.0, "pool": 42.0},
        {"connect": 5.0, "read": 10.0, "write": 10.0, "pool": 10.0},  # its own pool: its own
    ]


def test_a_full_shared_pool_is_not_retried() -> None:
    """A request that waited the pool's whole ``timeout.pool`` for a connection never left:
    retrying puts it at the back of the same queue (three waits instead of one, and more
    load on a pool already full), so the error is raised at once."""
    from selfcare import TransportError

    attempts: list[httpx.Request] = []

    def full(request: httpx.Request) -> httpx.Response:
        attempts.append(request)
        raise httpx.PoolTimeout("no connection free in time", request=request)

    with httpx.Client(transport=httpx.MockTransport(full)) as shared:
        sc = Selfcare(base_url="http://api.test", token="t", http_client=shared)
        with pytest.raises(TransportError, match="PoolTimeout"):
            sc.account.get()
    assert len(attempts) == 1
