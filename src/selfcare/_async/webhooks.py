"""Webhook endpoints: URLs the operator POSTs the line's events to, signed."""

from __future__ import annotations

from typing import Any

from selfcare._async._area import AsyncArea
from selfcare._async._paging import AsyncPager
from selfcare._client.context import Context
from selfcare._client.paging import check_chosen_page_size
from selfcare._errors import ValidationError
from selfcare.model.events import EventType
from selfcare.model.webhooks import NewWebhookEndpoint, WebhookEndpoint, check_webhook_url
from selfcare.operations import CreateWebhook, DeleteWebhook, ListWebhooks
from selfcare.operations.events import check_types

__all__ = ["AsyncWebhooks"]


class AsyncWebhooks(AsyncArea):
    """``sc.webhooks``: where the line's events are pushed (docs/events.md, "Webhooks")."""

    async def create(
        self,
        url: str,
        *,
        types: EventType | str | Any = None,
        idempotency_key: str | None = None,
    ) -> NewWebhookEndpoint:
        """Register ``url`` (``http://`` or ``https://``) to receive the line's events of
        ``types`` (every type by default) as signed POSTs, in order, retried until it
        answers 2xx. The result's ``secret`` is shown this once: keep it to verify
        deliveries with :func:`selfcare.webhooks.unwrap`. On a TM Forum backend this
        registers TMF hubs, which are not signed: ``secret`` is ``None`` and deliveries are
        read with :func:`selfcare.tmf.parse_event` (docs/tmf.md)."""
        checked = check_webhook_url(url)
        wanted = check_types(types)
        return await self._client._execute(
            CreateWebhook(url=checked, types=wanted, idempotency_key=idempotency_key)
        )

    def list(self, *, page_size: int | None = None) -> AsyncPager[WebhookEndpoint]:
        """The line's webhook endpoints, newest first (their secrets are never shown again).
        ``NotSupported`` on a TM Forum backend: TMF hubs cannot be listed."""
        check_chosen_page_size(page_size)

        def build(ctx: Context) -> ListWebhooks:
            return ListWebhooks()

        return AsyncPager(self._client, WebhookEndpoint, build, page_size=page_size)

    async def delete(
        self, endpoint: str | WebhookEndpoint, *, idempotency_key: str | None = None
    ) -> WebhookEndpoint:
        """Stop delivering to an endpoint (by id, or the record); returns what was removed."""
        if isinstance(endpoint, WebhookEndpoint):
            endpoint = endpoint.id
        if not isinstance(endpoint, str) or not endpoint:
            raise ValidationError(
                f"endpoint={endpoint!r} must be a webhook endpoint or its id", field="endpoint"
            )
        return await self._client._execute(
            DeleteWebhook(id=endpoint, idempotency_key=idempotency_key)
        )
