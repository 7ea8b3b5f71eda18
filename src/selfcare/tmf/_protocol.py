"""TmfProtocol: selfcare operations as flows over an operator's TM Forum Open APIs.

Each supported operation has one flow: a generator of requests (and waits) that reads the
TMF answers into selfcare models with :mod:`selfcare.tmf._mapping`. The HTTP driver
(:class:`~selfcare.AsyncHttpBackend` and its sync twin) sends them with the usual timeouts,
retries and idempotency keys; nothing here does I/O.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Iterable, Mapping
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo

import httpx

from selfcare._client.paging import Page
from selfcare._errors import APIError, Conflict, NotFound, NotSupported, WaitTimeout
from selfcare.model import Call, ConnectedService, Expense, Message, Service, ServiceKind
from selfcare.model.events import EventType
from selfcare.model.webhooks import NewWebhookEndpoint, WebhookEndpoint
from selfcare.operations import (
    ActivateCard,
    AddComplaintNote,
    CancelMessage,
    Capability,
    ChangeTariff,
    ConnectService,
    CreateWebhook,
    DeleteWebhook,
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
    ListLines,
    ListMessages,
    ListPayments,
    ListWebhooks,
    Operation,
    PagedOperation,
    Pay,
    SendMms,
    SendSms,
)
from selfcare.protocol._http import Flow, Wait
from selfcare.tmf import _hubs
from selfcare.tmf import _mapping as m
from selfcare.tmf import _message_mapping as mm
from selfcare.tmf import _service_mapping as sm
from selfcare.tmf._line_mapping import is_line, line_from_tmf, line_scope
from selfcare.tmf._profile import DEFAULT_PROFILE, TmfProfile
from selfcare.tmf._wire import (
    decode_json,
    decode_offset,
    encode_json,
    encode_offset,
    error_from_tmf,
)

if TYPE_CHECKING:
    from selfcare.model import Line, PhoneNumber

__all__ = ["TmfProtocol"]

T = TypeVar("T")
Params = list[tuple[str, str | int | float | bool | None]]
Step = Generator[httpx.Request | Wait, httpx.Response | None, T]

UNSUPPORTED = {
    Capability.FORWARDING: "TM Forum has no Open API for call forwarding (a network setting)",
    Capability.CONTACTS: "TM Forum has no Open API for a subscriber's phonebook or mailing lists",
    Capability.LOGINS: "TM Forum has no Open API for a subscriber's sign-ins or operation log",
    Capability.AUTOPAY: "TMF654's auto top-up (isAutoTopup, recurringPeriod) recharges every "
    "period unconditionally; it has no balance threshold to top up below",
}
"""Capabilities TmfProtocol does not carry, and why (the ``NotSupported`` message)."""

UNSUPPORTED_OPERATIONS: dict[type[Operation[Any]], str] = {
    ListWebhooks: "TMF630 hubs cannot be listed (the Open APIs define POST /hub and "
    "DELETE /hub/{id}, no GET /hub): keep the ids sc.webhooks.create() returns",
}
"""Operations of a capability TmfProtocol carries that TM Forum has no call for, and why."""


_VERSION = _hubs.VERSION
"""The request extension saying which Open API version its API speaks (for :meth:`scope`)."""


class _Io:
    """Builds one operation's requests against the profile's API roots."""

    def __init__(
        self, client: httpx.Client | httpx.AsyncClient, profile: TmfProfile, op: Operation[Any]
    ):
        self.client, self.profile, self.op = client, profile, op

    def call(
        self,
        method: str,
        api: str,
        path: str,
        *,
        params: Params | None = None,
        body: Any = None,
        media: str | None = None,
    ) -> Step[tuple[Any, httpx.Response]]:
        """Send one request; return its decoded JSON and the response, or raise its error."""
        headers = {}
        content = None
        if body is not None:
            # v5 names the merge-patch media type (v4's PATCH takes plain JSON)
            merge = method == "PATCH" and self.profile.version(api) == 5
            headers["Content-Type"] = media or (
                "application/merge-patch+json" if merge else "application/json"
            )
            content = encode_json(body)
        key = getattr(self.op, "idempotency_key", None)
        if key is not None and method != "GET":
            headers["Idempotency-Key"] = key
        request = self.client.build_request(
            method,
            self.profile.root(api) + path,
            params=params,
            content=content,
            headers=headers,
            extensions={_VERSION: self.profile.version(api)},
        )
        response = yield request
        assert response is not None
        if not response.is_success:
            raise error_from_tmf(response.status_code, response.content, response.headers)
        what = f"{method} {path}"
        return decode_json(response.content, what) if response.content else None, response

    def version(self, api: str) -> int:
        """The Open API version (4 or 5) the profile speaks for ``api``."""
        return self.profile.version(api)

    def billing_account(self) -> Step[Mapping[str, Any]]:
        """The billing account the token gives access to (the first one listed)."""
        docs, _ = yield from self.call("GET", "account", "/billingAccount", params=[("limit", 1)])
        if not isinstance(docs, list) or not docs or not isinstance(docs[0], Mapping):
            raise APIError("the TMF666 server lists no billing account for this token")
        account: Mapping[str, Any] = docs[0]
        return account


def _list(docs: object, what: str) -> list[Mapping[str, Any]]:
    if not isinstance(docs, list) or not all(isinstance(d, Mapping) for d in docs):
        raise APIError(f"the TMF answer to {what} is not a list of resources")
    return docs


def _total(response: httpx.Response) -> int | None:
    value = response.headers.get("x-total-count")
    return int(value) if value is not None and value.isdigit() else None


def _last(batch: list[Any], asked: int, read: int, total: int | None, status: int) -> bool:
    """Whether an offset-paged TMF list holds nothing after the ``read`` records so far
    (``batch`` the latest of them, answered with ``status`` and ``total``, its
    ``X-Total-Count``). A server may return fewer than the ``limit`` asked (TMF630: it caps
    its pages), so a short page ends the list only when the server gives no total to go by
    and does not answer ``206 Partial Content``."""
    if not batch:
        return True
    if total is not None:
        return read >= total
    return len(batch) < asked and status != httpx.codes.PARTIAL_CONTENT


def _range(field: str, since: datetime | None, until: datetime | None) -> Params:
    params: Params = []
    if since is not None:
        params.append((f"{field}.gte", m.instant_to_tmf(since)))
    if until is not None:
        params.append((f"{field}.lt", m.instant_to_tmf(until)))
    return params


def _paged(
    io: _Io,
    op: PagedOperation[Any],
    api: str,
    path: str,
    params: Params,
    parse: Callable[[Mapping[str, Any]], T],
    keep: Callable[[T], bool] = lambda item: True,
) -> Step[Page[T]]:
    """One page of ``op.limit`` records from an offset-paged TMF list, filtered by ``keep``
    (for filters TMF does not define); the cursor holds the offset to go on from."""
    offset = decode_offset(op.cursor)
    items: list[T] = []
    while True:
        query = [*params, ("offset", offset), ("limit", op.limit)]
        docs, response = yield from io.call("GET", api, path, params=query)
        batch = _list(docs, path)
        total = _total(response)
        for index, doc in enumerate(batch):
            item = parse(doc)
            if keep(item):
                items.append(item)
            if len(items) == op.limit:
                position = offset + index + 1
                more = total is None or position < total
                return Page(tuple(items), encode_offset(position) if more else None)
        offset += len(batch)
        if _last(batch, op.limit, offset, total, response.status_code):
            return Page(tuple(items), None)


def _all(io: _Io, api: str, path: str, params: Params) -> Step[list[Mapping[str, Any]]]:
    """Every resource of an offset-paged TMF list."""
    found: list[Mapping[str, Any]] = []
    while True:
        query = [*params, ("offset", len(found)), ("limit", 100)]
        docs, response = yield from io.call("GET", api, path, params=query)
        batch = _list(docs, path)
        found.extend(batch)
        if _last(batch, 100, len(found), _total(response), response.status_code):
            return found


def _poll(
    io: _Io, api: str, path: str, doc: Mapping[str, Any], final: frozenset[str], what: str
) -> Step[Mapping[str, Any]]:
    """Poll ``path`` until the task's ``state``/``status`` is final (with ``Wait`` between)."""
    deadline = time.monotonic() + io.profile.poll_timeout
    while str(doc.get("state") or doc.get("status")) not in final:
        if time.monotonic() >= deadline:
            raise WaitTimeout(
                f"{what} {doc.get('id')!r} is still {doc.get('state') or doc.get('status')!r} "
                f"after {io.profile.poll_timeout:g} s; look it up later"
            )
        yield Wait(io.profile.poll_interval)
        fresh, _ = yield from io.call("GET", api, f"{path}/{doc.get('id')}")
        if not isinstance(fresh, Mapping):
            raise APIError(f"the TMF answer for {what} {doc.get('id')!r} is not a resource")
        doc = fresh
    return doc


# ---------------------------------------------------------------- flows


def _expenses(io: _Io, op: ListExpenses) -> Step[Page[Expense]]:
    profile = io.profile
    kinds = op.kinds or tuple(profile.usage_types)
    params: Params = [("usageType", ",".join(profile.usage_types[k] for k in kinds))]
    params += _range("usageDate", op.since, op.until)
    return (
        yield from _paged(
            io,
            op,
            "usage",
            "/usage",
            params,
            lambda doc: m.expense_from_tmf(doc, profile),
            lambda e: op.counterpart is None or e.counterpart == op.counterpart,
        )
    )


def _calls(io: _Io, op: ListCalls) -> Step[Page[Call]]:
    profile = io.profile
    params: Params = [("usageType", profile.call_usage_type)]
    params += _range("usageDate", op.since, op.until)

    def keep(call: Call) -> bool:
        return (
            (op.direction is None or call.direction is op.direction)
            and (op.missed is None or call.missed == op.missed)
            and (op.counterpart is None or call.counterpart == op.counterpart)
        )

    return (
        yield from _paged(
            io, op, "usage", "/usage", params, lambda doc: m.call_from_tmf(doc, profile), keep
        )
    )


def _account(io: _Io, op: GetAccount) -> Step[Any]:
    billing = yield from io.billing_account()
    params: Params = [("billingAccount.id", str(billing.get("id"))), ("status", "active")]
    products = yield from _all(io, "inventory", "/product", params)
    return m.account_from_tmf(billing, products, io.profile)


def _balance(io: _Io, op: GetBalance) -> Step[Any]:
    billing = yield from io.billing_account()
    return m.balance_from_tmf(billing, io.profile)


def _bills(io: _Io, op: ListBills) -> Step[Any]:
    billing = yield from io.billing_account()
    zone = ZoneInfo(io.profile.time_zone)
    today: date = m.balance_from_tmf(billing, io.profile).as_of.astimezone(zone).date()
    params: Params = [("billingAccount.id", str(billing.get("id")))]
    docs = yield from _all(io, "bill", "/customerBill", params)
    bills = sorted((m.bill_from_tmf(d, zone, today) for d in docs), key=lambda b: b.period_start)
    return tuple(b for b in bills if b.is_open or not op.open_only)


_METHOD_TYPE = {"card": "BankCard", "wallet": "DigitalWallet"}


def _pay(io: _Io, op: Pay) -> Step[Any]:
    billing = yield from io.billing_account()
    body = {
        "correlatorId": op.idempotency_key,
        "account": {"id": billing.get("id")},
        "totalAmount": m.money_to_tmf(op.amount),
        "paymentMethod": {
            "id": op.method.reference.reveal(),
            "@type": _METHOD_TYPE[op.method.kind.value],
        },
    }
    doc, _ = yield from io.call("POST", "payment", "/payment", body=body)
    return m.payment_from_tmf(doc)


def _payments(io: _Io, op: ListPayments) -> Step[Any]:
    params = _range("paymentDate", op.since, op.until)
    return (yield from _paged(io, op, "payment", "/payment", params, m.payment_from_tmf))


_TOPUP_FINAL = frozenset({"completed", "failed", "cancelled"})


def _activate(io: _Io, op: ActivateCard) -> Step[Any]:
    billing = yield from io.billing_account()
    currency = m.balance_from_tmf(billing, io.profile).amount.currency
    account_id = str(billing.get("id"))
    body = {
        "voucher": op.pin.reveal(),
        "amount": {"units": currency},
        "usageType": "monetary",
        "bucket": {"id": f"{account_id}-main"},
        "partyAccount": {"id": account_id},
    }
    doc, _ = yield from io.call("POST", "prepay", "/topupBalance", body=body)
    doc = yield from _poll(io, "prepay", "/topupBalance", doc, _TOPUP_FINAL, "top-up")
    return m.topup_from_tmf(doc)


def _file_complaint(io: _Io, op: FileComplaint) -> Step[Any]:
    version = io.version("troubleTicket")
    body = {
        "name": op.subject,
        "description": op.text,
        "ticketType": op.category.value,
        "severity": io.profile.ticket_severity,
        "relatedEntity": [m.related_to_tmf(r, version) for r in op.related],
    }
    body = m.typed(body, "TroubleTicket", version)  # v5: a TroubleTicket_FVO
    doc, _ = yield from io.call("POST", "troubleTicket", "/troubleTicket", body=body)
    return m.complaint_from_tmf(doc)


def _complaints(io: _Io, op: ListComplaints) -> Step[Any]:
    params: Params = [] if op.status is None else [("status", m.ticket_status_to_tmf(op.status))]
    return (
        yield from _paged(io, op, "troubleTicket", "/troubleTicket", params, m.complaint_from_tmf)
    )


def _complaint(io: _Io, op: GetComplaint) -> Step[Any]:
    doc, _ = yield from io.call("GET", "troubleTicket", f"/troubleTicket/{op.complaint_id}")
    return m.complaint_from_tmf(doc)


def _add_note(io: _Io, op: AddComplaintNote) -> Step[Any]:
    """TMF PATCH replaces the ``note`` list: send the notes there are plus the new one (or,
    in v5 with ``profile.json_patch``, one JSON Patch appending the note)."""
    path = f"/troubleTicket/{op.complaint_id}"
    version = io.version("troubleTicket")
    if version == 5 and io.profile.json_patch:
        note = m.typed({"author": "subscriber", "text": op.text}, "Note", version)
        patch = [{"op": "add", "path": "/note/-", "value": note}]
        doc, _ = yield from io.call(
            "PATCH", "troubleTicket", path, body=patch, media="application/json-patch+json"
        )
        return m.complaint_from_tmf(doc)
    doc, _ = yield from io.call("GET", "troubleTicket", path)
    notes = [
        m.typed(dict(n), "Note", version) for n in doc.get("note") or [] if isinstance(n, Mapping)
    ]
    new = m.typed({"author": "subscriber", "text": op.text}, "Note", version)
    body = m.typed({"note": [*notes, new]}, "TroubleTicket", version)  # v5: a TroubleTicket_MVO
    doc, _ = yield from io.call("PATCH", "troubleTicket", path, body=body)
    return m.complaint_from_tmf(doc)


def _send(io: _Io, op: SendSms | SendMms) -> Step[Message]:
    body = mm.send_to_tmf(op, io.profile)
    doc, _ = yield from io.call("POST", "communication", "/communicationMessage", body=body)
    return mm.message_from_tmf(doc, io.profile)


def _message(io: _Io, op: GetMessage) -> Step[Message]:
    doc, _ = yield from io.call("GET", "communication", f"/communicationMessage/{op.id}")
    return mm.message_from_tmf(doc, io.profile)


def _messages(io: _Io, op: ListMessages) -> Step[Page[Message]]:
    """Filtered by ``sendTime`` on the server (TMF attribute filtering) and again here, since
    a BSS may ignore filters TMF681 does not list; the status only here (``state`` is coarser)."""
    params = _range("sendTime", op.since, op.until)

    def keep(message: Message) -> bool:
        return (
            (op.status is None or message.status is op.status)
            and (op.since is None or message.at >= op.since)
            and (op.until is None or message.at < op.until)
        )

    return (
        yield from _paged(
            io,
            op,
            "communication",
            "/communicationMessage",
            params,
            lambda doc: mm.message_from_tmf(doc, io.profile),
            keep,
        )
    )


def _cancel(io: _Io, op: CancelMessage) -> Step[Message]:
    """TMF681 cancels by moving the message to ``state: cancelled`` (DELETE would erase it)."""
    path = f"/communicationMessage/{op.id}"
    doc, _ = yield from io.call("PATCH", "communication", path, body={"state": "cancelled"})
    return mm.message_from_tmf(doc, io.profile)


def _catalog(io: _Io, op: GetServiceCatalog) -> Step[tuple[Service, ...]]:
    docs = yield from _all(io, "catalog", "/productOffering", [])
    services = (sm.service_from_tmf(d, io.profile) for d in docs)
    return tuple(s for s in services if op.kind is None or s.kind is op.kind)


def _products(io: _Io) -> Step[tuple[str, list[Mapping[str, Any]]]]:
    """The billing account's id and its active TMF637 products."""
    billing = yield from io.billing_account()
    account_id = str(billing.get("id"))
    params: Params = [("billingAccount.id", account_id), ("status", "active")]
    return account_id, (yield from _all(io, "inventory", "/product", params))


def _connected_services(io: _Io) -> Step[tuple[ConnectedService, ...]]:
    _, docs = yield from _products(io)
    services = [sm.connected_from_tmf(d, io.profile) for d in docs]
    return tuple(sorted(services, key=lambda s: s.kind is not ServiceKind.TARIFF))


def _connected(io: _Io, op: ListConnectedServices) -> Step[tuple[ConnectedService, ...]]:
    return (yield from _connected_services(io))


def _order(io: _Io, action: str, code: str, product_id: str | None, account_id: str) -> Step[None]:
    """Place a one-item TMF622 order and poll it (with ``Wait``) until it is final."""
    version = io.version("ordering")
    body = {
        "billingAccount": m.ref_to_tmf(account_id, "BillingAccount", version),
        "productOrderItem": [sm.order_item(action, code, product_id, version)],
    }
    body = m.typed(body, "ProductOrder", version)  # v5: a ProductOrder_FVO
    doc, _ = yield from io.call("POST", "ordering", "/productOrder", body=body)
    doc = yield from _poll(io, "ordering", "/productOrder", doc, sm.ORDER_FINAL, "product order")
    if doc.get("state") != "completed":
        raise Conflict(
            f"product order {doc.get('id')!r} to {action} {code!r} ended {doc.get('state')!r}",
            field="code",
        )


def _product_id(
    docs: list[Mapping[str, Any]], wanted: Callable[[Mapping[str, Any]], bool]
) -> str | None:
    return next((str(d.get("id")) for d in docs if wanted(d)), None)


def _connect(io: _Io, op: ConnectService) -> Step[ConnectedService]:
    billing = yield from io.billing_account()
    yield from _order(io, "add", op.code, None, str(billing.get("id")))
    for service in (yield from _connected_services(io)):
        if service.code == op.code:
            return service
    raise APIError(f"the order for {op.code!r} completed but the inventory has no such product")


def _disconnect(io: _Io, op: DisconnectService) -> Step[tuple[ConnectedService, ...]]:
    account_id, docs = yield from _products(io)
    product = _product_id(docs, lambda d: (d.get("productOffering") or {}).get("id") == op.code)
    yield from _order(io, "delete", op.code, product, account_id)
    return (yield from _connected_services(io))


def _change_tariff(io: _Io, op: ChangeTariff) -> Step[Any]:
    """A ``modify`` of the tariff (bundle) product to the new offering; then the account."""
    account_id, docs = yield from _products(io)
    product = _product_id(docs, lambda d: bool(d.get("isBundle")))
    yield from _order(io, "modify", op.code, product, account_id)
    return (yield from _account(io, GetAccount()))


def _lines(io: _Io, op: ListLines) -> Step[Page[Line]]:
    """TMF637 bundle products with a number, one per line, in the order the server lists
    them (the fake's TMF face: by number)."""
    profile = io.profile

    def parse(doc: Mapping[str, Any]) -> Line | None:
        return line_from_tmf(doc, profile) if is_line(doc, profile) else None

    def keep(line: Line | None) -> bool:
        return line is not None

    params: Params = [("isBundle", "true")]
    page = yield from _paged(io, op, "inventory", "/product", params, parse, keep)
    return Page(tuple(line for line in page.items if line is not None), page.next_cursor)


def _create_webhook(io: _Io, op: CreateWebhook) -> Step[NewWebhookEndpoint]:
    """One hub per API that carries ``op.types`` (an unmapped type is a ``ValidationError``
    naming it, before any request); the endpoint's id names them all. TMF hubs are not
    signed: the result's ``secret`` is ``None``. TMF630 has no creation time for a hub, so
    ``created_at`` is this client's clock when the hubs were registered."""
    hubs = yield from _hubs.register_hubs(io.client, io.profile, op.url, op.types)
    created = datetime.fromtimestamp(int(time.time()), UTC)
    endpoint = _hubs.endpoint_id(hubs, op.types, created)
    return NewWebhookEndpoint(endpoint, op.url, op.types, created, None)


def _delete_webhook(io: _Io, op: DeleteWebhook) -> Step[WebhookEndpoint]:
    """``DELETE /hub/{id}`` for each hub the id names; ``NotFound`` when every one was
    already gone. TMF answers a hub's DELETE with no body and keeps no callback the client
    could read back, so the result's ``url`` is ``None`` (docs/tmf.md)."""
    hubs, types, created = _hubs.endpoint_hubs(op.id, io.profile)
    gone = yield from _hubs.delete_hubs(io.client, io.profile, hubs)
    if len(gone) == len(hubs):
        shown = op.id if len(op.id) <= 40 else op.id[:39] + "…"
        raise NotFound(f"no webhook endpoint {shown!r}: its hubs are gone")
    return WebhookEndpoint(op.id, None, types, created)


_FLOWS: dict[type[Operation[Any]], Callable[[_Io, Any], Step[Any]]] = {
    ListExpenses: _expenses,
    ListCalls: _calls,
    GetAccount: _account,
    GetBalance: _balance,
    ListBills: _bills,
    Pay: _pay,
    ListPayments: _payments,
    ActivateCard: _activate,
    FileComplaint: _file_complaint,
    ListComplaints: _complaints,
    GetComplaint: _complaint,
    AddComplaintNote: _add_note,
    SendSms: _send,
    SendMms: _send,
    GetMessage: _message,
    ListMessages: _messages,
    CancelMessage: _cancel,
    GetServiceCatalog: _catalog,
    ListConnectedServices: _connected,
    ConnectService: _connect,
    DisconnectService: _disconnect,
    ChangeTariff: _change_tariff,
    ListLines: _lines,
    CreateWebhook: _create_webhook,
    DeleteWebhook: _delete_webhook,
}


class TmfProtocol:
    """selfcare over an operator's TM Forum Open APIs, as ``profile`` names things and in
    the Open API version it gives each API (v4, or v5 for the six APIs that have one).

    Give it to the HTTP backend: ``AsyncHttpBackend(url, token, protocol=TmfProtocol())``,
    or use ``Selfcare.tmf(base_url=..., token=..., profile=...)``.
    """

    def __init__(self, profile: TmfProfile = DEFAULT_PROFILE) -> None:
        self.profile = profile

    @property
    def capabilities(self) -> frozenset[str]:
        """What this protocol maps (forwarding, contacts and logins have no TMF API)."""
        return frozenset(op.capability for op in _FLOWS)

    def scope(self, request: httpx.Request, line: PhoneNumber) -> None:
        """Name ``line`` on a request of a line-scoped operation: the TMF filter on the
        line's party, ``relatedParty.id`` (v5: ``relatedParty.partyOrPartyRole.id``)."""
        version = request.extensions.get(_VERSION, 4)
        name, value = line_scope(version, line)
        request.url = request.url.copy_add_param(name, value)

    def flow(self, client: httpx.Client | httpx.AsyncClient, op: Operation[Any]) -> Flow:
        """The requests that carry ``op``, and its result."""
        run = _FLOWS.get(type(op))
        if type(op) in UNSUPPORTED_OPERATIONS:
            raise NotSupported(
                f"{type(op).__name__} is not supported by the TMF backend: "
                + UNSUPPORTED_OPERATIONS[type(op)]
            )
        if run is None:
            why = UNSUPPORTED.get(op.capability, f"{type(op).__name__} is not mapped")
            raise NotSupported(
                f"{op.capability} ({type(op).__name__}) is not supported by the TMF backend: {why}"
            )
        return run(_Io(client, self.profile, op), op)

    def register_hubs(
        self,
        client: httpx.Client | httpx.AsyncClient,
        callback: str,
        types: Iterable[EventType | str] | EventType | str | None = None,
    ) -> Flow:
        """The flow registering ``callback`` on the hub of each API that carries ``types``
        (every type a TMF hub carries when none), filtered to them; its result is the
        :class:`~selfcare.tmf.TmfHub` tuple to keep for :meth:`delete_hubs`.
        ``sc.webhooks.create()`` runs it (the ``CreateWebhook`` flow ``yield from`` it);
        drive it yourself as the HTTP backend drives any flow when you keep the hubs."""
        return _hubs.register_hubs(client, self.profile, callback, types)

    def delete_hubs(
        self, client: httpx.Client | httpx.AsyncClient, hubs: Iterable[_hubs.TmfHub]
    ) -> Flow:
        """The flow deleting ``hubs`` (those :meth:`register_hubs` made)."""
        return _hubs.delete_hubs(client, self.profile, hubs)

    def __repr__(self) -> str:
        v5 = sorted(api for api, v in self.profile.versions.items() if v == 5)
        return f"TmfProtocol(profile={self.profile.name!r}{', v5=' + repr(v5) if v5 else ''})"
