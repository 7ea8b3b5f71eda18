"""The seeded family and company: lines generated from their own seed when first read."""

from __future__ import annotations

from datetime import timedelta

import pytest

from selfcare import Selfcare, ValidationError
from selfcare.backends.fake import FakeOperator, ManualClock
from selfcare.backends.fake._operator import READ_LINES_KEPT
from selfcare.backends.fake._seed_fleet import FLEET_SIZE, seeded_fleets
from selfcare.model import LineRole, PhoneNumber
from tests.conftest import NOW

KID, LINE_7, LINE_9 = "+79165557003", "+79857000007", "+79857000009"


def _history(sub) -> list[tuple[object, ...]]:  # type: ignore[no-untyped-def]
    return [(e.id, e.at, e.kind, e.cost) for e in sub.expenses]


def _line(operator: FakeOperator, login: str, number: str):  # type: ignore[no-untyped-def]
    return operator.line(operator.subscriber(login), PhoneNumber(number))


def test_a_new_operator_generates_nobody_until_used() -> None:
    operator = FakeOperator(seed=42, clock=ManualClock(NOW))
    assert operator.generated_lines == 0
    assert {"family", "family-member", "acme"} <= set(operator.subscribers)
    assert operator.subscribers.made() == []
    operator.token("acme")  # tokens are known without replaying anyone
    assert operator.subscribers.made() == []
    _line(operator, "acme", LINE_7)
    assert operator.generated_lines == 1  # line 7; and acme's manager, as the login:
    assert [operator.key_of(sub) for sub in operator.subscribers.made()] == ["acme"]


def test_a_subscriber_is_the_same_whenever_it_is_generated() -> None:
    # each from its own seed as of the operator's birth: reading others first changes nothing
    eager = FakeOperator(seed=42, clock=ManualClock(NOW))
    for key in eager.subscribers:
        eager.subscriber(key)
    clock = ManualClock(NOW)
    lazy = FakeOperator(seed=42, clock=clock)
    clock.advance(timedelta(hours=3))  # generated later, still as of the operator's birth
    for key in reversed(list(lazy.subscribers)):
        assert _history(lazy.subscriber(key)) == _history(eager.subscriber(key)), key
        assert lazy.subscriber(key).token == eager.subscriber(key).token


def test_the_seeded_token_is_the_generated_subscribers() -> None:
    operator = FakeOperator(seed=42, clock=ManualClock(NOW))
    for key in operator.subscribers:
        token = operator.token(key)
        assert operator.subscriber(key).token == token
        assert operator.authenticate(token) is operator.subscriber(key)


def test_a_line_is_the_same_whatever_was_read_before_it() -> None:
    first = FakeOperator(seed=42, clock=ManualClock(NOW))
    second = FakeOperator(seed=42, clock=ManualClock(NOW))
    a7, a9 = _line(first, "acme", LINE_7), _line(first, "acme", LINE_9)
    b9, b7 = _line(second, "acme", LINE_9), _line(second, "acme", LINE_7)
    assert _history(a7) == _history(b7)
    assert _history(a9) == _history(b9)
    assert _history(a7) != _history(a9)
    other_seed = FakeOperator(seed=7, clock=ManualClock(NOW))
    assert _history(_line(other_seed, "acme", LINE_7)) != _history(a7)


def test_operators_share_no_line_state() -> None:
    # the family's lines come from the per-process cache: each operator must get its own copy
    first = FakeOperator(seed=42, clock=ManualClock(NOW))
    second = FakeOperator(seed=42, clock=ManualClock(NOW))
    for login, number in (("family", KID), ("acme", LINE_7)):
        mine, theirs = _line(first, login, number), _line(second, login, number)
        assert mine is not theirs
        assert mine.expenses is not theirs.expenses
        mine.services["content-block"] = NOW
        assert "content-block" not in theirs.services
    first.subscriber("acme").services["content-block"] = NOW
    assert "content-block" not in second.subscriber("acme").services


def test_the_company_has_a_thousand_varied_lines_under_one_manager() -> None:
    (family, acme) = seeded_fleets(42)
    assert len(family.lines) == 4
    assert len(acme.lines) == FLEET_SIZE == 1000
    roles = [spec.role for spec in acme.lines.values()]
    assert roles.count(LineRole.MANAGER) == 1
    assert [spec.login for spec in acme.lines.values() if spec.login] == ["acme"]
    profiles = [spec.profile for spec in acme.lines.values()]
    assert len({p.tariff.code for p in profiles}) == 3
    assert len({p.holder for p in profiles}) > 200
    assert 20 < sum(p.roaming is not None for p in profiles) < 150
    calls = sorted(p.calls_per_day for p in profiles)
    assert calls[0] < 0.5 and calls[-1] > 6  # quiet lines and busy ones
    assert all(p.history_days == 365 for p in profiles)


def test_reading_every_line_keeps_a_bounded_few_and_every_line_someone_changed() -> None:
    """A fleet read end to end (an export) holds a bounded number of untouched lines, each
    made again from its seed, the same, when read again; a line something was done on is
    kept with what was done."""
    operator = FakeOperator(seed=42, clock=ManualClock(NOW))
    numbers = [f"+7985700{index:04d}" for index in range(1, READ_LINES_KEPT + 6)]
    with Selfcare.fake(operator=operator, subscriber="acme") as sc:
        changed = sc.line(numbers[0])
        changed.messages.send_sms("+79161234567", "Depot at nine")
        first = [sc.line(n).expenses.list().first(3) for n in numbers[1:]]
        assert operator.generated_lines == READ_LINES_KEPT + 1  # the few, and the changed one
        again = [sc.line(n).expenses.list().first(3) for n in numbers[1:]]
        assert again == first  # made again from the seed: the same records, the same ids
        assert changed.logins.operations().first(1)[0].operation == "send_sms"


def test_how_many_read_lines_are_kept_is_checked() -> None:
    for wrong in (0, -1, 2.5, "16"):
        with pytest.raises(ValidationError, match="read_lines_kept"):
            FakeOperator(read_lines_kept=wrong)  # type: ignore[arg-type]
