"""JSON and CSV name a field the same way: a CSV column is the JSON key of the same value."""

import csv
import io
import json
import re

import pytest

LISTINGS = [
    ["bills"],
    ["payments"],
    ["calls", "--limit", "3"],
    ["history", "logins", "--limit", "3"],
    ["history", "operations", "--limit", "3"],
    ["complaints", "list"],
]


@pytest.mark.parametrize("command", LISTINGS, ids=" ".join)
def test_csv_columns_are_json_keys(run, command: list[str]) -> None:
    as_json, as_csv = run(*command, "--json"), run(*command, "--csv")
    assert as_json.exit_code == 0 and as_csv.exit_code == 0, (as_json.output, as_csv.output)
    keys = set(json.loads(as_json.output.splitlines()[0]))
    header = next(csv.reader(io.StringIO(as_csv.output)))
    assert [name for name in header if name not in keys] == []


def test_bills_name_id_due_date_and_amount_due_in_both(run) -> None:
    header = run("bills", "--csv").output.splitlines()[0].split(",")
    assert {"id", "due_date", "amount_due"} <= set(header)


SHOWN = [
    (["balance"], None),
    (["sms", "plan", "Hello"], None),
    (["forwarding", "show"], "rules"),
    (["services", "catalog"], None),
    (["services", "connected"], None),
    (["services", "tariff"], None),
    (["expenses", "--limit", "5"], None),
    (["sms", "send", "+79161234567", "--text", "Hi"], None),
    (["autopay", "set", "100", "500", "--method", "card:tok_4242"], None),
    (["contacts", "add", "Anna", "+79161234567"], None),
]


@pytest.mark.parametrize(("command", "inside"), SHOWN, ids=[" ".join(c) for c, _ in SHOWN])
def test_json_carries_every_column_the_table_shows(run, command, inside) -> None:
    """A table's columns are the CSV header; each is a key of the JSON (of the records a
    table shows as rows, for ``forwarding show``'s rules), so ``--json`` loses nothing the
    table shows (issue 15). Writes run once: the JSON is asked of a second, like one."""
    as_csv = run(*command, "--csv")
    assert as_csv.exit_code == 0, as_csv.output
    header = next(csv.reader(io.StringIO(as_csv.stdout)))
    as_json = run(*command, "--json")
    assert as_json.exit_code == 0, as_json.output
    document = json.loads(as_json.stdout.splitlines()[0])
    keys = set(document if inside is None else document[inside][0])
    assert [name for name in header if name not in keys] == []


def test_complaint_and_message_json_carry_their_tables(run) -> None:
    complaint = json.loads(run("complaints", "list", "--json").stdout.splitlines()[0])["id"]
    shown = json.loads(run("complaints", "show", complaint, "--json").stdout)
    header = next(csv.reader(io.StringIO(run("complaints", "show", complaint, "--csv").stdout)))
    assert [name for name in header if name not in shown] == []
    sent = json.loads(run("sms", "send", "+79161234567", "--text", "Hi", "--json").stdout)
    message = json.loads(run("sms", "show", sent["id"], "--json").stdout)
    assert {"recipient", "status", "updated_at", "reason", "cost"} <= set(message["deliveries"][0])


DURATION = re.compile(r"^\d+$")


@pytest.mark.parametrize(
    ("command", "column"),
    [
        (["calls", "--limit", "20"], "duration"),
        (["expenses", "--limit", "40", "--kind", "voice_out"], "duration"),
        (["forwarding", "show"], "timer"),
    ],
    ids=["calls", "expenses", "forwarding"],
)
def test_one_duration_format_in_csv(run, command: list[str], column: str) -> None:
    """Durations in CSV are whole seconds everywhere (the table's 1:13 is for people)."""
    rows = list(csv.DictReader(io.StringIO(run(*command, "--csv").stdout)))
    values = [row[column] for row in rows if row[column]]
    assert values and all(DURATION.match(v) for v in values), values[:5]


def test_amounts_take_a_decimal_comma_in_every_command(run) -> None:
    """Every amount the CLI reads accepts a comma as the SDK does (``--price`` refused it)."""
    (plan,) = [
        json.loads(line)
        for line in run("sms", "plan", "Hi", "--price", "2,50", "--json").stdout.splitlines()
    ]
    assert plan["cost"] == {"amount": "2.50", "currency": "RUB"}
    (paid,) = [
        json.loads(line)
        for line in run(
            "pay", "12,50", "--method", "card:tok_4242424242", "--json"
        ).stdout.splitlines()
    ]
    assert paid["amount"] == {"amount": "12.50", "currency": "RUB"}
    ambiguous = run("sms", "plan", "Hi", "--price", "1,000")
    assert ambiguous.exit_code == 2 and "ambiguous" in ambiguous.stderr
