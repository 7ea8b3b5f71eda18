"""Keyset paging: cursors are opaque and checked; no record is lost or repeated across pages."""

from datetime import UTC, datetime, timedelta

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from selfcare import ValidationError
from selfcare._client.paging import check_page_size, decode_cursor, encode_cursor
from selfcare.backends.fake._ledger import Ledger

EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


@attrs.frozen
class Rec:
    id: str
    at: datetime
    tag: int


def test_cursor_round_trip() -> None:
    at = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
    assert decode_cursor(encode_cursor(at, "e42")) == (at, "e42")


@pytest.mark.parametrize("bad", ["", "garbage!", encode_cursor(EPOCH, "x")[:-3], "MjAyNg"])
def test_tampered_cursors_are_refused(bad: str) -> None:
    with pytest.raises(ValidationError, match="cursor"):
        decode_cursor(bad)


@pytest.mark.parametrize("bad", [0, -1, 1001, "10", True, 2.0])
def test_page_size_bounds(bad: object) -> None:
    with pytest.raises(ValidationError, match="limit"):
        check_page_size(bad)


def _ledger(offsets: list[int]) -> Ledger[Rec]:
    ledger: Ledger[Rec] = Ledger()
    for index, offset in enumerate(offsets):
        ledger.add(Rec(f"r{index:06d}", EPOCH + timedelta(minutes=offset), offset % 3))
    return ledger


@settings(max_examples=150, deadline=None)
@given(
    offsets=st.lists(st.integers(0, 50), max_size=120),
    limit=st.integers(1, 15),
    tag=st.sampled_from([None, 0, 1]),
    window=st.tuples(st.integers(0, 50), st.integers(0, 55)),
    unfiltered=st.booleans(),
)
def test_pages_never_lose_or_repeat_a_record(
    offsets: list[int], limit: int, tag: int | None, window: tuple[int, int], unfiltered: bool
) -> None:
    """With a filter or without one (``match=None``, the slice the fake takes for an
    unfiltered listing), and a next cursor only when a further record matches."""
    ledger = _ledger(offsets)
    since, until = (EPOCH + timedelta(minutes=m) for m in window)

    def match(rec: Rec) -> bool:
        return tag is None or rec.tag == tag

    expected = sorted(
        (r for r in ledger if since <= r.at < until and match(r)),
        key=lambda r: (r.at, r.id),
        reverse=True,
    )
    seen: list[Rec] = []
    cursor = None
    for _ in range(len(offsets) + 2):
        page = ledger.page(
            since=since,
            until=until,
            cursor=cursor,
            limit=limit,
            match=None if unfiltered and tag is None else match,
        )
        assert len(page.items) <= limit
        assert page.items or not expected  # a cursor never leads to an empty page
        seen.extend(page.items)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == expected


@settings(max_examples=100, deadline=None)
@given(
    offsets=st.lists(st.integers(0, 50), min_size=1, max_size=60),
    limit=st.integers(1, 7),
    arrivals=st.integers(1, 10),
)
def test_new_records_arriving_while_paging_do_not_shift_old_ones(
    offsets: list[int], limit: int, arrivals: int
) -> None:
    ledger = _ledger(offsets)
    before = sorted(ledger, key=lambda r: (r.at, r.id), reverse=True)
    first = ledger.page(since=None, until=None, cursor=None, limit=limit)
    for n in range(arrivals):  # newer records arrive between two page requests
        ledger.add(Rec(f"z{n:06d}", EPOCH + timedelta(hours=2, minutes=n), 0))
    seen = list(first.items)
    cursor = first.next_cursor
    while cursor is not None:
        page = ledger.page(since=None, until=None, cursor=cursor, limit=limit)
        seen.extend(page.items)
        cursor = page.next_cursor
    assert seen == before
