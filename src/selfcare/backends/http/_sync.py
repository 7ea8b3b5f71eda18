# Generated from selfcare/backends/http/_async.py by scripts/unasync.py. Do not edit.
"""The HTTP backend: drives a wire protocol's flows over httpx, with retries (async source; the
sync twin ``_sync.py`` is generated from it by scripts/unasync.py)."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Mapping
from typing import Any, TypeVar

import attrs
import httpx
from httpx_sse import EventSource

from selfcare._sync._io import sleep
from selfcare._errors import ClientClosed, NotSupported, SelfcareError, TransportError
from selfcare._secret import Secret
from selfcare.model import PhoneNumber, SignedIn
from selfcare.model.events import Event, EventType
from selfcare.operations import Capability, Operation, ReadEvents
from selfcare.protocol._codec import decode_event
from selfcare.protocol._http import (
    DEFAULT_TIMEOUT,
    HttpSettings,
    SelfcareProtocol,
    Wait,
    WireProtocol,
    checked_headers,
    transport_error,
)
from selfcare.protocol._problem import error_from_problem
from selfcare.protocol._retry import RETRYABLE_STATUS, RetryPolicy
from selfcare.protocol._routes import EVENT_STREAM_PATH, LINE_HEADER

__all__ = ["HttpBackend"]

R = TypeVar("R")
STREAM_READ_TIMEOUT = 60.0
"""Seconds an event stream may stay silent: the server sends a keep-alive every 15."""
log = logging.getLogger("selfcare.http")


def _timeout(value: httpx.Timeout | float) -> httpx.Timeout:
    return value if isinstance(value, httpx.Timeout) else httpx.Timeout(value)


def _limits(timeout: httpx.Timeout, pool: httpx.Client | None) -> dict[str, float | None]:
    """A request's timeouts: connecting, reading and writing are this backend's; waiting for
    a free connection of a shared pool (``http_client=``) is the pool's own ``timeout.pool``,
    set by its owner, who knows how many clients queue for how many connections."""
    limits = timeout.as_dict()
    if pool is not None:
        limits["pool"] = pool.timeout.pool
    return limits


class HttpBackend:
    """Talks to a server over HTTP: the selfcare protocol by default (``selfcare serve``).

    ``base_url`` is the server's root; the token is sent as a bearer token. Connections are
    pooled; close the backend (or the client that owns it) to release them. TLS certificates
    are verified unless ``verify=False`` is passed explicitly. Failed attempts are retried as
    :class:`~selfcare.protocol.RetryPolicy` says (``max_retries`` of them by default 2), always
    with the same idempotency key, so nothing is done twice.

    ``http_client=`` sends through a connection pool you own and share (many clients, one
    pool); only its connections are used (requests carry this backend's URL, headers, token
    and timeout, never its cookies), and closing the backend leaves it open. How long a
    request may wait for one of its connections is the pool's own ``timeout.pool`` (an
    ``httpx.Timeout(..., pool=60)`` given to the shared client), and a request that waited
    that long is not retried: the pool is full, another wait at the back of the queue would
    only lengthen it.
    ``headers`` are sent with every request: ``{"x-correlator": "order-4711"}`` ties the
    requests to the caller's own trace (CAMARA's convention; the server echoes it, and errors
    carry it as ``correlator``). Without one, an error's ``request_id`` (the server's
    ``x-request-id``) names the request.
    """

    fresh_results = True
    """Each result is decoded anew for its call, so the client may put its times into the
    account's zone in place (see ``selfcare._client.localize``)."""

    def __init__(
        self,
        base_url: str | None = None,
        token: str | Secret | None = None,
        *,
        protocol: WireProtocol | None = None,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        max_retries: int | None = None,
        deadline: float | None = None,
        retry: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        verify: bool = True,
        anonymous: bool = False,
        http_client: httpx.Client | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.settings = HttpSettings.resolve(base_url, token, env_token=not anonymous)
        self.protocol: WireProtocol = protocol or SelfcareProtocol()
        self.retry = _policy(retry or RetryPolicy(), max_retries, deadline)
        self.timeout = _timeout(timeout)
        options = self.settings.client_options()
        options["headers"].update(checked_headers(headers or {}))
        self.auth: httpx.Auth | None = options.pop("auth")
        """Sent with every request: the bearer token, a session's, or none (signing in)."""
        self.line: PhoneNumber | None = None
        """The line requests act on (sent as the ``Selfcare-Line`` header); ``None``: the
        login's own."""
        self.local_options: tuple[str, ...] = tuple(
            name
            for name, given in (
                ("http_client=", http_client is not None),
                ("transport=", transport is not None),
                ("verify=False", not verify),
                ("headers=", bool(headers)),
            )
            if given
        )
        """The options given that live in this process only (a pool, a transport, TLS and
        header choices), named for whoever would rebuild this backend elsewhere."""
        self._owns_http = http_client is None
        self._shared = http_client
        """The pool lent by ``http_client=``, whose owner sets how long a request may wait for
        one of its connections; ``None`` when this backend owns its pool."""
        self._closed = False
        """Set by :meth:`close`: a closed backend refuses calls even on a shared pool."""
        self._http = http_client or httpx.Client(
            **options, timeout=self.timeout, transport=transport, verify=verify
        )
        # Requests are built here and sent by ``_http``: a shared client lends its pool only.
        self._build = (
            self._http if self._owns_http else httpx.Client(**options, transport=_UNSENT)
        )

    @property
    def capabilities(self) -> frozenset[str]:
        """What the protocol can carry."""
        return self.protocol.capabilities

    def signed_in(self, session: SignedIn) -> HttpBackend:
        """A copy acting with ``session`` (refreshing its access token silently when it
        expires), sharing this one's connection pool: close the copy, not this one."""
        other = self.with_options()
        other.auth = self.settings.session_auth(session)
        return other

    def for_line(self, number: PhoneNumber) -> HttpBackend:
        """A copy acting on line ``number`` (the server decides whether this login may),
        sharing this one's connection pool: close the copy, not this one."""
        if Capability.LINES not in self.capabilities:
            raise NotSupported(
                f"lines are not supported by {type(self.protocol).__name__}: a client acts "
                "on its login's own line only"
            )
        other = self.with_options()
        other.line = number
        return other

    def with_options(
        self,
        *,
        max_retries: int | None = None,
        timeout: httpx.Timeout | float | None = None,
        retry: RetryPolicy | None = None,
        deadline: float | None = None,
    ) -> HttpBackend:
        """A copy with other retry or timeout settings, sharing this one's connection pool."""
        other = object.__new__(type(self))
        other.__dict__.update(self.__dict__)
        other.retry = _policy(retry or self.retry, max_retries, deadline)
        if timeout is not None:
            other.timeout = (
                timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
            )
        return other

    def execute(self, op: Operation[R]) -> R:
        """Run ``op``'s flow: send each request (retrying as the policy allows), wait when asked,
        and return the result or raise the error the server reported."""
        self._check_open(op)
        flow = self.protocol.flow(self._build, op)
        step = next(flow)
        while True:
            if isinstance(step, Wait):
                sleep(step.seconds)
                answer = None
            else:
                if self.line is not None and op.line_scoped:
                    _scope(self.protocol, step, self.line)
                answer = self._send(step, op)
            try:
                step = flow.send(answer)
            except StopIteration as done:
                result: R = done.value
                return result
            except SelfcareError as exc:
                if answer is not None:  # read from this answer: say which, for the operator
                    exc.answered_by(answer)
                raise

    def _send(self, request: httpx.Request, op: Operation[Any]) -> httpx.Response:
        started = time.monotonic()
        attempt = 0
        while True:
            request.extensions["timeout"] = _limits(self.timeout, self._shared)
            self._check_open(op)
            try:
                response = self._http.send(request, auth=self.auth)
                error = None
            except httpx.HTTPError as exc:
                response, error = None, exc
            delay = self.retry.delay(attempt, started, response=response, error=error)
            if delay is None:
                if error is not None:
                    raise transport_error(op, error) from error
                assert response is not None
                return response
            attempt += 1
            reason = type(error).__name__ if response is None else f"HTTP {response.status_code}"
            log.info(
                "retrying %s (retry %d of %d) in %.2f s after %s",
                op.operation_name(),
                attempt,
                self.retry.max_retries,
                delay,
                reason,
            )
            request.headers["Selfcare-Retry"] = str(attempt)
            sleep(delay)

    def raw(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """One plain request through this backend's connections: no token, no retries, no
        redirects followed (network sign-in's discovery, authorization and code exchange)."""
        if self._closed or self._http.is_closed:
            raise ClientClosed("cannot sign in: the client is closed; make a new one")
        request = self._build.build_request(method, url, **kwargs)
        request.extensions["timeout"] = _limits(self.timeout, self._shared)
        return self._http.send(request, auth=None, follow_redirects=False)

    def stream_events(
        self, *, after: str | None, types: tuple[EventType, ...]
    ) -> Iterator[Event]:
        """One server-sent-events connection to the line's events after ``after``: yields
        them until the server ends the stream (the caller reconnects) or the connection
        drops (:class:`~selfcare.TransportError`). ``sc.events.stream()`` drives this."""
        op = ReadEvents(after=after, types=types)
        self._check_open(op)
        headers = {"Accept": "text/event-stream", "Cache-Control": "no-store"}
        if after is not None:
            headers["Last-Event-ID"] = after
        request = self._build.build_request(
            "GET", EVENT_STREAM_PATH, params=[("types", t.value) for t in types], headers=headers
        )
        timeout = httpx.Timeout(self.timeout.connect, read=STREAM_READ_TIMEOUT)
        request.extensions["timeout"] = _limits(timeout, self._shared)
        try:
            response = self._http.send(request, auth=self.auth, stream=True)
        except httpx.HTTPError as exc:
            raise transport_error(op, exc) from exc
        try:
            if not response.is_success:
                response.read()
                if response.status_code in RETRYABLE_STATUS:  # 503 from a proxy, 429, ...
                    raise TransportError(  # so the stream reconnects, backing off
                        f"{type(op).__name__} answered {response.status_code}; reconnecting"
                    )
                raise error_from_problem(response.status_code, response.content)
            for sse in EventSource(response).iter_sse():
                if sse.event == "message" or not sse.data:
                    continue  # a keep-alive or an unnamed message: not an event
                yield decode_event(sse.data.encode())
        except httpx.HTTPError as exc:
            raise transport_error(op, exc) from exc
        finally:
            response.close()

    def _check_open(self, op: Operation[Any]) -> None:
        if self._closed or self._http.is_closed:
            raise ClientClosed(
                f"cannot {op.operation_name()}: the client is closed (by close()/close() or "
                "by leaving its with block); make a new one"
            )

    def close(self) -> None:
        """Close the connection pool (unless it was given as ``http_client=``); using the
        backend after this raises :class:`~selfcare.ClientClosed`."""
        self._closed = True
        if self._owns_http:
            self._http.close()

    def __repr__(self) -> str:
        line = "" if self.line is None else f", line={self.line.e164!r}"
        return f"{type(self).__name__}({self.settings.base_url!r}{line})"


def _scope(protocol: WireProtocol, request: httpx.Request, line: PhoneNumber) -> None:
    """Name ``line`` on ``request`` as the protocol does (TMF: a ``relatedParty`` filter),
    else in the ``Selfcare-Line`` header."""
    scope = getattr(protocol, "scope", None)
    if scope is not None:
        scope(request, line)
    else:
        request.headers[LINE_HEADER] = line.e164


_UNSENT = httpx.MockTransport(lambda request: httpx.Response(500))
"""The transport of a client that only builds requests (``http_client=`` sends them)."""


def _policy(base: RetryPolicy, max_retries: int | None, deadline: float | None) -> RetryPolicy:
    """``base`` with the retry bound and the whole-call deadline given (validated) in place."""
    if max_retries is not None:
        base = attrs.evolve(base, max_retries=max_retries)
    if deadline is not None:
        base = attrs.evolve(base, deadline=deadline)
    return base
