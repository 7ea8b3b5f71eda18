"""The sans-IO half of the HTTP backends: what to send for an operation, and what it returned.

A protocol turns an operation into a *flow*: a generator that yields HTTP requests (or a
:class:`Wait`) and receives the responses, then returns the operation's result. The sync and
async drivers only send, sleep and retry; everything protocol-specific lives in the flow, once.
The selfcare protocol's flow is one request; a TM Forum flow may poll an order to completion.
"""

from __future__ import annotations

import os
import re
from collections.abc import Generator, Mapping
from typing import Any, Protocol

import attrs
import httpx
import msgspec

from selfcare._errors import APIError, NotSupported, SelfcareError, TransportError, ValidationError
from selfcare._secret import Secret
from selfcare._version import __version__
from selfcare.model import SignedIn
from selfcare.operations import Operation
from selfcare.protocol._codec import decode_result, encode_body, encode_query
from selfcare.protocol._problem import error_from_problem
from selfcare.protocol._routes import ROUTES, route_for
from selfcare.protocol._session import SessionAuth, bearer

__all__ = [
    "CORRELATOR",
    "DEFAULT_TIMEOUT",
    "REQUEST_ID",
    "BearerAuth",
    "Flow",
    "HttpSettings",
    "SelfcareProtocol",
    "Wait",
    "WireProtocol",
    "checked_headers",
    "correlator_problem",
    "transport_error",
]

CORRELATOR = "x-correlator"
"""CAMARA's end-to-end correlator header: a caller may send one, the server echoes it."""
CORRELATOR_RE = re.compile(r"[a-zA-Z0-9\-_:;./<>{}]{0,256}")
"""What an ``x-correlator`` may be (the CAMARA API design guide's pattern)."""
REQUEST_ID = "x-request-id"
"""The header the server names each answer with."""

DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
"""10 s to read an answer, 5 s to connect."""
USER_AGENT = f"selfcare-python/{__version__} httpx/{httpx.__version__}"
HEADERS = {"User-Agent": USER_AGENT, "Accept": "application/json"}


@attrs.frozen
class Wait:
    """A flow's request to pause (e.g. between polls of an order) before it goes on."""

    seconds: float


Flow = Generator[httpx.Request | Wait, httpx.Response | None, Any]
"""Yields requests (answered with their response) or waits (answered with ``None``)."""


class WireProtocol(Protocol):
    """How operations travel over HTTP for one kind of server."""

    @property
    def capabilities(self) -> frozenset[str]: ...

    def flow(self, client: httpx.Client | httpx.AsyncClient, op: Operation[Any]) -> Flow: ...


class BearerAuth(httpx.Auth):
    """Sends the token as ``Authorization: Bearer …``; its repr never shows it."""

    def __init__(self, token: Secret) -> None:
        self._token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = bearer(self._token)
        yield request

    def __repr__(self) -> str:
        return "BearerAuth(token=***)"


@attrs.frozen
class HttpSettings:
    """Where the API is and how to sign in, from arguments first, then the environment."""

    base_url: str
    token: Secret | None = attrs.field(repr=False)

    @classmethod
    def resolve(
        cls, base_url: str | None, token: str | Secret | None, *, env_token: bool = True
    ) -> HttpSettings:
        """Arguments win; ``SELFCARE_BASE_URL`` and ``SELFCARE_TOKEN`` fill the gaps
        (``env_token=False`` when signing in, which must send no token at all)."""
        url = base_url or os.environ.get("SELFCARE_BASE_URL")
        if not url:
            raise ValidationError(
                "no server given: pass base_url=... (or set SELFCARE_BASE_URL), "
                "or use Selfcare.fake() for the in-memory operator",
                field="base_url",
            )
        parsed = httpx.URL(url)
        if parsed.scheme not in ("http", "https") or not parsed.host:
            raise ValidationError(f"base_url={url!r} is not an http(s) URL", field="base_url")
        if token is not None or not env_token:
            secret, origin = token, "token"
        else:
            secret, origin = os.environ.get("SELFCARE_TOKEN"), "SELFCARE_TOKEN"
        return cls(url.rstrip("/"), None if secret is None else check_token(secret, origin))

    def client_options(self) -> dict[str, Any]:
        """Keyword arguments for ``httpx.Client``/``AsyncClient``."""
        return {
            "base_url": self.base_url,
            "auth": None if self.token is None else BearerAuth(self.token),
            "headers": dict(HEADERS),
        }

    def session_auth(self, session: SignedIn) -> SessionAuth:
        """Auth that sends ``session``'s access token and refreshes it when it expires."""
        return SessionAuth(session, self.base_url, dict(HEADERS))


def check_token(token: str | Secret, origin: str = "token") -> Secret:
    """A bearer token that can be sent: not empty or blank, and only printable ASCII without
    spaces (what an HTTP header carries). The error says what is wrong, never the token."""
    if not isinstance(token, str | Secret):
        raise ValidationError(
            f"{origin} must be a str or a Secret, not {type(token).__name__}", field="token"
        )
    value = token.reveal() if isinstance(token, Secret) else token
    if not value.strip():
        raise ValidationError(
            f"{origin} is {'empty' if not value else 'blank'}: pass the access token the "
            "operator issued (or sign in with Selfcare.login())",
            field="token",
        )
    bad = next((i for i, c in enumerate(value) if not "!" <= c <= "~"), None)
    if bad is not None:
        raise ValidationError(
            f"{origin} has a character an HTTP header cannot carry at position {bad} "
            "(a space, a line break or a non-ASCII character; was it pasted with extra text?)",
            field="token",
        )
    return Secret(value)


class SelfcareProtocol:
    """The selfcare ``/v1`` protocol: one request per operation, by the route table."""

    capabilities = frozenset(route.op.capability for route in ROUTES)

    def flow(self, client: httpx.Client | httpx.AsyncClient, op: Operation[Any]) -> Flow:
        """Send ``op`` as its route says and read the result (or the problem) back."""
        try:
            route = route_for(type(op))
        except KeyError:
            raise NotSupported(
                f"the selfcare HTTP protocol has no route for {type(op).__name__}"
            ) from None
        headers = {}
        body = encode_body(route, op)
        if body is not None:
            headers["Content-Type"] = "application/json"
        key = getattr(op, "idempotency_key", None)
        if key is not None:
            headers["Idempotency-Key"] = key
        request = client.build_request(
            route.method,
            route.url_path(op),
            params=encode_query(route, op),
            content=body,
            headers=headers,
        )
        response = yield request
        assert response is not None
        if not response.is_success:
            raise error_from_problem(response.status_code, response.content)
        try:
            return decode_result(route, response.content)
        except (msgspec.ValidationError, msgspec.DecodeError) as exc:
            raise APIError(
                f"the server's answer to {type(op).__name__} does not match the protocol: {exc}"
            ) from None


def correlator_problem(value: str) -> str | None:
    """What is wrong with an ``x-correlator`` value (never repeating it), or ``None``."""
    if CORRELATOR_RE.fullmatch(value):
        return None
    return (
        f"the {CORRELATOR} header must be at most 256 letters, digits and - _ : ; . / < > {{ }}"
        f" (it is {len(value)} characters long)"
    )


def checked_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Extra headers a caller wants on every request, with the ``x-correlator`` checked."""
    checked = {}
    for name, value in headers.items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise ValidationError("headers must map names to strings", field="headers")
        if name.lower() == CORRELATOR and (problem := correlator_problem(value)):
            raise ValidationError(problem, field="headers")
        checked[name] = value
    return checked


def transport_error(op: Operation[Any], exc: httpx.HTTPError) -> SelfcareError:
    """A selfcare error for a request that got no answer."""
    kind = "timed out" if isinstance(exc, httpx.TimeoutException) else "failed"
    return TransportError(f"{type(op).__name__} {kind}: {type(exc).__name__}: {exc}")
