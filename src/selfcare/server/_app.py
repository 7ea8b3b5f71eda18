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
from collections.abc import Awaitable, Callable, Iterable
from datetime import timedelta
from typing import Any

import msgspec
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
from selfcare.backends.fake import FakeOperator
from selfcare.model import PhoneNumber
from selfcare.protocol._codec import ResultEncoder, decode_operation, encode_result
from selfcare.protocol._http import CORRELATOR, correlator_problem
from selfcare.protocol._problem import PROBLEM_JSON, problem_body
from selfcare.protocol._routes import EVENT_STREAM_PATH, LINE_HEADER, ROUTES, Route
from selfcare.protocol.openapi import openapi_document
from selfcare.server._events import event_stream
from selfcare.server._limits import (
    MAX_BODY_BYTES,
    BodyTooLarge,
    RequestLimits,
    contained,
    read_body,
)
from selfcare.server._oidc import AuthorizationServer, MobileNetwork
from selfcare.server._read_ahead import ReadAhead
from selfcare.server._webhooks import WebhookDispatcher, delivering

__all__ = [
    "MAX_BODY_BYTES",
    "TEST_HOOKS",
    "TEST_OTP_PATH",
    "TEST_PREFIX",
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
for a fake, ``tmf_documents(token, line, writing=)``, a line's store of what the TMF face
creates, and
the methods the ``test_hooks`` control plane calls: ``last_code(number)``, ``reset()``,
``now()`` and ``advance_clock(delta)`` (see ``FakeResolver``).
"""
TEST_PREFIX = "/v1/_test"
"""The fake-only control plane (``create_app(..., test_hooks=True)``): not part of the
protocol, absent from the OpenAPI document, never in front of real users."""
TEST_OTP_PATH = f"{TEST_PREFIX}/otp"
"""The last sign-in code texted to ``?number=`` (a test hook)."""
TEST_HOOKS = {
    f"GET {TEST_OTP_PATH}?number=": "the last sign-in code the fake texted to the number",
    f"POST {TEST_PREFIX}/reset": "back to the seed: data, sessions, codes, limits (tokens stay)",
    f"GET {TEST_PREFIX}/clock": "the time on the fake's clock",
    f"POST {TEST_PREFIX}/clock/advance": 'move the clock forward: {"seconds": N}',
}
"""Every test hook and what it does (``selfcare serve --test-hooks`` prints them)."""
_RESOLVER_HOOKS = ("last_code", "reset", "now", "advance_clock")
MAX_ADVANCE = timedelta(days=3660)
"""The most one ``clock/advance`` moves the clock (about ten years)."""


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


def _endpoint(
    route: Route, resolve: Resolver, encoder: ResultEncoder | None, read_ahead: ReadAhead | None
) -> Callable[[Request], Awaitable[Response]]:
    encode = encode_result if encoder is None else encoder.encode

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
        body = encode(result)
        then = None
        if read_ahead is not None and request.method == "GET":  # not HEAD: no page was sent
            then = read_ahead.after(backend, op, result)
        return Response(body, media_type="application/json", background=then)

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


def _json(body: dict[str, Any]) -> Response:
    return Response(encode_result(body), media_type="application/json")


def _refuse_query(request: Request, allowed: tuple[str, ...] = ()) -> None:
    unknown = sorted(set(request.query_params) - set(allowed))
    if unknown:
        raise ValidationError(f"unknown query parameter {unknown[0]!r}", field=unknown[0])


async def _advance_seconds(request: Request) -> int:
    """The ``seconds`` of a ``clock/advance`` body: a whole number from 1 to ``MAX_ADVANCE``."""
    try:
        body = msgspec.json.decode(await _read_body(request))
    except msgspec.DecodeError:
        raise ValidationError('the body must be JSON: {"seconds": 3600}', field="body") from None
    if not isinstance(body, dict):
        raise ValidationError('the body must be a JSON object: {"seconds": 3600}', field="body")
    extra = sorted(set(body) - {"seconds"})
    if extra:
        raise ValidationError(f"unknown field {extra[0][:64]!r}", field=extra[0][:64])
    seconds = body.get("seconds")
    limit = int(MAX_ADVANCE.total_seconds())
    if type(seconds) is not int or not 0 < seconds <= limit:
        shown = repr(seconds)[:32]
        raise ValidationError(
            f"seconds={shown}: give a whole number of seconds from 1 to {limit}",
            field="seconds",
        )
    return seconds


def _test_routes(resolve: Resolver, encoder: ResultEncoder | None) -> list[StarletteRoute]:
    """The ``/v1/_test/`` family over the resolver's hooks (see ``TEST_HOOKS``)."""
    missing = [name for name in _RESOLVER_HOOKS if getattr(resolve, name, None) is None]
    if missing:
        raise TypeError(
            f"test_hooks=True needs a fake's resolver (FakeResolver): this one has no {missing}"
        )
    hooks: Any = resolve

    async def otp(request: Request) -> Response:
        _refuse_query(request, ("number",))
        number = PhoneNumber.parse(request.query_params.get("number", ""), "RU")
        sent = await run_in_threadpool(hooks.last_code, number)
        body = {"number": number.e164, "code": sent.code.reveal(), "sent_at": sent.sent_at}
        return _json({**body, "expires_at": sent.expires_at})

    async def reset(request: Request) -> Response:
        _refuse_query(request)
        if (await _read_body(request)).strip() not in (b"", b"{}"):
            raise ValidationError(f"POST {TEST_PREFIX}/reset takes no body", field="body")
        now = await run_in_threadpool(hooks.reset)
        if encoder is not None:  # the records of before are gone: so are their pages
            encoder.clear()
        return _json({"reset": True, "now": now})

    async def clock(request: Request) -> Response:
        _refuse_query(request)
        return _json({"now": hooks.now()})

    async def advance(request: Request) -> Response:
        _refuse_query(request)
        seconds = await _advance_seconds(request)
        now = await run_in_threadpool(hooks.advance_clock, timedelta(seconds=seconds))
        return _json({"now": now})

    return [
        StarletteRoute(TEST_OTP_PATH, otp, methods=["GET"]),
        StarletteRoute(f"{TEST_PREFIX}/reset", reset, methods=["POST"]),
        StarletteRoute(f"{TEST_PREFIX}/clock", clock, methods=["GET"]),
        StarletteRoute(f"{TEST_PREFIX}/clock/advance", advance, methods=["POST"]),
    ]


def create_app(
    resolve: Resolver,
    *,
    test_hooks: bool = False,
    limits: RequestLimits | None = None,
    network: MobileNetwork | None = None,
    issuer: str | None = None,
    redirect_uris: Iterable[str] = (),
    stream_limit: int | None = None,
    deliver_webhooks: bool = True,
) -> Starlette:
    """A Starlette app serving every route of the protocol for the backends ``resolve`` gives.

    ``test_hooks=True`` adds the fake's control plane under ``/v1/_test/`` (like moto's
    ``/moto-api``; see ``TEST_HOOKS``), which is not part of the protocol and must never face
    real users: it reads the sign-in code the fake texted to any number (so anyone who can
    reach it can sign in as anyone), resets the fake to its seed and moves its clock. It
    needs a fake's resolver (``FakeResolver``). ``limits`` bound each request's body size and JSON
    nesting (``RequestLimits()``, 1 MiB and 32 levels, by default). ``stream_limit`` ends
    each event stream after that many events (clients reconnect and resume after the last;
    ``app.state.event_stream_limit`` changes it later), ``None`` for no limit.

    A resolver that can open network sessions (the fake's) also gets the operator's
    authorization server (:class:`~selfcare.server.AuthorizationServer`: OIDC discovery,
    ``/oauth/authorize``, ``/oauth/token``, CAMARA Number Verification): ``network`` says
    which source addresses are which lines (none by default: every device gets
    ``login_required``), ``issuer`` its public root, ``redirect_uris`` the redirect URIs the
    ``selfcare`` client may use besides loopback ones.

    A resolver that fronts a fake operator (an ``operator`` with outboxes, as
    ``FakeResolver``'s) also gets webhook delivery: while the app runs, a
    :class:`~selfcare.server.WebhookDispatcher` (``app.state.webhooks``) POSTs each line's
    events to its endpoints, signed. ``deliver_webhooks=False`` leaves the dispatcher
    unstarted (tests step it themselves).
    """
    document = openapi_document()

    async def openapi(request: Request) -> Response:
        return JSONResponse(document)

    routes = [StarletteRoute("/v1/openapi.json", openapi, methods=["GET"])]
    if callable(getattr(resolve, "network_sign_in", None)):
        server = AuthorizationServer(resolve, network, issuer=issuer, redirect_uris=redirect_uris)
        routes += server.routes()
    # A page of the same records as before is not encoded again: only the fake operator
    # keeps its records, so only over it can a page come again (anything else, such as an
    # HttpBackend, answers with new objects each time, and kept pages would never be hit).
    operator = getattr(resolve, "operator", None)
    encoder = ResultEncoder() if isinstance(operator, FakeOperator) else None
    # ... and while a client decodes a page, the next one is encoded (see _read_ahead)
    read_ahead = None if encoder is None else ReadAhead(encoder, _execute)
    if test_hooks:
        routes += _test_routes(resolve, encoder)
    stream = event_stream(resolve, _token, _execute)
    routes.append(StarletteRoute(EVENT_STREAM_PATH, stream, methods=["GET"]))
    routes += [
        StarletteRoute(
            route.path, _endpoint(route, resolve, encoder, read_ahead), methods=[route.method]
        )
        for route in ROUTES
    ]
    dispatcher = None
    if callable(getattr(operator, "due_deliveries", None)):
        dispatcher = WebhookDispatcher(operator)

    app = Starlette(
        lifespan=delivering(dispatcher if deliver_webhooks else None),
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
    app.state.event_stream_limit = stream_limit
    app.state.webhooks = dispatcher
    app.state.result_encoder = encoder
    return app
