"""``login``/``logout`` and profiles: tokens in the keyring or a private file, never a PIN."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import keyring
import pytest
from click.testing import CliRunner, Result
from keyring.backend import KeyringBackend

from selfcare.backends.fake import FakeOperator
from selfcare.cli._app import cli
from selfcare.cli._context import State
from tests._server import LiveServer, SwitchableResolver


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in a dict (the real one is never touched)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        del self.store[(service, username)]


@pytest.fixture
def server(live_server: tuple[LiveServer, SwitchableResolver], operator: FakeOperator) -> str:
    served, resolver = live_server
    resolver.use(operator)
    return served.url


def cli_run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input, obj=State(), env={"COLUMNS": "200"})


def test_login_without_keyring_keeps_the_token_in_a_private_file(
    server: str, operator: FakeOperator, isolated_config: Path
) -> None:
    token = operator.token().reveal()
    result = cli_run("--base-url", server, "login", "--token-stdin", input=token + "\n")
    assert result.exit_code == 0, result.output
    assert "Anna Smirnova" in result.stderr and token not in result.output
    token_file = isolated_config / "tokens" / "default.token"
    assert token_file.read_text() == token
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    profiles = json.loads((isolated_config / "profiles.json").read_text())
    assert profiles == {"profiles": {"default": {"base_url": server, "token_store": "file"}}}
    assert token not in (isolated_config / "profiles.json").read_text()

    # The saved profile is used when no server is given.
    balance = cli_run("balance", "--json")
    assert balance.exit_code == 0, balance.output
    assert json.loads(balance.stdout)["amount"]["currency"] == "RUB"

    assert cli_run("logout").exit_code == 0
    assert not token_file.exists()
    assert cli_run("balance").exit_code == 2
    again = cli_run("logout")
    assert again.exit_code == 2 and "'default'" in again.stderr


def test_login_prefers_the_keyring_and_prompts_hidden(
    server: str, operator: FakeOperator, isolated_config: Path
) -> None:
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    token = operator.token().reveal()
    result = cli_run("--base-url", server, "--profile", "work", "login", input=token + "\n")
    assert result.exit_code == 0, result.output
    assert token not in result.output  # the prompt hides what is typed
    assert memory.store == {("selfcare", "work"): token}
    assert not (isolated_config / "tokens" / "work.token").exists()
    assert "keyring" in result.stderr

    assert cli_run("--profile", "work", "balance").exit_code == 0
    assert cli_run("balance").exit_code == 2  # no 'default' profile
    missing = cli_run("--profile", "home", "balance")
    assert missing.exit_code == 2 and "'home'" in missing.stderr

    assert cli_run("--profile", "work", "logout").exit_code == 0
    assert memory.store == {}


def test_login_with_a_bad_token_saves_nothing(server: str, isolated_config: Path) -> None:
    result = cli_run("--base-url", server, "login", "--token-stdin", input="nonsense-token\n")
    assert result.exit_code == 1
    assert "nonsense-token" not in result.output
    assert not (isolated_config / "profiles.json").exists()


def test_login_needs_a_server_and_refuses_the_fake() -> None:
    assert cli_run("login", "--token-stdin", input="t\n").exit_code == 2
    result = cli_run("--fake", "login")
    assert result.exit_code == 2 and "--fake" in result.stderr


def test_bad_profile_name_is_refused() -> None:
    result = cli_run("--profile", "../etc", "--base-url", "http://x", "login", input="t\n")
    assert result.exit_code == 2 and "'../etc'" in result.stderr


def test_a_damaged_profiles_file_is_one_readable_error(isolated_config: Path) -> None:
    isolated_config.mkdir(parents=True)
    (isolated_config / "profiles.json").write_text('{"profiles": {"default": {}}}')
    result = cli_run("balance")
    assert result.exit_code == 2 and "damaged" in result.stderr
    assert "Traceback" not in result.output
