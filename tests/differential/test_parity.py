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

KNOWN: dict[tuple[str, str], str] = {}
"""Differences found and not fixed yet: (scenario, configuration) → the exact difference.
Each is a strict xfail, so it shows in every run and fails loudly once it is fixed."""

DELIBERATE: dict[tuple[str, str], dict[str, Any]] = {
    # docs/history.md: an operation's channel is where it came from.
    ("write operation log", "channels"): {
        "fake-sync": ["sdk"],
        "fake-async": ["sdk"],
        "http-sync": ["api"],
        "http-async": ["api"],
        "tmf-sync": NOT_SUPPORTED,
        "tmf-async": NOT_SUPPORTED,
    },
}
"""Documented differences: (scenario, step) → what each configuration answers. They are
left out of the comparison and checked against these values instead."""


def differences(reference: list[tuple[str, Any]], other: list[tuple[str, Any]]) -> list[str]:
    """The first difference of each step (steps unsupported on either side are skipped)."""
    found = []
    if [name for name, _ in reference] != [name for name, _ in other]:
        return [f"other steps: {[n for n, _ in reference]} != {[n for n, _ in other]}"]
    for (name, expected), (_, got) in zip(reference, other, strict=True):
        if NOT_SUPPORTED in (expected, got) or any(step == name for _, step in DELIBERATE):
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


@pytest.mark.parametrize(("scenario", "step"), list(DELIBERATE))
def test_documented_differences(
    scenario: str, step: str, recorded: Callable[[str], Recorded]
) -> None:
    answers = {
        configuration: dict(recorded(configuration)[scenario])[step]
        for configuration in DELIBERATE[scenario, step]
    }
    assert answers == DELIBERATE[scenario, step]
