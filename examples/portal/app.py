"""An example self-service portal on selfcare: Starlette, Jinja2 templates, a little plain JS.

Run it on the fake operator (served over HTTP by selfcare's reference server, in-process)::

    python examples/portal/app.py [--host 127.0.0.1] [--port 8090]

or point it at any selfcare server with ``--base-url``/``--token`` (or ``SELFCARE_BASE_URL``
and ``SELFCARE_TOKEN``). The portal only uses ``AsyncSelfcare``. Subscribers sign in with
their phone number and password, a one-time SMS code, or their mobile network (access
tokens only in development mode); each sign-in's client stays on the server, and all of
them share one connection pool.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import secrets
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx
import live
import views
from queue_first import QueueFirst
from security import BodyLimit, SchemeSessions, SecurityHeaders
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope
from web import HERE, Connect, Portal, Settings, protected, say

from selfcare import AsyncNetworkLogin, AsyncPendingLogin, AsyncSelfcare
from selfcare._i18n import N_

__all__ = ["SharedPool", "create_portal", "fake_operator_server", "http_connect", "main"]


def create_portal(
    connect: Connect,
    *,
    demo_token: str | None = None,
    preset_token: str | None = None,
    secret_key: str | None = None,
    settings: Settings | None = None,
    clock: Callable[[], float] = time.monotonic,
    **limits: Any,
) -> Starlette:
    """The portal as an ASGI app. ``connect(token)`` makes the client of a signed-in user.

    ``demo_token`` (the fake operator's, harmless) is shown on the sign-in page to copy;
    ``preset_token`` (a real subscriber's, from ``--token``) is offered, to visitors on this
    machine only, as a "sign in with the portal's token" button and never leaves the server.
    ``settings`` (or any of its fields as keywords: ``session_idle=600``,
    ``max_upload_bytes=...``, ``trusted_origins=(...)``) sets the limits; ``clock`` gives
    seconds for session expiry.
    """
    settings = dataclasses.replace(settings or Settings(), **limits)
    portal = Portal(connect, demo_token, preset_token, settings=settings, clock=clock)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        await portal.close()

    routes = [
        Route("/", views.home),
        Route("/signin", views.signin_form, methods=["GET"]),
        Route("/signin", views.signin, methods=["POST"]),
        Route("/signin/password", views.signin_password, methods=["POST"]),
        Route("/signin/code", views.code_form, methods=["GET"]),
        Route("/signin/code", views.code_request, methods=["POST"]),
        Route("/signin/code/resend", views.code_resend, methods=["POST"]),
        Route("/signin/code/confirm", views.code_confirm, methods=["POST"]),
        Route("/signin/network", views.network_start, methods=["GET"]),
        Route("/signin/network/callback", views.network_callback, methods=["GET"]),
        Route("/signout", views.signout, methods=["POST"]),
        Route("/dashboard", views.dashboard),
        Route("/expenses", views.expenses),
        Route("/calls", views.calls),
        Route("/forwarding", views.forwarding),
        Route("/forwarding/set", views.forwarding_set, methods=["POST"]),
        Route("/forwarding/disable", views.forwarding_disable, methods=["POST"]),
        Route("/messages", views.messages),
        Route("/messages/send", views.messages_send, methods=["POST"]),
        Route("/contacts", views.contacts),
        Route("/contacts/add", views.contact_add, methods=["POST"]),
        Route("/contacts/import", views.contacts_import, methods=["POST"]),
        Route("/contacts/{contact_id}", views.contact_edit),
        Route("/contacts/{contact_id}", views.contact_update, methods=["POST"]),
        Route("/contacts/{contact_id}/delete", views.contact_delete, methods=["POST"]),
        Route("/lists/create", views.list_create, methods=["POST"]),
        Route("/lists/{list_id}", views.list_detail),
        Route("/lists/{list_id}/add", views.list_add_members, methods=["POST"]),
        Route("/lists/{list_id}/remove", views.list_remove_member, methods=["POST"]),
        Route("/lists/{list_id}/delete", views.list_delete, methods=["POST"]),
        Route("/payments", views.payments),
        Route("/payments/card", views.card_activate, methods=["POST"]),
        Route("/history", views.history),
        Route("/complaints", views.complaints),
        Route("/complaints/file", views.complaint_file, methods=["POST"]),
        Route("/complaints/{complaint_id}", views.complaint_detail),
        Route("/complaints/{complaint_id}/note", views.complaint_note, methods=["POST"]),
        Route("/events", views.events),
        Route("/events/stream", live.event_stream),
        Route("/alerts", views.alerts),
        Route("/alerts/set", views.alerts_set, methods=["POST"]),
        Route("/alerts/disable", views.alerts_disable, methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]

    def body_limit(path: str) -> int:
        if path == "/contacts/import":
            return settings.max_upload_bytes
        return settings.max_form_bytes

    def too_large(scope: Scope, limit: int) -> Response:
        request = Request(scope)
        if scope["path"] == "/contacts/import":
            back = "/contacts"
            message = say(
                request,
                N_(
                    "That file is too large: the portal imports vCard files of up to "
                    "%(kib)s KiB. Split it into smaller files and import them one by one."
                ),
                kib=limit // 1024,
            )
        else:
            back = "/"
            message = say(
                request,
                N_("That form is too large: the portal takes at most %(kib)s KiB."),
                kib=limit // 1024,
            )
        return portal.render(
            request, "error.html", {"error": message, "back": back}, status_code=413
        )

    middleware = [
        Middleware(SecurityHeaders),
        Middleware(BodyLimit, limit_for=body_limit, refuse=too_large),
        Middleware(
            SchemeSessions,
            secret_key=secret_key or secrets.token_urlsafe(32),
            max_age=settings.session_max_age,
        ),
    ]
    app = Starlette(routes=_guarded(routes), middleware=middleware, lifespan=lifespan)
    app.state.portal = portal
    return app


def _guarded(routes: list[BaseRoute]) -> list[BaseRoute]:
    """Every POST route behind the Origin and CSRF-token check: none can be forgotten."""
    guarded: list[BaseRoute] = []
    for route in routes:
        if isinstance(route, Route) and route.methods and "POST" in route.methods:
            route = Route(route.path, protected(route.endpoint), methods=["POST"])
        guarded.append(route)
    return guarded


POOL_WAIT = 60.0
"""Seconds a request may queue for one of the shared pool's connections before the user is
told the operator is busy (503)."""


class SharedPool:
    """Makes the clients of signed-in users, over HTTP to ``base_url`` (else
    ``SELFCARE_BASE_URL``), all sending through one connection pool (``http_client=``).

    One client per user keeps each user's token apart; one pool keeps the portal at a bounded
    number of connections (``limits``) however many people are signed in. ``transport`` is
    for tests (``httpx.ASGITransport``)."""

    def __init__(
        self,
        base_url: str | None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        limits: httpx.Limits | None = None,
        pool_wait: float | None = POOL_WAIT,
    ) -> None:
        self.base_url = base_url
        # Every connection kept alive (closing 40 of 50 after each burst only to reopen them
        # made the portal churn sockets), and a request may queue up to a minute for one:
        # the pool's own wait, which the clients sharing it honour (a burst of 500 sign-ins
        # queues behind 50 connections; each client's 10 s used to fail them).
        # Requests beyond the connections queue in front of the pool (queue_first.py says why).
        limits = limits or httpx.Limits(max_connections=50, max_keepalive_connections=50)
        inner = transport or httpx.AsyncHTTPTransport(limits=limits)
        self.http = httpx.AsyncClient(
            transport=QueueFirst(inner, limits.max_connections or 50),
            timeout=httpx.Timeout(10.0, connect=5.0, pool=pool_wait),
        )

    def __call__(self, token: str) -> AsyncSelfcare:
        return AsyncSelfcare(base_url=self.base_url, token=token, http_client=self.http)

    # The three ways a subscriber signs in, all through the same pool (``http_client=``).

    async def login(self, number: str, password: str) -> AsyncSelfcare:
        return await AsyncSelfcare.login(
            self.base_url, number, password=password, http_client=self.http
        )

    async def start_login(self, number: str) -> AsyncPendingLogin:
        return await AsyncSelfcare.start_login(self.base_url, number, http_client=self.http)

    async def start_network_login(self, redirect_uri: str) -> AsyncNetworkLogin:
        return await AsyncSelfcare.start_network_login(
            self.base_url, redirect_uri=redirect_uri, http_client=self.http
        )

    async def aclose(self) -> None:
        await self.http.aclose()


def http_connect(
    base_url: str | None,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    pool_wait: float | None = POOL_WAIT,
) -> SharedPool:
    """Clients over HTTP to ``base_url`` (else ``SELFCARE_BASE_URL``), sharing one pool;
    a request waits up to ``pool_wait`` seconds for one of its connections (``None``: as
    long as it takes)."""
    return SharedPool(base_url, transport=transport, pool_wait=pool_wait)


@contextlib.contextmanager
def fake_operator_server(
    seed: int = 42, mobile_network: Iterable[str] = ()
) -> Iterator[tuple[str, str]]:
    """The fake operator behind selfcare's reference server, on a free local port.

    Yields its base URL and the demo subscriber's token (a random one, as ``selfcare serve``
    gives: the seed's tokens are computable by anyone on the machine). ``mobile_network``
    maps browsers' addresses to lines (``127.0.0.1=+79165550123``), as ``selfcare serve
    --mobile-network`` does, for "Continue with my mobile network".
    """
    from selfcare.backends.fake import FakeOperator
    from selfcare.server import FakeResolver, LiveServer, MobileNetwork, create_app

    operator = FakeOperator(seed=seed)
    operator.issue_random_tokens()
    network = MobileNetwork.parse(mobile_network)
    with LiveServer(create_app(FakeResolver(operator), network=network)) as server:
        yield server.url, operator.token().reveal()


def main(argv: list[str] | None = None) -> int:
    import uvicorn

    from selfcare.server import base_url, bind

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--base-url", default=os.environ.get("SELFCARE_BASE_URL"))
    parser.add_argument("--token", default=os.environ.get("SELFCARE_TOKEN"))
    parser.add_argument("--seed", type=int, default=42, help="the fake operator's seed")
    defaults = Settings()
    parser.add_argument(
        "--idle-minutes",
        type=int,
        default=defaults.session_idle // 60,
        help="end a session after this many minutes without a request (default %(default)s)",
    )
    parser.add_argument(
        "--max-upload-kib",
        type=int,
        default=defaults.max_upload_bytes // 1024,
        help="the largest vCard import, in KiB (default %(default)s)",
    )
    parser.add_argument(
        "--origin",
        action="append",
        default=[],
        help="an origin forms may be posted from, e.g. https://portal.example when behind a "
        "reverse proxy (repeatable; default: the portal's own)",
    )
    parser.add_argument(
        "--mobile-network",
        action="append",
        default=[],
        metavar="ADDR=NUMBER",
        help="with the fake operator: the line a browser at ADDR is on, for signing in by "
        "the mobile network (repeatable; e.g. 127.0.0.1=+79165550123)",
    )
    args = parser.parse_args(argv)
    try:
        settings = Settings(
            session_idle=args.idle_minutes * 60,
            max_upload_bytes=args.max_upload_kib * 1024,
            trusted_origins=tuple(args.origin),
        )
    except ValueError as exc:
        parser.error(str(exc))

    with contextlib.ExitStack() as stack:
        if args.base_url:
            server_url, token = args.base_url, args.token
        else:
            try:
                fake = fake_operator_server(args.seed, args.mobile_network)
                server_url, token = stack.enter_context(fake)
            except ValueError as exc:
                parser.error(str(exc))
            print(f"Fake operator: {server_url}", flush=True)
        if args.base_url:
            app = create_portal(http_connect(server_url), preset_token=token, settings=settings)
        else:
            app = create_portal(http_connect(server_url), demo_token=token, settings=settings)
        try:
            sock = bind(args.host, args.port)
            # Listening before the address is printed: whoever reads it (a person, a script,
            # a test) can connect at once; connections wait in the backlog until uvicorn runs.
            sock.listen(2048)
        except OSError as exc:
            print(f"cannot listen on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr)
            return 2
        print(f"Portal: {base_url(sock)}", flush=True)
        config = uvicorn.Config(app, log_level="warning", server_header=False)
        uvicorn.Server(config).run(sockets=[sock])
    return 0


if __name__ == "__main__":
    sys.exit(main())
