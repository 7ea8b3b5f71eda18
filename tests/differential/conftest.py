"""Clients for the differential suite: every configuration of the contract suite, each on its
own identically seeded fake operator with its own clock at :data:`tests.conftest.NOW`,
served by the session's shared servers (the native face and the TMF face)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from selfcare import AsyncSelfcare, Selfcare
from selfcare.backends.fake import FakeOperator, ManualClock
from tests._bridge import Bridge
from tests.conftest import CONFIGURATIONS, NOW
from tests.differential._scenarios import READS, WRITES, Steps

REFERENCE = "fake-sync"
OTHERS = [c for c in CONFIGURATIONS if c != REFERENCE]

Recorded = dict[str, list[tuple[str, Any]]]
Open = Callable[[str, FakeOperator], Any]


@pytest.fixture(scope="session")
def open_client(request: pytest.FixtureRequest, loop_thread: Any) -> Open:
    """``with open_client(configuration, operator) as sc``: the demo subscriber's client on
    ``operator`` in that configuration (the servers are started on first use and shared)."""

    @contextmanager
    def open_(configuration: str, operator: FakeOperator) -> Iterator[Any]:
        if configuration == "fake-sync":
            with Selfcare.fake(operator=operator) as client:
                yield client
            return
        if configuration == "fake-async":
            aclient = AsyncSelfcare.fake(operator=operator)
            try:
                yield Bridge(aclient, loop_thread)
            finally:
                loop_thread.run(aclient.aclose())
            return
        token = operator.token().reveal()
        if configuration.startswith("tmf"):
            version = 5 if configuration.startswith("tmf5") else 4
            fixture = "tmf5_live_server" if version == 5 else "tmf_live_server"
            server, resolver, check = request.getfixturevalue(fixture)
            resolver.use(operator)
            check.violations.clear()
            make = Selfcare.tmf if configuration.endswith("-sync") else AsyncSelfcare.tmf
            client = make(base_url=server.url, token=token, version=version)
        else:
            server, resolver = request.getfixturevalue("live_server")
            resolver.use(operator)
            make = Selfcare if configuration == "http-sync" else AsyncSelfcare
            client = make(base_url=server.url, token=token)
        try:
            if isinstance(client, AsyncSelfcare):
                yield Bridge(client, loop_thread)
            else:
                yield client
        finally:
            if isinstance(client, AsyncSelfcare):
                loop_thread.run(client.aclose())
            else:
                client.close()
        if configuration.startswith("tmf"):
            assert not check.violations, "TMF exchanges broke the specs:\n" + "\n".join(
                check.violations[:20]
            )

    return open_


@pytest.fixture(scope="session")
def recorded(operated: Callable[[str], Any]) -> Callable[[str], Recorded]:
    """``recorded(configuration)``: every scenario's steps as that configuration answered
    them, run once per session (reads, then writes in order) on a fresh operator."""

    def run(configuration: str) -> Recorded:
        return operated(configuration)[0]

    return run


@pytest.fixture(scope="session")
def operated(open_client: Open) -> Callable[[str], tuple[Recorded, FakeOperator, ManualClock]]:
    """``operated(configuration)``: what ``recorded`` gives, and the operator and clock the
    scenarios left behind (the same state for every configuration that does everything)."""
    cache: dict[str, tuple[Recorded, FakeOperator, ManualClock]] = {}

    def run(configuration: str) -> tuple[Recorded, FakeOperator, ManualClock]:
        if configuration not in cache:
            clock = ManualClock(NOW)
            operator = FakeOperator(seed=42, clock=clock)
            with open_client(configuration, operator) as sc:
                steps = Steps(sc, clock)
                for name, scenario in READS.items():
                    steps.scenario(f"read {name}", scenario)
                for name, scenario in WRITES.items():
                    steps.scenario(f"write {name}", scenario)
            cache[configuration] = (steps.recorded, operator, clock)
        return cache[configuration]

    return run
