"""JSON and CSV name a field the same way: a CSV column is the JSON key of the same value."""

import csv
import io
import json

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
