"""The reference server: a Starlette app exposing ANY backend over the selfcare protocol.

It is one generic endpoint per row of the route table, not a handler per operation: parse the
request into the operation, authenticate the bearer token to a backend, execute, render.
Public routes (signing in) skip the bearer token and go to the resolver's ``public()``
backend. Errors of every kind leave as RFC 9457 problem documents.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route as StarletteRoute

from selfcare._errors import AuthenticationError, NotFound, NotSupported, SelfcareError
from selfcare._secret import Secret
from selfcare.backends import AsyncBackend, Backend
from selfcare.model import PhoneNumber
from selfcare.protocol._codec import decode_operation, encode_result
from selfcare.protocol._problem import PROBLEM_JSON, problem_body
from selfcare.protocol._routes import ROUTES, Route
from selfcare.protocol.openapi import openapi_document

__all__ = ["MAX_BODY_BYTES", "TEST_OTP_PATH", "BodyTooLarge", "Resolver", "create_app"]

log = logging.getLogger("selfcare.server")

MAX_BODY_BYTES = 1_048_576
"""Requests with a larger body are refused with 413 (an MMS of 300 KB fits in base64)."""

Resolver = Callable[[Secret], Backend | AsyncBackend | Awaitable[Backend | AsyncBackend]]
"""Maps a bearer token to the backend of its subscriber; raises AuthenticationError if none.

A resolver may also have ``public(client)`` giving the backend of the public (sign-in) routes
for the caller's address (it may throttle per address, raising RateLimited), and,
for a fake, ``last_code(number)`` that the ``test_hooks`` control plane reads and
``tmf_documents(token)``, the subscriber's store of what the TMF face creates.
"""
TEST_OTP_PATH = "/v1/_test/otp"
"""The fake-only control plane: the last sign-in code texted to ``?number=`` (test hooks)."""


class BodyTooLarge(SelfcareError):
    """The request body is over the server's limit."""

    problem = "body-too-large"
    status = 413


def problem_response(exc: SelfcareError, headers: dict[str, str] | None = None) -> Response:
    """``exc`` as an RFC 9457 problem response."""
    return JSONResponse(
        problem_body(exc), status_code=exc.status, media_type=PROBLEM_JSON, headers=headers
    )


async def _read_body(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise BodyTooLarge(f"the request body is over {MAX_BODY_BYTES} bytes", field="body")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise BodyTooLarge(f"the request body is over {MAX_BODY_BYTES} bytes", field="body")
        chunks.append(chunk)
    return b"".join(chunks)


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


def _endpoint(route: Route, resolve: Resolver) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        if route.public:
            backend: Any = _public_backend(resolve, request)
        else:
            backend = resolve(_token(request))
        if inspect.isawaitable(backend):
            backend = await backend
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


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error in %s %s", request.method, request.url.path)
    return problem_response(SelfcareError("the server failed unexpectedly"))


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


def create_app(resolve: Resolver, *, test_hooks: bool = False) -> Starlette:
    """A Starlette app serving every route of the protocol for the backends ``resolve`` gives.

    ``test_hooks=True`` adds the fake's control plane (like moto's ``/moto-api``), which is
    not part of the protocol and must never face real users: ``GET /v1/_test/otp?number=…``
    reads the last sign-in code the fake texted to a number, as a phone would.
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
        exception_handlers={
            SelfcareError: _selfcare_error,
            HTTPException: _http_error,
            Exception: _unexpected,
        },
    )
    app.router.redirect_slashes = False  # a stray slash is a 404 problem, not a 307
    return app
