"""When to retry a request and how long to wait: a pure policy the HTTP drivers consult.

Retried: connection errors and timeouts, 408, 429 (a rate limit, not a lockout such as
``too-many-attempts`` for card PINs, which waiting a few seconds will not lift), 502, 503 and
504, and 409 when the server says the same idempotency key is still being processed. Never
retried: any other 4xx (the request itself is wrong) and 500 (the server failed in a way a
retry will not fix). Every
non-idempotent request carries an idempotency key that stays the same across its retries, so
a retry after a lost answer returns the first result instead of doing the work twice.
"""

from __future__ import annotations

import email.utils
import random
import time
from datetime import UTC, datetime

import attrs
import httpx
import msgspec

from selfcare._errors import ValidationError

__all__ = ["RETRYABLE_STATUS", "RetryPolicy", "parse_retry_after", "problem_type"]

RETRYABLE_STATUS = frozenset({408, 429, 502, 503, 504})
IN_PROGRESS = "urn:selfcare:problem:request-in-progress"
LOCKOUT = "urn:selfcare:problem:too-many-attempts"


def problem_type(response: httpx.Response) -> str | None:
    """The selfcare problem type of an error answer: a problem document's ``type``, or the
    ``referenceError`` of a TM Forum error (where the TMF face puts the same URN)."""
    if not response.headers.get("content-type", "").startswith(
        ("application/problem+json", "application/json")
    ):
        return None
    try:
        document = msgspec.json.decode(response.content[:4096])
    except msgspec.DecodeError:
        return None
    if not isinstance(document, dict):
        return None
    kind = document.get("type") or document.get("referenceError")
    return kind if isinstance(kind, str) else None


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = datetime.now(UTC).timestamp() if now is None else now
    return max(0.0, when.timestamp() - current)


def _non_negative(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ValidationError(
            f"{attribute.name}={value!r} must be a non-negative number", field=attribute.name
        )


def _retries(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise ValidationError(
            f"max_retries={value!r} must be an integer from 0 to 10", field="max_retries"
        )


@attrs.frozen
class RetryPolicy:
    """Exponential backoff with full jitter, honouring ``Retry-After``, within a deadline.

    ``max_retries`` bounds the retries of one call (so at most ``max_retries + 1`` attempts);
    ``deadline`` bounds the whole call including waits, in seconds. A server's
    ``Retry-After`` longer than ``max_retry_after`` is not waited for: the error is raised.
    """

    max_retries: int = attrs.field(default=2, validator=_retries)
    backoff: float = attrs.field(default=0.5, validator=_non_negative)
    max_backoff: float = attrs.field(default=8.0, validator=_non_negative)
    max_retry_after: float = attrs.field(default=60.0, validator=_non_negative)
    deadline: float = attrs.field(default=120.0, validator=_non_negative)

    def delay(
        self,
        attempt: int,
        started: float,
        *,
        response: httpx.Response | None = None,
        error: Exception | None = None,
        rng: random.Random | None = None,
    ) -> float | None:
        """Seconds to wait before retry number ``attempt + 1``, or ``None`` to stop now."""
        if attempt >= self.max_retries or not self._retryable(response, error):
            return None
        wait = None
        if response is not None:
            wait = parse_retry_after(response.headers.get("retry-after"))
            if wait is not None and wait > self.max_retry_after:
                return None
        if wait is None:
            ceiling = min(self.max_backoff, self.backoff * 2**attempt)
            wait = (rng or random).uniform(0, ceiling)
        if time.monotonic() - started + wait > self.deadline:
            return None
        return wait

    @staticmethod
    def _retryable(response: httpx.Response | None, error: Exception | None) -> bool:
        if error is not None:  # a full pool of our own (PoolTimeout): the request never left
            return isinstance(error, httpx.TransportError) and not isinstance(
                error, httpx.PoolTimeout
            )
        assert response is not None
        if response.status_code == 429:
            return problem_type(response) != LOCKOUT
        if response.status_code in RETRYABLE_STATUS:
            return True
        if response.status_code == 409:
            return problem_type(response) == IN_PROGRESS
        return False
