"""The reference server on 127.0.0.1 for the contract suite, serving each test's operator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from selfcare._secret import Secret
from selfcare.backends.fake import FakeOperator
from selfcare.model import PhoneNumber
from selfcare.server import FakeResolver, LiveServer, MobileNetwork, create_app, create_tmf_app
from selfcare.server.tmf.hub import TmfHubs
from selfcare.tmf import DEFAULT_PROFILE

DEVICE = "127.0.0.2"
"""The address of the demo subscriber's phone on mobile data (network sign-in)."""
DEVICE_LINE = "+79165550123"


class SwitchableResolver:
    """Serves whichever fake operator the current test installed."""

    def __init__(self) -> None:
        self.resolver: FakeResolver | None = None
        self.hubs: TmfHubs | None = None
        """The TMF face's hubs (``tmf_server``): tests run ``deliver()`` themselves."""
        self.listener: Callable[[httpx.Request], httpx.Response] | None = None
        """Where the hubs' POSTs go (behind ``httpx.MockTransport``); 503 when unset."""

    def use(self, operator: FakeOperator) -> None:
        self.resolver = FakeResolver(operator)
        self.listener = None  # the hubs are the operator's: a new operator has none

    @property
    def operator(self) -> FakeOperator | None:
        """The installed operator, which keeps the TMF face's hubs (``None``: none yet)."""
        return None if self.resolver is None else self.resolver.operator

    def _listen(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(503) if self.listener is None else self.listener(request)

    def __call__(self, token: Secret) -> Any:
        assert self.resolver is not None, "no operator installed"
        return self.resolver(token)

    def public(self, client: str | None = None) -> Any:
        assert self.resolver is not None, "no operator installed"
        return self.resolver.public(client)

    def last_code(self, number: PhoneNumber) -> Any:
        assert self.resolver is not None, "no operator installed"
        return self.resolver.last_code(number)

    def reset(self) -> Any:
        assert self.resolver is not None, "no operator installed"
        return self.resolver.reset()

    def now(self) -> Any:
        assert self.resolver is not None, "no operator installed"
        return self.resolver.now()

    def network_sign_in(self, number: PhoneNumber, client: str | None, scopes: Any) -> Any:
        assert self.resolver is not None, "no operator installed"
        return self.resolver.network_sign_in(number, client, scopes)

    def session_of(self, token: Secret) -> Any:
        assert self.resolver is not None, "no operator installed"
        return self.resolver.session_of(token)

    def revoke(self, token: Secret) -> None:
        assert self.resolver is not None, "no operator installed"
        self.resolver.revoke(token)

    def advance_clock(self, delta: Any) -> Any:
        assert self.resolver is not None, "no operator installed"
        return self.resolver.advance_clock(delta)

    def tmf_documents(self, token: Secret, line: Any = None, *, writing: bool = False) -> Any:
        assert self.resolver is not None, "no operator installed"
        return self.resolver.tmf_documents(token, line, writing=writing)


def fake_server() -> tuple[LiveServer, SwitchableResolver]:
    resolver = SwitchableResolver()
    network = MobileNetwork.parse([f"{DEVICE}={DEVICE_LINE}"])  # a phone on mobile data
    return LiveServer(create_app(resolver, test_hooks=True, network=network)), resolver


def tmf_server(wrap: Any = None, version: int = 4) -> tuple[LiveServer, SwitchableResolver]:
    """The TMF face of the fake on 127.0.0.1 (``wrap`` may put middleware around it), with
    v5 for the APIs that have one when ``version`` is 5."""
    resolver = SwitchableResolver()
    profile = DEFAULT_PROFILE.with_version(version)
    # the app's lifespan (its delivery loop) is off under LiveServer: tests call deliver()
    # after moving the fake's clock, into resolver.listener, with no socket and no sleep
    listeners = httpx.AsyncClient(transport=httpx.MockTransport(resolver._listen))
    resolver.hubs = TmfHubs(profile, http_client=listeners)
    app = create_tmf_app(resolver, profile, hubs=resolver.hubs)
    return LiveServer(wrap(app) if wrap else app), resolver
