"""``login --number`` (password or one-time code) and ``logout`` ending the session, against
the reference server on 127.0.0.1. Passwords and codes never appear in any output."""

from __future__ import annotations

import io
import json
import stat
from collections.abc import Callable
from pathlib import Path

import keyring
import pytest
from click.testing import CliRunner, Result

from selfcare import Selfcare
from selfcare._errors import AuthenticationError
from selfcare.backends.fake import FakeOperator
from selfcare.cli._app import cli
from selfcare.cli._context import State
from selfcare.model import PhoneNumber
from tests._server import LiveServer, SwitchableResolver
from tests.cli.test_auth import MemoryKeyring

PASSWORD = "demo-password-1"  # the fake's demo password
NUMBER = "+7 916 555-01-23"
TYPED = "8 916 555-01-23"


@pytest.fixture
def served(
    live_server: tuple[LiveServer, SwitchableResolver], operator: FakeOperator
) -> tuple[str, SwitchableResolver]:
    server, resolver = live_server
    resolver.use(operator)
    return server.url, resolver


def cli_run(*args: str, input: str | io.BufferedIOBase | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input, obj=State(), env={"COLUMNS": "200"})


class LateInput(io.RawIOBase):
    """Standard input whose text is made only when first read (after the code was sent)."""

    def __init__(self, make: Callable[[], str]) -> None:
        self._make = make
        self._data: bytes | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._data is None:
            self._data = self._make().encode()
        size = min(len(buffer), len(self._data))
        buffer[:size] = self._data[:size]
        self._data = self._data[size:]
        return size


def code_of(resolver: SwitchableResolver) -> str:
    return resolver.last_code(PhoneNumber.parse(NUMBER)).code.reveal()


def everything(result: Result, config: Path) -> str:
    """All a run showed, plus every file it left in the config directory."""
    files = "".join(p.read_text() for p in config.rglob("*") if p.is_file())
    return result.output + result.stderr + files


def test_password_login_stores_the_session_token_privately_and_hides_the_password(
    served: tuple[str, SwitchableResolver], isolated_config: Path
) -> None:
    url, _ = served
    result = cli_run("--base-url", url, "login", "--number", TYPED, input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "Password" in result.output
    assert "Anna Smirnova" in result.stderr and "password" in result.stderr
    assert "session lasts until" in result.stderr
    assert PASSWORD not in everything(result, isolated_config)

    token_file = isolated_config / "tokens" / "default.token"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    access = token_file.read_text()
    assert access and access not in result.output
    profiles = json.loads((isolated_config / "profiles.json").read_text())
    assert profiles == {"profiles": {"default": {"base_url": url, "token_store": "file"}}}

    balance = cli_run("balance", "--json")
    assert balance.exit_code == 0, balance.output
    assert json.loads(balance.stdout)["amount"]["currency"] == "RUB"
    logins = cli_run("history", "logins", "--json", "--limit", "1")
    assert json.loads(logins.stdout)["method"] == "password"

    # logout ends the session on the server: the stored token stops working there too.
    out = cli_run("logout")
    assert out.exit_code == 0, out.output
    assert "session is ended" in out.stderr
    assert not token_file.exists()
    with (
        Selfcare(base_url=url, token=access) as sc,
        pytest.raises(AuthenticationError),
    ):
        sc.account.get()


def test_password_from_stdin_into_the_keyring(
    served: tuple[str, SwitchableResolver], isolated_config: Path
) -> None:
    url, _ = served
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    args = ["--base-url", url, "--profile", "work", "login", "--number", NUMBER]
    result = cli_run(*args, "--password-stdin", input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "Password" not in result.output  # no prompt
    assert PASSWORD not in everything(result, isolated_config)
    assert "keyring" in result.stderr
    assert list(memory.store) == [("selfcare", "work")]
    assert PASSWORD not in memory.store.values()
    assert cli_run("--profile", "work", "balance").exit_code == 0
    assert cli_run("--profile", "work", "logout").exit_code == 0
    assert memory.store == {}


def test_a_wrong_password_saves_nothing_and_is_not_shown(
    served: tuple[str, SwitchableResolver], isolated_config: Path
) -> None:
    url, _ = served
    wrong = "not-the-password-42"
    for debug in ([], ["--debug"]):
        args = [*debug, "--base-url", url, "login", "--number", NUMBER, "--password-stdin"]
        result = cli_run(*args, input=wrong + "\n")
        assert result.exit_code == 1, result.output
        assert wrong not in everything(result, isolated_config)
    assert not (isolated_config / "profiles.json").exists()


def test_one_time_code_from_the_hidden_prompt(
    served: tuple[str, SwitchableResolver], isolated_config: Path
) -> None:
    url, resolver = served
    codes: list[str] = []

    def the_code() -> str:
        codes.append(code_of(resolver))
        return codes[-1] + "\n"

    args = ["--base-url", url, "login", "--number", TYPED, "--code"]
    result = cli_run(*args, input=io.BufferedReader(LateInput(the_code)))
    assert result.exit_code == 0, result.output
    assert "sent to +7 916 555-01-23" in result.stderr and "Code" in result.output
    assert codes and codes[0] not in everything(result, isolated_config)
    assert "one-time code" in result.stderr
    logins = cli_run("history", "logins", "--json", "--limit", "1")
    assert json.loads(logins.stdout)["method"] == "otp"
    assert cli_run("logout").exit_code == 0


def test_one_time_code_from_stdin_and_a_wrong_code_asked_again(
    served: tuple[str, SwitchableResolver], isolated_config: Path
) -> None:
    url, resolver = served
    args = ["--base-url", url, "login", "--number", NUMBER]
    piped = cli_run(
        *args, "--code-stdin", input=io.BufferedReader(LateInput(lambda: code_of(resolver)))
    )
    assert piped.exit_code == 0, piped.output
    assert "Code" not in piped.output

    right: list[str] = []

    def wrong_then_right() -> str:
        right.append(code_of(resolver))
        wrong = "000000" if right[0] != "000000" else "111111"
        return f"{wrong}\n{right[0]}\n"

    typed = cli_run(*args, "--code", input=io.BufferedReader(LateInput(wrong_then_right)))
    assert typed.exit_code == 0, typed.output
    assert "did not work" in typed.stderr
    assert right[0] not in everything(typed, isolated_config)


def test_sign_in_options_are_checked_before_anything_is_sent(served: tuple[str, object]) -> None:
    url = served[0]
    for args in (
        ["login", "--code"],
        ["login", "--password-stdin"],
        ["login", "--number", NUMBER, "--token-stdin"],
        ["login", "--number", NUMBER, "--password-stdin", "--code"],
        ["--token", "t", "login", "--number", NUMBER],
    ):
        result = cli_run("--base-url", url, *args, input="x\n")
        assert result.exit_code == 2, (args, result.output)
    bad = cli_run("--base-url", url, "login", "--number", "abc", "--password-stdin", input="x\n")
    assert bad.exit_code == 2 and "abc" in bad.stderr


def test_logout_of_an_api_token_only_forgets_it(
    served: tuple[str, SwitchableResolver], operator: FakeOperator
) -> None:
    url, _ = served
    token = operator.token().reveal()
    assert cli_run("--base-url", url, "login", "--token-stdin", input=token + "\n").exit_code == 0
    out = cli_run("logout")
    assert out.exit_code == 0, out.output
    assert "session" not in out.stderr
    with Selfcare(base_url=url, token=token) as sc:  # the API token still works
        assert sc.account.get().holder


def test_logout_of_a_session_that_already_ended_still_forgets_it(
    served: tuple[str, SwitchableResolver], isolated_config: Path
) -> None:
    url, _ = served
    args = ["--base-url", url, "login", "--number", NUMBER, "--password-stdin"]
    assert cli_run(*args, input=PASSWORD + "\n").exit_code == 0
    access = (isolated_config / "tokens" / "default.token").read_text()
    with Selfcare(base_url=url, token=access) as sc:
        sc.logout()
    out = cli_run("logout")
    assert out.exit_code == 0, out.output
    assert not (isolated_config / "profiles.json").read_text().count("default")


def test_lockout_after_five_wrong_passwords_says_how_long(
    served: tuple[str, SwitchableResolver], isolated_config: Path
) -> None:
    url, _ = served
    args = ["--base-url", url, "login", "--number", NUMBER, "--password-stdin"]
    for _ in range(5):
        assert cli_run(*args, input="wrong-password\n").exit_code == 1
    locked = cli_run(*args, input=PASSWORD + "\n")
    assert locked.exit_code == 1
    assert "locked" in locked.stderr and "try again in" in locked.stderr
    assert PASSWORD not in everything(locked, isolated_config)
    assert not (isolated_config / "profiles.json").exists()
