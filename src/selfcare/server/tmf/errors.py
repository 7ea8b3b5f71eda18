"""The TMF face's errors: every failure leaves as a TMF ``Error`` document.

The ``Error``'s ``status`` is the HTTP status of the answer, the closest status the TMF v4
operation declares to the selfcare exception's; ``referenceError`` still names the selfcare
problem exactly (see ``selfcare.tmf._wire.tmf_error_body``).
"""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from selfcare._errors import NotFound, NotSupported, RateLimited, SelfcareError
from selfcare.server.tmf.query import json_response
from selfcare.tmf._wire import tmf_error_body

__all__ = ["error_response", "http_error", "selfcare_error", "status_of", "unexpected"]

log = logging.getLogger("selfcare.server.tmf")

_DECLARED = frozenset({400, 401, 403, 404, 405, 409, 500})
"""The error statuses every TMF v4 operation declares (POST lacks 404); 413, 429 and 503 are kept
as HTTP says, so clients back off and retry."""


def status_of(exc: SelfcareError, method: str) -> int:
    """The declared status closest to ``exc``'s; ``referenceError`` still names it exactly."""
    declared = _DECLARED - {404} if method == "POST" else _DECLARED
    if exc.status in declared or exc.status in (413, 429, 503):
        return exc.status
    if isinstance(exc, NotSupported):
        return 405
    return 400 if exc.status < 500 else 500


def error_response(exc: SelfcareError, method: str = "GET") -> Response:
    """``exc`` as a TMF ``Error`` answer to a ``method`` request."""
    status = status_of(exc, method)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else {}
    retry = getattr(exc, "retry_after", None) if isinstance(exc, RateLimited) else None
    if retry is not None:
        headers["Retry-After"] = str(max(0, round(retry.total_seconds())))
    return json_response({**tmf_error_body(exc), "status": str(status)}, status, headers)


async def selfcare_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SelfcareError)
    return error_response(exc)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        return error_response(NotFound(f"no such TMF resource: {request.url.path}"))
    error = SelfcareError(str(exc.detail))
    body = {**tmf_error_body(error), "status": str(exc.status_code)}
    return json_response(body, exc.status_code)


async def unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error in %s %s", request.method, request.url.path)
    return error_response(SelfcareError("the server failed unexpectedly"))
