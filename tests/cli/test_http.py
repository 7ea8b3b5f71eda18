"""The same commands over HTTP (the reference server in-process): same output as the fake.

Records from HTTP carry UTC times; tables and CSV must still show the account's zone.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from selfcare.backends.fake import FakeOperator
from selfcare.cli._app import cli
from selfcare.cli._context import State
from tests._server import LiveServer, SwitchableResolver
from tests.cli.conftest import ok

SAME = [
    ["balance"],
    ["bills"],
    ["expenses", "--limit", "20"],
    ["expenses", "--limit", "20", "--csv"],
    ["calls", "--missed", "--since", "2026-11-01"],
    ["history", "operations", "--limit", "5", "--csv"],
    ["complaints", "list"],
    ["forwarding", "show"],
    ["services", "connected"],
    ["payments", "--limit", "3"],
]


@pytest.mark.parametrize("args", SAME, ids=" ".join)
def test_http_output_matches_the_fake(
    args: list[str],
    operator: FakeOperator,
    live_server: tuple[LiveServer, SwitchableResolver],
) -> None:
    server, resolver = live_server
    resolver.use(operator)
    runner = CliRunner()
    env = {"COLUMNS": "200"}
    fake = runner.invoke(cli, ["--fake", *args], obj=State(operator=operator), env=env)
    http = runner.invoke(
        cli,
        ["--base-url", server.url, "--token", operator.token().reveal(), *args],
        obj=State(),
        env=env,
    )
    assert ok(http) == ok(fake)
    if "--csv" in args:
        assert "+03:00" in http.stdout
