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


WEEK_AGO = date(2026, 11, 18)
LATER = date(2027, 6, 1)
"""Nothing happens after the demo's NOW, so a listing from LATER is empty."""
LISTINGS = [
    # (capability, a listing with records, the same listing empty or None)
    (
        "expenses",
        lambda sc: sc.expenses.list(since=WEEK_AGO),
        lambda sc: sc.expenses.list(since=LATER),
    ),
    ("calls", lambda sc: sc.calls.list(since=WEEK_AGO), lambda sc: sc.calls.list(since=LATER)),
    (
        "messages",
        lambda sc: sc.messages.list(since=date(2026, 9, 1)),
        lambda sc: sc.messages.list(since=LATER),
    ),
    ("complaints", lambda sc: sc.complaints.list(), None),
    ("payments", lambda sc: sc.payments.list(), lambda sc: sc.payments.list(since=LATER)),
    ("contacts", lambda sc: sc.contacts.list(), lambda sc: sc.contacts.list(search="zzzzzz")),
    ("contacts", lambda sc: sc.contacts.lists.list(), None),
    ("logins", lambda sc: sc.logins.list(since=WEEK_AGO), lambda sc: sc.logins.list(since=LATER)),
    (
        "logins",
        lambda sc: sc.logins.operations(since=date(2026, 6, 1)),
        lambda sc: sc.logins.operations(since=LATER),
    ),
]


def test_every_listing_exports_and_an_empty_one_has_the_models_schema(sc, tmp_path) -> None:
    """Nested values (a message's deliveries, a complaint's related records) export as Arrow
    lists of structs; an empty listing has the columns and dtypes of a full one, because
    both come from the model (issue 15)."""
    pd = pytest.importorskip("pandas")
    if "messages" in sc.capabilities:  # the demo has sent none yet
        sc.messages.send_sms("+79161234567", "Hello", idempotency_key="arrow-export-1")
    if "contacts" in sc.capabilities:  # nor kept a contact or made a mailing list
        sc.contacts.add("Anna", "+79161234567", idempotency_key="arrow-export-3")
        sc.contacts.lists.create("Export", ["+79161234567"], idempotency_key="arrow-export-2")
    exported = 0
    for capability, full, empty in LISTINGS:
        if capability not in sc.capabilities:
            continue
        pager = full(sc)
        records = pager.to_list()
        table = pager.to_arrow()
        assert table.num_rows == len(records) > 0, capability
        df = pager.to_pandas()
        assert list(df.columns) == table.column_names
        path = tmp_path / f"{exported}.parquet"
        assert pager.to_parquet(path) == len(records)
        assert pq.read_table(path).schema == table.schema
        exported += 1
        if empty is None:
            continue
        nothing = empty(sc)
        assert nothing.to_arrow().schema == table.schema, capability
        none = nothing.to_pandas()
        assert len(none) == 0
        assert dict(none.dtypes) == dict(df.dtypes), capability
        assert isinstance(none, pd.DataFrame)
    assert exported >= 3


def test_nested_values_are_structs_and_lists(sc) -> None:
    if "complaints" not in sc.capabilities:
        pytest.skip("no complaints on this backend")
    table = sc.complaints.list().to_arrow()
    related = table.schema.field("related").type
    assert related == pa.list_(pa.struct([("kind", pa.string()), ("id", pa.string())]))
    first = sc.complaints.list().first(1)[0]
    row = table.slice(0, 1).to_pylist()[0]
    assert row["related"] == [{"kind": r.kind.value, "id": r.id} for r in first.related]
    assert [n["at"] for n in row["notes"]] == [n.at for n in first.notes]
