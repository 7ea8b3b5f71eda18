"""The portal's defences that wrap every request: security headers, request-size limits,
the session cookie's flags, and the cross-site request forgery (CSRF) check.

See "Security" in docs/portal.md for what each one stops, and the tests that show it.
"""

from __future__ import annotations

import contextlib
import hmac
import ipaddress
import secrets
from collections.abc import Callable, Collection
from typing import Any
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import HTTPConnection, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSRF_FIELD = "csrf_token"
"""The form field every POST carries, equal to the token kept in the signed session."""

CSP = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    )
)
"""Only the portal's own files: no inline script or style, no framing (clickjacking)."""

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    # Same-origin requests keep the Referer (the CSRF check's fallback); other sites get none,
    # so paging cursors and filters in the URL never leave the portal.
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000"
"""Sent over TLS only: browsers then refuse plain HTTP to the portal for a year."""


class SecurityHeaders:
    """Adds :data:`HEADERS` to every response (pages, redirects, static files, errors)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.decode("latin-1").lower() not in _LOWER
                ]
                headers += [(k.encode(), v.encode()) for k, v in HEADERS.items()]
                if https:
                    headers.append((b"strict-transport-security", HSTS.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


_LOWER = {name.lower() for name in HEADERS} | {"strict-transport-security"}


class TooLarge(Exception):
    """A request body went past its limit while it was being read."""


class BodyLimit:
    """Refuses request bodies over a limit with 413 and a readable page, before reading them.

    ``limit_for(path)`` gives the limit in bytes. A ``Content-Length`` over it is refused
    without reading a byte; a body without one (chunked) is counted as it streams in and cut
    off at the limit, whatever the app was doing with it.
    """

    def __init__(
        self,
        app: ASGIApp,
        limit_for: Callable[[str], int],
        refuse: Callable[[Scope, int], Any],
    ) -> None:
        self.app = app
        self.limit_for = limit_for
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await self.refuse(scope, limit)(scope, receive, send)
            return
        received = 0
        over = False
        started = False

        async def counting_receive() -> Message:
            nonlocal received, over
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    over = True
                    raise TooLarge(f"the request body is over {limit} bytes")
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if over:
                return  # whatever the app answered after the cut, the answer is 413
            started = started or message["type"] == "http.response.start"
            await send(message)

        with contextlib.suppress(TooLarge):
            await self.app(scope, counting_receive, guarded_send)
        if over and not started:
            await self.refuse(scope, limit)(scope, receive, send)


class SchemeSessions:
    """Starlette's signed-cookie sessions, with the cookie's flags chosen per request.

    Over TLS the cookie is ``__Host-portal_session; Secure`` (a ``__Host-`` cookie cannot be
    set by a sibling domain or for another path); over plain HTTP (local use) it cannot be
    ``Secure``, so it is ``portal_session``. Both are HttpOnly and SameSite=Strict.
    """

    def __init__(self, app: ASGIApp, *, secret_key: str, max_age: int) -> None:
        common: dict[str, Any] = {"secret_key": secret_key, "max_age": max_age}
        self.plain = SessionMiddleware(
            app, session_cookie="portal_session", same_site="strict", **common
        )
        self.tls = SessionMiddleware(
            app,
            session_cookie="__Host-portal_session",
            same_site="strict",
            https_only=True,
            **common,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        middleware = self.tls if scope.get("scheme") in ("https", "wss") else self.plain
        await middleware(scope, receive, send)


def csrf_token(request: HTTPConnection) -> str:
    """The session's CSRF token, made on first use (and anew when the session is cleared)."""
    token = request.session.get(CSRF_FIELD)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session[CSRF_FIELD] = token
    return token


def own_origin(request: Request) -> str:
    """The origin the request was addressed to, from its scheme and Host header."""
    return f"{request.url.scheme}://{request.url.netloc}".lower()


def origin_allowed(request: Request, trusted: Collection[str]) -> bool:
    """Whether a POST comes from the portal's own pages: its ``Origin`` (or, when a browser
    sends none, its ``Referer``) is the portal's origin or one of ``trusted``. A request with
    neither is refused: every browser sends one of them on a same-origin form post."""
    allowed = {o.rstrip("/").lower() for o in trusted} or {own_origin(request)}
    origin = request.headers.get("origin")
    if origin is None:
        referer = request.headers.get("referer")
        if not referer:
            return False
        parsed = urlsplit(referer)
        origin = f"{parsed.scheme}://{parsed.netloc}"
    return origin.rstrip("/").lower() in allowed


def token_matches(request: HTTPConnection, sent: object) -> bool:
    """Whether the form's token is the session's (compared in constant time)."""
    expected = request.session.get(CSRF_FIELD)
    if not isinstance(expected, str) or not expected or not isinstance(sent, str):
        return False
    return hmac.compare_digest(expected.encode(), sent.encode())


def is_loopback(request: HTTPConnection) -> bool:
    """Whether the request came from this machine (127.0.0.0/8 or ::1)."""
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
