"""sc.webhooks (create, list, delete) on every configuration that has them, and the events
the operator then delivers there: signed, verified with selfcare.webhooks.unwrap (the fake,
selfcare's protocol), or through TMF hubs, read with selfcare.tmf.parse_event (TmfBackend
against the fake's TMF face).

Deliveries are driven by stepping a WebhookDispatcher, or the TMF face's ``hubs.deliver()``,
on the fake's ManualClock, into an httpx.MockTransport receiver: nothing sleeps."""

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
    NotSupported,
    Secret,
    Selfcare,
    ValidationError,
    WebhookEndpoint,
)
from selfcare.operations import Capability
from selfcare.server import WebhookDispatcher
from selfcare.server.tmf.hub import TmfHubs
from selfcare.tmf import HUB_EVENTS, parse_event
from selfcare.webhooks import unwrap

pytestmark = pytest.mark.requires(Capability.WEBHOOKS)

FRIEND = "+79161234567"
MEMBER = "+79165557002"  # the family's second line (tests/contract/test_lines.py)


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


def _signed(made: NewWebhookEndpoint) -> Secret:
    """The endpoint's signing secret; a skip where deliveries are not signed (TMF hubs)."""
    if made.secret is None:
        pytest.skip("this backend's deliveries are not signed (TMF hubs carry no signature)")
    return made.secret


def _hubs(configuration: str, request: pytest.FixtureRequest) -> TmfHubs:
    """The hubs of the TMF face ``sc`` talks to (a skip on the other configurations)."""
    if not configuration.startswith("tmf"):
        pytest.skip("TMF hubs: the native deliveries are tested above")
    fixture = "tmf5_live_server" if configuration.startswith("tmf5") else "tmf_live_server"
    _server, resolver, _check = request.getfixturevalue(fixture)
    assert resolver.hubs is not None
    return resolver.hubs


@pytest.mark.tmf5
def test_create_list_delete(sc, configuration) -> None:
    made = sc.webhooks.create("https://hooks.example/a", types=["message.delivered"])
    assert isinstance(made, NewWebhookEndpoint)
    if configuration.startswith("tmf"):
        assert made.secret is None  # TMF hubs are not signed: no secret is made up
    else:
        assert made.secret is not None and made.secret.reveal().startswith("whsec_")
        assert "whsec" not in repr(made) and made.secret.reveal() not in repr(made)
    assert made.types == (EventType.MESSAGE_DELIVERED,)
    other = sc.webhooks.create("http://127.0.0.1:8123/hook")
    assert other.types == ()
    if configuration.startswith("tmf"):
        with pytest.raises(NotSupported, match="GET /hub"):
            sc.webhooks.list().to_list()  # TMF630 defines no listing of hubs
        gone = sc.webhooks.delete(made)
        assert (gone.id, gone.url, gone.types) == (made.id, None, made.types)
        with pytest.raises(NotFound):
            sc.webhooks.delete(made.id)
        assert sc.webhooks.delete(other.id).id == other.id
        return
    listed = sc.webhooks.list(page_size=1).to_list()
    # newest first; created at the same instant of the manual clock, so by id
    assert [e.id for e in listed] == sorted([made.id, other.id], reverse=True)
    assert all(type(e) is WebhookEndpoint for e in listed)  # no secret when listed
    assert sc.webhooks.delete(made).id == made.id
    assert [e.id for e in sc.webhooks.list()] == [other.id]
    with pytest.raises(NotFound):
        sc.webhooks.delete(made.id)


def test_create_refuses_bad_urls_and_types_naming_them(sc, configuration) -> None:
    for bad in ("ftp://hooks.example/x", "hooks.example/x", "https://", "https://u:p@h.example/"):
        with pytest.raises(ValidationError) as caught:
            sc.webhooks.create(bad)
        assert caught.value.field == "url"
        assert "hooks.example/x" not in str(caught.value)  # never echoed: a path may be secret
        assert "u:p" not in str(caught.value)
    with pytest.raises(ValidationError, match="message.sent"):
        sc.webhooks.create("https://hooks.example/x", types=["message.sent"])
    for bad in ("a-made-up-id", "tmfhubs_", "tmfhubs_bm90IGpzb24", "whk_0000"):
        with pytest.raises(NotFound):
            sc.webhooks.delete(bad)
    if not configuration.startswith("tmf"):  # TMF cannot list (the test above)
        assert sc.webhooks.list().to_list() == []


def test_types_a_tmf_hub_cannot_carry_are_refused_naming_them(sc, configuration, request) -> None:
    hubs = _hubs(configuration, request)
    with pytest.raises(ValidationError, match="forwarding.changed") as caught:
        sc.webhooks.create(
            "https://hooks.example/x", types=["payment.succeeded", "forwarding.changed"]
        )
    assert caught.value.field == "types"
    assert hubs.hubs == {}  # refused before any hub was registered


def test_the_same_key_creates_once(sc, configuration) -> None:
    if configuration.startswith("tmf"):
        pytest.skip("TMF630 hubs take no idempotency key: a retried POST /hub may register twice")
    one = sc.webhooks.create("https://hooks.example/k", idempotency_key="webhook-key-1")
    two = sc.webhooks.create("https://hooks.example/k", idempotency_key="webhook-key-1")
    assert one.id == two.id and one.secret == two.secret
    assert len(sc.webhooks.list().to_list()) == 1


def test_events_arrive_signed_in_order_and_only_those_asked_for(sc, operator, clock) -> None:
    every = sc.webhooks.create("https://all.example/hook")
    payments = sc.webhooks.create("https://pay.example/hook", types="payment.succeeded")
    receivers = {
        "all.example": Receiver(_signed(every)),
        "pay.example": Receiver(_signed(payments)),
    }
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
    receiver = Receiver(_signed(made))
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
    receivers = {"gone.example": Receiver(_signed(made))}
    sc.webhooks.delete(made.id)
    sc.payments.pay(100, method="card:tok_visa_4242424242424242")
    assert _step(operator, receivers) == 0
    assert receivers["gone.example"].events == []


# ---------------------------------------------------------------- TMF: hubs, parse_event


class Listener:
    """A TMF listener: keeps each body the hubs POST, by the callback's host."""

    def __init__(self) -> None:
        self.bodies: dict[str, list[bytes]] = {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.bodies.setdefault(request.url.host, []).append(request.content)
        return httpx.Response(201)

    def events(self, host: str) -> list[Event]:
        return [parse_event(body) for body in self.bodies.get(host, [])]


def _deliver(hubs: TmfHubs) -> int:
    return asyncio.run(hubs.deliver())


@pytest.mark.tmf5
def test_tmf_hubs_deliver_what_the_log_has_and_parse_event_reads_it_back(
    sc, configuration, request, operator, clock
) -> None:
    hubs = _hubs(configuration, request)
    resolver = request.getfixturevalue(
        "tmf5_live_server" if configuration.startswith("tmf5") else "tmf_live_server"
    )[1]
    listener = resolver.listener = Listener()
    every = sc.webhooks.create("https://all.example/hook")
    wanted = ("payment.succeeded", "message.delivered")
    some = sc.webhooks.create("https://some.example/tmf/s3cr3t", types=wanted)
    assert every.secret is None and some.secret is None
    assert "s3cr3t" not in some.id  # the callback (its path may be a secret) is not in the id
    assert len(hubs.hubs) == len({k.api for kinds in HUB_EVENTS.values() for k in kinds}) + 3
    sc.messages.send_sms(FRIEND, "hello")
    sc.payments.pay(150, method="card:tok_visa_4242424242424242")
    clock.advance(timedelta(seconds=10))  # the message is delivered
    assert _deliver(hubs) > 0
    native = Selfcare.fake(operator=operator)  # the same line's log, as sc.events gives it
    logged = [e for e in native.events.list() if e.type in HUB_EVENTS][::-1]
    assert {EventType.MESSAGE_DELIVERED, EventType.PAYMENT_SUCCEEDED} <= {e.type for e in logged}
    got = listener.events("all.example")
    # one hub per API, each in order; an event reaches each API's hub that carries it
    assert sorted({e.id: e for e in got}.values(), key=lambda e: e.id) == logged
    for event in got:
        assert type(event.data) is type(next(e for e in logged if e.id == event.id).data)
    # a hub filters by TMF event type, coarser than selfcare's: the listener keeps its types
    mine = [e for e in listener.events("some.example") if e.type.value in wanted]
    assert sorted(mine, key=lambda e: e.id) == [e for e in logged if e.type.value in wanted]
    assert _deliver(hubs) == 0  # nothing twice
    sc.webhooks.delete(every)
    sc.webhooks.delete(some.id)
    assert hubs.hubs == {}
    sc.payments.pay(99, method="card:tok_visa_4242424242424242")
    assert _deliver(hubs) == 0  # a deleted endpoint's hubs get nothing more


@pytest.mark.tmf5
def test_tmf_hubs_of_a_scoped_client_are_the_lines(
    configuration, request, operator, loop_thread
) -> None:
    """The family's owner registers on a member's line: the hubs carry that line's events."""
    hubs = _hubs(configuration, request)
    server, resolver, _check = request.getfixturevalue(
        "tmf5_live_server" if configuration.startswith("tmf5") else "tmf_live_server"
    )
    resolver.use(operator)
    listener = resolver.listener = Listener()
    version = 5 if configuration.startswith("tmf5") else 4
    token = operator.token("family").reveal()
    with Selfcare.tmf(base_url=server.url, token=token, version=version) as owner:
        member = owner.line(MEMBER)
        made = member.webhooks.create("https://member.example/hook", types="payment.succeeded")
        assert {hub.owner[1] for hub in hubs.hubs.values()} == {MEMBER}
        Selfcare.fake(operator=operator, subscriber="family").line(MEMBER).payments.pay(
            120, method="card:tok_visa_4242424242424242"
        )
        assert _deliver(hubs) == 1
        [event] = listener.events("member.example")
        assert (event.type, event.line.e164) == (EventType.PAYMENT_SUCCEEDED, MEMBER)
        member.webhooks.delete(made.id)
        assert hubs.hubs == {}
