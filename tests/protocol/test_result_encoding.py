"""The server encodes results straight from the model objects, copying only those that hold
times (to move the times to UTC): the JSON is byte for byte what converting every value to
builtins first made, for every result the fake gives and for the shapes a model may take."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import attrs
import msgspec
import pytest

from selfcare import Money, Secret
from selfcare._client.paging import Page
from selfcare.backends.fake import FakeBackend, FakeOperator, ManualClock
from selfcare.model import ExpenseKind, PhoneNumber
from selfcare.protocol._codec import enc_hook, encode_result
from selfcare.protocol._routes import ROUTES
from tests.conftest import MOSCOW, NOW

_ENCODER = msgspec.json.Encoder(enc_hook=enc_hook, decimal_format="string")


def _utc(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    if isinstance(value, dict):
        return {key: _utc(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_utc(item) for item in value]
    return value


def reference(result: Any) -> bytes:
    """How results were encoded before: every value converted to builtins, then the times
    found by a walk over all of them."""
    builtins = msgspec.to_builtins(result, builtin_types=(datetime,), enc_hook=enc_hook)
    return _ENCODER.encode(_utc(builtins))


def _fake_results() -> list[tuple[str, Any]]:
    """What the fake answers to every read that takes no argument (pages of records among them)."""
    operator = FakeOperator(seed=42, clock=ManualClock(NOW))
    backend = FakeBackend(operator, subscriber=operator.key_of(operator.subscriber()))
    results = []
    for route in ROUTES:
        if route.method != "GET" or route.public:
            continue
        try:
            op = route.op()
        except TypeError:  # it needs an argument
            continue
        results.append((route.op.__name__, backend.execute(op)))
    return results


FAKE_RESULTS = _fake_results()


def test_the_fake_answers_enough_reads_to_compare() -> None:
    names = {name for name, _ in FAKE_RESULTS}
    assert {"ListExpenses", "ListCalls", "GetAccount"} <= names, names
    assert len(names) >= 10, names


@pytest.mark.parametrize(("name", "result"), FAKE_RESULTS, ids=[n for n, _ in FAKE_RESULTS])
def test_every_read_of_the_fake_encodes_as_before(name: str, result: Any) -> None:
    assert encode_result(result) == reference(result)


@attrs.frozen
class Inner:
    at: datetime
    amount: Money


@attrs.frozen
class Dialled:
    at: datetime
    who: PhoneNumber | None
    to: PhoneNumber


@attrs.frozen
class Plain:
    name: str
    amount: Money
    day: date
    kind: ExpenseKind


@attrs.frozen
class Node:
    label: str
    children: tuple[Node, ...] = ()
    when: datetime | None = None


@attrs.frozen
class Shapes:
    z_last: str
    at: datetime
    maybe: datetime | None
    inner: Inner
    inners: tuple[Inner, ...]
    plain: Plain
    loose: Any
    table: dict[str, Any]
    times: list[datetime]
    number: PhoneNumber | None
    span: timedelta
    _hidden: int = 0
    later: int = attrs.field(default=7, init=False)


@dataclasses.dataclass
class Dated:
    at: datetime
    note: str


class Struct(msgspec.Struct):
    at: datetime
    count: int


PLUS5 = timezone(timedelta(hours=5))
AT = NOW.astimezone(PLUS5)
RUB = Money(Decimal("12.50"), "RUB")
SHAPES = [
    AT,
    {"at": AT, "nested": {"deeper": [AT, 1]}, "plain": "x"},
    (AT, "x", 3),
    [Inner(AT, RUB)],
    [Dialled(AT, PhoneNumber("+79161234567"), PhoneNumber("+79031234567"))],
    (Dialled(AT, None, PhoneNumber("+79031234567")),),
    Plain("a", RUB, date(2026, 11, 25), ExpenseKind.SMS),
    Node("root", (Node("leaf", when=AT), Node("bare")), when=NOW),
    Shapes(
        z_last="z",
        at=AT,
        maybe=None,
        inner=Inner(NOW, RUB),
        inners=(Inner(AT, RUB), Inner(NOW, RUB)),
        plain=Plain("p", RUB, date(2026, 1, 1), ExpenseKind.DATA),
        loose={"when": AT, "list": [AT]},
        table={"a": AT, "b": Inner(AT, RUB)},
        times=[AT, NOW],
        number=PhoneNumber("+79161234567"),
        span=timedelta(seconds=95),
        hidden=3,
    ),
    Page((Inner(AT, RUB), Inner(NOW.astimezone(MOSCOW), RUB)), "next"),
    Page((), None),
    Dated(AT, "dataclass"),
    Struct(at=AT, count=2),
    {"secret": Secret("shown in results that carry one"), "at": AT},
    None,
]


@pytest.mark.parametrize("result", SHAPES, ids=[type(s).__name__ for s in SHAPES])
def test_every_shape_of_result_encodes_as_before(result: Any) -> None:
    encoded = encode_result(result)
    assert encoded == reference(result)
    assert b"+05:00" not in encoded and b"+03:00" not in encoded
