"""The TMF face's notification hubs (TMF630): ``POST /hub`` and ``DELETE /hub/{id}`` under
every API's root, and the delivery of each event the line's log gains to the hubs it
matches, as the TMF event envelope the API's spec defines.

A hub belongs to the line of the token that registered it (its account and number), or
the line the request's ``relatedParty`` parameter names (as on every TMF route): only that
line's tokens see it and delete it, and it receives that line's events. Its
``query`` filters the envelopes as a TMF listing's query filters resources (``eventType=A,B``,
``event.customerBill.state=settled``, ``eventTime.gte=…``); a query naming an event this hub
never sends, or an attribute outside the envelope, is a 400 naming it.

:class:`TmfHubs` keeps the hubs and delivers: :meth:`TmfHubs.deliver` reads each hub's line
from the event after the last one it read (``ReadEvents``), renders the notifications the
hub's API carries and POSTs them to the callback in order, one at a time; a failed POST is
retried on :data:`RETRY_SCHEDULE` of the operator's clock while the later notifications
wait behind it (so they arrive in order), and given up after the last step. Nothing runs in
the background except :meth:`TmfHubs.run`, which the served app starts (its lifespan) and
which calls ``deliver`` whenever the fake says something happened or a second passes; tests
call ``deliver`` themselves after moving a ``ManualClock``. Native Standard-Webhooks delivery
is a separate module; the two may share a loop one day.
"""

from __future__ import annotations

import asyncio
import collections
import inspect
import logging
import re
import secrets
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import unquote_plus, urlsplit

import anyio
import attrs
import httpx
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route as StarletteRoute

from selfcare import operations as ops
from selfcare._errors import (
    AuthenticationError,
    Conflict,
    NotFound,
    SelfcareError,
    ValidationError,
)
from selfcare.backends import AsyncBackend, Backend
from selfcare.model import Account, Bill, Complaint, ConnectedService, Message, Payment
from selfcare.model.events import Event, EventType
from selfcare.model.webhooks import check_webhook_url
from selfcare.server._app import Resolver, _execute, _read_body, _token
from selfcare.server.tmf import lines
from selfcare.server.tmf.bill import bill_document, cycle_id
from selfcare.server.tmf.errors import error_response
from selfcare.server.tmf.query import Json, filtered, instant, json_response
from selfcare.tmf import _mapping as m
from selfcare.tmf import _message_mapping as mm
from selfcare.tmf import _service_mapping as sm
from selfcare.tmf._events import TmfEventKind, envelope, event_kinds, hub_event_names
from selfcare.tmf._profile import API_NAMES, TmfProfile, standard_root
from selfcare.tmf._wire import decode_json, encode_json

__all__ = [
    "HUBS_PER_LINE",
    "OUTBOX_LIMIT",
    "RETRY_SCHEDULE",
    "Hub",
    "TmfHubs",
    "hub_routes",
    "parse_hub_query",
    "render_resource",
]

log = logging.getLogger("selfcare.server.tmf.hub")

RETRY_SCHEDULE: tuple[timedelta, ...] = tuple(
    timedelta(seconds=s)
    for s in (5, 30, 120, 300, 900, 1800, 3600, 7200, 14400, 28800, 57600, 86400)
)
"""How long after each failed POST of a notification the next try is (about two and a half
days of the operator's clock in all); after the last the notification is given up."""
HUBS_PER_LINE = 20
"""The most hubs one line may have registered, over all APIs (409 beyond)."""
MAX_QUERY = 1000
"""The longest ``query`` a hub takes."""
OUTBOX_LIMIT = 1000
"""The most notifications waiting for one hub: while its callback is down and this many
wait, the hub stops reading the log (and resumes where it stopped, so nothing is lost)."""
TIMEOUT = 10.0
"""Seconds one POST to a callback may take."""
POLL = 1.0
"""Seconds between deliveries when the backend cannot say when something happened."""
_READ = 100
_ENVELOPE = frozenset({"eventId", "eventTime", "eventType", "domain"})
_NAME = re.compile(r"[A-Za-z@][A-Za-z0-9@_]*(\.[A-Za-z@][A-Za-z0-9@_]*)*")
_RANGE = frozenset({"gt", "gte", "lt", "lte"})


def _shown(text: str, most: int = 60) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


def parse_hub_query(text: object, api: str) -> dict[str, str]:
    """A hub's ``query`` (``eventType=A,B&event.payment.status=succeeded``) as the filters a
    notification must pass, checked: ``eventType`` values must be events this API's hub
    sends, names must be attributes of the envelope (``eventType``, ``eventId``,
    ``eventTime`` and its ranges, ``domain``, or ``event.…``), each given once (400 naming
    the bad value otherwise). Spaces around ``=`` and ``&`` are allowed (TMF630's examples
    write ``eventType = X``)."""
    if text is None:
        return {}
    if not isinstance(text, str):
        raise ValidationError("query must be a string such as eventType=X", field="query")
    if len(text) > MAX_QUERY:
        raise ValidationError(f"query is over {MAX_QUERY} characters", field="query")
    filters: dict[str, str] = {}
    for part in text.split("&"):
        if not part.strip():
            continue
        raw_name, equals, raw_value = part.partition("=")
        name, value = unquote_plus(raw_name).strip(), unquote_plus(raw_value).strip()
        if not equals or not name or not value:
            raise ValidationError(
                f"query part {_shown(part.strip())!r} is not name=value", field="query"
            )
        if name in filters:
            raise ValidationError(f"query names {_shown(name)!r} twice", field="query")
        steps = name.split(".")
        base = steps[:-1] if steps[-1] in _RANGE and len(steps) > 1 else steps
        if not _NAME.fullmatch(name) or not (
            ".".join(base) in _ENVELOPE or (base[0] == "event" and len(base) > 1)
        ):
            raise ValidationError(
                f"query names {_shown(name)!r}, which is not an attribute of a TMF event "
                "(eventType, eventId, eventTime, domain or event.<resource>.…)",
                field="query",
            )
        if name == "eventType":
            value = ",".join(v.strip() for v in value.split(","))
            sent = hub_event_names(api)
            for wanted in value.split(","):
                if wanted not in sent:
                    offer = ", ".join(sent) if sent else "none: this API has no events to send"
                    raise ValidationError(
                        f"query eventType {_shown(wanted)!r} is not an event this hub sends "
                        f"(it sends {offer})",
                        field="query",
                    )
        elif base != steps:
            try:
                float(value)
            except ValueError:
                instant(value, name)  # a range's bound: a number or a date-time with an offset
        filters[name] = value
    return filters


def _callback(value: object) -> str:
    """The ``callback`` of a hub, checked by the same rule as a webhook endpoint's URL
    (:func:`~selfcare.model.webhooks.check_webhook_url`: 400 naming ``callback`` and what is
    wrong, never the URL, whose path may be the listener's secret)."""
    if value is None or value == "":
        raise ValidationError("the request body has no 'callback' URL", field="callback")
    return check_webhook_url(value, "callback")


@attrs.define
class _Pending:
    body: bytes
    event_id: str
    due: datetime
    attempts: int = 0


@attrs.define(repr=False)
class Hub:
    """One registered listener: the API it was registered on, its callback and filters, and
    the line whose events it receives (the backend of the token that registered it)."""

    id: str
    api: str
    version: int
    callback: str
    query: str | None
    filters: dict[str, str]
    owner: tuple[str, str]
    """The account and the line number of the token that registered it."""
    backend: Backend | AsyncBackend
    account: Account
    root: str
    """The API's root as the registering request reached the face (for ``href``)."""
    cursor: str | None
    outbox: collections.deque[_Pending] = attrs.field(factory=collections.deque)
    delivered: int = 0
    attempts: int = 0
    given_up: int = 0

    def document(self) -> Json:
        """The hub as TMF answers it: v4 ``EventSubscription``, v5 ``Hub``."""
        doc: Json = {"id": self.id, "callback": self.callback}
        if self.query is not None:
            doc["query"] = self.query
        if self.version == 5:
            doc["@type"] = "Hub"
        return doc

    def matches(self, notification: Json) -> bool:
        return not self.filters or bool(filtered(self.filters, [notification]))

    def __repr__(self) -> str:
        host = urlsplit(self.callback).hostname  # the path may be the listener's secret
        return f"Hub({self.id!r}, api={self.api!r}, callback host={host!r})"


def render_resource(kind: TmfEventKind, event: Event, hub: Hub, profile: TmfProfile) -> Json:
    """The resource a notification of ``event`` carries, as the face serves it on the hub's
    API (with its absolute ``href``)."""
    account, version = hub.account, hub.version
    account_id = account.personal_account
    data: Any = event.data
    doc: Json
    if isinstance(data, Message):
        doc = mm.message_to_tmf(data, profile)
    elif isinstance(data, Bill):
        doc = {
            **m.bill_to_tmf(data, account.zone, account_id, version),
            "billDocument": bill_document(data.id, version),
            "@type": "CustomerBill",
        }
        if version == 5:
            doc["billCycle"] = m.ref_to_tmf(cycle_id(data), "BillCycle", 5)
    elif isinstance(data, Payment) and kind.api == "prepay":
        doc = {**m.topup_to_tmf(data, account_id), "@type": "TopupBalance"}
    elif isinstance(data, Payment):
        doc = m.payment_to_tmf(data, account_id)
    elif isinstance(data, ConnectedService):
        doc = sm.connected_to_tmf(data, account_id, profile, version=version)
        if event.type is EventType.SERVICE_DISCONNECTED:
            doc["status"] = "terminated"
            doc["terminationDate"] = m.instant_to_tmf(event.occurred_at)
    elif isinstance(data, Complaint):
        doc = m.complaint_to_tmf(data, version)
    else:  # a balance: the billing account whose balance it is
        doc = m.billing_account_to_tmf(account, data, profile, version)
    doc["href"] = f"{hub.root}{kind.collection}/{doc['id']}"
    return doc


Clock = Callable[[], datetime]


class TmfHubs:
    """The hubs registered on a TMF face, and their delivery (see the module).

    ``clock`` is the operator's (the fake's, so that retries follow its ``ManualClock``);
    ``http_client`` the client that POSTs to callbacks (one of its own, closed by
    :meth:`aclose`, when not given); ``schedule`` the waits between tries of a
    notification."""

    def __init__(
        self,
        profile: TmfProfile,
        clock: Clock | None = None,
        *,
        http_client: httpx.AsyncClient | None = None,
        schedule: tuple[timedelta, ...] = RETRY_SCHEDULE,
    ) -> None:
        self.profile = profile
        self.clock: Clock = clock or (lambda: datetime.now(UTC))
        self._client = http_client
        self._own_client = http_client is None
        self.schedule = schedule
        self.hubs: dict[str, Hub] = {}
        self._lock = asyncio.Lock()
        self._registered = asyncio.Event()

    # ------------------------------------------------------------ registration

    async def register(
        self,
        api: str,
        version: int,
        backend: Backend | AsyncBackend,
        body: Any,
        root: str,
    ) -> Hub:
        """A new hub on ``api`` for the line of ``backend`` from a ``POST /hub`` body; it
        receives what happens from now on."""
        if not isinstance(body, dict):
            raise ValidationError("the request body must be a JSON object", field="body")
        if version == 5 and not isinstance(body.get("@type"), str):
            raise ValidationError(
                "the request body has no '@type', which every v5 resource requires",
                field="@type",
            )
        if "id" in body:
            raise ValidationError("id is set by the server, not the request", field="id")
        callback = _callback(body.get("callback"))
        query = body.get("query")
        filters = parse_hub_query(query, api)
        account: Account = await _execute(backend, ops.GetAccount())
        owner = (account.personal_account, account.number.e164)
        if sum(1 for hub in self.hubs.values() if hub.owner == owner) >= HUBS_PER_LINE:
            raise Conflict(
                f"this line has {HUBS_PER_LINE} hubs, the most it may have: delete one first",
                field="callback",
            )
        newest = await _execute(backend, ops.ListEvents(limit=1))  # NotSupported: no events
        hub = Hub(
            id="hub-" + secrets.token_hex(8),
            api=api,
            version=version,
            callback=callback,
            query=query,
            filters=filters,
            owner=owner,
            backend=backend,
            account=account,
            root=root,
            cursor=newest.items[0].id if newest.items else None,
        )
        self.hubs[hub.id] = hub
        self._registered.set()
        log.info("hub %s registered on %s for %s", hub.id, api, urlsplit(callback).hostname)
        return hub

    async def remove(self, api: str, hub_id: str, backend: Backend | AsyncBackend) -> None:
        """Delete the hub ``hub_id`` of ``api``; 404 unless the line of ``backend`` has it."""
        hub = self.hubs.get(hub_id)
        account: Account = await _execute(backend, ops.GetAccount())
        if (
            hub is None
            or hub.api != api
            or hub.owner != (account.personal_account, account.number.e164)
        ):
            raise NotFound(f"no hub {_shown(hub_id, 40)!r}")
        del self.hubs[hub_id]
        log.info("hub %s deleted", hub_id)

    # ------------------------------------------------------------ delivery

    async def deliver(self) -> int:
        """Read what each hub's line logged since its last read, then POST what is due, in
        order, on the operator's clock; returns how many notifications arrived."""
        async with self._lock:
            arrived = 0
            for hub in list(self.hubs.values()):
                if hub.id not in self.hubs:
                    continue  # deleted while another hub was being served
                await self._collect(hub)
                arrived += await self._send(hub, self.clock())
            return arrived

    async def _collect(self, hub: Hub) -> None:
        now = self.clock()
        while len(hub.outbox) < OUTBOX_LIMIT:
            try:
                batch = await _execute(hub.backend, ops.ReadEvents(after=hub.cursor, limit=_READ))
            except AuthenticationError:  # the session that registered it ended
                self.hubs.pop(hub.id, None)
                log.info("hub %s deleted: the token that registered it no longer works", hub.id)
                return
            except SelfcareError as exc:
                log.warning("hub %s cannot read its line's events: %s", hub.id, type(exc).__name__)
                return
            for event in batch:
                hub.cursor = event.id
                for kind in event_kinds(event):
                    if kind.api != hub.api:
                        continue
                    resource = render_resource(kind, event, hub, self.profile)
                    notification = envelope(event, kind, resource, hub.version)
                    if hub.matches(notification):
                        hub.outbox.append(_Pending(encode_json(notification), event.id, now))
            if len(batch) < _READ:
                return

    async def _send(self, hub: Hub, now: datetime) -> int:
        arrived = 0
        while hub.outbox and hub.outbox[0].due <= now and hub.id in self.hubs:
            pending = hub.outbox[0]
            hub.attempts += 1
            if await self._post(hub, pending):
                hub.outbox.popleft()
                hub.delivered += 1
                arrived += 1
                continue
            pending.attempts += 1
            if pending.attempts > len(self.schedule):
                hub.outbox.popleft()
                hub.given_up += 1
                log.warning(
                    "hub %s gave up event %s after %d tries",
                    hub.id,
                    pending.event_id,
                    pending.attempts,
                )
                continue
            pending.due = now + self.schedule[pending.attempts - 1]
            break
        return arrived

    async def _post(self, hub: Hub, pending: _Pending) -> bool:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=False)
        try:
            answer = await self._client.post(
                hub.callback,
                content=pending.body,
                headers={"Content-Type": "application/json"},
                timeout=TIMEOUT,
            )
        except httpx.HTTPError as exc:
            log.info("hub %s: POST of %s failed: %s", hub.id, pending.event_id, type(exc).__name__)
            return False
        if answer.is_success:
            return True
        log.info("hub %s: POST of %s answered %d", hub.id, pending.event_id, answer.status_code)
        return False

    async def run(self) -> None:
        """Deliver for as long as the app runs: after every event the fake signals, after each
        retry falls due (at most :data:`POLL` seconds apart), idle while there is no hub."""
        while True:
            if not self.hubs:
                self._registered.clear()
                await self._registered.wait()
            signal = self._signal()
            version = None if signal is None else signal.version
            try:
                await self.deliver()
            except Exception:  # the loop must outlive any one failure; it is logged
                log.exception("hub delivery failed")
            if signal is None:
                await anyio.sleep(POLL)
            else:
                await signal.wait_async(version, POLL)

    def _signal(self) -> Any:
        """The fake operator's ``events_changed`` when every hub reads one operator."""
        found = {
            id(s): s
            for s in (
                getattr(getattr(h.backend, "operator", None), "events_changed", None)
                for h in self.hubs.values()
            )
            if s is not None
        }
        return next(iter(found.values())) if len(found) == 1 else None

    async def aclose(self) -> None:
        """Close the HTTP client this made for itself."""
        if self._own_client and self._client is not None:
            await self._client.aclose()
            self._client = None


# ---------------------------------------------------------------- routes


Backends = Callable[[Request], Awaitable[Backend | AsyncBackend]]


def hub_routes(resolve: Resolver, profile: TmfProfile, hubs: TmfHubs) -> list[StarletteRoute]:
    """``POST /hub`` and ``DELETE /hub/{id}`` under the root of every API the face serves."""

    async def backend_of(request: Request) -> Backend | AsyncBackend:
        """The token's backend, on the line the ``relatedParty`` parameter names if any (as
        every other TMF route takes it): a hub carries that line's events."""
        backend = resolve(_token(request))
        if inspect.isawaitable(backend):
            backend = await backend
        scoped, _line = lines.scoped(backend, dict(request.query_params))
        return scoped

    def endpoints(api: str) -> list[StarletteRoute]:
        version = profile.version(api)
        root = standard_root(api, version)

        async def create(request: Request) -> Response:
            try:
                backend = await backend_of(request)
                raw = await _read_body(request)
                try:
                    body = decode_json(raw, "the request") if raw else None
                except SelfcareError:
                    raise ValidationError(
                        "the request body is not valid JSON", field="body"
                    ) from None
                base = str(request.base_url).rstrip("/") + root
                hub = await hubs.register(api, version, backend, body, base)
            except SelfcareError as exc:
                return error_response(exc, "POST")
            return json_response(hub.document(), 201)

        async def delete(request: Request) -> Response:
            try:
                backend = await backend_of(request)
                await hubs.remove(api, request.path_params["id"], backend)
            except SelfcareError as exc:
                return error_response(exc, "DELETE")
            return Response(status_code=204)

        create.__name__ = f"{api}_post_hub"
        delete.__name__ = f"{api}_delete_hub"
        return [
            StarletteRoute(root + "/hub", create, methods=["POST"]),
            StarletteRoute(root + "/hub/{id}", delete, methods=["DELETE"]),
        ]

    return [route for api in API_NAMES for route in endpoints(api)]
