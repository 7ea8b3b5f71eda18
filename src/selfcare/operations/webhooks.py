"""Operations on webhook endpoints: the URLs a line's events are POSTed to.

These three operations are the whole backend hook for webhooks: a backend that can push
events implements them (the fake keeps the endpoints and their outboxes and the reference
server delivers; the TM Forum backend maps ``CreateWebhook`` to registering hubs,
``POST /hub``, and ``DeleteWebhook`` to ``DELETE /hub/{id}``, and has no ``ListWebhooks``),
and ``sc.webhooks`` is built on them alone. Nothing else in the SDK knows how deliveries happen.
"""

from __future__ import annotations

from typing import Any

import attrs

from selfcare._client.paging import Page
from selfcare.model.events import EventType
from selfcare.model.webhooks import NewWebhookEndpoint, WebhookEndpoint, check_webhook_url
from selfcare.operations._base import Capability, MutatingOperation, PagedOperation
from selfcare.operations.events import check_types

__all__ = ["CreateWebhook", "DeleteWebhook", "ListWebhooks"]

MAX_WEBHOOKS = 16
"""The most endpoints one line may have (``Conflict`` beyond)."""


def _url(instance: Any, attribute: Any, value: Any) -> None:
    check_webhook_url(value, "url")


@attrs.frozen
class CreateWebhook(MutatingOperation[NewWebhookEndpoint]):
    """Register ``url`` to receive the line's events of ``types`` (every type when empty);
    the result carries the signing secret, this once."""

    result = NewWebhookEndpoint
    capability = Capability.WEBHOOKS

    url: str = attrs.field(validator=_url)
    types: tuple[EventType, ...] = attrs.field(default=(), converter=check_types)


@attrs.frozen
class ListWebhooks(PagedOperation[WebhookEndpoint]):
    """The line's webhook endpoints, newest first (without their secrets)."""

    result = Page[WebhookEndpoint]
    capability = Capability.WEBHOOKS


@attrs.frozen
class DeleteWebhook(MutatingOperation[WebhookEndpoint]):
    """Stop delivering to an endpoint (what is still in its outbox is dropped); returns it."""

    result = WebhookEndpoint
    capability = Capability.WEBHOOKS

    id: str
