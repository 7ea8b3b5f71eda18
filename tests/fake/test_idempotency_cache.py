"""The fake's idempotency cache stays bounded whatever one subscriber sends.

It keeps a digest of each request (never the request), forgets entries after 24 hours of the
operator's clock, and holds at most a set number of keys per subscriber (least recently used
go first). Sizes are measured on the cache itself, not on the process.
"""

from __future__ import annotations

import gc
import sys
import types
from datetime import timedelta
from typing import Any

import pytest

from selfcare import ValidationError
from selfcare._errors import IdempotencyKeyReused
from selfcare.backends.fake import FakeBackend, FakeOperator, ManualClock
from selfcare.backends.fake._idempotency import IdempotencyLimits, request_digest
from selfcare.model import ContactDraft, PhoneNumber
from selfcare.operations import ImportContacts, SendSms
from tests.conftest import NOW

MB = 1_000_000
_SKIPPED = (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType, types.CodeType)


def deep_size(root: object) -> int:
    """Bytes reachable from ``root`` (classes, modules, functions and module globals aside)."""
    module_dicts = {id(vars(m)) for m in list(sys.modules.values()) if m is not None}
    seen: set[int] = set()
    todo: list[Any] = [root]
    total = 0
    while todo:
        item = todo.pop()
        if id(item) in seen or isinstance(item, _SKIPPED) or id(item) in module_dicts:
            continue
        seen.add(id(item))
        total += sys.getsizeof(item)
        todo.extend(gc.get_referents(item))
    return total


def _huge_import(i: int) -> ImportContacts:
    """~1 MB of contacts the fake refuses (a name far over 100 characters), key ``i``."""
    number = PhoneNumber("+79161234567")
    name = f"{i:04d}" + "x" * MB
    return ImportContacts(
        contacts=(ContactDraft(name, (number,)),), idempotency_key=f"huge-key-{i}"
    )


def test_refused_megabyte_requests_leave_digests_only() -> None:
    operator = FakeOperator(seed=42, clock=ManualClock(NOW))
    backend = FakeBackend(operator)
    cache = operator.subscriber().idempotency
    empty = deep_size(cache)
    for i in range(60):
        with pytest.raises(ValidationError) as refused:
            backend.execute(_huge_import(i))
        assert len(str(refused.value)) < 1_000  # the error quotes the name, shortened
    assert len(cache) == 60
    held = deep_size(cache) - empty
    assert held < 60 * 2_000, held  # ~1 KB a key: a digest and a short error, no request
    # the same key and request still answers the first outcome; another request is refused
    with pytest.raises(ValidationError):
        backend.execute(_huge_import(7))
    other = attrs_evolve(_huge_import(8), idempotency_key="huge-key-7")
    with pytest.raises(IdempotencyKeyReused):
        backend.execute(other)


def attrs_evolve(op: ImportContacts, **changes: Any) -> ImportContacts:
    import attrs

    return attrs.evolve(op, **changes)


def _sms(i: int) -> SendSms:
    return SendSms(
        to=(PhoneNumber("+79161234567"),), text=f"hello {i}", idempotency_key=f"sms-key-{i}"
    )


def test_entries_expire_after_24_hours_of_the_operators_clock() -> None:
    clock = ManualClock(NOW)
    operator = FakeOperator(seed=42, clock=clock)
    backend = FakeBackend(operator)
    cache = operator.subscriber().idempotency
    first = backend.execute(_sms(0))
    for i in range(1, 10):
        backend.execute(_sms(i))
    assert len(cache) == 10
    clock.advance(timedelta(hours=23, minutes=59))
    assert backend.execute(_sms(0)) == first  # still remembered: not sent again
    clock.advance(timedelta(minutes=1))
    backend.execute(_sms(100))
    assert len(cache) == 1  # the ten from a day ago are gone, only the new one is held
    assert backend.execute(_sms(0)).id != first.id  # a key a day old is a new request


def test_the_per_subscriber_cap_holds_and_drops_the_least_recently_used() -> None:
    limits = IdempotencyLimits(max_entries=5)
    operator = FakeOperator(seed=42, clock=ManualClock(NOW), idempotency=limits)
    backend = FakeBackend(operator)
    other = FakeBackend(operator, subscriber="oleg")
    sent = [backend.execute(_sms(i)) for i in range(5)]
    assert backend.execute(_sms(0)) == sent[0]  # used again: now the most recent
    backend.execute(_sms(5))
    backend.execute(_sms(6))
    cache = operator.subscriber().idempotency
    assert len(cache) == 5
    assert backend.execute(_sms(0)) == sent[0]  # kept
    assert backend.execute(_sms(1)).id != sent[1].id  # dropped: performed again
    other.execute(_sms(0))  # another subscriber has a cache of its own
    assert len(operator.subscriber("oleg").idempotency) == 1 and len(cache) == 5


def test_limits_are_checked() -> None:
    with pytest.raises(ValidationError, match="max_entries"):
        IdempotencyLimits(max_entries=0)
    with pytest.raises(ValidationError, match="max_age"):
        IdempotencyLimits(max_age=timedelta(0))


def test_the_digest_sees_secrets_and_every_field_but_the_key() -> None:
    from selfcare._secret import Secret
    from selfcare.operations import ActivateCard

    a = ActivateCard(pin=Secret("11111111111110"), idempotency_key="a-12345678")
    b = ActivateCard(pin=Secret("11111111111113"), idempotency_key="a-12345678")
    c = ActivateCard(pin=Secret("11111111111110"), idempotency_key="c-12345678")
    assert request_digest(a) != request_digest(b)
    assert request_digest(a) == request_digest(c)
    assert request_digest(_sms(1)) != request_digest(_sms(2))
