"""sc.calls, on every configuration of the contract suite."""

from datetime import date, datetime, timedelta

import pytest

from selfcare import Call, CallDirection, ValidationError
from selfcare.operations import Capability
from tests.conftest import MOSCOW

pytestmark = pytest.mark.requires(Capability.CALLS, Capability.EXPENSES)


def test_missed_calls_are_unanswered_incoming_calls(sc) -> None:
    missed = list(sc.calls.missed(since=date(2026, 10, 1)))
    assert missed
    for call in missed:
        assert isinstance(call, Call) and call.missed
        assert call.direction is CallDirection.INCOMING and not call.answered
        assert call.duration == timedelta(0)


def test_missed_since_last_week(sc, operator) -> None:
    week_ago = date(2026, 11, 19)
    # The reference, from the operator's own records and the definitions (a missed call is an
    # incoming call nobody answered; a date is that whole day in the account's zone, Moscow):
    start = datetime(2026, 11, 19, tzinfo=MOSCOW)
    expected = sorted(
        (
            c
            for c in operator.subscriber().calls
            if c.direction is CallDirection.INCOMING and not c.answered and c.at >= start
        ),
        key=lambda c: (c.at, c.id),
        reverse=True,
    )
    assert len(expected) >= 3  # the seeded week has missed calls to compare
    older = [c for c in operator.subscriber().calls if c.at < start]
    assert any(c.direction is CallDirection.INCOMING and not c.answered for c in older)
    assert list(sc.calls.missed(since=week_ago)) == expected  # the same records, newest first


def test_filter_by_direction(sc) -> None:
    out = list(sc.calls.list(direction="outgoing", since=date(2026, 11, 1)))
    assert out and all(c.direction is CallDirection.OUTGOING for c in out)
    with pytest.raises(ValidationError, match="direction='sideways'"):
        sc.calls.list(direction="sideways")


def test_every_call_is_listed_once(sc, operator) -> None:
    calls = list(sc.calls.list(page_size=1000))
    assert len(calls) == len(operator.subscriber().calls)
    assert len({c.id for c in calls}) == len(calls)


def test_answered_calls_and_the_bill_agree(sc) -> None:
    since = date(2026, 11, 20)
    answered_out = [c for c in sc.calls.list(since=since, direction="outgoing") if c.answered]
    voice = {e.id: e for e in sc.expenses.list(since=since, kinds="voice_out")}
    assert len(answered_out) == len(voice)
    assert sorted(c.cost for c in answered_out) == sorted(e.cost for e in voice.values())
