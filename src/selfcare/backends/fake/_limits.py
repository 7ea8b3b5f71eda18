"""Rate limits of the fake operator: token buckets driven by its clock, and the sign-in lockout.

Per subscriber, as operators have them: message sends (each recipient counts), payment-card
attempts, and session refreshes. Per client address (what the reference server sees): the
requests to the public sign-in routes. A bucket holds ``burst`` tokens and refills at
``per_minute``; a request that finds it empty is refused with :class:`~selfcare.RateLimited`
and a ``retry_after`` of when enough tokens will be back. At the defaults a burst of a few
hundred sends passes, a sustained flood is held to two a second.

:class:`Lockout` is how wrong passwords and codes slow down (``docs/signing-in.md``).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

import attrs

from selfcare._errors import RateLimited, ValidationError

__all__ = ["Bucket", "ClientThrottle", "Lockout", "RateLimits"]


def _positive(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, timedelta):
        if value <= timedelta(0):
            raise ValidationError(
                f"{attribute.name}={value} must be positive", field=attribute.name
            )
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ValidationError(
            f"{attribute.name}={value!r} must be a positive number", field=attribute.name
        )


@attrs.frozen
class Bucket:
    """``burst`` tokens, refilled at ``per_minute``."""

    per_minute: float = attrs.field(validator=_positive)
    burst: float = attrs.field(validator=_positive)


@attrs.frozen
class Lockout:
    """How wrong passwords and one-time codes slow sign-in down (OWASP's advice: a lock
    that is temporary, grows with each repeat, and cannot be turned against the owner).

    Failures are counted per number *and client* (the address the server saw; everything in
    one process is one client). ``max_failures`` within ``window`` lock that client out of
    that number for ``first``, doubling with each further lock up to ``longest``; a quiet
    spell as long as ``longest`` or a successful sign-in from that client starts over.
    Other clients are not affected, so an attacker cannot lock the owner out.

    Against guessing from many addresses: ``number_max_failures`` within ``window`` over all
    clients guard the number (for the same growing periods): during the guard only clients
    that signed in to that number successfully before (within the refresh-token lifetime)
    may try at all. Refused attempts are counted on the lock, not logged one by one.
    """

    max_failures: int = attrs.field(default=5, validator=_positive)
    window: timedelta = attrs.field(default=timedelta(minutes=15), validator=_positive)
    first: timedelta = attrs.field(default=timedelta(minutes=15), validator=_positive)
    longest: timedelta = attrs.field(default=timedelta(hours=4), validator=_positive)
    number_max_failures: int = attrs.field(default=20, validator=_positive)

    def duration(self, lockouts: int) -> timedelta:
        """How long the ``lockouts``-th lock in a row lasts (1 is the first)."""
        if lockouts > 32:
            return self.longest
        return min(self.first * (1 << max(0, lockouts - 1)), self.longest)


@attrs.frozen
class RateLimits:
    """The fake operator's limits (``FakeOperator(limits=...)``, ``selfcare serve`` options)."""

    sends: Bucket = Bucket(per_minute=120, burst=300)
    card_attempts: Bucket = Bucket(per_minute=10, burst=20)
    refreshes: Bucket = Bucket(per_minute=1, burst=10)
    """Session refreshes per subscriber (a client needs one per 15 minutes per session)."""
    sign_in_requests: Bucket = Bucket(per_minute=20, burst=40)
    """Requests to the public sign-in routes per client address (the reference server)."""
    lockout: Lockout = Lockout()

    @classmethod
    def generous(cls) -> RateLimits:
        """Limits no test or demo will reach (for load and fault tests); the lockout stays."""
        huge = Bucket(1e9, 1e9)
        return cls(sends=huge, card_attempts=huge, refreshes=huge, sign_in_requests=huge)


@attrs.define
class _Level:
    tokens: float
    at: datetime


def _take(bucket: Bucket, level: _Level, kind: str, cost: float, now: datetime) -> None:
    elapsed = max(0.0, (now - level.at).total_seconds())
    level.tokens = min(bucket.burst, level.tokens + elapsed * bucket.per_minute / 60)
    level.at = now
    if cost > bucket.burst:
        raise ValidationError(
            f"one request may use at most {bucket.burst:g} {kind.replace('_', ' ')}",
            field="to",
        )
    if level.tokens < cost:
        wait = (cost - level.tokens) * 60 / bucket.per_minute
        raise RateLimited(
            f"too many {kind.replace('_', ' ')}: at most {bucket.per_minute:g} a minute "
            f"(bursts of {bucket.burst:g}); retry in {math.ceil(wait)} s",
            retry_after=timedelta(seconds=math.ceil(wait)),
        )
    level.tokens -= cost


@attrs.define
class Limiter:
    """The buckets of one subscriber."""

    limits: RateLimits
    _levels: dict[str, _Level] = attrs.field(factory=dict)

    def take(self, kind: str, cost: float, now: datetime) -> None:
        """Spend ``cost`` tokens of bucket ``kind`` or raise RateLimited (spending nothing)."""
        bucket: Bucket = getattr(self.limits, kind)
        level = self._levels.setdefault(kind, _Level(bucket.burst, now))
        _take(bucket, level, kind, cost, now)


class ClientThrottle:
    """One bucket per client address; a client whose bucket is full again is forgotten."""

    SWEEP_AT = 10_000
    """How many clients are remembered before the full buckets are dropped."""

    def __init__(self, kind: str = "sign_in_requests") -> None:
        self.kind = kind
        self._levels: dict[str, _Level] = {}

    def take(self, client: str, limits: RateLimits, now: datetime) -> None:
        """Spend one token of ``client``'s bucket or raise RateLimited (spending nothing)."""
        bucket: Bucket = getattr(limits, self.kind)
        if len(self._levels) >= self.SWEEP_AT:
            self._sweep(bucket, now)
        level = self._levels.setdefault(client, _Level(bucket.burst, now))
        _take(bucket, level, self.kind, 1.0, now)

    def _sweep(self, bucket: Bucket, now: datetime) -> None:
        refill = bucket.burst * 60 / bucket.per_minute
        for client, level in list(self._levels.items()):
            if (now - level.at).total_seconds() >= refill:
                del self._levels[client]


def rate_cost(op: Any) -> tuple[str, float] | None:
    """Which bucket an operation draws on, and how much (each recipient of a send counts)."""
    kind = getattr(op, "rate_limit", None)
    if kind is None:
        return None
    recipients = getattr(op, "to", None)
    return kind, float(len(recipients)) if recipients else 1.0
