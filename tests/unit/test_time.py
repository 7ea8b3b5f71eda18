from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from selfcare import NaiveDatetime, ValidationError
from selfcare._time import check_when, to_instant

MOSCOW = ZoneInfo("Europe/Moscow")


def test_naive_datetimes_are_refused_naming_the_field() -> None:
    with pytest.raises(NaiveDatetime, match="since=2026-11-01T00:00:00 has no time zone"):
        check_when(datetime(2026, 11, 1), "since")


def test_other_types_are_refused() -> None:
    with pytest.raises(ValidationError, match="until='yesterday'"):
        check_when("yesterday", "until")


def test_a_date_is_the_whole_day_in_the_zone() -> None:
    start = to_instant(date(2026, 3, 1), MOSCOW, end=False)
    end = to_instant(date(2026, 3, 1), MOSCOW, end=True)
    assert start == datetime(2026, 3, 1, tzinfo=MOSCOW)
    assert end == datetime(2026, 3, 2, tzinfo=MOSCOW)
    assert end - start == timedelta(days=1)
    assert start.astimezone(ZoneInfo("UTC")).hour == 21  # the previous evening in UTC


def test_aware_datetimes_pass_through() -> None:
    instant = datetime(2026, 3, 1, 12, tzinfo=ZoneInfo("UTC"))
    assert to_instant(instant, MOSCOW, end=True) is instant
