"""The TMF face's notification hubs (TMF630): ``POST /hub`` and ``DELETE /hub/{id}`` under
every API's root, and the rendering of each event the line's log gains as the TMF event
envelope the hub's API defines.

A hub belongs to the line of the token that registered it (its account and number), or
the line the request's ``relatedParty`` parameter names (as on every TMF route): only that
line's tokens see it and delete it, and it receives that line's events. Its
``query`` filters the envelopes as a TMF listing's query filters resources (``eventType=A,B``,
``event.customerBill.state=settled``, ``eventTime.gte=…``); a query naming an event this hub
never sends, or an attribute outside the envelope, is a 400 naming it.

The face only carries requests: the fake operator keeps the hubs, each an outbox beside the
line's webhook endpoints (``FakeOperator.add_hub``; a position in the line's append-only
event log plus its retry state, on :data:`RETRY_SCHEDULE`, the webhooks' one), so an app
made again over the same operator still has them. The server's one
:class:`~selfcare.server.WebhookDispatcher` delivers both kinds: for a hub it calls
:func:`notification`, which renders the event as the hub's API serves it, inside the TMF
envelope, unsigned (TMF hubs carry no signature), or nothing when the hub's query filters it
out. A failed POST is retried on the operator's clock while the later notifications wait
behind it (so they arrive in order), and given up after the last step.

:class:`TmfHubs` is the face's handle on them: :meth:`TmfHubs.run` is the dispatcher's loop,
which the served app starts (its lifespan); tests call :meth:`TmfHubs.deliver` themselves
after moving a ``ManualClock``. A resolver that fronts no fake operator (a server in front
of a network backend) keeps no hubs: ``POST /hub`` answers 405 (the TMF face's status for
what it cannot do) saying so.
"""

from __future__ import annotations

import inspect
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import unquote_plus, urlsplit

import anyio
import attrs
import httpx
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route as StarletteRoute

from selfcare import operations as ops
from selfcare._errors import NotSupported, SelfcareError, ValidationError
from selfcare._secret import Secret
from selfcare.backends import AsyncBackend, Backend
from selfcare.backends.fake._webhooks import (
    HUBS_PER_LINE,
    RETRY_SCHEDULE,
    EndpointRecord,
    HubSpec,
)
from selfcare.model import (
    Account,
    Bill,
    Complaint,
    ConnectedService,
    Message,
    Payment,
    PhoneNumber,
)
from selfcare.model.events import Event, EventType
from selfcare.model.webhooks import WebhookEndpoint, check_webhook_url, shown_url
from selfcare.server._app import Resolver, _execute, _read_body, _token
from selfcare.server._webhooks import WebhookDispatcher
from selfcare.server.tmf import lines
from selfcare.server.tmf.bill import bill_document, cycle_id
from selfcare.server.tmf.errors import error_response
from selfcare.server.tmf.query import Json, filtered, instant, json_response
from selfcare.tmf import _mapping as m
from selfcare.tmf import _message_mapping as mm
from selfcare.tmf import _service_mapping as sm
from selfcare.tmf._events import (
    HUB_EVENTS,
    TmfEventKind,
    envelope,
    event_kinds,
    hub_event_names,
)
from selfcare.tmf._profile import API_NAMES, TmfProfile, standard_root
from selfcare.tmf._wire import decode_json, encode_json

__all__ = [
    "HUBS_PER_LINE",
    "RETRY_SCHEDULE",
    "Hub",
    "HubSpec",
    "TmfHubs",
    "hub_routes",
    "notification",
    "parse_hub_query",
    "render_resource",
]

log = logging.getLogger("selfcare.server.tmf.hub")

MAX_QUERY = 1000
"""The longest ``query`` a hub takes."""
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


@attrs.frozen(repr=False)
class Hub:
    """One registered listener, as the operator keeps it (a snapshot): the API it was
    registered on, its callback and query, the line whose events it receives, and how its
    deliveries went (``outbox``: the ids of the events waiting for it)."""

    id: str
    api: str
    version: int
    callback: str
    query: str | None
    owner: tuple[str, str]
    """The account and the line number whose events it receives."""
    delivered: int
    attempts: int
    given_up: int
    outbox: tuple[str, ...]

    @classmethod
    def of(cls, record: EndpointRecord, waiting: list[Event]) -> Hub:
        """The hub an operator's outbox record is."""
        spec = record.hub
        assert spec is not None and record.endpoint.url is not None
        account = spec.account
        return cls(
            id=record.endpoint.id,
            api=spec.api,
            version=spec.version,
            callback=record.endpoint.url,
            query=spec.query,
            owner=(account.personal_account, account.number.e164),
            delivered=record.delivered,
            attempts=record.delivered + record.failures,
            given_up=record.given_up,
            outbox=tuple(event.id for event in waiting),
        )

    def __repr__(self) -> str:
        # the path may be the listener's secret: the one rule for callback URLs in reprs
        return f"Hub({self.id!r}, api={self.api!r}, callback={shown_url(self.callback)})"


def document(endpoint: WebhookEndpoint, spec: HubSpec) -> Json:
    """A hub as TMF answers it: v4 ``EventSubscription``, v5 ``Hub``."""
    doc: Json = {"id": endpoint.id, "callback": endpoint.url}
    if spec.query is not None:
        doc["query"] = spec.query
    if spec.version == 5:
        doc["@type"] = "Hub"
    return doc


def render_resource(kind: TmfEventKind, event: Event, hub: HubSpec) -> Json:
    """The resource a notification of ``event`` carries, as the face serves it on the hub's
    API (with its absolute ``href``)."""
    account, version, profile = hub.account, hub.version, hub.profile
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
        host = hub.root.removesuffix(standard_root(hub.api, version))
        spec = doc["productSpecification"]  # served by TMF620, in its own version
        catalog = standard_root("catalog", profile.version("catalog"))
        spec["href"] = f"{host}{catalog}/productSpecification/{spec['id']}"
        if event.type is EventType.SERVICE_DISCONNECTED:
            doc["status"] = "terminated"
            doc["terminationDate"] = m.instant_to_tmf(event.occurred_at)
    elif isinstance(data, Complaint):
        doc = m.complaint_to_tmf(data, version)
        if version == 5:
            spec = doc["troubleTicketSpecification"]
            spec["href"] = f"{hub.root}/troubleTicketSpecification/{spec['id']}"
    else:  # a balance: the billing account whose balance it is
        doc = m.billing_account_to_tmf(account, data, profile, version)
    doc["href"] = f"{hub.root}{kind.collection}/{doc['id']}"
    return doc


def notification(hub: HubSpec, event: Event) -> bytes | None:
    """The body the hub ``hub`` is sent for ``event``: the TMF event envelope of the hub's
    API around the resource, if the event becomes a notification of that API and it passes
    the hub's query; ``None`` otherwise (nothing is sent)."""
    for kind in event_kinds(event):
        if kind.api != hub.api:
            continue  # an event becomes at most one notification of each API
        body = envelope(event, kind, render_resource(kind, event, hub), hub.version)
        if hub.filters and not filtered(hub.filters, [body]):
            return None
        return encode_json(body)
    return None


def _types(api: str) -> tuple[EventType, ...]:
    """The selfcare event types a hub of ``api`` may be sent (its outbox takes only these)."""
    return tuple(t for t, kinds in HUB_EVENTS.items() if any(k.api == api for k in kinds))


class TmfHubs:
    """The TMF face's notification hubs: registered in, kept by and delivered from the fake
    operator's outboxes, beside its webhook endpoints (see the module).

    ``create_tmf_app`` binds it to its resolver (:meth:`bind`); the hubs are those of the
    resolver's ``operator``, which must be a fake operator's (one with ``add_hub``): a
    resolver without one (a server in front of a network backend) answers ``POST /hub``
    with a 405 error saying so. ``http_client`` is the client that POSTs to callbacks (one
    of the dispatcher's own, opened on first delivery and closed by :meth:`aclose`, when
    not given)."""

    def __init__(
        self, profile: TmfProfile, *, http_client: httpx.AsyncClient | None = None
    ) -> None:
        self.profile = profile
        self._client = http_client
        self._resolve: object = None
        self._dispatcher: WebhookDispatcher | None = None

    def bind(self, resolve: object) -> None:
        """Keep and deliver the hubs of ``resolve``'s operator (``create_tmf_app`` calls it)."""
        self._resolve = resolve

    @property
    def operator(self) -> Any:
        """The fake operator that keeps the hubs (``None``: the resolver fronts none)."""
        try:
            operator = getattr(self._resolve, "operator", None)
        except AssertionError:  # a test's switchable resolver with nothing installed yet
            return None
        return operator if callable(getattr(operator, "add_hub", None)) else None

    def _keeper(self) -> Any:
        operator = self.operator
        if operator is None:
            raise NotSupported(
                "this server keeps no TMF hubs: hubs are kept and delivered by the fake "
                "operator's outboxes, and this server's backend is not the fake's"
            )
        return operator

    @property
    def hubs(self) -> dict[str, Hub]:
        """The hubs registered now, on every line, by id (a snapshot)."""
        operator = self.operator
        if operator is None:
            return {}
        return {
            record.endpoint.id: Hub.of(record, waiting)
            for record, waiting in operator.hub_records()
        }

    # ------------------------------------------------------------ registration

    async def register(
        self,
        api: str,
        version: int,
        backend: Backend | AsyncBackend,
        body: Any,
        root: str,
        *,
        credential: Secret,
        line: PhoneNumber | None = None,
    ) -> Json:
        """A new hub on ``api`` for the line of ``backend`` (``credential``'s, or ``line``)
        from a ``POST /hub`` body; it receives what happens from now on. The answer is the
        hub as TMF answers it."""
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
        operator = self._keeper()
        account: Account = await _execute(backend, ops.GetAccount())
        spec = HubSpec(api, version, query, filters, root, account, self.profile, credential)
        endpoint = operator.add_hub(credential, line, callback, _types(api), spec)
        log.info("hub %s registered on %s for %s", endpoint.id, api, urlsplit(callback).hostname)
        return document(endpoint, spec)

    async def remove(
        self, api: str, hub_id: str, credential: Secret, line: PhoneNumber | None = None
    ) -> None:
        """Delete the hub ``hub_id`` of ``api``; 404 unless the line of ``credential`` (or
        ``line``) has it."""
        self._keeper().remove_hub(credential, line, api, hub_id)
        log.info("hub %s deleted", hub_id)

    # ------------------------------------------------------------ delivery

    def dispatcher(self) -> WebhookDispatcher | None:
        """The dispatcher delivering the operator's outboxes (``None`` without one)."""
        operator = self.operator
        if operator is None:
            return None
        if self._dispatcher is None:
            self._dispatcher = WebhookDispatcher(operator, client=self._client)
        self._dispatcher.operator = operator  # a test's resolver may switch operators
        return self._dispatcher

    async def deliver(self) -> int:
        """POST what is due now, in order, on the operator's clock (to hubs and to any
        webhook endpoint of the same operator: one loop delivers both); returns how many
        POSTs arrived."""
        dispatcher = self.dispatcher()
        if dispatcher is None:
            return 0
        before = dispatcher.stats.delivered
        await dispatcher.step()
        return dispatcher.stats.delivered - before

    async def run(self) -> None:
        """Deliver for as long as the app runs (the dispatcher's loop, woken by the
        operator's signal); idle when the resolver fronts no fake operator."""
        dispatcher = self.dispatcher()
        if dispatcher is None:
            await anyio.sleep_forever()
            return
        await dispatcher.run()

    async def aclose(self) -> None:
        """Close the HTTP client the dispatcher opened for itself."""
        if self._dispatcher is not None:
            await self._dispatcher.aclose()


# ---------------------------------------------------------------- routes


Backends = Callable[[Request], Awaitable[Backend | AsyncBackend]]


def hub_routes(resolve: Resolver, profile: TmfProfile, hubs: TmfHubs) -> list[StarletteRoute]:
    """``POST /hub`` and ``DELETE /hub/{id}`` under the root of every API the face serves."""

    async def backend_of(
        request: Request,
    ) -> tuple[Backend | AsyncBackend, Secret, PhoneNumber | None]:
        """The token's backend, on the line the ``relatedParty`` parameter names if any (as
        every other TMF route takes it: a hub carries that line's events), the token and
        that line."""
        token = _token(request)
        backend = resolve(token)
        if inspect.isawaitable(backend):
            backend = await backend
        scoped, line = lines.scoped(backend, dict(request.query_params))
        return scoped, token, line

    def endpoints(api: str) -> list[StarletteRoute]:
        version = profile.version(api)
        root = standard_root(api, version)

        async def create(request: Request) -> Response:
            try:
                backend, token, line = await backend_of(request)
                raw = await _read_body(request)
                try:
                    body = decode_json(raw, "the request") if raw else None
                except SelfcareError:
                    raise ValidationError(
                        "the request body is not valid JSON", field="body"
                    ) from None
                base = str(request.base_url).rstrip("/") + root
                doc = await hubs.register(
                    api, version, backend, body, base, credential=token, line=line
                )
            except SelfcareError as exc:
                return error_response(exc, "POST")
            return json_response(doc, 201)

        async def delete(request: Request) -> Response:
            try:
                _backend, token, line = await backend_of(request)
                await hubs.remove(api, request.path_params["id"], token, line)
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
