"""Tables at 80 columns never cut an id or a code (people copy them into the next command):
prose columns wrap instead, and a table whose whole columns need more is printed wider."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from selfcare.cli._app import cli
from selfcare.cli._context import State

COMMANDS = [
    (["services", "catalog"], "code"),
    (["expenses", "--since", "3d"], "id"),
    (["calls", "--limit", "20"], "id"),
    (["bills"], "id"),
    (["payments"], "id"),
    (["complaints", "list"], "id"),
    (["contacts", "list"], "id"),
]


@pytest.mark.parametrize(
    ("command", "key"), COMMANDS, ids=lambda c: " ".join(c) if isinstance(c, list) else c
)
def test_ids_and_codes_are_whole_at_80_columns(operator, command: list[str], key: str) -> None:
    def run(*extra: str) -> str:
        result = CliRunner().invoke(
            cli, ["--fake", *command, *extra], obj=State(operator=operator), env={"COLUMNS": "80"}
        )
        assert result.exit_code == 0, result.output
        return result.stdout

    if command[0] == "contacts":  # the demo keeps none yet
        for name in ("Anna Karenina", "Konstantin Dmitrievich Levin"):
            result = CliRunner().invoke(
                cli,
                ["--fake", "contacts", "add", name, "+79161234567"],
                obj=State(operator=operator),
            )
            assert result.exit_code == 0, result.output
    wanted = [json.loads(line)[key] for line in run("--json").splitlines()]
    assert wanted
    table = run()
    words = {word.strip(",") for line in table.splitlines() for word in line.split()}
    assert [value for value in wanted if value not in words] == []
    cut = [w[:-1] for w in words if w.endswith("…")]  # prose may be shortened, ids never
    assert [value for value in wanted if any(value.startswith(c) for c in cut)] == []
