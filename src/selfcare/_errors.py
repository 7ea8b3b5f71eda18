"""The selfcare exception tree.

    SelfcareError
     ├─ ValidationError (also ValueError)      bad input, refused before anything is sent
     │   ├─ InvalidPhoneNumber
     │   ├─ InvalidMoney / CurrencyMismatch
     │   └─ NaiveDatetime
     ├─ AuthenticationError                    missing, bad or expired credentials
     │   └─ TokenExpired                       a session's access token ran out (refreshed)
     ├─ NotFound                               no such resource (or not yours)
     │   └─ CardInvalid
     ├─ Conflict                               the request clashes with the current state
     │   ├─ IdempotencyKeyReused               the key was used for a different request
     │   ├─ RequestInProgress                  the same key is still being processed (retried)
     │   └─ CardAlreadyUsed, CardExpired, CardBlocked, PaymentDeclined
     ├─ RateLimited                            too many requests; ``retry_after`` says when
     │   └─ TooManyAttempts                    card PINs, sign-in: locked out for a while
     ├─ NotSupported                           the backend cannot do this
     ├─ WaitTimeout (also TimeoutError)        a wait for a final state ran out of time
 ├─ ClientClosed (also RuntimeError)       the client was closed; make a new one
     └─ APIError                               the server failed or answered nonsense
         └─ TransportError                     the request never got an answer

Every class carries a ``problem`` slug.  On the wire an error travels as an RFC 9457
problem document whose ``type`` is ``urn:selfcare:problem:<slug>``; :func:`error_for_problem`
turns it back into exactly the class that raised it.

An error read from a server's answer also says which answer, for whoever looks into it on
the operator's side: ``status_code`` (the HTTP status), ``request_id`` (the server's
``x-request-id``), ``correlator`` (CAMARA's ``x-correlator``, when the caller sent one) and
``type`` (the problem type the server named). Errors of the fake, and errors raised before
anything was sent, have ``None`` for the first three; the class, ``field`` and the message
are the same whichever backend raised the error.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    import httpx

__all__ = [
    "APIError",
    "AuthenticationError",
    "CardAlreadyUsed",
    "CardBlocked",
    "CardExpired",
    "CardInvalid",
    "ClientClosed",
    "Conflict",
    "CurrencyMismatch",
    "IdempotencyKeyReused",
    "InvalidMoney",
    "InvalidPhoneNumber",
    "NaiveDatetime",
    "NotFound",
    "NotSupported",
    "PaymentDeclined",
    "RateLimited",
    "RequestInProgress",
    "SelfcareError",
    "TokenExpired",
    "TooManyAttempts",
    "TransportError",
    "ValidationError",
    "WaitTimeout",
    "WebhookVerificationError",
]

PROBLEM_PREFIX = "urn:selfcare:problem:"
_QUOTED = re.compile(r"'[^'\\\n]*(?:\\.[^'\\\n]*)*'|\"[^\"\\\n]*(?:\\.[^\"\\\n]*)*\"")
_SHORT = 400
"""Messages up to this long are kept as they are."""
_QUOTE_KEPT = 60
_LONGEST = 1000
_LONGEST_FIELD = 100


def bounded(message: str) -> str:
    """``message`` with oversized quoted input cut (``'xxxx…' (1000000 characters)``) and
    at most 1,000 characters in all: an error never echoes oversized input in full."""
    if len(message) <= _SHORT:
        return message

    def cut(quoted: re.Match[str]) -> str:
        text = quoted.group()
        if len(text) <= _QUOTE_KEPT + 2:
            return text
        return f"{text[:_QUOTE_KEPT]}…{text[-1]} ({len(text) - 2} characters)"

    message = _QUOTED.sub(cut, message)
    return message if len(message) <= _LONGEST else message[: _LONGEST - 1] + "…"


_BY_SLUG: dict[str, type[SelfcareError]] = {}


class SelfcareError(Exception):
    """Base of every error selfcare raises."""

    problem: ClassVar[str] = "error"
    status: ClassVar[int] = 500
    """The HTTP status a server answers this error with (see ``status_code`` for the one an
    answer actually had)."""

    status_code: int | None = None
    """The HTTP status of the answer this error was read from; ``None`` when there was none
    (the fake, input refused before sending, no answer at all)."""
    request_id: str | None = None
    """The server's ``x-request-id`` for the answer this error was read from: quote it to the
    operator. ``None`` when there was no answer or the server sent none."""
    correlator: str | None = None
    """The ``x-correlator`` of the request (CAMARA's end-to-end correlator, echoed by the
    server), when the caller sent one."""
    response: httpx.Response | None = None
    """The answer itself (headers, body), when the error was read from one."""

    def __init__(self, message: str, *, field: str | None = None, **details: Any) -> None:
        message = bounded(message)
        super().__init__(message)
        self.message = message
        if field is not None and len(field) > _LONGEST_FIELD:
            field = field[: _LONGEST_FIELD - 1] + "…"
        self.field = field
        self.details = details
        self.type: str = self.problem_type
        """The RFC 9457 problem type: the one the server named (which may be one this version
        does not know, raised as :class:`APIError`), else this class's own."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "problem" in cls.__dict__:
            if cls.problem in _BY_SLUG:
                raise TypeError(
                    f"problem slug {cls.problem!r} is already used by {_BY_SLUG[cls.problem]}"
                )
            _BY_SLUG[cls.problem] = cls

    @property
    def problem_type(self) -> str:
        """The RFC 9457 ``type`` URI of this error."""
        return PROBLEM_PREFIX + self.problem

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        shown = [repr(self.message)]
        for name in ("field", "status_code", "request_id", "correlator"):
            value = getattr(self, name)
            if value is not None:
                shown.append(f"{name}={value!r}")
        shown.append(f"type={self.type!r}")
        return f"{type(self).__name__}({', '.join(shown)})"

    def answered_by(self, response: httpx.Response) -> SelfcareError:
        """Record the answer this error was read from: its status, request id and correlator
        (the first answer recorded stays). Returns the error, to ``raise`` in one line."""
        if self.response is not None:
            return self
        self.response = response
        self.status_code = response.status_code
        self.request_id = clipped(response.headers.get("x-request-id"))
        sent = response.headers.get("x-correlator")
        if sent is None:
            try:
                sent = response.request.headers.get("x-correlator")
            except RuntimeError:  # a response built by hand, without its request
                sent = None
        self.correlator = clipped(sent)
        return self


_BY_SLUG[SelfcareError.problem] = SelfcareError


class ValidationError(SelfcareError, ValueError):
    """Input was refused before anything was done; ``field`` names the culprit when known."""

    problem = "validation"
    status = 422


class InvalidPhoneNumber(ValidationError):
    """Text that is not a valid phone number."""

    problem = "invalid-phone-number"


class InvalidMoney(ValidationError):
    """An amount that cannot be money (a float, a bad currency code, …)."""

    problem = "invalid-money"


class CurrencyMismatch(InvalidMoney):
    """Arithmetic or comparison between different currencies."""

    problem = "currency-mismatch"


class NaiveDatetime(ValidationError):
    """A datetime without a time zone where an instant is needed."""

    problem = "naive-datetime"


class AuthenticationError(SelfcareError):
    """Missing, invalid or expired credentials."""

    problem = "unauthenticated"
    status = 401


class TokenExpired(AuthenticationError):
    """A session's access token is past its expiry; the client refreshes it and retries."""

    problem = "token-expired"


class NotFound(SelfcareError):
    """No such resource for this subscriber."""

    problem = "not-found"
    status = 404


class Conflict(SelfcareError):
    """The request clashes with the current state of the resource."""

    problem = "conflict"
    status = 409


class IdempotencyKeyReused(Conflict):
    """An idempotency key was sent again with a different request."""

    problem = "idempotency-key-reused"


class RequestInProgress(Conflict):
    """A request with the same idempotency key is still being processed; retry shortly."""

    problem = "request-in-progress"


class RateLimited(SelfcareError):
    """Too many requests; retry after ``retry_after``."""

    problem = "rate-limited"
    status = 429

    def __init__(
        self, message: str, *, retry_after: timedelta | None = None, **details: Any
    ) -> None:
        super().__init__(message, **details)
        self.retry_after = retry_after


class TooManyAttempts(RateLimited):
    """Locked after too many wrong PINs, passwords or codes; ``retry_after`` says for how long."""

    problem = "too-many-attempts"


class CardInvalid(NotFound):
    """No payment card has the PIN given (a wrong PIN; it counts towards the lockout)."""

    problem = "card-invalid"


class CardAlreadyUsed(Conflict):
    """The payment card was activated before; its value is already on some account."""

    problem = "card-already-used"


class CardExpired(Conflict):
    """The payment card's validity ended before it was activated."""

    problem = "card-expired"


class CardBlocked(Conflict):
    """The operator blocked the payment card (reported stolen or withdrawn)."""

    problem = "card-blocked"


class PaymentDeclined(Conflict):
    """The bank or wallet refused the payment; nothing was charged or credited."""

    problem = "payment-declined"
    status = 402


class NotSupported(SelfcareError):
    """The backend in use cannot perform this capability."""

    problem = "not-supported"
    status = 501


class WaitTimeout(SelfcareError, TimeoutError):
    """Waiting for something to reach a final state (a message's delivery) took too long.

    Raised by the client, never by a server: the thing waited for is unchanged and may still
    get there; wait again or look it up later.
    """

    problem = "wait-timeout"
    status = 504


class ClientClosed(SelfcareError, RuntimeError):
    """The client (or its backend) was closed, by ``close()``/``aclose()`` or by leaving its
    ``with`` block, and cannot be used again; make a new one.

    Raised by the client, never by a server; nothing was sent.
    """

    problem = "client-closed"
    status = 500


class WebhookVerificationError(SelfcareError, ValueError):
    """A webhook delivery failed verification (:func:`selfcare.webhooks.unwrap`): a header
    missing or malformed, a timestamp outside the replay window, no signature that matches
    the body and the secret, or a body that is no event. Answer it 400 and drop the body.

    Raised by the receiver's side, never by a server.
    """

    problem = "webhook-verification"
    status = 400


class APIError(SelfcareError):
    """The server failed or answered something selfcare cannot read."""

    problem = "api-error"
    status = 502


class TransportError(APIError):
    """The request got no answer: connection refused or dropped, or a timeout."""

    problem = "transport"
    status = 503


_MAX_HEADER = 256


def clipped(value: str | None) -> str | None:
    """A header's value from an answer, cut to a size fit for a repr or a log line."""
    if value is None:
        return None
    return value if len(value) <= _MAX_HEADER else value[:_MAX_HEADER] + "…"


def error_class_for_problem(problem_type: str) -> type[SelfcareError]:
    """Map an RFC 9457 ``type`` back to its exception class (``APIError`` if unknown)."""
    if problem_type.startswith(PROBLEM_PREFIX):
        return _BY_SLUG.get(problem_type.removeprefix(PROBLEM_PREFIX), APIError)
    return APIError


def problem_classes() -> dict[str, type[SelfcareError]]:
    """Every registered problem slug and its class (for docs and the OpenAPI document)."""
    return dict(_BY_SLUG)
