"""The reference server: a Starlette app exposing ANY backend over the selfcare protocol.

It is one generic endpoint per row of the route table, not a handler per operation: parse the
request into the operation, authenticate the bearer token to a backend, execute, render.
Public routes (signing in) skip the bearer token and go to the resolver's ``public()``
backend. Errors of every kind leave as RFC 9457 problem documents.
"""

from __future__ import annotations

import inspect
import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route as StarletteRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from selfcare._errors import (
    AuthenticationError,
    NotFound,
    NotSupported,
    SelfcareError,
    ValidationError,
)
from selfcare._secret import Secret
from selfcare.backends import AsyncBackend, Backend
from selfcare.model import PhoneNumber
from selfcare.protocol._codec import decode_operation, encode_result
from selfcare.protocol._http import CORRELATOR, correlator_problem
from selfcare.protocol._problem import PROBLEM_JSON, problem_body
from selfcare.protocol._routes import LINE_HEADER, ROUTES, Route
from selfcare.protocol.openapi import openapi_document
from selfcare.server._limits import (
    MAX_BODY_BYTES,
    BodyTooLarge,
    RequestLimits,
    contained,
    read_body,
)

__all__ = [
    "MAX_BODY_BYTES",
    "TEST_OTP_PATH",
    "BodyTooLarge",
    "RequestIds",
    "RequestLimits",
    "Resolver",
    "create_app",
    "new_request_id",
]

log = logging.getLogger("selfcare.server")

Resolver = Callable[[Secret], Backend | AsyncBackend | Awaitable[Backend | AsyncBackend]]
"""Maps a bearer token to the backend of its subscriber; raises AuthenticationError if none.

A resolver may also have ``public(client)`` giving the backend of the public (sign-in) routes
for the caller's address (it may throttle per address, raising RateLimited), and,
for a fake, ``last_code(number)`` that the ``test_hooks`` control plane reads and
``tmf_documents(token)``, the subscriber's store of what the TMF face creates.
"""
TEST_OTP_PATH = "/v1/_test/otp"
"""The fake-only control plane: the last sign-in code texted to ``?number=`` (test hooks)."""


def problem_response(exc: SelfcareError, headers: dict[str, str] | None = None) -> Response:
    """``exc`` as an RFC 9457 problem response."""
    return JSONResponse(
        problem_body(exc), status_code=exc.status, media_type=PROBLEM_JSON, headers=headers
    )


_read_body = read_body
"""The body, within the app's size and depth limits (both faces read bodies with it)."""


def new_request_id() -> str:
    """A fresh name for one answer: ``req_`` and 16 random hex digits."""
    return "req_" + secrets.token_hex(8)


class RequestIds:
    """ASGI middleware naming every answer of a face: ``x-request-id`` on each response, the
    caller's ``x-correlator`` echoed (CAMARA's convention), for errors and successes alike.

    ``render`` is the face's error document (a problem+json or a TMF error): an
    ``x-correlator`` that breaks CAMARA's pattern is refused with it (422, naming the header),
    and so is any unexpected failure (500, logged with the request id), so that even those
    answers carry their id. Plain ASGI rather than ``BaseHTTPMiddleware``: a header per answer
    must not cost a task per request.
    """

    def __init__(self, app: ASGIApp, render: Callable[[SelfcareError], Response]) -> None:
        self.app = app
        self.render = render

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = new_request_id()
        scope.setdefault("state", {})["request_id"] = request_id
        names = [(b"x-request-id", request_id.encode())]
        correlator = Headers(scope=scope).get(CORRELATOR)
        refused = None if correlator is None else correlator_problem(correlator)
        if correlator and refused is None:
            names.append((CORRELATOR.encode(), correlator.encode()))
        started = False

        async def named(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = {**message, "headers": [*message.get("headers", ()), *names]}
            await send(message)

        if refused is not None:
            await self.render(ValidationError(refused, field=CORRELATOR))(scope, receive, named)
            return
        try:
            await self.app(scope, receive, named)
        except Exception:
            log.exception(
                "unexpected error in %s %s (%s)", scope["method"], scope["path"], request_id
            )
            if started:
                raise
            failed = SelfcareError("the server failed unexpectedly")
            await self.render(failed)(scope, receive, named)


def _token(request: Request) -> Secret:
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        raise AuthenticationError("send a bearer token: Authorization: Bearer <token>")
    return Secret(credentials.strip())


async def _execute(backend: Backend | AsyncBackend, op: Any) -> Any:
    """Await an async backend; run a sync one in a worker thread so it cannot block the loop."""
    if inspect.iscoroutinefunction(backend.execute):
        return await backend.execute(op)
    return await run_in_threadpool(backend.execute, op)


def _public_backend(resolve: Resolver, request: Request) -> Backend | AsyncBackend:
    public = getattr(resolve, "public", None)
    if public is None:
        raise NotSupported("this server does not offer signing in: use an API token")
    backend: Backend | AsyncBackend = public(request.client.host if request.client else None)
    return backend


def _on_line(backend: Any, route: Route, request: Request) -> Any:
    """``backend`` acting on the line the ``Selfcare-Line`` header names, if it names one (the
    backend decides whether the login may: ``NotFound`` if not, on first use)."""
    value = request.headers.get(LINE_HEADER)
    if value is None or not route.op.line_scoped:
        return backend
    try:
        number = PhoneNumber(value.strip())
    except ValueError:
        shown = value if len(value) <= 20 else value[:20] + "…"
        raise ValidationError(
            f"the {LINE_HEADER} header {shown!r} must be a line's number in E.164 form "
            "(+79165550123)",
            field=LINE_HEADER,
        ) from None
    for_line = getattr(backend, "for_line", None)
    if for_line is None:
        raise NotSupported(f"this server's backend has no lines: drop the {LINE_HEADER} header")
    return for_line(number)


def _endpoint(route: Route, resolve: Resolver) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        if route.public:
            backend: Any = _public_backend(resolve, request)
        else:
            backend = resolve(_token(request))
        if inspect.isawaitable(backend):
            backend = await backend
        if not route.public:
            backend = _on_line(backend, route, request)
        # a change that takes no body still reads one, to refuse it rather than ignore it
        body = await _read_body(request) if route.method != "GET" else b""
        op = decode_operation(
            route,
            request.path_params,
            request.query_params.getlist,
            set(request.query_params.keys()),
            body,
            request.headers.get("idempotency-key"),
        )
        result = await _execute(backend, op)
        return Response(encode_result(result), media_type="application/json")

    endpoint.__name__ = route.name
    return endpoint


async def _selfcare_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SelfcareError)
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, AuthenticationError) else None
    retry = getattr(exc, "retry_after", None)
    if retry is not None:
        headers = {"Retry-After": str(max(0, round(retry.total_seconds())))}
    return problem_response(exc, headers)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        path = request.url.path
        return problem_response(
            NotFound(f"no such resource: {path}; the routes are listed at /v1/openapi.json")
        )
    error = SelfcareError(str(exc.detail))
    return JSONResponse(
        {**problem_body(error), "status": exc.status_code, "title": str(exc.detail)},
        status_code=exc.status_code,
        media_type=PROBLEM_JSON,
    )


def _failed() -> Response:
    return problem_response(SelfcareError("the server failed unexpectedly"))


async def _unexpected(request: Request, exc: Exception) -> Response:
    # Contained (the app's middleware) takes unexpected errors first; this is its backstop.
    log.error("unexpected error in %s %s: %s", request.method, request.url.path, type(exc))
    return _failed()


def _test_otp(resolve: Resolver) -> Callable[[Request], Awaitable[Response]]:
    read = getattr(resolve, "last_code", None)
    if read is None:
        raise TypeError("test_hooks=True needs a resolver with last_code() (the fake's)")

    async def test_otp(request: Request) -> Response:
        number = PhoneNumber.parse(request.query_params.get("number", ""), "RU")
        sent = read(number)
        body = {"number": number.e164, "code": sent.code.reveal(), "sent_at": sent.sent_at}
        return Response(
            encode_result({**body, "expires_at": sent.expires_at}), media_type="application/json"
        )

    return test_otp


def create_app(
    resolve: Resolver, *, test_hooks: bool = False, limits: RequestLimits | None = None
) -> Starlette:
    """A Starlette app serving every route of the protocol for the backends ``resolve`` gives.

    ``test_hooks=True`` adds the fake's control plane (like moto's ``/moto-api``), which is
    not part of the protocol and must never face real users: ``GET /v1/_test/otp?number=…``
    reads the last sign-in code the fake texted to a number, as a phone would (anyone who
    can reach it can sign in as anyone). ``limits`` bound each request's body size and JSON
    nesting (``RequestLimits()``, 1 MiB and 32 levels, by default).
    """
    document = openapi_document()

    async def openapi(request: Request) -> Response:
        return JSONResponse(document)

    routes = [StarletteRoute("/v1/openapi.json", openapi, methods=["GET"])]
    if test_hooks:
        routes.append(StarletteRoute(TEST_OTP_PATH, _test_otp(resolve), methods=["GET"]))
    routes += [
        StarletteRoute(route.path, _endpoint(route, resolve), methods=[route.method])
        for route in ROUTES
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(RequestIds, render=problem_response), contained(_failed)],
        exception_handlers={
            SelfcareError: _selfcare_error,
            HTTPException: _http_error,
            Exception: _unexpected,
        },
    )
    app.router.redirect_slashes = False  # a stray slash is a 404 problem, not a 307
    app.state.limits = limits or RequestLimits()
    return app
