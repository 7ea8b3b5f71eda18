"""Results carrying a secret skip the decoder's memoised hook, also where the secret is
optional (a TMF backend's new webhook endpoint has none), so no secret is kept in a cache."""

from __future__ import annotations

from selfcare.model.webhooks import NewWebhookEndpoint, WebhookEndpoint
from selfcare.protocol._codec import _carries_secrets


def test_an_optional_secret_still_counts_as_a_secret() -> None:
    assert _carries_secrets(NewWebhookEndpoint)
    assert not _carries_secrets(WebhookEndpoint)
