"""``to_arrow()`` and ``to_parquet()``: the same columns as ``to_pandas()``, streamed a page at
a time into one Parquet row group per page."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


def test_to_arrow_types_columns_as_to_pandas_does(sc) -> None:
    pager = sc.expenses.list(since=date(2026, 11, 1))
    table = pager.to_arrow()
    df = pager.to_pandas()
    assert table.column_names == list(df.columns)
    assert table.num_rows == len(df) > 0
    assert table.schema.field("cost").type == pa.decimal128(18, 2)
    assert table.schema.field("at").type == pa.timestamp("ns", tz="Europe/Moscow")
    assert pa.types.is_dictionary(table.schema.field("kind").type)
    assert table.schema.field("duration").type == pa.duration("ns")
    assert table.column("cost").to_pylist() == [Decimal(str(v)) for v in df["cost"]]
    assert table.column("kind").to_pylist() == [str(v) for v in df["kind"]]
    assert set(table.column("currency").to_pylist()) == {"RUB"}
    moscow = table.column("at").to_pandas()
    assert (moscow == df["at"]).all()


def test_to_parquet_writes_one_row_group_per_page(sc, tmp_path) -> None:
    pager = sc.expenses.list(since=date(2026, 6, 1))
    path = tmp_path / "expenses.parquet"
    rows = pager.to_parquet(path, page_size=200)
    expected = pager.to_list()
    assert rows == len(expected) > 400
    meta = pq.ParquetFile(path).metadata
    assert meta.num_row_groups == math.ceil(len(expected) / 200)
    assert all(meta.row_group(i).num_rows == 200 for i in range(meta.num_row_groups - 1))
    back = pq.read_table(path)
    assert back.column("id").to_pylist() == [e.id for e in expected]
    assert back.column("cost").to_pylist() == [e.cost.amount for e in expected]
    assert back.schema.field("at").type == pa.timestamp("ns", tz="Europe/Moscow")


def test_to_parquet_of_nothing_writes_nothing(sc, tmp_path) -> None:
    path = tmp_path / "none.parquet"
    pager = sc.calls.list(since=date(2026, 11, 25), until=date(2026, 11, 25), missed=True)
    written = pager.to_parquet(path)
    assert written == len(pager.to_list())
    if written == 0:
        assert pq.read_table(path).num_rows == 0


def test_duckdb_queries_the_parquet_file(sc, tmp_path) -> None:
    """The docs' DuckDB example (docs/notebooks.md), run for real."""
    duckdb = pytest.importorskip("duckdb")
    path = tmp_path / "expenses.parquet"
    sc.expenses.list(since=date(2026, 1, 1)).to_parquet(path)
    by_kind = duckdb.sql(
        f"""
        SELECT kind::VARCHAR AS kind, count(*) AS n, sum(cost) AS total
        FROM read_parquet('{path}')
        WHERE cost > 0
        GROUP BY kind ORDER BY total DESC
        """
    ).fetchall()
    summary = sc.expenses.summary("kind", since=date(2026, 1, 1)).as_dict()
    assert {kind: total for kind, _, total in by_kind} == {
        kind: money.amount for kind, money in summary.items()
    }
