"""Fixtures shared by the whole suite: a fixed clock, the fake operator, and the contract ``sc``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from selfcare import AsyncSelfcare, Selfcare
from selfcare.backends.fake import FakeOperator, ManualClock
from tests._bridge import Bridge, EventLoopThread

MOSCOW = ZoneInfo("Europe/Moscow")
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=MOSCOW)
"""The instant every fake operator in the suite starts at (unless a test says otherwise)."""

CONFIGURATIONS = ["fake-sync", "fake-async"]


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(NOW)


@pytest.fixture
def operator(clock: ManualClock) -> FakeOperator:
    """A fresh fake operator for tests that change state."""
    return FakeOperator(seed=42, clock=clock)


@pytest.fixture(scope="session")
def loop_thread() -> Iterator[EventLoopThread]:
    runner = EventLoopThread()
    yield runner
    runner.close()


@pytest.fixture(params=CONFIGURATIONS)
def configuration(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def sc(
    configuration: str, operator: FakeOperator, loop_thread: EventLoopThread
) -> Iterator[Selfcare | Bridge]:
    """The demo subscriber's client, in every configuration the contract suite covers."""
    if configuration == "fake-sync":
        with Selfcare.fake(operator=operator) as client:
            yield client
    elif configuration == "fake-async":
        client = AsyncSelfcare.fake(operator=operator)
        yield Bridge(client, loop_thread)
        loop_thread.run(client.aclose())
    else:  # pragma: no cover
        raise AssertionError(configuration)
