"""An example self-service portal on selfcare: Starlette, Jinja2 templates, a little plain JS.

Run it on the fake operator (served over HTTP by selfcare's reference server, in-process)::

    python examples/portal/app.py [--host 127.0.0.1] [--port 8090]

or point it at any selfcare server with ``--base-url``/``--token`` (or ``SELFCARE_BASE_URL``
and ``SELFCARE_TOKEN``). The portal only uses ``AsyncSelfcare``; each sign-in makes a client
with the token typed on the sign-in page, kept on the server.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import views
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from web import HERE, Connect, Portal

from selfcare import AsyncSelfcare

__all__ = ["create_portal", "fake_operator_server", "main"]


def create_portal(
    connect: Connect,
    *,
    demo_token: str | None = None,
    preset_token: str | None = None,
    secret_key: str | None = None,
) -> Starlette:
    """The portal as an ASGI app. ``connect(token)`` makes the client of a signed-in user.

    ``demo_token`` (the fake operator's, harmless) is shown on the sign-in page to copy;
    ``preset_token`` (a real subscriber's, from ``--token``) is offered as a "sign in with the
    portal's token" button and never leaves the server.
    """
    portal = Portal(connect, demo_token, preset_token)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        await portal.close()

    routes = [
        Route("/", views.home),
        Route("/signin", views.signin_form, methods=["GET"]),
        Route("/signin", views.signin, methods=["POST"]),
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
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    middleware = [
        Middleware(
            SessionMiddleware,
            secret_key=secret_key or secrets.token_urlsafe(32),
            session_cookie="portal_session",
            same_site="strict",
            max_age=8 * 3600,
        )
    ]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.portal = portal
    return app


def http_connect(base_url: str | None) -> Connect:
    """Clients over HTTP to ``base_url`` (else ``SELFCARE_BASE_URL``)."""
    return lambda token: AsyncSelfcare(base_url=base_url, token=token)


@contextlib.contextmanager
def fake_operator_server(seed: int = 42) -> Iterator[tuple[str, str]]:
    """The fake operator behind selfcare's reference server, on a free local port.

    Yields its base URL and the demo subscriber's token (a random one, as ``selfcare serve``
    gives: the seed's tokens are computable by anyone on the machine).
    """
    from selfcare.backends.fake import FakeOperator
    from selfcare.server import FakeResolver, LiveServer, create_app

    operator = FakeOperator(seed=seed)
    operator.issue_random_tokens()
    with LiveServer(create_app(FakeResolver(operator))) as server:
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
    args = parser.parse_args(argv)

    with contextlib.ExitStack() as stack:
        if args.base_url:
            server_url, token = args.base_url, args.token
        else:
            server_url, token = stack.enter_context(fake_operator_server(args.seed))
            print(f"Fake operator: {server_url}", flush=True)
        if args.base_url:
            app = create_portal(http_connect(server_url), preset_token=token)
        else:
            app = create_portal(http_connect(server_url), demo_token=token)
        try:
            sock = bind(args.host, args.port)
        except OSError as exc:
            print(f"cannot listen on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr)
            return 2
        print(f"Portal: {base_url(sock)}", flush=True)
        config = uvicorn.Config(app, log_level="warning")
        uvicorn.Server(config).run(sockets=[sock])
    return 0


if __name__ == "__main__":
    sys.exit(main())
