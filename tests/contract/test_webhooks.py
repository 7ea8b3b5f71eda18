"""sc.webhooks (create, list, delete) on every configuration that has them, and the events
the operator then delivers there, signed, verified with selfcare.webhooks.unwrap.

Deliveries are driven by stepping a WebhookDispatcher on the fake's ManualClock, into an
httpx.MockTransport receiver: nothing sleeps."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
import pytest

from selfcare import (
    Event,
    EventType,
    NewWebhookEndpoint,
    NotFound,
    Secret,
    ValidationError,
    WebhookEndpoint,
)
from selfcare.operations import Capability
from selfcare.server import WebhookDispatcher
from selfcare.webhooks import unwrap

pytestmark = pytest.mark.requires(Capability.WEBHOOKS)

FRIEND = "+79161234567"


class Receiver:
    """An endpoint that verifies each delivery and keeps the events (or answers ``status``)."""

    def __init__(self, secret: Secret) -> None:
        self.secret = secret
        self.status = 200
        self.events: list[Event] = []
        self.ids: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if self.status != 200:
            return httpx.Response(self.status)
        event = unwrap(request.content, request.headers, self.secret)
        self.events.append(event)
        self.ids.append(request.headers["webhook-id"])
        return httpx.Response(204)


def _step(operator, receivers: dict[str, Receiver]) -> int:  # type: ignore[no-untyped-def]
    """One round of deliveries, each URL's host naming its receiver."""

    def route(request: httpx.Request) -> httpx.Response:
        return receivers[request.url.host](request)

    async def go() -> int:
        client = httpx.AsyncClient(transport=httpx.MockTransport(route))
        async with client:
            return await WebhookDispatcher(operator, client=client).step()

    return asyncio.run(go())


def test_create_list_delete(sc) -> None:
    made = sc.webhooks.create("https://hooks.example/a", types=["message.delivered"])
    assert isinstance(made, NewWebhookEndpoint)
    assert made.secret.reveal().startswith("whsec_")
    assert "whsec" not in repr(made) and made.secret.reveal() not in repr(made)
    assert made.types == (EventType.MESSAGE_DELIVERED,)
    other = sc.webhooks.create("http://127.0.0.1:8123/hook")
    assert other.types == ()
    listed = sc.webhooks.list(page_size=1).to_list()
    # newest first; created at the same instant of the manual clock, so by id
    assert [e.id for e in listed] == sorted([made.id, other.id], reverse=True)
    assert all(type(e) is WebhookEndpoint for e in listed)  # no secret when listed
    assert sc.webhooks.delete(made).id == made.id
    assert [e.id for e in sc.webhooks.list()] == [other.id]
    with pytest.raises(NotFound):
        sc.webhooks.delete(made.id)


def test_create_refuses_bad_urls_and_types_naming_them(sc) -> None:
    for bad in ("ftp://hooks.example/x", "hooks.example/x", "https://", "https://u:p@h.example/"):
        with pytest.raises(ValidationError) as caught:
            sc.webhooks.create(bad)
        assert caught.value.field == "url"
        if "u:p" not in bad:
            assert bad in str(caught.value)
    with pytest.raises(ValidationError, match="message.sent"):
        sc.webhooks.create("https://hooks.example/x", types=["message.sent"])
    assert sc.webhooks.list().to_list() == []


def test_the_same_key_creates_once(sc) -> None:
    one = sc.webhooks.create("https://hooks.example/k", idempotency_key="webhook-key-1")
    two = sc.webhooks.create("https://hooks.example/k", idempotency_key="webhook-key-1")
    assert one.id == two.id and one.secret == two.secret
    assert len(sc.webhooks.list().to_list()) == 1


def test_events_arrive_signed_in_order_and_only_those_asked_for(sc, operator, clock) -> None:
    every = sc.webhooks.create("https://all.example/hook")
    payments = sc.webhooks.create("https://pay.example/hook", types="payment.succeeded")
    receivers = {"all.example": Receiver(every.secret), "pay.example": Receiver(payments.secret)}
    sc.messages.send_sms(FRIEND, "hello")
    sc.payments.pay(150, method="card:tok_visa_4242424242424242")
    sc.forwarding.set("busy", FRIEND)
    clock.advance(timedelta(seconds=10))
    _step(operator, receivers)
    logged = list(sc.events.list())[::-1]
    got = receivers["all.example"].events
    assert [e.id for e in got] == [e.id for e in logged] and len(got) >= 3
    assert [e.type for e in got] == [e.type for e in logged]
    assert got[0].data == logged[0].data or got[0].data.id == logged[0].data.id
    paid = receivers["pay.example"].events
    assert [e.type for e in paid] == [EventType.PAYMENT_SUCCEEDED]
    assert operator.undelivered() == 0
    assert _step(operator, receivers) == 0  # nothing twice


def test_a_failing_endpoint_is_retried_on_the_clock_then_gets_everything_in_order(
    sc, operator, clock
) -> None:
    made = sc.webhooks.create("https://down.example/hook")
    receiver = Receiver(made.secret)
    receiver.status = 503
    receivers = {"down.example": receiver}
    for n in range(3):
        sc.payments.pay(100 + n, method="card:tok_visa_4242424242424242")
    assert _step(operator, receivers) == 1  # the first event only: the others wait behind it
    assert _step(operator, receivers) == 0  # its retry is not due yet
    clock.advance(timedelta(seconds=5))
    assert _step(operator, receivers) == 1
    receiver.status = 200
    clock.advance(timedelta(seconds=30))
    assert _step(operator, receivers) == 3
    assert [e.data.amount.amount for e in receiver.events] == [100, 101, 102]
    assert len(set(receiver.ids)) == 3


def test_a_deleted_endpoint_gets_nothing_more(sc, operator, clock) -> None:
    made = sc.webhooks.create("https://gone.example/hook")
    receivers = {"gone.example": Receiver(made.secret)}
    sc.webhooks.delete(made.id)
    sc.payments.pay(100, method="card:tok_visa_4242424242424242")
    assert _step(operator, receivers) == 0
    assert receivers["gone.example"].events == []
