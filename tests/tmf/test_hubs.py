"""The TMF face's notification hubs (``POST /hub``, ``DELETE /hub/{id}``), the envelopes it
POSTs to listeners (checked against the official specs' listener schemas) and
``selfcare.tmf.parse_event``, the way back.

In process: the face over ``httpx.ASGITransport``, listeners behind ``httpx.MockTransport``,
the fake's ``ManualClock`` moved by the tests, delivery run by ``hubs.deliver()`` (the app's
lifespan loop is not started), so nothing sleeps."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest

from selfcare import PaymentDeclined, PhoneNumber, Selfcare, ValidationError
from selfcare.backends.fake import AsyncFakeBackend, FakeBackend, FakeOperator, ManualClock
from selfcare.model.events import Event, EventType
from selfcare.server import FakeResolver, create_tmf_app
from selfcare.server.tmf.hub import RETRY_SCHEDULE, TmfHubs
from selfcare.tmf import (
    DEFAULT_PROFILE,
    HUB_EVENTS,
    UNMAPPED,
    TmfProtocol,
    hub_queries,
    parse_event,
    standard_root,
)
from tests.tmf._spec import listener_errors

FRIEND = "+79161234567"
NOBODY = "+79990000001"  # unknown: undeliverable after 2 s
OFF = "+79990000100"  # switched off: expires with the validity period
CARD = "card:tok_visa_4242424242424242"
DECLINED = "card:tok_declined_0001"
A_NUMBER, B_NUMBER = "+79165550123", "+79035550177"
LISTENER = "http://listener.example/hooks/s3cr3t-path"


@dataclass
class Listener:
    """Records what the hubs POST; ``down`` makes it answer 503."""

    received: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    raw: dict[str, bytes] = field(default_factory=dict)
    """The bytes of each notification, by URL and eventId."""
    down: bool = False
    refused: int = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            self.refused += 1
            return httpx.Response(503)
        body = json.loads(request.content, parse_float=Decimal)
        self.received.append((str(request.url), body))
        self.raw[f"{request.url} {body['eventId']}"] = request.content
        return httpx.Response(201)

    def bodies(self, url: str | None = None) -> list[dict[str, Any]]:
        return [body for where, body in self.received if url is None or where == url]


@dataclass
class Face:
    client: httpx.AsyncClient
    hubs: TmfHubs
    listener: Listener
    operator: FakeOperator
    clock: ManualClock
    version: int

    def url(self, api: str, path: str) -> str:
        return standard_root(api, DEFAULT_PROFILE.with_version(self.version).version(api)) + path

    async def register(self, api: str, callback: str = LISTENER, **extra: Any) -> httpx.Response:
        body = {"callback": callback, **extra}
        if self.version == 5 and DEFAULT_PROFILE.with_version(5).version(api) == 5:
            body.setdefault("@type", "Hub")
        return await self.client.post(self.url(api, "/hub"), json=body)

    def sc(self, key: str = "demo") -> Selfcare:
        return Selfcare(backend=FakeBackend(self.operator, subscriber=key))


async def _face(operator: FakeOperator, clock: ManualClock, version: int) -> Face:
    listener = Listener()
    resolver = FakeResolver(operator)
    profile = DEFAULT_PROFILE.with_version(version)
    http = httpx.AsyncClient(transport=httpx.MockTransport(listener))
    hubs = TmfHubs(profile, http_client=http)
    app = create_tmf_app(resolver, profile, hubs=hubs)
    token = operator.token().reveal()
    client = httpx.AsyncClient(
        transport=httpx.ASGITransport(app),
        base_url="http://face.test",
        headers={"Authorization": f"Bearer {token}"},
    )
    return Face(client, hubs, listener, operator, clock, version)


@pytest.fixture(params=[4, 5], ids=["v4", "v5"])
async def face(request: Any, operator: FakeOperator, clock: ManualClock) -> AsyncIterator[Face]:
    made = await _face(operator, clock, request.param)
    yield made
    await made.client.aclose()


@pytest.fixture
async def face4(operator: FakeOperator, clock: ManualClock) -> AsyncIterator[Face]:
    made = await _face(operator, clock, 4)
    yield made
    await made.client.aclose()


def _everything_happens(face: Face) -> None:
    """Make the fake emit every event type a hub carries (and the unmapped ones)."""
    sc = face.sc()
    sc.messages.send_sms(FRIEND, "hello")
    sc.messages.send_sms(NOBODY, "hello")
    sc.messages.send_sms(OFF, "hello", validity=timedelta(hours=1))
    sc.payments.pay(100, method=CARD)
    with pytest.raises(PaymentDeclined):
        sc.payments.pay(100, method=DECLINED)
    sc.payments.activate_card("11111111111110")
    balance = sc.account.balance().amount
    sc.alerts.set(balance_below=balance.amount - 1, bill_due_within=3, spending_above=(1, "day"))
    sc.services.connect("internet-5gb")  # a fee: below the alert's line
    sc.services.disconnect("internet-5gb")
    sc.forwarding.set("busy", FRIEND)
    sc.complaints.file(subject="Slow", text="The data is slow", category="network")
    face.clock.advance(timedelta(days=40))  # deliveries, the complaint's steps, bills
    sc.events.list().first(1)  # let the fake's rules catch up


async def _all_hubs(face: Face) -> dict[str, str]:
    """A hub on every API that sends events, each to its own listener path."""
    urls = {}
    for api in sorted({k.api for kinds in HUB_EVENTS.values() for k in kinds}):
        urls[api] = f"{LISTENER}/{api}"
        answer = await face.register(api, urls[api])
        assert answer.status_code == 201, answer.text
    return urls


async def test_every_mapped_event_reaches_its_apis_hub_valid_and_reads_back_the_same(
    face: Face, report: Any
) -> None:
    urls = await _all_hubs(face)
    _everything_happens(face)
    assert await face.hubs.deliver() > 0
    logged = {e.id: e for e in face.sc().events.list()}
    seen: set[EventType] = set()
    specified: set[str] = set()
    checked = 0
    for api, url in urls.items():
        bodies = face.listener.bodies(url)
        version = DEFAULT_PROFILE.with_version(face.version).version(api)
        for body in bodies:
            kind = next(
                k for kinds in HUB_EVENTS.values() for k in kinds if k.name == body["eventType"]
            )
            assert kind.api == api
            errors = listener_errors(api, kind.listener, kind.resource, body, version)
            assert errors == [], (body["eventType"], errors[:3])
            broken = {**body, "eventId": 7, "event": {kind.resource: {"id": 7}}}
            assert listener_errors(api, kind.listener, kind.resource, broken, version)
            event = parse_event(face.listener.raw[f"{url} {body['eventId']}"])
            assert event == logged[body["eventId"]]
            assert type(event.data) is type(logged[body["eventId"]].data)
            resource = body["event"][kind.resource]
            for name in ("productSpecification", "troubleTicketSpecification"):
                if name in resource:  # a specification the face serves, as the GET refers to it
                    assert resource[name]["href"].startswith("http://face.test/tmf-api/"), name
                    assert resource[name]["href"].endswith(f"/{name}/{resource[name]['id']}")
                    specified.add(name)
            seen.add(event.type)
            checked += 1
        ids = [b["eventId"] for b in bodies]
        assert ids == sorted(ids), api  # in the order things happened
    assert seen == set(HUB_EVENTS), set(HUB_EVENTS) - seen
    assert specified == (
        {"productSpecification", "troubleTicketSpecification"}
        if face.version == 5
        else {"productSpecification"}
    )
    assert not any(e.type in UNMAPPED for e in map(parse_event, face.listener.raw.values()))
    assert {e.type for e in logged.values()} >= set(UNMAPPED) - {EventType.SIGN_IN_SUCCEEDED}
    report(
        f"TMF hubs v{face.version}: {checked} notifications of {len(seen)} event types, each "
        "valid against its spec's listener schema and read back into the logged Event"
    )


async def test_a_hub_answers_201_with_its_id_and_a_delete_ends_it(face: Face) -> None:
    answer = await face.register("bill", query="eventType=CustomerBillCreateEvent")
    assert answer.status_code == 201
    hub = answer.json()
    assert set(hub) >= {"id", "callback", "query"}
    assert hub["callback"] == LISTENER
    assert hub["query"] == "eventType=CustomerBillCreateEvent"
    assert (face.version == 5) == (hub.get("@type") == "Hub")
    gone = await face.client.delete(face.url("bill", f"/hub/{hub['id']}"))
    assert gone.status_code == 204
    again = await face.client.delete(face.url("bill", f"/hub/{hub['id']}"))
    assert again.status_code == 404
    face.clock.advance(timedelta(days=40))
    await face.hubs.deliver()
    assert face.listener.received == []  # the deleted hub got nothing


async def test_the_query_filters_by_event_type_and_attributes(face4: Face) -> None:
    face = face4
    only_created = f"{LISTENER}/created"
    only_failed = f"{LISTENER}/failed"
    await face.register("payment", only_created, query="eventType = PaymentCreateEvent")
    await face.register("payment", only_failed, query="event.payment.status=declined")
    await face.register("communication", LISTENER, query="eventType=PaymentCreateEvent,X")
    sc = face.sc()
    sc.payments.pay(100, method=CARD)
    with pytest.raises(PaymentDeclined):
        sc.payments.pay(100, method=DECLINED)
    await face.hubs.deliver()
    assert [b["event"]["payment"]["status"] for b in face.listener.bodies(only_created)] == [
        "succeeded",
        "declined",
    ]
    assert [b["event"]["payment"]["status"] for b in face.listener.bodies(only_failed)] == [
        "declined"
    ]


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("eventType=CustomerBillCreateEvent", "'CustomerBillCreateEvent'"),
        ("eventType=PaymentCreateEvent,Nope", "'Nope'"),
        ("colour=blue", "'colour'"),
        ("eventType", "'eventType'"),
        ("eventTime.gte=yesterday", "yesterday"),
        ("eventType=PaymentCreateEvent&eventType=PaymentCreateEvent", "twice"),
    ],
)
async def test_a_bad_query_is_a_400_error_naming_the_bad_value(
    face4: Face, query: str, named: str
) -> None:
    answer = await face4.register("payment", query=query)
    assert answer.status_code == 400, answer.text
    error = answer.json()
    assert error["status"] == "400"
    assert named in error["reason"] + error.get("message", ""), error
    assert face4.hubs.hubs == {}


@pytest.mark.parametrize(
    "callback",
    ["ftp://listener/x", "/relative/path", "http://user:pw@listener/x", "", 7, "http:// x"],
)
async def test_a_bad_callback_is_a_400_that_does_not_echo_it(face4: Face, callback: Any) -> None:
    answer = await face4.register("payment", callback)
    assert answer.status_code == 400
    assert "pw@" not in answer.text
    assert face4.hubs.hubs == {}


async def test_a_v5_hub_needs_its_type(operator: FakeOperator, clock: ManualClock) -> None:
    face = await _face(operator, clock, 5)
    answer = await face.client.post(face.url("bill", "/hub"), json={"callback": LISTENER})
    assert answer.status_code == 400
    assert "@type" in answer.text
    await face.client.aclose()


async def test_a_listener_down_for_hours_gets_everything_afterwards_in_order(
    face4: Face,
) -> None:
    face = face4
    await face.register("communication")
    face.listener.down = True
    sc = face.sc()
    for n in range(5):
        sc.messages.send_sms(FRIEND, f"message {n}")
    face.clock.advance(timedelta(seconds=10))
    await face.hubs.deliver()
    tries = face.listener.refused
    assert tries == 1  # the first waits for its retry; the rest wait behind it
    for _ in range(20):  # three hours of the fake's clock, in steps
        face.clock.advance(timedelta(minutes=9))
        await face.hubs.deliver()
    assert face.listener.refused > tries  # it kept trying on the clock
    face.listener.down = False
    face.clock.advance(RETRY_SCHEDULE[-1])
    await face.hubs.deliver()
    texts = [b["event"]["communicationMessage"]["content"] for b in face.listener.bodies()]
    assert texts == [f"message {n}" for n in range(5)]
    hub = next(iter(face.hubs.hubs.values()))
    assert (hub.delivered, hub.given_up, len(hub.outbox)) == (5, 0, 0)


async def test_a_notification_is_given_up_after_the_last_retry(face4: Face) -> None:
    face = face4
    await face.register("communication")
    face.listener.down = True
    face.sc().messages.send_sms(FRIEND, "lost")
    face.clock.advance(timedelta(seconds=10))
    await face.hubs.deliver()
    for wait in RETRY_SCHEDULE:
        face.clock.advance(wait)
        await face.hubs.deliver()
    hub = next(iter(face.hubs.hubs.values()))
    assert (hub.given_up, len(hub.outbox)) == (1, 0)
    assert face.listener.refused == len(RETRY_SCHEDULE) + 1
    assert "s3cr3t" not in repr(hub)


async def test_one_lines_events_never_reach_another_lines_hub(face4: Face) -> None:
    """B registers a hub on every API and tries A's hub ids; A's events reach only A's."""
    face = face4
    a_hub = (await face.register("payment", f"{LISTENER}/a")).json()["id"]
    b_token = face.operator.token("oleg").reveal()
    b = {"Authorization": f"Bearer {b_token}"}
    for api in DEFAULT_PROFILE.roots:
        created = await face.client.post(
            face.url(api, "/hub"), json={"callback": f"{LISTENER}/b"}, headers=b
        )
        assert created.status_code == 201, (api, created.text)
        stolen = await face.client.delete(face.url(api, f"/hub/{a_hub}"), headers=b)
        assert stolen.status_code == 404, api
        assert a_hub not in stolen.text or "no hub" in stolen.text
    face.sc().payments.pay(100, method=CARD)
    _everything_happens(face)
    await face.hubs.deliver()
    mine, theirs = face.listener.bodies(f"{LISTENER}/a"), face.listener.bodies(f"{LISTENER}/b")
    assert mine and theirs  # B's hubs do get B's own events (its bills, on the clock)
    assert {b["domain"] for b in mine} == {"tel:" + A_NUMBER}
    assert {b["domain"] for b in theirs} == {"tel:" + B_NUMBER}
    assert A_NUMBER not in json.dumps(theirs, default=str)
    assert a_hub in face.hubs.hubs  # still A's


async def test_a_hub_gets_only_what_happens_after_it_is_registered(face4: Face) -> None:
    face = face4
    sc = face.sc()
    sc.payments.pay(100, method=CARD)
    await face.register("payment")
    sc.payments.pay(200, method=CARD)
    await face.hubs.deliver()
    amounts = [b["event"]["payment"]["totalAmount"]["value"] for b in face.listener.bodies()]
    assert amounts == [200]


# ---------------------------------------------------------------- parse_event on its own


def test_parse_event_refuses_what_it_cannot_read_naming_it() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_event(b'{"eventType": "UsageCreateEvent", "eventId": "1", "event": {}}')
    assert "UsageCreateEvent" in str(caught.value)
    assert caught.value.field == "eventType"
    with pytest.raises(ValidationError) as caught:
        parse_event(b"not json")
    assert caught.value.field == "body"
    with pytest.raises(ValidationError) as caught:
        parse_event({"eventType": "PaymentCreateEvent", "eventId": "e1", "event": {}})
    assert "event.payment" in str(caught.value)
    bad_money = {
        "eventType": "PaymentCreateEvent",
        "eventId": "e1",
        "eventTime": "2026-11-25T09:00:00Z",
        "domain": "tel:+79165550123",
        "event": {"payment": {"id": "p1", "paymentDate": "2026-11-25T09:00:00Z"}},
    }
    with pytest.raises(ValidationError) as caught:
        parse_event(bad_money)
    assert caught.value.field == "event"


def test_parse_event_takes_the_line_when_the_envelope_does_not_name_it() -> None:
    body: dict[str, Any] = {
        "eventType": "PaymentCreateEvent",
        "eventId": "e1",
        "eventTime": "2026-11-25T09:00:00Z",
        "event": {
            "payment": {
                "id": "p1",
                "paymentDate": "2026-11-25T09:00:00Z",
                "status": "succeeded",
                "totalAmount": {"value": 100, "unit": "RUB"},
                "paymentMethod": {"name": "card:***4242"},
            }
        },
    }
    with pytest.raises(ValidationError) as caught:
        parse_event(body)
    assert caught.value.field == "domain"
    event = parse_event(body, line="8 916 555-01-23")
    assert isinstance(event, Event)
    assert (event.type, event.line.e164, event.id) == (
        EventType.PAYMENT_SUCCEEDED,
        "+79165550123",
        "e1",
    )


# ---------------------------------------------------------------- the client side


async def _drive(client: httpx.AsyncClient, flow: Any) -> Any:
    """Send a TmfProtocol flow's requests as the HTTP backend does."""
    answer = None
    while True:
        try:
            request = flow.send(answer)
        except StopIteration as done:
            return done.value
        answer = await client.send(request)


async def test_the_protocol_registers_and_deletes_the_hubs_a_subscription_needs(
    face: Face,
) -> None:
    protocol = TmfProtocol(DEFAULT_PROFILE.with_version(face.version))
    wanted = ["payment.succeeded", "bill.issued"]
    assert hub_queries(wanted) == {
        "bill": "eventType=CustomerBillCreateEvent",
        "payment": "eventType=PaymentCreateEvent",
        "prepay": "eventType=TopupBalanceCreateEvent",
    }
    hubs = await _drive(face.client, protocol.register_hubs(face.client, LISTENER, wanted))
    assert sorted(h.api for h in hubs) == ["bill", "payment", "prepay"]
    assert "s3cr3t" not in repr(hubs)
    assert {h.id for h in hubs} == set(face.hubs.hubs)
    face.sc().payments.activate_card("11111111111110")
    await face.hubs.deliver()
    assert sorted(b["eventType"] for b in face.listener.bodies()) == [
        "PaymentCreateEvent",
        "TopupBalanceCreateEvent",
    ]
    await _drive(face.client, protocol.delete_hubs(face.client, hubs))
    assert face.hubs.hubs == {}
    with pytest.raises(ValidationError) as caught:
        hub_queries(["forwarding.changed"])
    assert "forwarding.changed" in str(caught.value)


async def test_the_served_app_delivers_by_itself_when_something_happens(
    operator: FakeOperator,
) -> None:
    """The app's lifespan runs the delivery loop: it wakes on the fake's signal."""
    arrived = asyncio.Event()
    listener = Listener()

    def handler(request: httpx.Request) -> httpx.Response:
        answer = listener(request)
        arrived.set()
        return answer

    resolver = FakeResolver(operator)
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    hubs = TmfHubs(DEFAULT_PROFILE, http_client=http)
    app = create_tmf_app(resolver, hubs=hubs)
    token = operator.token().reveal()
    client = httpx.AsyncClient(
        transport=httpx.ASGITransport(app),
        base_url="http://face.test",
        headers={"Authorization": f"Bearer {token}"},
    )
    async with client, app.router.lifespan_context(app):
        created = await client.post(standard_root("payment") + "/hub", json={"callback": LISTENER})
        assert created.status_code == 201
        Selfcare(backend=FakeBackend(operator)).payments.pay(100, method=CARD)
        await asyncio.wait_for(arrived.wait(), 60)  # the loop delivers; nothing sleeps here
    assert [b["eventType"] for b in listener.bodies()] == ["PaymentCreateEvent"]


async def test_a_hub_ends_with_the_session_that_registered_it(face4: Face) -> None:
    face = face4
    resolver = FakeResolver(face.operator)
    session = resolver.network_sign_in(PhoneNumber(A_NUMBER), None, frozenset())
    headers = {"Authorization": f"Bearer {session.access_token.reveal()}"}
    created = await face.client.post(
        face.url("payment", "/hub"), json={"callback": LISTENER}, headers=headers
    )
    assert created.status_code == 201
    resolver.revoke(session.access_token)
    face.sc().payments.pay(100, method=CARD)
    await face.hubs.deliver()
    assert face.hubs.hubs == {}  # its credentials ended: the hub is gone, nothing was sent
    assert face.listener.received == []


async def test_hubs_are_the_operators_and_outlive_the_app_that_registered_them(
    operator: FakeOperator, clock: ManualClock
) -> None:
    """The face only carries requests: an app made again over the same operator (a restart)
    delivers to, and deletes, the hubs the first one registered."""
    first = await _face(operator, clock, 4)
    hub_id = (await first.register("payment")).json()["id"]
    await first.client.aclose()
    again = await _face(operator, clock, 4)
    assert set(again.hubs.hubs) == {hub_id}
    again.sc().payments.pay(100, method=CARD)
    await again.hubs.deliver()
    assert [b["eventType"] for b in again.listener.bodies()] == ["PaymentCreateEvent"]
    assert first.listener.received == []
    gone = await again.client.delete(again.url("payment", f"/hub/{hub_id}"))
    assert gone.status_code == 204
    assert again.hubs.hubs == {}
    await again.client.aclose()


async def test_a_face_over_a_backend_that_is_not_the_fakes_refuses_hubs_saying_why(
    operator: FakeOperator,
) -> None:
    """Hubs live in the fake operator's outboxes: a resolver without one (a server in front
    of a network backend) answers 405 saying why, and registers nothing."""

    def resolve(token: Any) -> AsyncFakeBackend:  # a resolver with no ``operator``
        return AsyncFakeBackend.wrap(FakeBackend(operator))

    app = create_tmf_app(resolve)
    hubs = app.state.tmf_hubs
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app),
        base_url="http://face.test",
        headers={"Authorization": "Bearer anything"},
    ) as client:
        created = await client.post(standard_root("payment") + "/hub", json={"callback": LISTENER})
        gone = await client.delete(standard_root("payment") + "/hub/hub-1")
    assert (created.status_code, gone.status_code) == (405, 405)  # TMF says NotSupported so
    assert "fake operator" in created.json()["reason"] + created.json().get("message", "")
    assert hubs.hubs == {} and await hubs.deliver() == 0
