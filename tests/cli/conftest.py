"""The CLI under CliRunner, on one fake operator shared by the invocations of a test.

Nothing here touches the real keyring or config directory: ``SELFCARE_CONFIG_DIR`` points at a
temporary directory and the keyring is the ``fail`` backend (no keyring) unless a test installs
an in-memory one.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import keyring
import keyring.backends.fail
import pytest
from click.testing import CliRunner, Result

from selfcare import Selfcare
from selfcare.backends.fake import FakeOperator, ManualClock
from selfcare.cli._app import cli
from selfcare.cli._context import State

Run = Callable[..., Result]


@pytest.fixture(autouse=True)
def isolated_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    config = tmp_path / "config"
    monkeypatch.setenv("SELFCARE_CONFIG_DIR", str(config))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    for name in ("SELFCARE_BASE_URL", "SELFCARE_TOKEN", "SELFCARE_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    yield config
    keyring.set_keyring(previous)


@pytest.fixture
def run(operator: FakeOperator) -> Run:
    """``run("balance", "--json")`` runs ``selfcare --fake balance --json`` on ``operator``."""

    def invoke(*args: str, input: str | None = None, fake: bool = True, **kwargs: Any) -> Result:
        argv = (["--fake"] if fake else []) + list(args)
        return CliRunner().invoke(
            cli,
            argv,
            input=input,
            obj=State(operator=operator),
            env={"COLUMNS": "200"},
            **kwargs,
        )

    return invoke


def lines(result: Result) -> list[dict[str, Any]]:
    """The JSON Lines on a result's standard output (each must parse)."""
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def ok(result: Result) -> str:
    assert result.exit_code == 0, (result.exit_code, result.output, result.exception)
    return result.stdout


def happenings(operator: FakeOperator) -> str:
    """Three events after the returned id: a forwarding change, a delivery, a payment."""
    sc = Selfcare.fake(operator=operator)
    sc.services.connect("content-block")
    start = next(iter(sc.events.list())).id
    sc.forwarding.set("busy", "+79167654321")
    sc.messages.send_sms("+79161234567", "hi")
    assert isinstance(operator.clock, ManualClock)
    operator.clock.advance(timedelta(seconds=6))
    sc.payments.pay(100, method="card:tok_visa_4242")
    return start


def record_serves(monkeypatch: pytest.MonkeyPatch, keep: Callable[[Any], Any]) -> list[Any]:
    """What ``keep`` takes of each uvicorn config ``selfcare serve`` would have run: uvicorn's
    ``run`` recorded, not run, and the heap freeze before it skipped (it would freeze this
    test process's heap)."""
    import uvicorn

    from selfcare.server import _live

    kept: list[Any] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets: kept.append(keep(self.config)))
    monkeypatch.setattr(_live, "gc", SimpleNamespace(collect=lambda: 0, freeze=lambda: None))
    return kept
