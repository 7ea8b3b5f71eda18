"""What one request may cost the reference server, shared by its two faces.

:class:`RequestLimits` bounds a request body's size (``413`` before the body is read whole:
a declared ``Content-Length`` is checked first, then the bytes are counted as they stream)
and its JSON nesting (a ``422``/``400`` problem naming the limit, checked on the raw bytes
before anything decodes or walks the document, so no recursion ever gets deep).
:func:`read_body` applies both; each face renders the errors in its own format.

:class:`Contained` keeps an unexpected error to one short log line and a 500 of the face's
own, rather than a traceback that a crafted request could make as long as it likes.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Callable
from itertools import accumulate
from typing import Any

import attrs
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from selfcare._errors import SelfcareError, ValidationError, bounded

__all__ = [
    "MAX_BODY_BYTES",
    "MAX_DEPTH",
    "BodyTooLarge",
    "Contained",
    "RequestLimits",
    "json_depth",
    "read_body",
]

log = logging.getLogger("selfcare.server")

MAX_BODY_BYTES = 1_048_576
"""The default body limit: 1 MiB (an MMS of 300 KB fits in base64, so does a phonebook of
1,000 contacts, the most one holds)."""
MAX_DEPTH = 32
"""The default nesting limit of request JSON (the protocol's deepest body has 4 levels)."""


class BodyTooLarge(SelfcareError):
    """The request body is over the server's limit."""

    problem = "body-too-large"
    status = 413


def _positive(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(
            f"{attribute.name}={value!r} must be a positive integer", field=attribute.name
        )


@attrs.frozen
class RequestLimits:
    """Limits on each request (``create_app(limits=...)``, ``selfcare serve`` options)."""

    max_body_bytes: int = attrs.field(default=MAX_BODY_BYTES, validator=_positive)
    """Bodies over this many bytes are refused with 413 (``--max-body-bytes``)."""
    max_depth: int = attrs.field(default=MAX_DEPTH, validator=_positive)
    """JSON nested deeper (arrays and objects) is refused (``--max-json-depth``)."""


DEFAULT_LIMITS = RequestLimits()

_STRINGS = re.compile(rb'"(?:[^"\\]++|\\.?)*+(?:"|\Z)', re.DOTALL)
"""A JSON string, or an unterminated one up to the end: it never fails once started, so the
scan stays linear however many quotes and backslashes a body has."""
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_STEP = [0] * 256
for _open in b"[{":
    _STEP[_open] = 1
for _close in b"]}":
    _STEP[_close] = -1


def json_depth(body: bytes, limit: int) -> int:
    """How deep ``body``'s arrays and objects nest, or any number up to ``limit`` when they
    cannot nest deeper than it (fewer brackets than that: the common case, two counts).

    Brackets inside strings do not count. The scan runs in C (a regular expression drops
    the strings, ``translate`` keeps the brackets, ``accumulate`` and ``max`` walk them).
    """
    if body.count(b"[") + body.count(b"{") <= limit:
        return 0
    brackets = _STRINGS.sub(b"", body).translate(None, _NOT_BRACKETS)
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


def limits_of(request: Request) -> RequestLimits:
    """The limits of the app serving ``request`` (set by ``create_app``/``create_tmf_app``)."""
    limits = getattr(request.app.state, "limits", None)
    return limits if isinstance(limits, RequestLimits) else DEFAULT_LIMITS


async def read_body(request: Request) -> bytes:
    """The request body, refused when over the size limit (before it is all read) or when
    its JSON nests deeper than the depth limit."""
    limits = limits_of(request)
    most = limits.max_body_bytes
    too_large = f"the request body is over {most} bytes, the server's limit"
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > most:
        raise BodyTooLarge(too_large, field="body")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > most:
            raise BodyTooLarge(too_large, field="body")
        chunks.append(chunk)
    body = b"".join(chunks)
    if json_depth(body, limits.max_depth) > limits.max_depth:
        raise ValidationError(
            f"the request body nests deeper than {limits.max_depth} levels of arrays and "
            "objects, the server's limit",
            field="body",
        )
    return body


_FRAMES_LOGGED = 5


class Contained:
    """ASGI middleware: an error no handler took is logged in a few lines (its type, its
    message shortened, the innermost frames) and answered with ``render()``'s 500, so it
    never reaches the server's own logging of whole tracebacks."""

    def __init__(self, app: ASGIApp, render: Callable[[], Response]) -> None:
        self.app = app
        self.render = render

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception as exc:
            frames = "".join(traceback.format_tb(exc.__traceback__, limit=-_FRAMES_LOGGED))
            log.error(
                "unexpected error in %s %s: %s: %s\n%s",
                scope.get("method"),
                scope.get("path"),
                type(exc).__name__,
                bounded(str(exc)),
                frames.rstrip(),
            )
            if not started:
                await self.render()(scope, receive, send)


def contained(render: Callable[[], Response]) -> Any:
    """The :class:`Contained` middleware for ``Starlette(middleware=[...])``."""
    from starlette.middleware import Middleware

    return Middleware(Contained, render=render)
