"""How many records each request asks for: the caller's ``page_size`` when given; otherwise
100 when iterating or walking pages, and the largest page (1,000) when collecting every
record, where fewer requests is all that matters."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from selfcare import AsyncSelfcare, Selfcare, ValidationError
from selfcare._client.paging import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from selfcare.backends.fake import FakeBackend
from selfcare.operations import ListExpenses


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The ``limit`` of every expense listing the fake is asked for, in order."""
    limits: list[int] = []
    execute = FakeBackend.execute

    def recording(self: FakeBackend, op: Any) -> Any:
        if isinstance(op, ListExpenses):
            limits.append(op.limit)
        return execute(self, op)

    monkeypatch.setattr(FakeBackend, "execute", recording)
    return limits


@pytest.fixture
def sc() -> Iterator[Selfcare]:
    with Selfcare.fake() as client:
        yield client


def test_iterating_and_walking_pages_ask_for_100_by_default(sc, asked) -> None:
    pager = sc.expenses.list()
    assert sum(1 for _ in pager) > DEFAULT_PAGE_SIZE  # several pages
    assert set(asked) == {DEFAULT_PAGE_SIZE}
    asked.clear()
    assert all(len(page.items) <= DEFAULT_PAGE_SIZE for page in pager.pages())
    assert set(asked) == {DEFAULT_PAGE_SIZE}


@pytest.mark.parametrize("collect", ["to_list", "to_pandas", "to_arrow"])
def test_collecting_everything_asks_for_the_largest_pages(sc, asked, collect) -> None:
    if collect != "to_list":
        pytest.importorskip("pyarrow")
        pytest.importorskip("pandas")
    collected = getattr(sc.expenses.list(), collect)()
    assert len(collected) > MAX_PAGE_SIZE  # so more than one request was needed
    assert set(asked) == {MAX_PAGE_SIZE}
    assert len(asked) == -(-len(collected) // MAX_PAGE_SIZE)


def test_to_parquet_writes_row_groups_of_the_largest_page_by_default(sc, asked, tmp_path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    rows = sc.expenses.list().to_parquet(tmp_path / "all.parquet")
    assert set(asked) == {MAX_PAGE_SIZE}
    assert pq.ParquetFile(tmp_path / "all.parquet").metadata.row_group(0).num_rows == min(
        rows, MAX_PAGE_SIZE
    )


def test_a_page_size_the_caller_chose_is_kept_when_collecting(sc, asked, tmp_path) -> None:
    records = sc.expenses.list(since=date(2026, 10, 1), page_size=40).to_list()
    assert len(records) > 40 and set(asked) == {40}
    asked.clear()
    pytest.importorskip("pyarrow")
    sc.expenses.list(since=date(2026, 10, 1), page_size=40).to_parquet(tmp_path / "a.parquet")
    assert set(asked) == {40}
    asked.clear()
    sc.expenses.list(page_size=40).to_parquet(tmp_path / "b.parquet", page_size=250)
    assert set(asked) == {250}


def test_the_same_records_whatever_the_page_size(sc) -> None:
    ids = [e.id for e in sc.expenses.list(since=date(2026, 9, 1))]
    assert [e.id for e in sc.expenses.list(since=date(2026, 9, 1)).to_list()] == ids
    assert [e.id for e in sc.expenses.list(since=date(2026, 9, 1), page_size=7).to_list()] == ids


def test_first_asks_for_no_more_than_it_needs(sc, asked) -> None:
    assert len(sc.expenses.list().first(5)) == 5
    assert asked == [5]


@pytest.mark.parametrize("bad", [0, 1001, "100", True])
def test_a_bad_page_size_is_refused_by_name(sc, bad) -> None:
    with pytest.raises(ValidationError, match="page_size") as caught:
        sc.expenses.list(page_size=bad)
    assert caught.value.field == "page_size"


def test_a_bad_page_size_for_parquet_is_refused_by_name(sc, tmp_path) -> None:
    pytest.importorskip("pyarrow")
    with pytest.raises(ValidationError, match="page_size=0"):
        sc.expenses.list().to_parquet(tmp_path / "x.parquet", page_size=0)


def test_lines_merged_iterate_by_100_and_collect_by_1000(asked) -> None:
    with Selfcare.fake(subscriber="family") as family:
        merged = family.lines.expenses(since=date(2026, 11, 1))
        count = sum(1 for _ in merged)
        assert count > 0 and set(asked) == {DEFAULT_PAGE_SIZE}
        asked.clear()
        assert len(merged.to_list()) == count
        assert set(asked) == {MAX_PAGE_SIZE}


def test_the_async_pager_collects_by_1000_too(asked) -> None:
    async def collect() -> int:
        async with AsyncSelfcare.fake() as client:
            return len(await client.expenses.list().to_list())

    assert asyncio.run(collect()) > MAX_PAGE_SIZE
    assert set(asked) == {MAX_PAGE_SIZE}
