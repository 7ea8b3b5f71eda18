"""Webhook endpoints as the fake operator keeps them, each with its outbox.

An endpoint's **outbox** is the line's event log from a position on: the events after the
endpoint was created that match its types. Only its head is ever in flight, so an endpoint
receives its events in order; a failed attempt is retried on the operator's clock after
:data:`RETRY_SCHEDULE` (about 24 hours in all, well beyond the hour an endpoint may be
down), after which that event is given up (counted in ``given_up``) and the next one goes.
The log is append-only, so an outbox costs a position and a few counters however many
events wait in it.

The operator does no I/O: :meth:`~selfcare.backends.fake.FakeOperator.due_deliveries`
hands out the heads whose time has come and
:meth:`~selfcare.backends.fake.FakeOperator.delivered` records each outcome; the reference
server's :class:`~selfcare.server.WebhookDispatcher` does the POSTs between the two.
"""

from __future__ import annotations

import base64
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final

import attrs

from selfcare._client.paging import Page, decode_cursor, encode_cursor
from selfcare._errors import Conflict, NotFound
from selfcare._secret import Secret
from selfcare.backends.fake._handlers import Session, handles
from selfcare.model.events import Event
from selfcare.model.webhooks import NewWebhookEndpoint, WebhookEndpoint
from selfcare.operations import CreateWebhook, DeleteWebhook, ListWebhooks
from selfcare.operations.webhooks import MAX_WEBHOOKS

if TYPE_CHECKING:
    from selfcare.backends.fake._state import Subscriber

__all__ = ["RETRY_SCHEDULE", "Delivery", "EndpointRecord", "WebhookStore", "new_secret"]

RETRY_SCHEDULE: Final = tuple(
    timedelta(seconds=s) for s in (5, 30, 120, 300, 900, 1800, 3600, 7200, 14400, 28800, 28800)
)
"""The pause after each failed attempt of one event, on the operator's clock: 5 s, 30 s,
2 min, 5 min, 15 min, 30 min, 1 h, 2 h, 4 h, 8 h, 8 h (12 attempts over about 24 hours)."""


def new_secret() -> Secret:
    """A fresh signing secret in Standard Webhooks' form: ``whsec_`` and 32 random bytes in
    base64."""
    return Secret("whsec_" + base64.b64encode(secrets.token_bytes(32)).decode())


@attrs.define
class EndpointRecord:
    """One endpoint, its secret and its outbox (a position in the line's event log)."""

    endpoint: WebhookEndpoint
    secret: Secret = attrs.field(repr=False)
    position: int
    """Events of the log before this index are done with (delivered, skipped, given up)."""
    attempts: int = 0
    """Failed attempts of the head so far."""
    next_at: datetime | None = None
    """When the head may be tried again (``None``: at once)."""
    in_flight: bool = False
    delivered: int = 0
    failures: int = 0
    given_up: int = 0

    def head(self, log: list[Event]) -> tuple[int, Event] | None:
        """The first event from ``position`` on that the endpoint takes (skipping others)."""
        wanted = self.endpoint.types
        while self.position < len(log):
            event = log[self.position]
            if not wanted or event.type in wanted:
                return self.position, event
            self.position += 1
        return None


@attrs.define
class WebhookStore:
    """A line's webhook endpoints by id."""

    endpoints: dict[str, EndpointRecord] = attrs.field(factory=dict)


@attrs.frozen
class Delivery:
    """One attempt to hand out: ``event`` to ``endpoint`` (``attempt`` counts from 1)."""

    endpoint: WebhookEndpoint
    secret: Secret = attrs.field(repr=False)
    event: Event
    index: int
    attempt: int
    line: Subscriber = attrs.field(repr=False, eq=False)
    """The line whose outbox it came from (the operator's own record of it)."""

    @property
    def message_id(self) -> str:
        """The ``webhook-id``: the same for every attempt of this event to this endpoint,
        unique across lines (event ids are unique on their line only)."""
        from selfcare.webhooks import webhook_id

        return webhook_id(self.event)


def due(sub: Subscriber, now: datetime) -> list[Delivery]:
    """The heads of ``sub``'s outboxes whose time has come, marked in flight."""
    found = []
    for record in sub.webhooks.endpoints.values():
        delivery = take(sub, record, now)
        if delivery is not None:
            found.append(delivery)
    return found


def take(sub: Subscriber, record: EndpointRecord, now: datetime) -> Delivery | None:
    """``record``'s head if it is due, marked in flight."""
    if record.in_flight or (record.next_at is not None and record.next_at > now):
        return None
    head = record.head(sub.events.by_seq)
    if head is None:
        return None
    record.in_flight = True
    index, event = head
    return Delivery(record.endpoint, record.secret, event, index, record.attempts + 1, sub)


def outcome(sub: Subscriber, delivery: Delivery, ok: bool, now: datetime) -> None:
    """Record how an attempt went: on to the next event, or the head again later."""
    record = sub.webhooks.endpoints.get(delivery.endpoint.id)
    if record is None or record.position != delivery.index:
        return  # deleted meanwhile
    record.in_flight = False
    if ok:
        record.position, record.attempts, record.next_at = delivery.index + 1, 0, None
        record.delivered += 1
        return
    record.failures += 1
    record.attempts += 1
    if record.attempts > len(RETRY_SCHEDULE):
        record.position, record.attempts, record.next_at = delivery.index + 1, 0, None
        record.given_up += 1
    else:
        record.next_at = now + RETRY_SCHEDULE[record.attempts - 1]


def pending(sub: Subscriber) -> int:
    """How many events wait in ``sub``'s outboxes (to know when a test has drained them)."""
    total = 0
    for record in sub.webhooks.endpoints.values():
        wanted = record.endpoint.types
        total += sum(
            1
            for event in sub.events.by_seq[record.position :]
            if not wanted or event.type in wanted
        )
    return total


@handles(CreateWebhook)
def create_webhook(s: Session, op: CreateWebhook) -> NewWebhookEndpoint:
    store = s.subscriber.webhooks
    if len(store.endpoints) >= MAX_WEBHOOKS:
        raise Conflict(
            f"this line has {MAX_WEBHOOKS} webhook endpoints already, the most it may have: "
            "delete one first",
            field="url",
        )
    endpoint_id = "we_" + secrets.token_hex(8)
    secret = new_secret()
    endpoint = WebhookEndpoint(endpoint_id, op.url, op.types, s.now)
    store.endpoints[endpoint_id] = EndpointRecord(
        endpoint, secret, position=len(s.subscriber.events.by_seq)
    )
    return NewWebhookEndpoint(endpoint_id, op.url, op.types, s.now, secret)


@handles(ListWebhooks)
def list_webhooks(s: Session, op: ListWebhooks) -> Page[WebhookEndpoint]:
    records = sorted(
        (r.endpoint for r in s.subscriber.webhooks.endpoints.values()),
        key=lambda e: (e.created_at, e.id),
        reverse=True,
    )
    if op.cursor is not None:
        after = decode_cursor(op.cursor)
        records = [e for e in records if (e.created_at, e.id) < after]
    items = tuple(records[: op.limit])
    more = len(records) > op.limit
    last = items[-1] if items else None
    cursor = encode_cursor(last.created_at, last.id) if more and last is not None else None
    return Page(items, cursor)


@handles(DeleteWebhook)
def delete_webhook(s: Session, op: DeleteWebhook) -> WebhookEndpoint:
    record = s.subscriber.webhooks.endpoints.pop(op.id, None)
    if record is None:
        shown = op.id if len(op.id) <= 40 else op.id[:39] + "…"
        raise NotFound(f"no webhook endpoint {shown!r} on this line", field="id")
    return record.endpoint
