"""End to end: ``selfcare serve`` in a subprocess, commands in subprocesses against it.

Also checks that a card PIN never shows in a process's arguments or output.
"""

from __future__ import annotations

import json
import os
import queue
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest

TIMEOUT = 60
PIN = "11111111111113"  # a valid RUB card of the fake operator


def _selfcare(*args: str) -> list[str]:
    return [sys.executable, "-c", "from selfcare.cli import main; main()", *args]


@pytest.fixture
def env(isolated_config: Path) -> dict[str, str]:
    return {
        **os.environ,
        "SELFCARE_CONFIG_DIR": str(isolated_config),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "COLUMNS": "200",
    }


def _lines(stream: IO[str], into: queue.Queue[str]) -> None:
    for line in stream:
        into.put(line)


@pytest.fixture
def served(env: dict[str, str]) -> Iterator[tuple[str, str]]:
    """``selfcare serve --port 0`` running; yields its base URL and token."""
    process = subprocess.Popen(
        _selfcare("serve", "--port", "0"),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    out: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_lines, args=(process.stdout, out), daemon=True).start()
    try:
        found: dict[str, str] = {}
        while "Token" not in found:
            line = out.get(timeout=TIMEOUT)
            key, sep, value = line.partition(": ")
            if sep:
                found[key.strip()] = value.strip()
        yield found["Base URL"], found["Token"]
    finally:
        process.terminate()
        try:
            process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=TIMEOUT)


def _run(
    env: dict[str, str], *args: str, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        _selfcare(*args), env=env, input=input, capture_output=True, text=True, timeout=TIMEOUT
    )


def test_commands_against_selfcare_serve_share_its_state(
    served: tuple[str, str], env: dict[str, str]
) -> None:
    url, token = served
    env = {**env, "SELFCARE_TOKEN": token}
    balance = _run(env, "--base-url", url, "balance", "--json")
    assert balance.returncode == 0, balance.stderr
    assert json.loads(balance.stdout)["amount"]["currency"] == "RUB"

    added = _run(env, "--base-url", url, "contacts", "add", "Ivan", "8 916 123-45-67", "--json")
    assert added.returncode == 0, added.stderr
    listed = _run(env, "--base-url", url, "contacts", "list", "--csv")
    assert "Ivan,+79161234567" in listed.stdout  # state persists between processes

    expenses = _run(env, "--base-url", url, "expenses", "--limit", "3", "--csv")
    assert expenses.returncode == 0 and expenses.stdout.count("+03:00") == 3

    bad = _run(env, "--base-url", url, "services", "connect", "warp-drive")
    assert bad.returncode == 1
    assert re.fullmatch(  # a server's answer: its request id, for the operator
        r"Error: there is no service 'warp-drive' in the catalogue \(request req_[0-9a-f]{16}\)",
        bad.stderr.strip(),
    )

    unauthorised = _run({**env, "SELFCARE_TOKEN": "wrong"}, "--base-url", url, "balance")
    assert unauthorised.returncode == 1 and "Traceback" not in unauthorised.stderr


def test_card_pin_never_appears_in_arguments_output_or_history(
    served: tuple[str, str], env: dict[str, str]
) -> None:
    url, token = served
    env = {**env, "SELFCARE_TOKEN": token}
    args = ["--base-url", url, "card", "activate", "--pin-stdin", "--json"]
    done = _run(env, *args, input=PIN + "\n")
    assert done.returncode == 0, done.stderr
    assert PIN not in " ".join(_selfcare(*args))
    assert PIN not in done.stdout and PIN not in done.stderr
    assert json.loads(done.stdout)["status"] == "succeeded"

    again = _run(env, *args, input=PIN + "\n")  # the card is used now
    assert again.returncode == 1
    assert PIN not in again.stdout + again.stderr
    debug = _run(env, "--debug", *args, input=PIN + "\n")
    assert debug.returncode == 1 and "Traceback" in debug.stderr
    assert PIN not in debug.stdout + debug.stderr

    history = _run(env, "--base-url", url, "history", "operations", "--json")
    assert history.returncode == 0 and "activate_card" in history.stdout
    assert PIN not in history.stdout


def test_card_pin_from_the_hidden_prompt_is_not_echoed(env: dict[str, str]) -> None:
    from click.testing import CliRunner

    from selfcare.cli._app import cli
    from selfcare.cli._context import State

    result = CliRunner().invoke(cli, ["--fake", "card", "activate"], input=PIN + "\n", obj=State())
    assert result.exit_code == 0, result.output
    assert "Card PIN" in result.output and PIN not in result.output
    wrong = CliRunner().invoke(cli, ["--fake", "card", "activate"], input="1234\n", obj=State())
    assert wrong.exit_code == 2 and "1234" not in wrong.output


@pytest.mark.parametrize("argv", [[PIN], ["--pin-stdin", PIN], ["--json", PIN, "x"]])
def test_a_pin_typed_as_an_argument_is_refused_without_echoing_it(argv: list[str]) -> None:
    from click.testing import CliRunner

    from selfcare import Selfcare
    from selfcare.backends.fake import FakeOperator
    from selfcare.cli._app import cli
    from selfcare.cli._context import State

    operator = FakeOperator(seed=42)
    result = CliRunner().invoke(
        cli, ["--fake", "card", "activate", *argv], input=PIN + "\n", obj=State(operator=operator)
    )
    assert result.exit_code == 2
    assert "--pin-stdin" in result.output and PIN not in result.output
    # Refused before anything was sent: the card is still there to be activated.
    sc = Selfcare.fake(operator=operator)
    assert not any(r.operation == "activate_card" for r in sc.logins.operations())


PIPE_BUFFER = 64 * 1024  # Linux's default: more than this and the writer must block or fail


@pytest.mark.parametrize("output", ["--json", "--csv"])
def test_a_reader_that_stops_early_ends_the_command_quietly(
    output: str, env: dict[str, str]
) -> None:
    """``selfcare --fake expenses --json | head -1`` under ``set -o pipefail`` succeeds."""
    process = subprocess.Popen(
        _selfcare("--fake", "expenses", output),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # the reader goes away, as head -1 does
    stderr = process.stderr.read()
    assert process.wait(timeout=TIMEOUT) == 0, stderr
    assert first.strip() and stderr == ""  # no traceback, no "Error:", nothing
    # The run did meet a closed pipe: a year of expenses is far more than the pipe holds.
    full = _run(env, "--fake", "expenses", output)
    assert full.returncode == 0 and len(full.stdout) > 4 * PIPE_BUFFER


def _run_into_closed_pipe(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run with standard output a pipe whose reader closed before the first byte."""
    read, write = os.pipe()
    os.close(read)  # every write fails with EPIPE
    try:
        return subprocess.run(
            _selfcare(*args),
            env=env,
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            timeout=TIMEOUT,
        )
    finally:
        os.close(write)


@pytest.mark.parametrize(
    "args",
    [["--fake", "balance"], ["--fake", "bills", "--json"], ["demo"], ["--help"], ["sms", "--help"]],
    ids=["table", "json", "demo", "help", "sub-help"],
)
def test_output_to_a_closed_pipe_is_not_an_error(args: list[str], env: dict[str, str]) -> None:
    """Every writer (rich tables, JSON, click's help) meets the closed pipe the same way."""
    done = _run_into_closed_pipe(env, *args)
    assert (done.returncode, done.stderr) == (0, "")


def test_a_closed_pipe_does_not_hide_a_failure(env: dict[str, str]) -> None:
    done = _run_into_closed_pipe(env, "--fake", "complaints", "show", "nope")
    assert done.returncode == 1
    assert done.stderr == "Error: there is no complaint 'nope'\n"
