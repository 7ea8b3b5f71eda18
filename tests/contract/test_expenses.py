"""sc.expenses, on every configuration of the contract suite."""

import inspect
import itertools
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from selfcare import Expense, ExpenseKind, Money, NaiveDatetime, PhoneNumber, ValidationError
from selfcare.operations import Capability, ListExpenses
from tests.conftest import MOSCOW, NOW

pytestmark = pytest.mark.requires(Capability.EXPENSES)


def test_lists_every_expense_newest_first_without_repeats(sc, operator) -> None:
    expenses = list(sc.expenses.list(page_size=500))
    assert len(expenses) == len(operator.subscriber().expenses)
    keys = [(e.at, e.id) for e in expenses]
    assert keys == sorted(keys, reverse=True)
    assert len(set(keys)) == len(keys)
    assert all(isinstance(e, Expense) for e in expenses[:5])


def test_pages_are_lazy_and_bounded(sc, monkeypatch) -> None:
    # Count the pages the client asks its backend for, and how big they are.
    asked: list[int] = []
    backend = getattr(sc, "unwrapped", sc).backend
    real = backend.execute

    def record(op: object) -> None:
        if isinstance(op, ListExpenses):
            asked.append(op.limit)

    async def counting_async(op):  # type: ignore[no-untyped-def]
        record(op)
        return await real(op)

    def counting(op):  # type: ignore[no-untyped-def]
        record(op)
        return real(op)

    monkeypatch.setattr(
        backend, "execute", counting_async if inspect.iscoroutinefunction(real) else counting
    )
    expenses = sc.expenses.list(page_size=50)
    assert asked == []  # listing asks for nothing yet
    first = next(iter(expenses.pages()))
    assert len(first.items) == 50 and first.next_cursor
    assert asked == [50]  # one page, nothing beyond it

    records = iter(sc.expenses.list(page_size=50))
    newest = list(itertools.islice(records, 50))
    assert asked == [50, 50]  # fifty records: still one page
    newest.append(next(records))
    assert asked == [50, 50, 50]  # the 51st: the second page, only now
    assert newest == list(itertools.islice(sc.expenses.list(page_size=500), 51))
    # However long the history, each request is one page: memory is bounded by it.
    del asked[:]
    everything = sum(1 for _ in sc.expenses.list(page_size=50))
    assert everything > 150 and -(-everything // 50) <= len(asked) <= everything // 50 + 1
    assert set(asked) == {50}


def test_first_n(sc) -> None:
    newest = sc.expenses.list().first(7)
    assert len(newest) == 7
    assert newest == list(itertools.islice(sc.expenses.list(page_size=3), 7))  # lazy: 3 pages
    assert sc.expenses.list().first(0) == []


def test_filter_by_kind_accepts_strings_and_enums(sc) -> None:
    fees = list(sc.expenses.list(kinds="subscription_fee"))
    assert fees and {e.kind for e in fees} == {ExpenseKind.SUBSCRIPTION_FEE}
    both = list(sc.expenses.list(kinds=[ExpenseKind.SMS, "mms"], since=date(2026, 10, 1)))
    assert {e.kind for e in both} == {ExpenseKind.SMS, ExpenseKind.MMS}


def test_unknown_kind_is_refused_naming_it(sc) -> None:
    with pytest.raises(ValidationError, match="kinds='phone_calls'.*voice_out"):
        sc.expenses.list(kinds=["sms", "phone_calls"])


def test_counterpart_is_read_as_people_type_it(sc, operator) -> None:
    target = next(e.counterpart for e in operator.subscriber().expenses if e.counterpart)
    national = "8" + target.e164[2:5] + " " + target.e164[5:]
    found = list(sc.expenses.list(counterpart=national, since=date(2026, 1, 1)))
    assert found and all(e.counterpart == target for e in found)


def test_bad_counterpart_is_refused(sc) -> None:
    from selfcare import InvalidPhoneNumber

    with pytest.raises(InvalidPhoneNumber, match="'not a number'"):
        sc.expenses.list(counterpart="not a number").first(1)


def test_naive_datetimes_are_refused(sc) -> None:
    with pytest.raises(NaiveDatetime, match="since"):
        sc.expenses.list(since=datetime(2026, 11, 1))
    with pytest.raises(NaiveDatetime, match="until"):
        sc.calls.list(until=datetime(2026, 11, 1))


def test_a_date_means_the_whole_day_in_moscow(sc, operator) -> None:
    sub = operator.subscriber()
    day = date(2026, 6, 1)
    edge = {
        "before": datetime(2026, 5, 31, 23, 59, 59, tzinfo=MOSCOW),
        "first": datetime(2026, 6, 1, 0, 0, 0, tzinfo=MOSCOW),
        "last": datetime(2026, 6, 1, 23, 59, 59, tzinfo=MOSCOW),
        "after": datetime(2026, 6, 2, 0, 0, 0, tzinfo=MOSCOW),
    }
    for name, at in edge.items():
        sub.expenses.add(
            Expense(
                id=f"x-{name}",
                at=at,
                kind=ExpenseKind.ONE_OFF,
                cost=Money(1, "RUB"),
                balance_after=Money(0, "RUB"),
                description=name,
            )
        )
    found = {e.id for e in sc.expenses.list(since=day, until=day, kinds="one_off")}
    assert found == {"x-first", "x-last"}
    # The same day seen from UTC starts at 21:00 the evening before.
    utc_start = datetime(2026, 5, 31, 21, 0, tzinfo=ZoneInfo("UTC"))
    utc = {
        e.id
        for e in sc.expenses.list(
            since=utc_start, until=utc_start + timedelta(days=1), kinds="one_off"
        )
    }
    assert utc == found


def test_summary_by_kind_matches_the_listing(sc) -> None:
    since = date(2026, 9, 1)
    summary = sc.expenses.summary(by="kind", since=since)
    charges = [e for e in sc.expenses.list(since=since) if e.cost.amount > 0]
    assert summary.total == Money.sum((e.cost for e in charges), "RUB")
    assert sum(row.count for row in summary) == len(charges)
    totals = [row.total for row in summary]
    assert totals == sorted(totals, reverse=True)
    assert "top_up" not in summary.as_dict()


def test_summary_by_month_is_chronological_in_the_accounts_zone(sc) -> None:
    summary = sc.expenses.summary(by="month")
    keys = [row.key for row in summary]
    assert keys == sorted(keys) and keys[-1] == "2026-11"
    assert all(row.total.amount >= Decimal("550") for row in summary)  # the monthly fee


def test_summary_by_counterpart_and_bad_grouping(sc) -> None:
    rows = sc.expenses.summary(by="counterpart", since=date(2026, 6, 1)).rows
    assert rows and all(row.key == "-" or PhoneNumber(row.key) for row in rows)
    with pytest.raises(ValidationError, match="by='week'"):
        sc.expenses.summary(by="week")


def test_page_size_is_validated_and_named_as_the_caller_spelt_it(sc) -> None:
    with pytest.raises(ValidationError, match="page_size=0") as info:
        sc.expenses.list(page_size=0)
    assert info.value.field == "page_size"
    for bad in (None, -1, 1.5):
        with pytest.raises(ValidationError, match=r"n=.* must be an integer of 0 or more") as info:
            sc.expenses.list().first(bad)
        assert info.value.field == "n"


def test_to_pandas_has_proper_dtypes(sc) -> None:
    pytest.importorskip("pandas")
    df = sc.expenses.list(since=date(2026, 11, 1)).to_pandas()
    assert str(df["at"].dtype).startswith("datetime64") and str(df["at"].dt.tz) == "Europe/Moscow"
    assert "decimal128" in str(df["cost"].dtype)
    assert str(df["kind"].dtype) == "category"
    assert set(df["currency"]) == {"RUB"}
    assert df["cost"].sum() == sum(e.cost.amount for e in sc.expenses.list(since=date(2026, 11, 1)))


def test_records_carry_aware_instants(sc, operator) -> None:
    expense = sc.expenses.list().first(1)[0]
    assert expense.at.utcoffset() is not None
    assert expense.at == operator.subscriber().expenses.last().at  # the same instant
    assert expense.at.astimezone(MOSCOW).date() <= NOW.date()
