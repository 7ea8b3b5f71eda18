"""A TM Forum face for any backend: the fake operator over TMF v4 paths and shapes.

One generic endpoint per row of :data:`TMF_ROUTES`: authenticate the bearer token to a
backend, translate the TMF request into selfcare operations, run them, and render the results
with the same pure mapping functions :class:`~selfcare.tmf.TmfProtocol` reads them with.
Collections are paged generically (``offset``/``limit``, ``X-Total-Count``/``X-Result-Count``);
errors leave as TMF ``Error`` documents whose ``referenceError`` names the selfcare problem.
Each API is mounted under its official ``basePath`` (``/tmf-api/usageManagement/v4``…).
"""

from __future__ import annotations

import inspect
import logging
import uuid
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import attrs
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route as StarletteRoute

from selfcare._errors import NotFound, NotSupported, RateLimited, SelfcareError, ValidationError
from selfcare._messaging import DEFAULT_VALIDITY
from selfcare._paging import MAX_PAGE_SIZE, Page
from selfcare._secret import Secret
from selfcare.backends import AsyncBackend, Backend
from selfcare.model import (
    Account,
    ComplaintCategory,
    ComplaintStatus,
    MessagePriority,
    Money,
    PaymentMethod,
    PhoneNumber,
    RelatedEntity,
    RelatedKind,
    ServiceKind,
)
from selfcare.operations import (
    ActivateCard,
    AddComplaintNote,
    CancelMessage,
    ChangeTariff,
    ConnectService,
    DisconnectService,
    FileComplaint,
    GetAccount,
    GetBalance,
    GetComplaint,
    GetMessage,
    GetServiceCatalog,
    ListBills,
    ListCalls,
    ListComplaints,
    ListConnectedServices,
    ListExpenses,
    ListMessages,
    ListPayments,
    Operation,
    PagedOperation,
    Pay,
    SendMms,
    SendSms,
)
from selfcare.server._app import Resolver, _execute, _read_body, _token
from selfcare.tmf import _mapping as m
from selfcare.tmf import _message_mapping as mm
from selfcare.tmf import _service_mapping as sm
from selfcare.tmf._profile import DEFAULT_PROFILE, STANDARD_ROOTS, TmfProfile
from selfcare.tmf._wire import decode_json, encode_json, tmf_error_body

__all__ = ["TMF_ROUTES", "TmfRoute", "create_tmf_app"]

log = logging.getLogger("selfcare.server.tmf")
Json = dict[str, Any]


@attrs.frozen
class Served:
    """What a route's translation produced: one resource, or a collection to page."""

    body: Json | list[Json]
    status: int = 200


@attrs.define
class TmfCall:
    """One TMF request as a route's translation sees it, with a way to run operations."""

    profile: TmfProfile
    backend: Backend | AsyncBackend
    path: Mapping[str, str]
    query: Mapping[str, str]
    body: Any
    idempotency_key: str | None
    orders: dict[str, Json] = attrs.field(factory=dict)
    """The TMF622 orders this app took (by id), so ``GET /productOrder/{id}`` can answer."""

    async def run(self, op: Operation[Any]) -> Any:
        return await _execute(self.backend, op)

    async def every(self, op: PagedOperation[Any]) -> list[Any]:
        """Every record of a listing, all pages."""
        items: list[Any] = []
        op = attrs.evolve(op, limit=MAX_PAGE_SIZE)
        while True:
            page: Page[Any] = await self.run(op)
            items.extend(page.items)
            if page.next_cursor is None:
                return items
            op = attrs.evolve(op, cursor=page.next_cursor)

    async def zone(self) -> ZoneInfo:
        account: Account = await self.run(GetAccount())
        return account.zone

    def key(self, suffix: str = "") -> dict[str, str]:
        """The idempotency key to pass on (``{}`` lets the operation make its own)."""
        return (
            {}
            if self.idempotency_key is None
            else {"idempotency_key": self.idempotency_key + suffix}
        )

    def instant(self, name: str) -> datetime | None:
        text = self.query.get(name)
        if text is None:
            return None
        try:
            at = datetime.fromisoformat(text)
        except ValueError:
            raise ValidationError(
                f"{name}={text!r} is not an RFC 3339 date-time", field=name
            ) from None
        if at.tzinfo is None:
            raise ValidationError(f"{name}={text!r} has no UTC offset", field=name)
        return at

    def field(self, name: str) -> Any:
        if not isinstance(self.body, Mapping) or self.body.get(name) is None:
            raise ValidationError(f"the request body has no {name!r}", field=name)
        return self.body[name]


Translate = Callable[[TmfCall], Awaitable[Served]]


@attrs.frozen
class TmfRoute:
    """One TMF operation the face serves: API, method, path under the API root, translation."""

    api: str
    method: str
    path: str
    translate: Translate


# ---------------------------------------------------------------- TMF635 usage


async def _usage(call: TmfCall) -> Served:
    profile = call.profile
    wanted = set(filter(None, call.query.get("usageType", "").split(",")))
    kinds = tuple(k for k, name in profile.usage_types.items() if not wanted or name in wanted)
    since, until = call.instant("usageDate.gte"), call.instant("usageDate.lt")
    records: list[tuple[datetime, str, Json]] = []
    if kinds:
        for e in await call.every(ListExpenses(since=since, until=until, kinds=kinds)):
            records.append((e.at, e.id, m.expense_to_tmf(e, profile)))
    if not wanted or profile.call_usage_type in wanted:
        for c in await call.every(ListCalls(since=since, until=until)):
            records.append((c.at, c.id, m.call_to_tmf(c, profile)))
    records.sort(key=lambda r: (r[0], r[1]), reverse=True)
    return Served([doc for _, _, doc in records])


# ---------------------------------------------------------------- TMF666 / TMF637 / TMF678


async def _billing_accounts(call: TmfCall) -> list[Json]:
    account = await call.run(GetAccount())
    balance = await call.run(GetBalance())
    return [m.billing_account_to_tmf(account, balance, call.profile)]


def _one(docs: list[Json], wanted: str, what: str) -> Served:
    for doc in docs:
        if doc.get("id") == wanted:
            return Served(doc)
    raise NotFound(f"no {what} {wanted!r}")


async def _billing_account_list(call: TmfCall) -> Served:
    return Served(await _billing_accounts(call))


async def _billing_account(call: TmfCall) -> Served:
    return _one(await _billing_accounts(call), call.path["id"], "billing account")


async def _products(call: TmfCall) -> Served:
    """The line's active products: its tariff (carrying the number) and its options."""
    account: Account = await call.run(GetAccount())
    return Served(
        [
            sm.connected_to_tmf(
                service,
                account.personal_account,
                call.profile,
                msisdn=account.number.e164 if service.kind is ServiceKind.TARIFF else None,
            )
            for service in await call.run(ListConnectedServices())
        ]
    )


async def _bill_docs(call: TmfCall) -> list[Json]:
    zone = await call.zone()
    return [m.bill_to_tmf(b, zone) for b in await call.run(ListBills())]


async def _bill_list(call: TmfCall) -> Served:
    return Served(await _bill_docs(call))


async def _bill(call: TmfCall) -> Served:
    return _one(await _bill_docs(call), call.path["id"], "customer bill")


# ---------------------------------------------------------------- TMF676 / TMF654


def _money(doc: object, field: str) -> Money:
    value = doc.get("value") if isinstance(doc, Mapping) else None
    unit = doc.get("unit") if isinstance(doc, Mapping) else None
    if isinstance(value, bool) or not isinstance(value, int | Decimal) or not isinstance(unit, str):
        raise ValidationError(f"{field} must be a Money object {{value, unit}}", field=field)
    return Money(Decimal(value), unit)


async def _pay(call: TmfCall) -> Served:
    method_doc = call.field("paymentMethod")
    reference = str(method_doc.get("id") or "")
    kind = method_doc.get("@type")
    if kind == "BankCard":
        method = PaymentMethod.card(reference)
    elif kind == "DigitalWallet":
        method = PaymentMethod.wallet(reference)
    else:
        raise ValidationError(
            f"paymentMethod @type {kind!r} is not 'BankCard' or 'DigitalWallet'", field="method"
        )
    key = call.idempotency_key or call.body.get("correlatorId")
    op = Pay(
        amount=_money(call.field("totalAmount"), "totalAmount"),
        method=method,
        **({} if key is None else {"idempotency_key": str(key)}),
    )
    account = str(call.field("account").get("id"))
    return Served(m.payment_to_tmf(await call.run(op), account), 201)


async def _payment_docs(call: TmfCall) -> list[Json]:
    account: Account = await call.run(GetAccount())
    op = ListPayments(since=call.instant("paymentDate.gte"), until=call.instant("paymentDate.lt"))
    return [m.payment_to_tmf(p, account.personal_account) for p in await call.every(op)]


async def _payment_list(call: TmfCall) -> Served:
    return Served(await _payment_docs(call))


async def _payment(call: TmfCall) -> Served:
    return _one(await _payment_docs(call), call.path["id"], "payment")


async def _topup(call: TmfCall) -> Served:
    op = ActivateCard(pin=Secret(str(call.field("voucher"))), **call.key())
    account = str(call.field("partyAccount").get("id"))
    return Served(m.topup_to_tmf(await call.run(op), account), 201)


# ---------------------------------------------------------------- TMF621


def _related(doc: object) -> RelatedEntity:
    if not isinstance(doc, Mapping):
        raise ValidationError("each relatedEntity must be an object", field="related")
    try:
        return RelatedEntity(RelatedKind(str(doc.get("role"))), str(doc["id"]))
    except (KeyError, ValueError):
        choices = ", ".join(k.value for k in RelatedKind)
        raise ValidationError(
            f"relatedEntity role {doc.get('role')!r} is not one of {choices}", field="related"
        ) from None


async def _file(call: TmfCall) -> Served:
    try:
        category = ComplaintCategory(call.field("ticketType"))
    except ValueError:
        category = ComplaintCategory.OTHER
    op = FileComplaint(
        subject=str(call.body.get("name") or call.field("description"))[:120],
        text=str(call.field("description")),
        category=category,
        related=tuple(_related(r) for r in call.body.get("relatedEntity") or []),
        **call.key(),
    )
    return Served(m.complaint_to_tmf(await call.run(op)), 201)


async def _ticket_list(call: TmfCall) -> Served:
    status = call.query.get("status")
    wanted: ComplaintStatus | None = None
    if status is not None:
        wanted = m.ticket_status_from_tmf(status) if status in _TICKET_NAMES else None
        if wanted is None:
            return Served([])
    return Served([m.complaint_to_tmf(c) for c in await call.every(ListComplaints(status=wanted))])


_TICKET_NAMES = {m.ticket_status_to_tmf(s) for s in ComplaintStatus}


async def _ticket(call: TmfCall) -> Served:
    return Served(m.complaint_to_tmf(await call.run(GetComplaint(complaint_id=call.path["id"]))))


async def _patch_ticket(call: TmfCall) -> Served:
    """PATCH replaces ``note``: the notes without an ``id`` are the new ones to add."""
    if not isinstance(call.body, Mapping) or set(call.body) - {"note"}:
        raise NotSupported("the TMF face only patches a trouble ticket's 'note' list")
    complaint = await call.run(GetComplaint(complaint_id=call.path["id"]))
    for index, note in enumerate(n for n in call.field("note") if not n.get("id")):
        op = AddComplaintNote(
            complaint_id=call.path["id"], text=str(note.get("text") or ""), **call.key(f".{index}")
        )
        complaint = await call.run(op)
    return Served(m.complaint_to_tmf(complaint))


# ---------------------------------------------------------------- TMF681 communication


def _receivers(call: TmfCall) -> tuple[PhoneNumber, ...]:
    receivers = call.field("receiver")
    if not isinstance(receivers, list) or not receivers:
        raise ValidationError("receiver must be a non-empty list", field="to")
    numbers = []
    for index, receiver in enumerate(receivers):
        number = receiver.get("phoneNumber") if isinstance(receiver, Mapping) else None
        try:
            numbers.append(PhoneNumber(str(number)))
        except ValueError:
            raise ValidationError(
                f"receiver[{index}].phoneNumber {number!r} is not an E.164 number",
                field=f"to[{index}]",
            ) from None
    return tuple(numbers)


def _send_options(call: TmfCall) -> dict[str, Any]:
    """The options every send has: sender, schedule, priority and the characteristics."""
    chars = mm.read_message_characteristics(call.profile, call.body.get("characteristic"))
    seconds = chars.get("validity")
    if seconds is not None and (isinstance(seconds, bool) or not isinstance(seconds, int)):
        raise ValidationError(f"validity {seconds!r} must be whole seconds", field="validity")
    priority = call.body.get("priority") or MessagePriority.NORMAL.value
    try:
        urgency = MessagePriority(priority)
    except ValueError:
        raise ValidationError(
            f"priority {priority!r} is not low, normal or high", field="priority"
        ) from None
    scheduled = call.body.get("scheduledSendTime")
    try:
        deliver_at = None if scheduled is None else datetime.fromisoformat(str(scheduled))
    except ValueError:
        raise ValidationError(
            f"scheduledSendTime {scheduled!r} is not an RFC 3339 date-time", field="deliver_at"
        ) from None
    report = chars.get("delivery_report")
    return {
        "to": _receivers(call),
        "sender": mm.sender_from_tmf(call.body.get("sender")),
        "deliver_at": deliver_at,
        "validity": DEFAULT_VALIDITY if seconds is None else timedelta(seconds=seconds),
        "delivery_report": report is not False,
        "priority": urgency,
        **call.key(),
    }


async def _send_message(call: TmfCall) -> Served:
    kind = str(call.field("messageType")).upper()
    options = _send_options(call)
    content = call.body.get("content")
    op: SendSms | SendMms
    if kind == "SMS":
        chars = mm.read_message_characteristics(call.profile, call.body.get("characteristic"))
        flash = chars.get("flash")
        op = SendSms(text=str(content or ""), flash=flash is True, **options)
    elif kind == "MMS":
        op = SendMms(
            subject=call.body.get("subject"),
            text=content or None,
            attachments=tuple(
                mm.attachment_from_tmf(a, i)
                for i, a in enumerate(call.body.get("attachment") or [])
            ),
            **options,
        )
    else:
        raise ValidationError(f"messageType {kind!r} is not SMS or MMS", field="messageType")
    return Served(mm.message_to_tmf(await call.run(op), call.profile), 201)


async def _message_list(call: TmfCall) -> Served:
    op = ListMessages(since=call.instant("sendTime.gte"), until=call.instant("sendTime.lt"))
    return Served([mm.message_to_tmf(msg, call.profile) for msg in await call.every(op)])


async def _message(call: TmfCall) -> Served:
    message = await call.run(GetMessage(id=call.path["id"]))
    return Served(mm.message_to_tmf(message, call.profile))


async def _patch_message(call: TmfCall) -> Served:
    """The one change a sender may make to a message: ``state: cancelled`` (cancel it)."""
    if not isinstance(call.body, Mapping) or dict(call.body) != {"state": "cancelled"}:
        raise NotSupported("the TMF face only patches a communication message to cancel it")
    message = await call.run(CancelMessage(id=call.path["id"], **call.key()))
    return Served(mm.message_to_tmf(message, call.profile))


# ---------------------------------------------------------------- TMF620 / TMF622


async def _offerings(call: TmfCall) -> list[Json]:
    return [sm.service_to_tmf(s, call.profile) for s in await call.run(GetServiceCatalog())]


async def _offering_list(call: TmfCall) -> Served:
    return Served(await _offerings(call))


async def _offering(call: TmfCall) -> Served:
    return _one(await _offerings(call), call.path["id"], "product offering")


_ORDERS_KEPT = 1000
"""How many orders the face remembers for ``GET /productOrder/{id}`` (oldest forgotten)."""


async def _place_order(call: TmfCall) -> Served:
    """One item: ``add`` connects an option, ``delete`` disconnects it, ``modify`` of the
    tariff product changes the tariff. The fake does it at once: the order is ``completed``."""
    items = call.field("productOrderItem")
    if not isinstance(items, list) or len(items) != 1 or not isinstance(items[0], Mapping):
        raise NotSupported("the TMF face takes product orders of exactly one item")
    item = items[0]
    code = (item.get("productOffering") or {}).get("id")
    if not isinstance(code, str):
        raise ValidationError("the order item has no productOffering.id", field="code")
    action = item.get("action")
    op: Operation[Any]
    if action == "add":
        op = ConnectService(code=code, **call.key())
    elif action == "delete":
        op = DisconnectService(code=code, **call.key())
    elif action == "modify":
        op = ChangeTariff(code=code, **call.key())
    else:
        raise NotSupported(f"the TMF face does not take order items with action {action!r}")
    await call.run(op)
    order_id = f"po-{uuid.uuid4().hex[:16]}"
    doc: Json = {
        "id": order_id,
        "href": f"/productOrder/{order_id}",
        "state": "completed",
        "productOrderItem": [{**item, "state": "completed"}],
        "@type": "ProductOrder",
    }
    if isinstance(call.body.get("billingAccount"), Mapping):
        doc["billingAccount"] = call.body["billingAccount"]
    call.orders[order_id] = doc
    while len(call.orders) > _ORDERS_KEPT:
        del call.orders[next(iter(call.orders))]
    return Served(doc, 201)


async def _order(call: TmfCall) -> Served:
    doc = call.orders.get(call.path["id"])
    if doc is None:
        raise NotFound(f"no product order {call.path['id']!r}")
    return Served(doc)


TMF_ROUTES: tuple[TmfRoute, ...] = (
    TmfRoute("usage", "GET", "/usage", _usage),
    TmfRoute("account", "GET", "/billingAccount", _billing_account_list),
    TmfRoute("account", "GET", "/billingAccount/{id}", _billing_account),
    TmfRoute("inventory", "GET", "/product", _products),
    TmfRoute("bill", "GET", "/customerBill", _bill_list),
    TmfRoute("bill", "GET", "/customerBill/{id}", _bill),
    TmfRoute("payment", "POST", "/payment", _pay),
    TmfRoute("payment", "GET", "/payment", _payment_list),
    TmfRoute("payment", "GET", "/payment/{id}", _payment),
    TmfRoute("prepay", "POST", "/topupBalance", _topup),
    TmfRoute("troubleTicket", "POST", "/troubleTicket", _file),
    TmfRoute("troubleTicket", "GET", "/troubleTicket", _ticket_list),
    TmfRoute("troubleTicket", "GET", "/troubleTicket/{id}", _ticket),
    TmfRoute("troubleTicket", "PATCH", "/troubleTicket/{id}", _patch_ticket),
    TmfRoute("communication", "POST", "/communicationMessage", _send_message),
    TmfRoute("communication", "GET", "/communicationMessage", _message_list),
    TmfRoute("communication", "GET", "/communicationMessage/{id}", _message),
    TmfRoute("communication", "PATCH", "/communicationMessage/{id}", _patch_message),
    TmfRoute("catalog", "GET", "/productOffering", _offering_list),
    TmfRoute("catalog", "GET", "/productOffering/{id}", _offering),
    TmfRoute("ordering", "POST", "/productOrder", _place_order),
    TmfRoute("ordering", "GET", "/productOrder/{id}", _order),
)
"""Every TMF operation the face serves (the rest of each API answers 404)."""


# ---------------------------------------------------------------- the generic endpoint


def _json(document: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(encode_json(document), status, headers, media_type="application/json")


def _page(call: TmfCall, items: list[Json]) -> Response:
    def number(name: str, default: int) -> int:
        text = call.query.get(name)
        if text is None:
            return default
        if not text.isdigit():
            raise ValidationError(f"{name}={text!r} must be a non-negative integer", field=name)
        return int(text)

    offset = number("offset", 0)
    limit = number("limit", len(items))
    chosen = items[offset : offset + limit]
    headers = {"X-Total-Count": str(len(items)), "X-Result-Count": str(len(chosen))}
    return _json(chosen, 200, headers)


def _endpoint(
    route: TmfRoute, resolve: Resolver, profile: TmfProfile, orders: dict[str, Json]
) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        try:
            return await serve(request)
        except SelfcareError as exc:
            return _error(exc, route.method)

    async def serve(request: Request) -> Response:
        backend = resolve(_token(request))
        if inspect.isawaitable(backend):
            backend = await backend
        raw = await _read_body(request) if route.method in ("POST", "PATCH") else b""
        try:
            body = decode_json(raw, "the request") if raw else None
        except SelfcareError:
            raise ValidationError("the request body is not valid JSON", field="body") from None
        call = TmfCall(
            profile,
            backend,
            dict(request.path_params),
            dict(request.query_params),
            body,
            request.headers.get("idempotency-key"),
            orders,
        )
        served = await route.translate(call)
        if isinstance(served.body, list):
            return _page(call, served.body)
        return _json(served.body, served.status)

    endpoint.__name__ = (
        f"{route.api}_{route.method.lower()}_{route.path.strip('/').replace('/', '_')}"
    )
    return endpoint


_DECLARED = frozenset({400, 401, 403, 404, 405, 409, 500})
"""The error statuses every TMF v4 operation declares (POST lacks 404); 429 and 503 are kept
as HTTP says, so clients back off and retry."""


def _status(exc: SelfcareError, method: str) -> int:
    """The declared status closest to ``exc``'s; ``referenceError`` still names it exactly."""
    declared = _DECLARED - {404} if method == "POST" else _DECLARED
    if exc.status in declared or exc.status in (429, 503):
        return exc.status
    if isinstance(exc, NotSupported):
        return 405
    return 400 if exc.status < 500 else 500


def _error(exc: SelfcareError, method: str = "GET") -> Response:
    status = _status(exc, method)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else {}
    retry = getattr(exc, "retry_after", None) if isinstance(exc, RateLimited) else None
    if retry is not None:
        headers["Retry-After"] = str(max(0, round(retry.total_seconds())))
    return _json(tmf_error_body(exc), status, headers)


async def _selfcare_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SelfcareError)
    return _error(exc)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        return _error(NotFound(f"no such TMF resource: {request.url.path}"))
    error = SelfcareError(str(exc.detail))
    body = {**tmf_error_body(error), "status": str(exc.status_code)}
    return _json(body, exc.status_code)


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error in %s %s", request.method, request.url.path)
    return _error(SelfcareError("the server failed unexpectedly"))


def create_tmf_app(resolve: Resolver, profile: TmfProfile = DEFAULT_PROFILE) -> Starlette:
    """A Starlette app serving :data:`TMF_ROUTES` for the backends ``resolve`` gives, each API
    under its official ``basePath`` and named as ``profile`` says."""
    orders: dict[str, Json] = {}
    routes = [
        StarletteRoute(
            STANDARD_ROOTS[route.api] + route.path,
            _endpoint(route, resolve, profile, orders),
            methods=[route.method],
        )
        for route in TMF_ROUTES
    ]
    return Starlette(
        routes=routes,
        exception_handlers={
            SelfcareError: _selfcare_error,
            HTTPException: _http_error,
            Exception: _unexpected,
        },
    )
