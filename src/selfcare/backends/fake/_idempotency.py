"""Idempotency keys: remembering what each key led to, in little memory.

A server (or the fake operator) remembers, per subscriber, each key's request and outcome so
that a retry returns the first outcome instead of acting twice. What it keeps must stay small
whatever a client sends: :class:`IdempotencyCache` keeps a keyed SHA-256 digest of the
request (never the request itself), the outcome with its traceback dropped, forgets entries
after ``max_age`` and holds at most ``max_entries`` keys (the least recently used go first).
"""

from __future__ import annotations

import copy
import enum
import hashlib
import hmac
import secrets
from collections import OrderedDict
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, TypeVar

import attrs

from selfcare._errors import SelfcareError, ValidationError
from selfcare._secret import Secret
from selfcare.operations import MutatingOperation

__all__ = [
    "IdempotencyCache",
    "IdempotencyLimits",
    "Remembered",
    "detached",
    "request_digest",
]


_DIGEST_KEY = secrets.token_bytes(32)
"""Keys the request digests of this process: a digest of a request with a card PIN cannot be
brute-forced offline should it ever leak."""


def _feed(update: Any, value: Any) -> None:
    """Feed ``value`` to a hash, unambiguously: every item tagged with its type and length.

    Values equal as Python values feed the same bytes (``Decimal("1.0")`` and ``"1.00"``, an
    instant in two time zones, sets in any order), so the digest agrees with ``==``.
    """

    def text(tag: bytes, data: str | bytes) -> None:
        raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
        update(b"%s%d:" % (tag, len(raw)))
        update(raw)

    if value is None or isinstance(value, bool):
        text(b"c", repr(value))
    elif isinstance(value, Secret):
        text(b"S", value.reveal())
    elif isinstance(value, enum.Enum):
        text(b"e", f"{type(value).__qualname__}.{value.name}")
    elif isinstance(value, str):  # PhoneNumber is its E.164 string
        text(b"s", value)
    elif isinstance(value, bytes | bytearray | memoryview):
        text(b"b", bytes(value))
    elif isinstance(value, int | float):
        text(b"n", repr(value))
    elif isinstance(value, Decimal):
        text(b"d", str(value.normalize()) if value.is_finite() else str(value))
    elif isinstance(value, datetime):
        instant = value.astimezone(UTC) if value.tzinfo else value
        text(b"t", instant.isoformat())
    elif isinstance(value, date | time | timedelta):
        text(b"t", repr(value))
    elif attrs.has(type(value)):
        text(b"A", type(value).__qualname__)
        for field in attrs.fields(type(value)):
            _feed(update, getattr(value, field.name))
        update(b")")
    elif isinstance(value, tuple | list):
        update(b"(%d:" % len(value))
        for item in value:
            _feed(update, item)
    elif isinstance(value, frozenset | set):
        update(b"{%d:" % len(value))
        for part in sorted(_part(item) for item in value):
            update(part)
    elif isinstance(value, dict):
        update(b"<%d:" % len(value))
        for part in sorted(_part(key) + _part(item) for key, item in value.items()):
            update(part)
    else:
        text(b"r", f"{type(value).__qualname__}:{value!r}")


def _part(value: Any) -> bytes:
    digest = hmac.new(_DIGEST_KEY, digestmod=hashlib.sha256)
    _feed(digest.update, value)
    return digest.digest()


def request_digest(op: MutatingOperation[Any]) -> bytes:
    """A keyed SHA-256 of ``op`` without its idempotency key: equal requests, equal digests."""
    digest = hmac.new(_DIGEST_KEY, digestmod=hashlib.sha256)
    digest.update(type(op).__qualname__.encode())
    for field in attrs.fields(type(op)):
        if field.name != "idempotency_key":
            text = field.name.encode()
            digest.update(b"f%d:%s" % (len(text), text))
            _feed(digest.update, getattr(op, field.name))
    return digest.digest()


E = TypeVar("E", bound=BaseException)


def detached(error: E) -> E:
    """A copy of ``error`` without its traceback, cause and context: a remembered error must
    not hold the frames (and so the request) it was raised in, nor grow at each replay."""
    clone = copy.copy(error)
    clone.__traceback__ = None
    clone.__cause__ = None
    clone.__context__ = None
    clone.__suppress_context__ = False
    return clone


def _positive_age(instance: object, attribute: attrs.Attribute[Any], value: timedelta) -> None:
    if not isinstance(value, timedelta) or value <= timedelta(0):
        raise ValidationError(f"max_age={value!r} must be a positive timedelta", field="max_age")


def _positive_count(instance: object, attribute: attrs.Attribute[Any], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(
            f"max_entries={value!r} must be a positive integer", field="max_entries"
        )


@attrs.frozen
class IdempotencyLimits:
    """How long keys are remembered, and how many per subscriber (``selfcare serve``'s
    ``--idempotency-hours`` and ``--idempotency-entries``)."""

    max_age: timedelta = attrs.field(default=timedelta(hours=24), validator=_positive_age)
    max_entries: int = attrs.field(default=1000, validator=_positive_count)


@attrs.frozen
class Remembered:
    """What an idempotency key led to: the request's digest and name, and its outcome."""

    at: datetime
    """When the key was first used, on the remembering side's clock."""
    digest: bytes = attrs.field(repr=False)
    operation: str
    """The request's operation name (``send_sms``), for the error of a reused key."""
    result: Any = None
    error: SelfcareError | None = None

    def matches(self, op: MutatingOperation[Any]) -> bool:
        """Whether ``op`` is the request this key was first used for (in constant time)."""
        return hmac.compare_digest(self.digest, request_digest(op))


class IdempotencyCache:
    """One subscriber's remembered keys, bounded by :class:`IdempotencyLimits`.

    ``now`` is the remembering side's clock (the fake operator's). Entries older than
    ``max_age`` are never returned and are swept out; past ``max_entries`` the least
    recently used key is dropped.
    """

    def __init__(self) -> None:
        self._entries: OrderedDict[str, Remembered] = OrderedDict()
        self._due: datetime | None = None
        """When the oldest entry expires: the next sweep is due then, not before."""

    def get(self, key: str, now: datetime, limits: IdempotencyLimits) -> Remembered | None:
        """What ``key`` led to, if it was used within ``max_age`` (and is still held)."""
        self._sweep(now, limits)
        entry = self._entries.get(key)
        if entry is None:
            return None
        self._entries.move_to_end(key)
        return entry

    def remember(self, key: str, entry: Remembered, limits: IdempotencyLimits) -> None:
        """Hold ``entry`` for ``key``, dropping expired and then least recently used keys."""
        self._sweep(entry.at, limits)
        self._entries[key] = entry
        self._entries.move_to_end(key)
        expires = entry.at + limits.max_age
        self._due = expires if self._due is None else min(self._due, expires)
        while len(self._entries) > limits.max_entries:
            self._entries.popitem(last=False)

    def _sweep(self, now: datetime, limits: IdempotencyLimits) -> None:
        """Drop every expired entry, once the oldest one has expired."""
        if self._due is None or now < self._due:
            return
        for key in [k for k, e in self._entries.items() if now - e.at >= limits.max_age]:
            del self._entries[key]
        ages = [e.at for e in self._entries.values()]
        self._due = min(ages) + limits.max_age if ages else None

    def __len__(self) -> int:
        return len(self._entries)

    def values(self) -> Iterator[Remembered]:
        """The entries held, least recently used first."""
        return iter(list(self._entries.values()))

    def __repr__(self) -> str:
        return f"IdempotencyCache({len(self._entries)} keys)"
