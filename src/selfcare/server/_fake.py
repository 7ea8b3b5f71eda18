"""Serving the fake operator: each subscriber's token opens that subscriber's backend."""

from __future__ import annotations

from selfcare._secret import Secret
from selfcare.backends.fake import AsyncFakeBackend, FakeBackend, FakeOperator

__all__ = ["FakeResolver"]


class FakeResolver:
    """Maps bearer tokens to the fake operator's subscribers (channel ``api`` in their logs)."""

    def __init__(self, operator: FakeOperator) -> None:
        self.operator = operator
        self._backends: dict[str, AsyncFakeBackend] = {}

    def __call__(self, token: Secret) -> AsyncFakeBackend:
        subscriber = self.operator.authenticate(token)
        key = next(k for k, s in self.operator.subscribers.items() if s is subscriber)
        if key not in self._backends:
            backend = FakeBackend(self.operator, subscriber=key, channel="api")
            self._backends[key] = AsyncFakeBackend.wrap(backend)
        return self._backends[key]
