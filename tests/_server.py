"""The reference server on 127.0.0.1 for the contract suite, serving each test's operator."""

from __future__ import annotations

from typing import Any

from selfcare._secret import Secret
from selfcare.backends.fake import FakeOperator
from selfcare.model import PhoneNumber
from selfcare.server import FakeResolver, LiveServer, create_app, create_tmf_app
from selfcare.tmf import DEFAULT_PROFILE


class SwitchableResolver:
    """Serves whichever fake operator the current test installed."""

    def __init__(self) -> None:
        self.resolver: FakeResolver | None = None

    def use(self, operator: FakeOperator) -> None:
        self.resolver = FakeResolver(operator)

    def __call__(self, token: Secret) -> Any:
        assert self.resolver is not None, "no operator installed"
        return self.resolver(token)

    def public(self, client: str | None = None) -> Any:
        assert self.resolver is not None, "no operator installed"
        return self.resolver.public(client)

    def last_code(self, number: PhoneNumber) -> Any:
        assert self.resolver is not None, "no operator installed"
        return self.resolver.last_code(number)

    def tmf_documents(self, token: Secret) -> Any:
        assert self.resolver is not None, "no operator installed"
        return self.resolver.tmf_documents(token)


def fake_server() -> tuple[LiveServer, SwitchableResolver]:
    resolver = SwitchableResolver()
    return LiveServer(create_app(resolver, test_hooks=True)), resolver


def tmf_server(wrap: Any = None, version: int = 4) -> tuple[LiveServer, SwitchableResolver]:
    """The TMF face of the fake on 127.0.0.1 (``wrap`` may put middleware around it), with
    v5 for the APIs that have one when ``version`` is 5."""
    resolver = SwitchableResolver()
    app = create_tmf_app(resolver, DEFAULT_PROFILE.with_version(version))
    return LiveServer(wrap(app) if wrap else app), resolver
