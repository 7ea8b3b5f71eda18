"""Per-subscriber rate limits of the fake operator: token buckets driven by its clock.

Two buckets per subscriber, as operators have them: message sends (each recipient counts)
and payment-card attempts. A bucket holds ``burst`` tokens and refills at ``per_minute``; an
operation that finds it empty is refused with :class:`~selfcare.RateLimited` and a
``retry_after`` of when enough tokens will be back. At the defaults a burst of a few hundred
sends passes, a sustained flood is held to two a second.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

import attrs

from selfcare._errors import RateLimited, ValidationError

__all__ = ["Bucket", "RateLimits"]


def _positive(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
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
class RateLimits:
    """The fake operator's limits (``FakeOperator(limits=...)``, ``selfcare serve`` options)."""

    sends: Bucket = Bucket(per_minute=120, burst=300)
    card_attempts: Bucket = Bucket(per_minute=10, burst=20)

    @classmethod
    def generous(cls) -> RateLimits:
        """Limits no test or demo will reach (for load and fault tests)."""
        return cls(Bucket(1e9, 1e9), Bucket(1e9, 1e9))


@attrs.define
class _Level:
    tokens: float
    at: datetime


@attrs.define
class Limiter:
    """The buckets of one subscriber."""

    limits: RateLimits
    _levels: dict[str, _Level] = attrs.field(factory=dict)

    def take(self, kind: str, cost: float, now: datetime) -> None:
        """Spend ``cost`` tokens of bucket ``kind`` or raise RateLimited (spending nothing)."""
        bucket: Bucket = getattr(self.limits, kind)
        level = self._levels.setdefault(kind, _Level(bucket.burst, now))
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


def rate_cost(op: Any) -> tuple[str, float] | None:
    """Which bucket an operation draws on, and how much (each recipient of a send counts)."""
    kind = getattr(op, "rate_limit", None)
    if kind is None:
        return None
    recipients = getattr(op, "to", None)
    return kind, float(len(recipients)) if recipients else 1.0
