"""The seeded family and company: lines generated from their own seed when first read."""

from __future__ import annotations

from selfcare.backends.fake import FakeOperator, ManualClock
from selfcare.backends.fake._seed_fleet import FLEET_SIZE, seeded_fleets
from selfcare.model import LineRole, PhoneNumber
from tests.conftest import NOW

KID, LINE_7, LINE_9 = "+79165557003", "+79857000007", "+79857000009"


def _history(sub) -> list[tuple[object, ...]]:  # type: ignore[no-untyped-def]
    return [(e.id, e.at, e.kind, e.cost) for e in sub.expenses]


def _line(operator: FakeOperator, login: str, number: str):  # type: ignore[no-untyped-def]
    return operator.line(operator.subscriber(login), PhoneNumber(number))


def test_a_new_operator_generates_only_the_lines_with_a_login() -> None:
    operator = FakeOperator(seed=42, clock=ManualClock(NOW))
    assert operator.generated_lines == 3  # family, family-member, acme's manager
    assert {"family", "family-member", "acme"} <= set(operator.subscribers)
    _line(operator, "acme", LINE_7)
    assert operator.generated_lines == 4


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
