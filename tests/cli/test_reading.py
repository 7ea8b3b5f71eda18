"""Read-only commands on the fake: tables for people, JSON Lines and CSV for scripts."""

from __future__ import annotations

import csv
import io

import pytest

from selfcare import Selfcare
from selfcare.backends.fake import FakeOperator
from tests.cli.conftest import Run, lines, ok

LISTINGS = [
    ["bills"],
    ["bills", "--open"],
    ["expenses", "--limit", "30"],
    ["calls", "--limit", "30"],
    ["messages"],
    ["payments", "--limit", "5"],
    ["history", "logins", "--limit", "5"],
    ["history", "operations", "--limit", "5"],
    ["complaints", "list"],
    ["services", "catalog"],
    ["services", "connected"],
    ["contacts", "list"],
    ["lists", "list"],
]


@pytest.mark.parametrize("args", LISTINGS, ids=" ".join)
def test_json_lines_parse_and_csv_has_a_header(run: Run, args: list[str]) -> None:
    records = lines(run(*args, "--json"))
    rows = list(csv.reader(io.StringIO(ok(run(*args, "--csv")))))
    assert rows, "CSV always has a header row"
    assert len(rows) - 1 == len(records)
    assert all(len(row) == len(rows[0]) for row in rows)
    table = ok(run(*args))
    assert "Traceback" not in table


def test_global_json_flag_works_before_the_command(run: Run) -> None:
    assert lines(run("--json", "expenses", "--limit", "3")) == lines(
        run("expenses", "--limit", "3", "--json")
    )


def test_json_and_csv_together_is_a_usage_error(run: Run) -> None:
    result = run("expenses", "--json", "--csv")
    assert result.exit_code == 2
    assert "--json and --csv" in result.output


def test_balance_in_every_format(run: Run) -> None:
    table = ok(run("balance"))
    assert "Anna Smirnova" in table and "-1\u00a0389,00\u00a0₽" in table and "Available" in table
    (record,) = lines(run("balance", "--json"))
    assert record["amount"] == {"amount": "-1389.00", "currency": "RUB"}
    assert record["as_of"].endswith("Z")
    header, row = csv.reader(io.StringIO(ok(run("balance", "--csv"))))
    assert header == ["amount", "credit_limit", "available", "as_of", "number", "holder", "tariff"]
    assert row[:3] == ["-1389.00", "3000.00", "1611.00"]
    assert row[3].endswith("+03:00")


def test_bills_highlight_the_overdue_one(run: Run) -> None:
    out = ok(run("bills", "--open"))
    assert "overdue" in out and "issued" in out and "paid" not in out.replace("partially", "")
    states = [bill["state"] for bill in lines(run("bills", "--json"))]
    assert "overdue" in states


def test_expenses_filters(run: Run) -> None:
    records = lines(run("expenses", "--kind", "sms", "--since", "30d", "--json"))
    assert records and {r["kind"] for r in records} == {"sms"}
    records = lines(run("expenses", "--since", "2026-11-01", "--until", "2026-11-02", "--json"))
    assert records
    assert all("2026-10-31T21:00" <= r["at"] < "2026-11-02T21:00" for r in records)
    number = next(r["counterpart"] for r in lines(run("expenses", "--json")) if r["counterpart"])
    only = lines(run("expenses", "--counterpart", number, "--json"))
    assert only and {r["counterpart"] for r in only} == {number}


def test_expenses_whole_year_streams_every_record(run: Run, operator: FakeOperator) -> None:
    records = lines(run("expenses", "--json"))
    assert len(records) == len({r["id"] for r in records}) > 1000


def test_missed_calls(run: Run) -> None:
    records = lines(run("calls", "--missed", "--json"))
    assert records and all(not r["answered"] and r["direction"] == "incoming" for r in records)
    assert "missed" in ok(run("calls", "--missed", "--limit", "3"))


def test_times_in_tables_and_csv_are_in_the_accounts_zone(run: Run) -> None:
    (record,) = lines(run("expenses", "--limit", "1", "--json"))
    ((_header, row),) = [
        list(csv.reader(io.StringIO(ok(run("expenses", "--limit", "1", "--csv")))))
    ]
    assert record["at"].endswith("Z")
    assert row[0].endswith("+03:00")
    # 06:36 UTC is 09:36 in Moscow: the table shows the Moscow time.
    hour = int(record["at"][11:13])
    assert f"{(hour + 3) % 24:02d}:{record['at'][14:16]}" in ok(run("expenses", "--limit", "1"))


def test_operation_history_filters(run: Run) -> None:
    records = lines(run("history", "operations", "--type", "set_forwarding", "--json"))
    assert records and {r["operation"] for r in records} == {"set_forwarding"}
    result = run("history", "operations", "--type", "launch_rocket")
    assert result.exit_code == 2 and "launch_rocket" in result.output


def test_forwarding_show(run: Run) -> None:
    out = ok(run("forwarding", "show"))
    assert "Call forwarding (voicemail +7 916 000-01-23)" in out
    assert "**61*+79160000123**20#" in out
    (state,) = lines(run("forwarding", "show", "--json"))
    assert {rule["condition"] for rule in state["rules"]} >= {"busy", "no_reply"}


def test_sms_plan_works_offline_and_prices_with_a_price(run: Run) -> None:
    out = ok(run("sms", "plan", "Привет! Встречаемся в 7", fake=False))
    assert "ucs2" in out and "unknown" in out
    (plan,) = lines(run("sms", "plan", "x" * 161, "--price", "2.50", "--json"))
    assert plan["encoding"] == "gsm7" and len(plan["parts"]) == 2
    assert plan["cost"] == {"amount": "5.00", "currency": "RUB"}
    (plan,) = lines(run("sms", "plan", "hi", "--price", "15.00 KZT", "--json", fake=False))
    assert plan["cost"] == {"amount": "15.00", "currency": "KZT"}
    result = run("sms", "plan", "hi", "--price", "cheap")
    assert result.exit_code == 2 and "'cheap'" in result.output


def test_sms_plan_on_a_backend_prices_at_the_tariffs_sms_price(run: Run) -> None:
    price = Selfcare.fake(seed=42).messages.sms_price()
    assert price is not None
    (plan,) = lines(run("sms", "plan", "x" * 161, "--json"))
    assert len(plan["parts"]) == 2
    assert plan["cost"] == {"amount": str((price * 2).amount), "currency": price.currency}
    (plan,) = lines(run("sms", "plan", "x" * 161, "--encoding", "ucs2", "--json"))
    assert len(plan["parts"]) == 3
    assert plan["cost"] == {"amount": str((price * 3).amount), "currency": price.currency}
