"""One behaviour on every backend: each scenario's answers over HTTP and TMF, sync and async,
and on the async fake, are EQUAL to the sync fake's — values, types, time zones, order, and
errors (class and ``field``). Steps a backend cannot do (NotSupported) are left out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.differential._compare import Raised, first_difference
from tests.differential._scenarios import NOT_SUPPORTED, READS, WRITES
from tests.differential.conftest import OTHERS, REFERENCE, Recorded

SCENARIOS = [f"read {name}" for name in READS] + [f"write {name}" for name in WRITES]

_CHANNEL = (
    "since the start[0].channel: the operation log names the channel an operation came "
    "through: 'sdk' for the fake in process, 'api' through the reference server "
    "(FakeResolver's backends), so every entry differs"
)
KNOWN: dict[tuple[str, str], str] = {
    ("write operation log", "http-sync"): _CHANNEL,
    ("write operation log", "http-async"): _CHANNEL,
}
"""Differences found and not fixed yet: (scenario, configuration) → the exact difference.
Each is a strict xfail, so it shows in every run and fails loudly once it is fixed."""


def differences(reference: list[tuple[str, Any]], other: list[tuple[str, Any]]) -> list[str]:
    """The first difference of each step (steps unsupported on either side are skipped)."""
    found = []
    if [name for name, _ in reference] != [name for name, _ in other]:
        return [f"other steps: {[n for n, _ in reference]} != {[n for n, _ in other]}"]
    for (name, expected), (_, got) in zip(reference, other, strict=True):
        if NOT_SUPPORTED in (expected, got):
            continue
        difference = first_difference(expected, got, name)
        if difference is not None:
            found.append(difference)
    return found


def _params() -> list[Any]:
    params = []
    for scenario in SCENARIOS:
        for configuration in OTHERS:
            reason = KNOWN.get((scenario, configuration))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            params.append(pytest.param(scenario, configuration, marks=marks))
    return params


@pytest.mark.parametrize(("scenario", "configuration"), _params())
def test_same_answers_as_the_fake(
    scenario: str, configuration: str, recorded: Callable[[str], Recorded]
) -> None:
    reference = recorded(REFERENCE)[scenario]
    found = differences(reference, recorded(configuration)[scenario])
    assert not found, f"{configuration} differs from {REFERENCE} in {scenario!r}:\n" + "\n".join(
        found
    )


def test_the_reference_answers_every_step(recorded: Callable[[str], Recorded]) -> None:
    """The fake does everything, so no reference step is unsupported; and the scenarios are
    not vacuous: most steps succeed (the invalid ones are meant to fail)."""
    steps = [outcome for scenario in SCENARIOS for _, outcome in recorded(REFERENCE)[scenario]]
    assert NOT_SUPPORTED not in steps
    failed = [outcome for outcome in steps if isinstance(outcome, Raised)]
    assert len(failed) < len(steps) / 3, failed
