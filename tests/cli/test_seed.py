"""One --seed, the global one, and every command that starts a fake operator honours it."""

import pytest
from click.testing import CliRunner

from selfcare import Selfcare
from selfcare.backends.fake._clock import SystemClock
from selfcare.cli._app import cli
from tests.conftest import NOW

ENV = {"COLUMNS": "120"}


@pytest.fixture(autouse=True)
def _pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every fake these tests start sees one instant: the tests compare the output of two
    runs, whose seeded histories end at "now" and would differ across a minute boundary."""
    monkeypatch.setattr(SystemClock, "now", lambda self: NOW)


def _demo(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), env=ENV)
    assert result.exit_code == 0, result.output
    return result.output


def _balance(seed: int) -> str:
    with Selfcare.fake(seed=seed) as sc:
        # as the CLI shows money: in the account's locale (Money.format)
        return sc.account.balance().amount.format(default=sc.account.get().locale)


def test_the_global_seed_reaches_demo() -> None:
    seven, forty_two = _balance(7), _balance(42)
    assert seven != forty_two
    shown = _demo("--seed", "7", "demo")
    assert seven in shown and forty_two not in shown
    assert forty_two in _demo("demo")


def test_the_old_per_command_seed_still_works_and_says_where_it_goes() -> None:
    result = CliRunner().invoke(cli, ["demo", "--seed", "7"], env=ENV)
    assert result.exit_code == 0, result.output
    assert "selfcare --seed N demo" in result.output
    assert _demo("--seed", "7", "demo") in result.output


def test_the_global_seed_reaches_fake_commands() -> None:
    assert _balance(7) in _demo("--fake", "--seed", "7", "balance")


def test_the_per_command_seed_is_not_advertised() -> None:
    for command in ("demo", "serve"):
        assert "--seed" not in _demo(command, "--help").split("Options:")[1]
