"""Fixtures shared by the whole suite: a fixed clock, the fake operator, and the contract ``sc``."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from selfcare import AsyncSelfcare, Secret, Selfcare
from selfcare.backends.fake import FakeOperator, ManualClock
from selfcare.backends.fake import _webhooks as webhooks_store
from selfcare.backends.fake._cards import SEEDED_CARDS
from selfcare.backends.fake._signin import demo_password
from selfcare.protocol._http import SelfcareProtocol
from selfcare.tmf import TmfProtocol
from tests._bridge import Bridge, EventLoopThread
from tests._server import LiveServer, SwitchableResolver, fake_server, tmf_server
from tests.tmf._check import SpecCheck

MOSCOW = ZoneInfo("Europe/Moscow")
CLIENT_TIMEOUT = 120.0
"""The HTTP timeout of the contract suite's clients: a safety net, not a measure. On a machine
ten times oversubscribed a spec-checked TMF listing outlasted the SDK's 10 s default; timeouts
themselves are tested with injected faults (tests/reliability), never with a slow machine."""
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=MOSCOW)
"""The instant every fake operator in the suite starts at (unless a test says otherwise)."""

CONFIGURATIONS = [
    "fake-sync",
    "fake-async",
    "http-sync",
    "http-async",
    "tmf-sync",
    "tmf-async",
    "tmf5-sync",
    "tmf5-async",
]
"""Where the contract suite runs: the fake in-process, the reference server over HTTP, the
fake's TMF face through TmfBackend in v4 (``tmf``) and with v5 for the six APIs that have
one (``tmf5``), each sync and async."""

FIGURES: list[str] = []
"""Figures tests report (fault injection, isolation, bad input), printed after the run."""


@pytest.fixture(scope="session")
def report() -> Callable[[str], None]:
    """Record a line of figures to print in the summary at the end of the run."""
    return FIGURES.append


class _LeakWatch(logging.Handler):
    """Checks every log record of the run (message and traceback) for known secrets."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__(logging.DEBUG)
        self.secrets = secrets
        self.records = 0
        self.leaks: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records += 1
        text = record.getMessage()
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        for secret in self.secrets:
            if secret in text:
                where = text.index(secret)
                self.leaks.append(
                    f"{record.name}: a secret ending {secret[-3:]!r} at {where}: {text[:120]}"
                )


def known_secrets() -> list[str]:
    """Tokens and passwords of the seeded subscribers (the same for every seed-42 operator),
    and those seeded card PINs distinctive enough to search for. The seeded demo PINs are
    repeated digits (``55555555555555``) that the fuzzer also generates as ids, so they are
    covered by the payment-card tests' own leak checks instead of this search."""
    operator = FakeOperator(seed=42, clock=ManualClock(NOW))
    tokens = [operator.token(key).reveal() for key in operator.subscribers]
    passwords = [demo_password(key).reveal() for key in operator.subscribers]
    pins = [pin for pin, *_ in SEEDED_CARDS if len(set(pin)) >= 4]
    return tokens + passwords + pins


@pytest.fixture(scope="session", autouse=True)
def no_secret_in_any_log_record(report: Callable[[str], None]) -> Iterator[None]:
    """The whole suite runs with logging at DEBUG (httpx and httpcore included); at the end no
    record may contain a token or a PIN."""
    watch = _LeakWatch(known_secrets())
    made = webhooks_store.new_secret

    def new_secret() -> Secret:  # every webhook signing secret the run makes is watched too
        secret = made()
        watch.secrets.append(secret.reveal())
        return secret

    webhooks_store.new_secret = new_secret  # type: ignore[assignment]
    root = logging.getLogger()
    level = root.level
    root.addHandler(watch)
    root.setLevel(logging.DEBUG)
    yield
    root.removeHandler(watch)
    root.setLevel(level)
    webhooks_store.new_secret = made  # type: ignore[assignment]
    report(
        f"secrets: {watch.records} log records at DEBUG checked for "
        f"{len(watch.secrets)} tokens, passwords and webhook secrets: {len(watch.leaks)} leaks"
    )
    assert not watch.leaks, watch.leaks[:5]


def pytest_sessionfinish(session: pytest.Session) -> None:
    """On a pytest-xdist worker, hand the figures to the controller, which prints them."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        worker = session.config.workerinput["workerid"]  # type: ignore[attr-defined]
        workeroutput["selfcare_figures"] = [f"[{worker}] {line}" for line in FIGURES]


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """The controller collects each worker's figures as the worker finishes."""
    FIGURES.extend(getattr(node, "workeroutput", {}).get("selfcare_figures", []))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if FIGURES:
        terminalreporter.section("selfcare figures")
        for line in FIGURES:
            terminalreporter.write_line(line)


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


@pytest.fixture(scope="session")
def live_server() -> Iterator[tuple[LiveServer, SwitchableResolver]]:
    """The reference server on 127.0.0.1, serving the current test's fake operator."""
    server, resolver = fake_server()
    with server:
        yield server, resolver


@pytest.fixture(scope="session")
def tmf_live_server() -> Iterator[tuple[LiveServer, SwitchableResolver, SpecCheck]]:
    """The TMF face of the fake on 127.0.0.1, every exchange checked against the TMF specs."""
    checks: list[SpecCheck] = []

    def wrap(app: object) -> SpecCheck:
        checks.append(SpecCheck(app))
        return checks[0]

    server, resolver = tmf_server(wrap)
    with server:
        yield server, resolver, checks[0]


@pytest.fixture(scope="session")
def tmf5_live_server() -> Iterator[tuple[LiveServer, SwitchableResolver, SpecCheck]]:
    """The TMF face with v5 for TMF666, 678, 620, 637, 622 and 621 (``--tmf-version 5``),
    every exchange checked against the v5 (or, for the other APIs, v4) spec files."""
    checks: list[SpecCheck] = []

    def wrap(app: object) -> SpecCheck:
        checks.append(SpecCheck(app))
        return checks[0]

    server, resolver = tmf_server(wrap, version=5)
    with server:
        yield server, resolver, checks[0]


def capabilities_of(configuration: str) -> frozenset[str]:
    """What a configuration's backend can do, known without building its client (the sign-in
    tests use no ``sc``): TMF's mapping, or the selfcare protocol, which carries everything
    the fake does (``tests/contract/test_signin.py`` checks the two agree)."""
    if configuration.startswith("tmf"):
        return TmfProtocol().capabilities
    return SelfcareProtocol().capabilities


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    """People's words in English whatever the machine's LANG (tests of other languages set
    SELFCARE_LANG themselves); subprocesses inherit it."""
    monkeypatch.setenv("SELFCARE_LANG", "en")


@pytest.fixture(autouse=True)
def _requires_capability(request: pytest.FixtureRequest) -> None:
    """``@pytest.mark.requires(Capability.X, ...)``: skip where the backend lacks one of them;
    ``@pytest.mark.lacks(Capability.X, ...)``: skip where it has them all (a test of what a
    backend without them does). The backend is ``sc``'s, or the configuration's."""
    needed = {cap for marker in request.node.iter_markers("requires") for cap in marker.args}
    absent = {cap for marker in request.node.iter_markers("lacks") for cap in marker.args}
    if not (needed or absent) or "configuration" not in request.fixturenames:
        return
    configuration = request.getfixturevalue("configuration")
    if "sc" in request.fixturenames:
        have = request.getfixturevalue("sc").capabilities
    else:
        have = capabilities_of(configuration)
    if needed - have:
        pytest.skip(f"{configuration} does not support {sorted(needed - have)}")
    if absent and absent <= have:
        pytest.skip(f"{configuration} supports {sorted(absent)}: nothing to refuse")


@pytest.fixture(params=CONFIGURATIONS)
def configuration(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def sc(
    configuration: str,
    operator: FakeOperator,
    loop_thread: EventLoopThread,
    request: pytest.FixtureRequest,
) -> Iterator[Selfcare | Bridge]:
    """The demo subscriber's client, in every configuration the contract suite covers:
    the fake in-process, the reference server over HTTP, and the fake's TMF face through
    TmfBackend, each sync and async."""
    if configuration == "fake-sync":
        with Selfcare.fake(operator=operator) as client:
            yield client
        return
    if configuration == "fake-async":
        client = AsyncSelfcare.fake(operator=operator)
        yield Bridge(client, loop_thread)
        loop_thread.run(client.aclose())
        return
    token = operator.token().reveal()
    if configuration.startswith("tmf"):
        version = 5 if configuration.startswith("tmf5") else 4
        fixture = "tmf5_live_server" if version == 5 else "tmf_live_server"
        tmf, tmf_resolver, check = request.getfixturevalue(fixture)
        tmf_resolver.use(operator)
        check.violations.clear()
        if configuration.endswith("-sync"):
            with Selfcare.tmf(
                base_url=tmf.url, token=token, version=version, timeout=CLIENT_TIMEOUT
            ) as client:
                yield client
        else:
            aclient = AsyncSelfcare.tmf(
                base_url=tmf.url, token=token, version=version, timeout=CLIENT_TIMEOUT
            )
            yield Bridge(aclient, loop_thread)
            loop_thread.run(aclient.aclose())
        assert not check.violations, "TMF exchanges broke the official specs:\n" + "\n".join(
            check.violations[:20]
        )
        return
    server, resolver = request.getfixturevalue("live_server")
    resolver.use(operator)
    if configuration == "http-sync":
        with Selfcare(base_url=server.url, token=token, timeout=CLIENT_TIMEOUT) as client:
            yield client
    else:
        aclient = AsyncSelfcare(base_url=server.url, token=token, timeout=CLIENT_TIMEOUT)
        yield Bridge(aclient, loop_thread)
        loop_thread.run(aclient.aclose())
