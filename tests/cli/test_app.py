"""The command tree as a whole: help with an example everywhere, exit codes, errors, streaming."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta

import click
import pytest
from click.testing import CliRunner

from selfcare import Selfcare
from selfcare.backends.fake import ManualClock
from selfcare.cli._app import cli
from selfcare.cli._context import State
from selfcare.cli._output import emit
from tests.cli.conftest import Run, lines, record_serves


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    ctx = click.Context(group)
    for name in group.list_commands(ctx):  # the root loads its commands lazily
        command = group.get_command(ctx, name)
        yield (*path, name)
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))


ALL = sorted(_commands(cli))


def test_every_area_has_a_command() -> None:
    names = {" ".join(path) for path in ALL}
    for expected in (
        "balance", "bills", "expenses", "calls", "forwarding show", "forwarding set",
        "forwarding voicemail", "forwarding disable", "sms send", "sms plan", "mms send",
        "messages", "contacts list", "contacts add", "contacts edit", "contacts rm",
        "contacts import", "contacts export", "lists create", "broadcast", "card activate",
        "pay", "services catalog", "services connected", "services connect",
        "services disconnect", "services tariff", "history logins", "history operations",
        "complaints file", "complaints list", "complaints show", "complaints note", "login",
        "logout", "serve", "demo",
    ):  # fmt: skip
        assert expected in names, expected


@pytest.mark.parametrize("path", ALL, ids=" ".join)
def test_help_of_every_command_shows_an_example(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output, path


def test_unknown_command_and_option_are_usage_errors(run: Run) -> None:
    assert run("nonsense").exit_code == 2
    assert run("balance", "--colour").exit_code == 2
    assert run("expenses", "--kind", "beer").exit_code == 2


def test_no_server_is_a_usage_error_naming_the_options(run: Run) -> None:
    result = run("balance", fake=False)
    assert result.exit_code == 2
    assert "--base-url" in result.stderr and "--fake" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_traceback_only_with_debug(run: Run) -> None:
    quiet = run("services", "connect", "warp-drive")
    assert quiet.exit_code == 1
    assert quiet.stderr.strip() == "Error: there is no service 'warp-drive' in the catalogue"
    loud = run("--debug", "services", "connect", "warp-drive")
    assert loud.exit_code == 1
    assert "Traceback" in loud.stderr and "NotFound" in loud.stderr


def test_naive_since_is_read_in_the_accounts_zone(run: Run) -> None:
    result = run("expenses", "--since", "2026-11-24T00:00", "--until", "2026-11-24T06:00", "--json")
    assert result.exit_code == 0
    for line in result.stdout.splitlines():
        at = json.loads(line)["at"]
        assert "2026-11-23T21:00" <= at < "2026-11-24T03:00"


def test_json_is_written_before_the_next_record_is_asked_for() -> None:
    """Streaming: each record is on stdout before the listing is iterated further."""
    runner = CliRunner()
    with Selfcare.fake() as sc:
        state = State(fake=True, format="json")
        state._client = sc
        records = sc.expenses.list(page_size=2)
        with runner.isolation() as (out, _err, _both):

            def checked() -> Iterator[object]:
                for index, record in enumerate(records):
                    if index == 5:
                        return
                    if index:
                        assert out.getvalue().decode().count("\n") == index
                    yield record

            assert emit(state, checked(), []) == 5


def _completion(**env: str) -> subprocess.CompletedProcess[str]:
    """The installed entry point asked for completion, as the shell's hook asks it."""
    done = subprocess.run(
        [sys.executable, "-c", "from selfcare.cli import main; main()"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done


def test_shell_completion_script() -> None:
    done = _completion(_SELFCARE_COMPLETE="bash_source")
    assert "_SELFCARE_COMPLETE" in done.stdout and "complete" in done.stdout
    # ...and 'selfcare --help' tells how to turn it on.
    help_text = CliRunner().invoke(cli, ["--help"]).output
    assert "_SELFCARE_COMPLETE=bash_source selfcare" in help_text


def test_completion_offers_commands_and_choices() -> None:
    def complete(words: str) -> list[str]:
        cword = str(len(words.split()) - 1)
        done = _completion(_SELFCARE_COMPLETE="bash_complete", COMP_WORDS=words, COMP_CWORD=cword)
        return [line.split(",", 1)[1] for line in done.stdout.splitlines()]

    assert complete("selfcare --fake for") == ["forwarding"]
    assert "no_reply" in complete("selfcare --fake forwarding set no")


def test_days_ago_count_from_the_backends_today(run: Run, clock: ManualClock) -> None:
    assert lines(run("expenses", "--since", "1d", "--json"))
    clock.advance(timedelta(days=30))  # a month with no traffic on the fake
    (payment,) = lines(run("pay", "100", "--method", "card:tok_4242424242", "--json"))
    assert [p["id"] for p in lines(run("payments", "--since", "1d", "--json"))] == [payment["id"]]
    assert lines(run("calls", "--since", "1d", "--json")) == []


def test_serve_takes_the_rate_limits(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    import selfcare.backends.fake
    from selfcare.backends.fake import Bucket, FakeOperator, RateLimits

    operators: list[FakeOperator] = []

    class Recorded(FakeOperator):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            operators.append(self)

    monkeypatch.setattr(selfcare.backends.fake, "FakeOperator", Recorded)
    served = record_serves(monkeypatch, lambda config: config)
    result = run(
        "serve", "--port", "0", "--send-rate", "60", "--send-burst", "500",
        "--card-rate", "3", "--card-burst", "4", fake=False,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert len(served) == 1
    (operator,) = operators
    assert operator.limits == RateLimits(Bucket(60, 500), Bucket(3, 4))
    bad = run("serve", "--port", "0", "--card-burst", "0", fake=False)
    assert bad.exit_code == 2 and "burst" in bad.stderr


def _command(path: tuple[str, ...]) -> click.Command:
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        found = command.get_command(click.Context(command), name)
        assert found is not None, path
        command = found
    return command


def test_a_missing_required_option_is_named_not_passed_on_as_none(run: Run) -> None:
    result = run("pay", "500")
    assert result.exit_code == 2
    assert "Missing option '--method'" in result.output
    assert "NoneType" not in result.output
    defaulted = [
        (" ".join(path), param.name)
        for path in ALL
        for param in _command(path).params
        if isinstance(param, click.Option) and param.required and param.default is None
    ]
    assert defaulted == []  # click would pass None on instead of naming the missing option


@pytest.mark.parametrize(
    "args",
    [
        ["balance", "--fake", "--seed", "7"],
        ["balance", "--seed=7", "--fake"],
        ["--fake", "balance", "--seed", "7"],
        ["--seed", "7", "--fake", "balance"],
    ],
)
def test_global_options_work_after_the_command_too(args: list[str]) -> None:
    # people type `selfcare expenses --fake`; click alone said "No such option '--fake'"
    result = CliRunner().invoke(cli, [*args, "--json"])
    assert result.exit_code == 0, result.output
    seeded = CliRunner().invoke(cli, ["--fake", "--seed", "7", "balance", "--json"])
    default = CliRunner().invoke(cli, ["--fake", "balance", "--json"])
    amount = [json.loads(r.stdout)["amount"] for r in (result, seeded, default)]
    assert amount[0] == amount[1] != amount[2]  # the seed was honoured wherever it was typed


def test_an_option_the_command_declares_itself_stays_with_the_command() -> None:
    from selfcare.cli._app import SelfcareGroup

    group = cli
    assert isinstance(group, SelfcareGroup)
    with click.Context(group) as ctx:
        moved = group._hoist_global_options(ctx, ["serve", "--seed", "7", "--fake"])
        assert moved == ["--fake", "serve", "--seed", "7"]
        assert group._hoist_global_options(ctx, ["sms", "send", "--", "--fake"]) == [
            "sms",
            "send",
            "--",
            "--fake",
        ]
        assert group._hoist_global_options(ctx, ["contacts", "list", "--debug"]) == [
            "--debug",
            "contacts",
            "list",
        ]
