"""``selfcare --help`` and each command load only what they need (never timed: what is loaded).

The root group lists its commands from ``COMMANDS`` in ``selfcare.cli._app`` and imports a
command's module when that command runs; these tests keep the table true to the commands and
the help exactly what click prints for the commands themselves.
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import subprocess
import sys

import click
import pytest

import selfcare.cli.commands
from selfcare.cli._app import COMMANDS

RUN_CLI = "import sys; from selfcare.cli import main; sys.argv[0] = 'selfcare'; main()"
HEAVY = {
    "selfcare.backends.fake",
    "selfcare.tmf",
    "selfcare.server",
    "selfcare._async._client",
    "httpx",
    "rich",
    "vobject",
    "pandas",
    "pyarrow",
    "babel",
}


def _run(*args: str, load_all_first: bool = False) -> tuple[str, set[str]]:
    """``selfcare ARGS`` in a fresh interpreter: its output and the modules it had loaded."""
    load_all = (
        "from selfcare.cli._app import cli\n"
        "import click\n"
        "ctx = click.Context(cli)\n"
        "[cli.get_command(ctx, name) for name in cli.list_commands(ctx)]\n"
    )
    probe = (
        "import atexit, json, sys\n"
        "atexit.register(lambda: sys.__stderr__.write('\\n' + json.dumps(sorted(sys.modules))))\n"
        + (load_all if load_all_first else "")
        + RUN_CLI
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "100"},
        timeout=120,  # a hang guard only
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout, set(json.loads(done.stderr.splitlines()[-1]))


def _command_modules(loaded: set[str]) -> set[str]:
    return {name.rsplit(".", 1)[1] for name in loaded if name.startswith("selfcare.cli.commands.")}


def test_the_table_names_every_command_where_it_is_defined() -> None:
    defined: dict[str, tuple[str, click.Command]] = {}
    for info in pkgutil.iter_modules(selfcare.cli.commands.__path__):
        module = importlib.import_module(f"selfcare.cli.commands.{info.name}")
        for command in getattr(module, "COMMANDS", []):
            assert command.name not in defined, command.name
            defined[command.name] = (info.name, command)
    assert sorted(defined) == sorted(COMMANDS)
    for name, (module, _) in defined.items():
        assert COMMANDS[name][0] == module, name


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_table_lists_each_command_as_its_own_help_would(name: str) -> None:
    module = importlib.import_module(f"selfcare.cli.commands.{COMMANDS[name][0]}")
    (command,) = [command for command in module.COMMANDS if command.name == name]
    listed = click.Command(name, help=COMMANDS[name][1])
    assert not command.hidden and not command.deprecated
    for limit in range(10, 130):
        assert listed.get_short_help_str(limit) == command.get_short_help_str(limit), limit


def test_help_loads_no_command_and_prints_what_the_commands_would() -> None:
    lazy, loaded = _run("--help")
    assert "Commands:" in lazy and "balance" in lazy
    assert _command_modules(loaded) == set()
    assert sorted(loaded & HEAVY) == []
    eager, loaded_all = _run("--help", load_all_first=True)
    assert _command_modules(loaded_all) == {COMMANDS[name][0] for name in COMMANDS}
    assert lazy == eager


def test_a_command_loads_its_own_module_only() -> None:
    output, loaded = _run("--fake", "balance", "--json")
    assert json.loads(output)
    assert _command_modules(loaded) == {"account"}
    assert "selfcare.server" not in loaded and "selfcare.tmf" not in loaded
    _, loaded = _run("sms", "--help")
    assert _command_modules(loaded) == {"messaging", "usage"}  # messaging builds on usage
    assert "selfcare.backends.fake" not in loaded
