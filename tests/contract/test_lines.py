"""sc.lines and sc.line(number), on every configuration of the contract suite that has lines."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from selfcare import AsyncSelfcare, NotFound, NotSupported, Selfcare, ValidationError
from selfcare.backends.fake import FakeOperator
from selfcare.backends.http import HttpBackend
from selfcare.model import Line, LineExpense, LineRole, PhoneNumber
from selfcare.operations import Capability
from tests._bridge import Bridge, EventLoopThread
from tests.conftest import NOW

OWNER, MEMBER, KID, GRAN = "+79165557001", "+79165557002", "+79165557003", "+79165557004"
ACME_MANAGER, ACME_LINE = "+79857000000", "+79857000123"
DEMO = "+79165550123"

Login = Callable[[str], Any]


@pytest.fixture
def login(
    configuration: str,
    operator: FakeOperator,
    loop_thread: EventLoopThread,
    request: pytest.FixtureRequest,
) -> Iterator[Login]:
    """A client of subscriber ``key`` in this test's configuration (all on one operator)."""
    opened: list[Any] = []

    def make(key: str) -> Any:
        token = operator.token(key).reveal()
        if configuration == "fake-sync":
            client: Any = Selfcare.fake(operator=operator, subscriber=key)
        elif configuration == "fake-async":
            client = AsyncSelfcare.fake(operator=operator, subscriber=key)
        elif configuration.startswith("http"):
            server, resolver = request.getfixturevalue("live_server")
            resolver.use(operator)
            kind = Selfcare if configuration == "http-sync" else AsyncSelfcare
            client = kind(base_url=server.url, token=token)
        else:
            version = 5 if configuration.startswith("tmf5") else 4
            fixture = "tmf5_live_server" if version == 5 else "tmf_live_server"
            server, resolver, check = request.getfixturevalue(fixture)
            resolver.use(operator)
            checks.append(check)
            kind = Selfcare.tmf if configuration.endswith("-sync") else AsyncSelfcare.tmf
            client = kind(base_url=server.url, token=token, version=version)
        opened.append(client)
        return Bridge(client, loop_thread) if isinstance(client, AsyncSelfcare) else client

    checks: list[Any] = []
    if configuration.startswith("tmf"):
        fixture = "tmf5_live_server" if configuration.startswith("tmf5") else "tmf_live_server"
        request.getfixturevalue(fixture)[2].violations.clear()
    yield make
    for client in opened:
        if isinstance(client, AsyncSelfcare):
            loop_thread.run(client.aclose())
        else:
            client.close()
    for check in checks[:1]:  # every exchange of the TMF runs, against the official specs
        assert not check.violations, "TMF exchanges broke the official specs:\n" + "\n".join(
            check.violations[:20]
        )


def _newest(ledger: Any) -> list[Any]:
    return sorted(ledger, key=lambda record: (record.at, record.id), reverse=True)


def _refusal(call: Callable[[], object]) -> str:
    with pytest.raises(NotFound) as caught:
        call()
    return str(caught.value)


@pytest.mark.requires(Capability.LINES)
class TestListing:
    @pytest.mark.tmf5  # through TMF637 and TMF666, which v5 changes
    def test_the_owner_sees_every_line_of_the_family_with_roles(self, login) -> None:
        lines = list(login("family").lines.list())
        assert all(isinstance(line, Line) for line in lines)
        assert [(line.number.e164, line.role) for line in lines] == [
            (OWNER, LineRole.OWNER),
            (MEMBER, LineRole.MEMBER),
            (KID, LineRole.MEMBER),
            (GRAN, LineRole.MEMBER),
        ]
        assert lines[0].holder == "Sergey Kuznetsov"
        assert lines[0].tariff.code == "smart-l"

    @pytest.mark.tmf5
    def test_a_member_sees_only_their_own_line(self, login) -> None:
        lines = list(login("family-member").lines.list())
        assert [(line.number.e164, line.role) for line in lines] == [(MEMBER, LineRole.MEMBER)]

    def test_a_subscriber_with_one_line_owns_it(self, login) -> None:
        lines = list(login("demo").lines.list())
        assert [(line.number.e164, line.role) for line in lines] == [(DEMO, LineRole.OWNER)]

    def test_the_company_lists_a_thousand_lines_page_by_page_without_generating_them(
        self, login, operator
    ) -> None:  # not on tmf5: the same face code, 16 s of v5 spec checks per run
        acme = login("acme")
        before = operator.generated_lines
        pages = list(acme.lines.list(page_size=300).pages())
        numbers = [line.number.e164 for page in pages for line in page.items]
        assert [len(page.items) for page in pages] == [300, 300, 300, 100]
        assert len(numbers) == len(set(numbers)) == 1000
        assert numbers == sorted(numbers)
        assert numbers[0] == ACME_MANAGER
        roles = {line.role for page in pages for line in page.items}
        assert roles == {LineRole.MANAGER, LineRole.MEMBER}
        assert operator.generated_lines == before  # listing reads no line's history

    def test_the_default_scope_stays_the_logins_own_line(self, login) -> None:
        assert login("family").account.get().number.e164 == OWNER
        assert login("acme").account.get().holder == "Galina Orlova"


@pytest.mark.tmf5
@pytest.mark.requires(Capability.LINES)
class TestScopedClient:
    def test_the_owner_reads_another_lines_history(self, login, operator) -> None:
        kid = login("family").line("8 916 555-70-03")
        assert kid.account.get().number.e164 == KID
        seen = [e.id for e in kid.expenses.list().first(20)]
        stored = operator.line(operator.subscriber("family"), PhoneNumber(KID)).expenses
        assert seen == [e.id for e in _newest(stored)][:20]
        assert kid.calls.list().first(1)

    def test_acting_on_a_line_changes_that_line_only(self, login, operator) -> None:
        family = login("family")
        owner = operator.subscriber("family")
        kid = operator.line(owner, PhoneNumber(KID))
        owner_messages, kid_messages = len(owner.mailbox.messages), len(kid.mailbox.messages)
        family.line(KID).messages.send_sms("+79161234567", "Dinner at seven")
        assert len(kid.mailbox.messages) == kid_messages + 1
        assert len(owner.mailbox.messages) == owner_messages
        assert _newest(kid.operations)[0].operation == "send_sms"  # in the line's own log

    @pytest.mark.requires(Capability.LOGINS)
    def test_the_lines_operation_log_shows_what_was_done_on_it(self, login) -> None:
        family = login("family")
        family.line(KID).messages.send_sms("+79161234567", "Dinner at seven")
        logged = family.line(KID).logins.operations().first(1)[0]
        assert logged.operation == "send_sms"

    def test_a_manager_acts_on_a_lazily_generated_line(self, login, operator) -> None:
        before = operator.generated_lines
        line = login("acme").line(ACME_LINE)
        assert line.account.get().number.e164 == ACME_LINE
        assert line.expenses.list().first(5)
        assert operator.generated_lines == before + 1

    def test_a_member_acts_on_their_own_line(self, login) -> None:
        own = login("family-member").line(MEMBER)
        assert own.account.get().number.e164 == MEMBER

    def test_a_member_gets_not_found_for_every_other_line(self, login) -> None:
        member = login("family-member")
        messages = {
            _refusal(lambda: member.line(OWNER).account.get()),  # the account's owner
            _refusal(lambda: member.line(KID).expenses.list().first(1)),  # another member
            _refusal(lambda: member.line(ACME_LINE).account.get()),  # another account
            _refusal(lambda: member.line("+79165559999").account.get()),  # nobody's
        }
        assert len(messages) == 1  # the same words whether the number exists or not
        assert OWNER not in next(iter(messages))

    def test_no_login_reaches_another_accounts_lines(self, login) -> None:
        family, acme, demo = login("family"), login("acme"), login("demo")
        messages = {
            _refusal(lambda: family.line(ACME_LINE).account.get()),
            _refusal(lambda: acme.line(KID).account.get()),
            _refusal(lambda: demo.line(OWNER).account.get()),
            _refusal(lambda: family.line(DEMO).expenses.list().first(1)),
            _refusal(lambda: acme.line("+79857001000").account.get()),  # one past the fleet
        }
        assert len(messages) == 1

    def test_a_refused_change_changes_nothing(self, login, operator) -> None:
        owner = operator.subscriber("family")
        before = len(owner.mailbox.messages), len(owner.operations)
        with pytest.raises(NotFound):
            login("family-member").line(OWNER).messages.send_sms("+79161234567", "hi")
        assert (len(owner.mailbox.messages), len(owner.operations)) == before

    def test_the_line_is_read_as_people_type_it_and_refused_when_it_is_no_number(
        self, login
    ) -> None:
        family = login("family")
        assert family.line("+7 (916) 555-70-04").account.get().number.e164 == GRAN
        with pytest.raises(ValidationError) as caught:
            family.line("not a number")
        assert caught.value.field == "number"

    def test_the_scoped_client_lists_the_logins_lines(self, login) -> None:
        lines = list(login("family").line(KID).lines.list())
        assert len(lines) == 4


@pytest.mark.requires(Capability.LINES, Capability.EXPENSES)
class TestAcrossLines:
    def test_expenses_merge_newest_first_with_the_line_on_each(self, login, operator) -> None:
        family = login("family")
        since = NOW - timedelta(days=20)
        merged = list(family.lines.expenses(since=since, page_size=50))
        assert all(isinstance(record, LineExpense) for record in merged)
        keys = [(r.expense.at, r.expense.id) for r in merged]
        assert keys == sorted(keys, reverse=True)
        owner = operator.subscriber("family")
        for number in (OWNER, MEMBER, KID, GRAN):
            stored = [
                e.id
                for e in _newest(operator.line(owner, PhoneNumber(number)).expenses)
                if e.at >= since
            ]
            assert [r.expense.id for r in merged if r.line.e164 == number] == stored
        assert {r.line.e164 for r in merged} == {OWNER, MEMBER, KID, GRAN}

    def test_merged_expenses_as_a_data_frame_with_a_line_column(self, login) -> None:
        pytest.importorskip("pandas")
        family = login("family")
        merged = family.lines.expenses(since=date(2026, 11, 20), lines=[KID, GRAN])
        frame = merged.to_pandas()
        assert list(frame.columns[:3]) == ["line", "id", "at"]
        assert set(frame["line"]) == {KID, GRAN}
        assert len(frame) == len(merged.to_list())
        assert frame["at"].is_monotonic_decreasing

    def test_expenses_of_some_lines_only(self, login) -> None:
        merged = list(
            login("acme").lines.expenses(since=date(2026, 11, 20), lines=["+7 985 700-01-23"])
        )
        assert merged
        assert {r.line.e164 for r in merged} == {ACME_LINE}

    def test_a_member_merges_only_their_own_line(self, login) -> None:
        member = login("family-member")
        merged = member.lines.expenses(since=date(2026, 11, 1)).to_list()
        assert merged
        assert {r.line.e164 for r in merged} == {MEMBER}
        with pytest.raises(NotFound):
            member.lines.expenses(since=date(2026, 11, 1), lines=[OWNER]).to_list()

    def test_summary_by_line_month_and_kind_agree(self, login) -> None:
        family = login("family")
        since = date(2026, 10, 20)  # two months (short: the TMF runs check every page)
        by_line = family.lines.summary(since=since)
        by_month = family.lines.summary("month", since=since)
        by_kind = family.lines.summary("kind", since=since)
        assert by_line.by == "line"
        assert {row.key for row in by_line} <= {OWNER, MEMBER, KID, GRAN}
        assert [row.key for row in by_month] == sorted(row.key for row in by_month)
        assert by_line.total == by_month.total == by_kind.total
        assert sum(row.count for row in by_line) == sum(row.count for row in by_kind)
        charged = [
            r.expense.cost
            for r in family.lines.expenses(since=since, page_size=1000)
            if r.expense.cost.amount > 0
        ]
        assert by_line.total.amount == sum(m.amount for m in charged)

    def test_summary_refuses_an_unknown_grouping(self, login) -> None:
        with pytest.raises(ValidationError) as caught:
            login("family").lines.summary("counterpart")
        assert caught.value.field == "by"

    def test_lines_must_be_a_list(self, login) -> None:
        with pytest.raises(ValidationError) as caught:
            login("family").lines.expenses(lines=KID).to_list()
        assert caught.value.field == "lines"

    def test_bills_with_a_section_per_line(self, login, operator) -> None:
        sections = login("family").lines.bills()
        assert [section.line.e164 for section in sections] == [OWNER, MEMBER, KID, GRAN]
        owner = operator.subscriber("family")
        for section in sections:
            sub = operator.line(owner, section.line)
            assert [bill.id for bill in section.bills] == [bill.id for bill in sub.bills]
            assert section.bills


class _NoLines:
    """A wire protocol that carries no lines (every configuration above has them)."""

    capabilities = frozenset({Capability.ACCOUNT})

    def flow(self, client: Any, op: Any) -> Any:
        raise NotImplementedError


def test_a_backend_without_lines_says_so() -> None:
    with Selfcare(HttpBackend("http://127.0.0.1:9", "t", protocol=_NoLines())) as sc:
        assert Capability.LINES not in sc.capabilities
        with pytest.raises(NotSupported):
            sc.line(OWNER)


@pytest.mark.requires(Capability.LINES, Capability.EXPENSES)
class TestExport:
    def test_writes_a_hive_partitioned_dataset_duckdb_reads_as_it_is(self, login, tmp_path) -> None:
        duckdb = pytest.importorskip("duckdb")
        family = login("family")
        since = date(2026, 10, 25)  # two months (short: the TMF runs check every page)
        done: list[tuple[str, int | None]] = []
        summary = family.lines.export(
            tmp_path, since=since, max_concurrency=2, progress=lambda n, r: done.append((n.e164, r))
        )
        merged = list(family.lines.expenses(since=since, page_size=1000))
        assert (summary.lines, summary.skipped, summary.rows) == (4, 0, len(merged))
        assert summary.bytes == sum(p.stat().st_size for p in tmp_path.rglob("*.parquet"))
        assert sorted(number for number, _ in done) == [OWNER, MEMBER, KID, GRAN]
        assert sorted(p.name for p in tmp_path.iterdir()) == [
            f"line={n}" for n in sorted((OWNER, MEMBER, KID, GRAN))
        ]
        assert (tmp_path / f"line={KID}" / "month=2026-11" / "part-0.parquet").is_file()
        rows = duckdb.sql(
            f"select line, month, count(*) as n, sum(cost) as total from read_parquet("
            f"'{tmp_path}/**/*.parquet', hive_partitioning = true) group by all order by all"
        ).fetchall()
        assert sum(n for _, _, n, _ in rows) == len(merged)
        assert {line for line, *_ in rows} == {OWNER, MEMBER, KID, GRAN}
        assert {month for _, month, *_ in rows} == {"2026-10", "2026-11"}
        kid_november = [
            r.expense.cost.amount
            for r in merged
            if r.line.e164 == KID and r.expense.at.strftime("%Y-%m") == "2026-11"
        ]
        assert (KID, "2026-11", len(kid_november), sum(kid_november)) in rows

    def test_resumes_skipping_the_lines_already_written(self, login, tmp_path) -> None:
        pytest.importorskip("pyarrow")
        family = login("family")
        since = date(2026, 11, 15)
        first = family.lines.export(tmp_path, since=since)
        again = family.lines.export(tmp_path, since=since)
        assert (again.lines, again.skipped, again.rows) == (0, 4, 0)
        for path in (tmp_path / f"line={KID}").rglob("*"):
            if path.is_file():
                path.unlink()
        (tmp_path / f"line={KID}" / "month=2026-11").rmdir()
        (tmp_path / f"line={KID}").rmdir()
        resumed = family.lines.export(tmp_path, since=since)
        assert (resumed.lines, resumed.skipped) == (1, 3)
        rewritten = family.lines.export(tmp_path, since=since, overwrite=True)
        assert (rewritten.lines, rewritten.rows) == (4, first.rows)
        assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]

    def test_exports_only_what_the_login_may_see(self, login, tmp_path) -> None:
        pytest.importorskip("pyarrow")
        member = login("family-member")
        summary = member.lines.export(tmp_path, since=date(2026, 11, 20))
        assert summary.lines == 1
        assert [p.name for p in tmp_path.iterdir()] == [f"line={MEMBER}"]
        with pytest.raises(NotFound):
            member.lines.export(tmp_path / "other", since=date(2026, 11, 20), lines=[OWNER])
        assert not (tmp_path / "other" / f"line={OWNER}").exists()

    def test_refuses_a_concurrency_out_of_bounds(self, login, tmp_path) -> None:
        for bad in (0, 65, 2.5):
            with pytest.raises(ValidationError) as caught:
                login("family").lines.export(tmp_path, max_concurrency=bad)
            assert caught.value.field == "max_concurrency"


def test_polars_reads_the_export_as_it_is(operator, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Once, on the fake: what Polars makes of the layout does not depend on the backend."""
    pl = pytest.importorskip("polars")
    with Selfcare.fake(operator=operator, subscriber="family") as family:
        summary = family.lines.export(tmp_path, since=date(2026, 10, 25))
    frame = pl.read_parquet(f"{tmp_path}/**/*.parquet", hive_partitioning=True)
    assert frame.height == summary.rows > 0
    assert frame.schema["line"] == pl.String  # "+7…" stays a number as dialled, not an int
    assert frame.schema["cost"] == pl.Decimal(18, 2)
    assert sorted(frame["line"].unique()) == sorted((OWNER, MEMBER, KID, GRAN))
    assert set(frame["month"].unique()) == {"2026-10", "2026-11"}
