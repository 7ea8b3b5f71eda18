"""Webhook endpoints and TMF notification hubs as the fake operator keeps them, each with
its outbox.

Both are URLs the operator POSTs a line's events to, in order, retried on one schedule;
they differ only in how the reference server renders an event: a webhook endpoint gets the
event signed per Standard Webhooks, a TMF hub (:class:`HubSpec`, registered through the TMF
face's ``POST /hub``) the TMF event envelope of its API, unsigned, as TMF630 hubs are. The
operator keeps both, so a server only carries requests: made again over the same operator
(a restart), it delivers to the endpoints and hubs the last one registered.

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
from typing import TYPE_CHECKING, Any, Final

import attrs

from selfcare._client.paging import Page, decode_cursor, encode_cursor
from selfcare._errors import Conflict, NotFound
from selfcare._secret import Secret
from selfcare.backends.fake._handlers import Session, handles
from selfcare.model.account import Account
from selfcare.model.events import Event, EventType
from selfcare.model.webhooks import NewWebhookEndpoint, WebhookEndpoint
from selfcare.operations import CreateWebhook, DeleteWebhook, ListWebhooks
from selfcare.operations.webhooks import MAX_WEBHOOKS

if TYPE_CHECKING:
    from selfcare.backends.fake._state import Subscriber

__all__ = [
    "HUBS_PER_LINE",
    "RETRY_SCHEDULE",
    "Delivery",
    "EndpointRecord",
    "HubSpec",
    "WebhookStore",
    "new_secret",
]

RETRY_SCHEDULE: Final = tuple(
    timedelta(seconds=s) for s in (5, 30, 120, 300, 900, 1800, 3600, 7200, 14400, 28800, 28800)
)
"""The pause after each failed attempt of one event, on the operator's clock: 5 s, 30 s,
2 min, 5 min, 15 min, 30 min, 1 h, 2 h, 4 h, 8 h, 8 h (12 attempts over about 24 hours),
for webhook endpoints and TMF hubs alike."""
HUBS_PER_LINE: Final = 20
"""The most TMF hubs one line may have registered, over all APIs (``Conflict`` beyond)."""


def new_secret() -> Secret:
    """A fresh signing secret in Standard Webhooks' form: ``whsec_`` and 32 random bytes in
    base64."""
    return Secret("whsec_" + base64.b64encode(secrets.token_bytes(32)).decode())


@attrs.frozen
class HubSpec:
    """What makes an outbox a TMF hub: what the TMF face registered it with, kept for the
    server to render each notification (the operator itself reads only ``credential``).

    ``api`` and ``version`` are the API and version whose hub it is, ``query`` its filter
    as given and ``filters`` as parsed, ``root`` the API's absolute root as the registering
    request reached the face (for each resource's ``href``), ``account`` the line's account
    and ``profile`` the face's :class:`~selfcare.tmf.TmfProfile`; ``credential`` the token
    that registered it: the hub ends when that token stops working."""

    api: str
    version: int
    query: str | None
    filters: dict[str, str] = attrs.field(hash=False)
    root: str
    account: Account = attrs.field(repr=False)
    profile: Any = attrs.field(repr=False)
    credential: Secret | None = attrs.field(default=None, repr=False)


@attrs.define
class EndpointRecord:
    """One endpoint or hub, its secret (``None`` for a hub: unsigned) and its outbox (a
    position in the line's event log)."""

    endpoint: WebhookEndpoint
    secret: Secret | None = attrs.field(repr=False)
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
    hub: HubSpec | None = None
    """What the TMF face registered, when this is a TMF hub (``None``: a webhook endpoint)."""

    def takes(self, event: Event) -> bool:
        """Whether ``event`` is for this outbox: one of the endpoint's types (every type when
        it names none; a hub names the types its API carries, and none means none)."""
        wanted = self.endpoint.types
        return event.type in wanted or (not wanted and self.hub is None)

    def head(self, log: list[Event]) -> tuple[int, Event] | None:
        """The first event from ``position`` on that the endpoint takes (skipping others)."""
        while self.position < len(log):
            event = log[self.position]
            if self.takes(event):
                return self.position, event
            self.position += 1
        return None

    def waiting(self, log: list[Event]) -> list[Event]:
        """The events in the outbox: from ``position`` on, those it takes."""
        return [event for event in log[self.position :] if self.takes(event)]


@attrs.define
class WebhookStore:
    """A line's webhook endpoints and TMF hubs by id (apart: a line may have 16 endpoints
    and 20 hubs, and ``ListWebhooks`` lists endpoints only)."""

    endpoints: dict[str, EndpointRecord] = attrs.field(factory=dict)
    hubs: dict[str, EndpointRecord] = attrs.field(factory=dict)

    def records(self) -> list[EndpointRecord]:
        """Every outbox of the line, endpoints and hubs."""
        return [*self.endpoints.values(), *self.hubs.values()]

    def get(self, record_id: str) -> EndpointRecord | None:
        """The endpoint or hub ``record_id``."""
        return self.endpoints.get(record_id) or self.hubs.get(record_id)


@attrs.frozen
class Delivery:
    """One attempt to hand out: ``event`` to ``endpoint`` (``attempt`` counts from 1)."""

    endpoint: WebhookEndpoint
    secret: Secret | None = attrs.field(repr=False)
    event: Event
    index: int
    attempt: int
    line: Subscriber = attrs.field(repr=False, eq=False)
    """The line whose outbox it came from (the operator's own record of it)."""
    hub: HubSpec | None = None
    """Set when the outbox is a TMF hub's: the server renders a TMF envelope, unsigned."""

    @property
    def message_id(self) -> str:
        """The ``webhook-id``: the same for every attempt of this event to this endpoint,
        unique across lines (event ids are unique on their line only)."""
        from selfcare.webhooks import webhook_id

        return webhook_id(self.event)


def due(sub: Subscriber, now: datetime) -> list[Delivery]:
    """The heads of ``sub``'s outboxes whose time has come, marked in flight."""
    found = []
    for record in sub.webhooks.records():
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
    return Delivery(
        record.endpoint, record.secret, event, index, record.attempts + 1, sub, record.hub
    )


def outcome(
    sub: Subscriber, delivery: Delivery, ok: bool, now: datetime, *, sent: bool = True
) -> None:
    """Record how an attempt went: on to the next event, or the head again later.
    ``sent=False`` (with ``ok``): the server had nothing to send for this event (a hub's
    query filtered its notification out), so it is passed over without counting."""
    record = sub.webhooks.get(delivery.endpoint.id)
    if record is None or record.position != delivery.index:
        return  # deleted meanwhile
    record.in_flight = False
    if ok:
        record.position, record.attempts, record.next_at = delivery.index + 1, 0, None
        record.delivered += sent
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
    return sum(len(record.waiting(sub.events.by_seq)) for record in sub.webhooks.records())


def add_hub(
    sub: Subscriber, callback: str, types: tuple[EventType, ...], hub: HubSpec, now: datetime
) -> WebhookEndpoint:
    """Register a TMF hub on ``sub``'s line: it receives what is logged from now on."""
    store = sub.webhooks
    if len(store.hubs) >= HUBS_PER_LINE:
        raise Conflict(
            f"this line has {HUBS_PER_LINE} hubs, the most it may have: delete one first",
            field="callback",
        )
    endpoint = WebhookEndpoint("hub-" + secrets.token_hex(8), callback, types, now)
    store.hubs[endpoint.id] = EndpointRecord(
        endpoint, None, position=len(sub.events.by_seq), hub=hub
    )
    return endpoint


def remove_hub(sub: Subscriber, api: str, hub_id: str) -> None:
    """Delete ``sub``'s hub ``hub_id`` of ``api`` (``NotFound`` if the line has none)."""
    record = sub.webhooks.hubs.get(hub_id)
    if record is None or record.hub is None or record.hub.api != api:
        shown = hub_id if len(hub_id) <= 40 else hub_id[:39] + "…"
        raise NotFound(f"no hub {shown!r}")
    del sub.webhooks.hubs[hub_id]


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
