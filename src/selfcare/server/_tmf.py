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

import attrs
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route as StarletteRoute

from selfcare import operations as ops
from selfcare._client.paging import MAX_PAGE_SIZE, Page
from selfcare._errors import (
    Conflict,
    NotFound,
    NotSupported,
    RateLimited,
    SelfcareError,
    ValidationError,
)
from selfcare._rules.messaging import DEFAULT_VALIDITY
from selfcare._secret import Secret
from selfcare._time import day_start
from selfcare.backends import AsyncBackend, Backend
from selfcare.model import (
    Account,
    Balance,
    ComplaintCategory,
    ComplaintStatus,
    MessagePriority,
    MessageStatus,
    Money,
    PaymentMethod,
    PaymentStatus,
    PhoneNumber,
    RelatedEntity,
    RelatedKind,
    ServiceKind,
)
from selfcare.server import _tmf_balance as tbal
from selfcare.server import _tmf_billing as tb
from selfcare.server._app import RequestIds, Resolver, _execute, _read_body, _token
from selfcare.server._limits import RequestLimits, contained
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
    """What a route's translation produced: one resource, or a collection to page.

    ``keep`` marks a resource the face itself holds from now on (the backend has no place for
    it); the generic endpoint then answers ``GET``, ``PATCH`` and ``DELETE`` of it and lists
    it. ``done`` says selfcare acted on it (an order, a top-up): only its description and name
    may change then, and it cannot be deleted. A record or a request selfcare did not act on
    (a submitted usage record, a message kept in its failed state) is the caller's to change.
    """

    body: Json | list[Json] | None
    status: int = 200
    keep: bool = False
    done: bool = False
    deleted: str | None = None
    """The id of an operator's record this request deleted from the TMF view (``DELETE``)."""
    overlay: Json | None = None
    """Attributes a ``PATCH`` set on an operator's record (``body``), which the face shows on
    it from now on, as long as the operator's own values of them stay as they were."""
    basis: Json | None = None
    """The operator's own values of the ``overlay``'s attributes when it was patched."""


@attrs.define
class Kept:
    """A resource the face holds, and whether selfcare acted on it."""

    doc: Json
    done: bool


@attrs.define
class Held:
    """One account's collection as the face keeps it: the resources it holds, by id, and the
    ids of the operator's records deleted from the TMF view."""

    kept: dict[str, Kept] = attrs.field(factory=dict)
    deleted: set[str] = attrs.field(factory=set)
    overlays: dict[str, tuple[Json, Json]] = attrs.field(factory=dict)
    """By record id: (the operator's values when patched, the patched values)."""


Store = dict[tuple[str, str], Held]
"""What the face keeps, by (token's account, API and collection path)."""


@attrs.define
class TmfCall:
    """One TMF request as a route's translation sees it, with a way to run operations."""

    profile: TmfProfile
    backend: Backend | AsyncBackend
    path: Mapping[str, str]
    query: Mapping[str, str]
    body: Any
    """The decoded JSON body; for ``POST`` and ``PATCH`` an object (:func:`_checked_body` has
    refused anything else before the translation runs)."""
    idempotency_key: str | None
    base: str = ""
    """The API's root as the caller reached it (``http://host/tmf-api/…/v4``), for ``href``."""
    store: Store = attrs.field(factory=dict, repr=False)
    api: str = ""
    _account: Account | None = attrs.field(default=None, init=False)

    def href(self, path: str) -> str:
        """The absolute URL of ``path`` under this API's root."""
        return self.base + path

    async def held(self, collection: str) -> list[Json]:
        """What the face holds for the token's account in ``collection`` of this API."""
        account = (await self.account()).personal_account
        held = self.store.get((account, self.api + collection))
        return [] if held is None else [kept.doc for kept in held.kept.values()]

    async def run(self, op: ops.Operation[Any]) -> Any:
        return await _execute(self.backend, op)

    async def account(self) -> Account:
        """The token's account (asked once per request)."""
        if self._account is None:
            self._account = await self.run(ops.GetAccount())
        return self._account

    async def own_account(self, name: str) -> str:
        """The body's ``name.id``, which must be the token's own billing account (a
        reference without an id is taken to mean it)."""
        wanted = self.field(name)
        if not isinstance(wanted, Mapping):
            raise ValidationError(f"{name} must be an object", field=name)
        mine = (await self.account()).personal_account
        if wanted.get("id") is not None and str(wanted.get("id")) != mine:
            raise ValidationError(
                f"{name}.id {wanted.get('id')!r} is not this token's account {mine!r}",
                field=f"{name}.id",
            )
        return mine

    async def every(self, op: ops.PagedOperation[Any]) -> list[Any]:
        """Every record of a listing, all pages."""
        items: list[Any] = []
        op = attrs.evolve(op, limit=MAX_PAGE_SIZE)
        while True:
            page: Page[Any] = await self.run(op)
            items.extend(page.items)
            if page.next_cursor is None:
                return items
            op = attrs.evolve(op, cursor=page.next_cursor)

    async def now(self) -> datetime:
        """The operator's clock (the fake's may be a test's), in the account's zone."""
        balance: Balance = await self.run(ops.GetBalance())
        return balance.as_of.astimezone((await self.account()).zone)

    def key(self, suffix: str = "") -> str | None:
        """The caller's idempotency key to pass on (``None`` lets the operation make one);
        ``suffix`` tells apart the operations one request performs."""
        return None if self.idempotency_key is None else self.idempotency_key + suffix

    def instant(self, name: str) -> datetime | None:
        text = self.query.get(name)
        return None if text is None else _instant(text, name)

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
    required: tuple[str, ...] = ()
    """The body attributes the spec marks mandatory for this operation (400 when missing)."""
    choices: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    """Body attributes the spec restricts to an enumeration (400 for any other value)."""
    transitions: Mapping[str, tuple[str, ...]] | None = None
    """The state model of the resources the face holds here: from each ``status``, the ones
    a ``PATCH`` may move it to (409 naming ``status`` otherwise)."""
    fixed: tuple[str, ...] = ()
    """Attributes of a held resource a ``PATCH`` may not change (409 naming one)."""

    @property
    def collection(self) -> str:
        """The collection the path is in: ``/usage`` for ``/usage`` and ``/usage/{id}``."""
        return self.path.removesuffix("/{id}")


# ---------------------------------------------------------------- TMF635 usage


async def _usage(call: TmfCall) -> Served:
    profile = call.profile
    wanted = set(filter(None, call.query.get("usageType", "").split(",")))
    kinds = tuple(k for k, name in profile.usage_types.items() if not wanted or name in wanted)
    since, until = call.instant("usageDate.gte"), call.instant("usageDate.lt")
    refs = _spec_refs(call)  # one reference per type, shared by its records
    records: list[tuple[datetime, str, Json]] = []
    if kinds:
        for e in await call.every(ops.ListExpenses(since=since, until=until, kinds=kinds)):
            doc = m.expense_to_tmf(e, profile)
            doc["usageSpecification"] = refs[doc["usageType"]]
            records.append((e.at, e.id, doc))
    if not wanted or profile.call_usage_type in wanted:
        call_ref = refs[profile.call_usage_type]
        for c in await call.every(ops.ListCalls(since=since, until=until)):
            doc = m.call_to_tmf(c, profile)
            doc["usageSpecification"] = call_ref
            records.append((c.at, c.id, doc))
    records.sort(key=lambda r: (r[0], r[1]), reverse=True)
    return Served([doc for _, _, doc in records])


def _spec_refs(call: TmfCall) -> dict[str, Json]:
    """The reference to each of the operator's usage specifications, by its id."""
    return {
        spec["id"]: tb.spec_ref(
            spec["id"], spec["name"], call.href(f"/usageSpecification/{spec['id']}")
        )
        for spec in tb.usage_specifications(call.profile)
    }


async def _specifications(call: TmfCall) -> Served:
    return Served(tb.usage_specifications(call.profile))


async def _post_specification(call: TmfCall) -> Served:
    """A usage specification a catalogue system adds: kept ``active`` unless it says."""
    item = f"us-{uuid.uuid4().hex[:16]}"
    doc: Json = {
        **call.body,
        "id": item,
        "lifecycleStatus": call.body.get("lifecycleStatus") or "active",
        "lastUpdate": m.instant_to_tmf(await call.now()),
        "@type": call.body.get("@type") or "UsageSpecification",
    }
    return Served(doc, 201, keep=True)


_USAGE_STATES = ("received", "rejected", "recycled", "guided", "rated", "rerated", "billed")


async def _post_usage(call: TmfCall) -> Served:
    """A usage record a mediation system submits: the face keeps it as received (selfcare's
    own calls and expenses come from the operator's rating, not from these)."""
    body = call.body
    doc: Json = {
        **body,
        "id": f"usage-{uuid.uuid4().hex[:16]}",
        "status": body.get("status") or "received",
        "@type": body.get("@type") or "Usage",
    }
    if not isinstance(body.get("usageSpecification"), Mapping):
        refs = _spec_refs(call)
        doc["usageSpecification"] = refs.get(str(body.get("usageType")), refs[tb.SUBMITTED_SPEC])
    return Served(doc, 201, keep=True)


# ---------------------------------------------------------------- generic by-id helpers


def _by_id(listing: Translate, what: str) -> Translate:
    """``GET /x/{id}`` from the listing ``GET /x`` (404 when no record has that id)."""

    async def translate(call: TmfCall) -> Served:
        served = await listing(call)
        assert isinstance(served.body, list)
        return _one(served.body, call.path["id"], what)

    return translate


def _missing(what: str) -> Translate:
    """By id, a resource only the face holds: the generic endpoint answers for those it has."""

    async def translate(call: TmfCall) -> Served:
        raise NotFound(f"no {what} {call.path['id']!r}")

    return translate


def _unchangeable(listing: Translate, what: str, why: str) -> Translate:
    """``PATCH``/``DELETE`` of a record the operator's own books hold: 405 saying why (404
    when there is none); those the face holds are changed by the generic endpoint."""

    async def translate(call: TmfCall) -> Served:
        await _by_id(listing, what)(call)
        raise NotSupported(f"the {what} {call.path['id']!r} {why}")

    return translate


async def _rejected(call: TmfCall, resource: str, dated: tuple[str, ...], **fields: Any) -> Served:
    """A spec-valid request selfcare cannot act on: created as a ``resource``, kept, in its
    failed state (``fields`` say which, and why); the attributes ``dated`` names say when
    (the operator's now)."""
    item = f"{resource[:3].lower()}-{uuid.uuid4().hex[:16]}"
    when = dict.fromkeys(dated, m.instant_to_tmf(await call.now()))
    return Served(
        {**call.body, "id": item, **when, **fields, "@type": resource},
        201,
        keep=True,
    )


# ---------------------------------------------------------------- TMF666 / TMF637 / TMF678


async def _billing_accounts(call: TmfCall) -> list[Json]:
    account = await call.account()
    balance = await call.run(ops.GetBalance())
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
    account = await call.account()
    return Served(
        [
            sm.connected_to_tmf(
                service,
                account.personal_account,
                call.profile,
                msisdn=account.number.e164 if service.kind is ServiceKind.TARIFF else None,
            )
            for service in await call.run(ops.ListConnectedServices())
        ]
    )


async def _bill_docs(call: TmfCall) -> list[Json]:
    account = await call.account()
    bills = await call.run(ops.ListBills())
    return [
        {
            **m.bill_to_tmf(b, account.zone, account.personal_account),
            "billDocument": tb.bill_document(b.id),
            "@type": "CustomerBill",
        }
        for b in bills
    ]


_BILL_PATCHABLE = frozenset({"state", "@type", "@baseType", "@schemaLocation"})


async def _patch_bill(call: TmfCall) -> Served:
    """``state`` is what a bill's ``PATCH`` may change (``CustomerBill_Update``): the face
    shows the patched state until the operator's own state of the bill moves on (a payment
    settles it, say)."""
    served = await _bill(call)  # 404 before 400
    unknown = sorted(set(call.body) - _BILL_PATCHABLE)
    if unknown:
        raise ValidationError(
            f"{unknown[0]} cannot be patched: a customer bill's PATCH changes its state",
            field=unknown[0],
        )
    patch = {"state": call.body["state"]} if "state" in call.body else {}
    assert isinstance(served.body, dict)
    basis = {name: served.body.get(name) for name in patch}
    return Served({**served.body, **patch}, overlay=patch, basis=basis)


async def _rates(call: TmfCall) -> Served:
    """The applied customer billing rates: each bill's charges (only the bills of a
    ``bill.id`` filter, or of the id asked for, are read)."""
    account = await call.account()
    wanted = set(filter(None, call.query.get("bill.id", "").split(",")))
    if "id" in call.path:
        wanted = {call.path["id"].partition(".")[0]}
    docs: list[Json] = []
    for bill in await call.run(ops.ListBills()):
        if wanted and bill.id not in wanted:
            continue
        href = call.href(f"/customerBill/{bill.id}")
        op = ops.ListExpenses(
            since=day_start(bill.period_start, account.zone),
            until=day_start(bill.period_end + timedelta(days=1), account.zone),
        )
        docs.extend(
            tb.rate_to_tmf(e, bill, href, account.personal_account, call.profile)
            for e in await call.every(op)
            if e.cost.amount > 0
        )
    return Served(docs)


async def _bill_list(call: TmfCall) -> Served:
    return Served(await _bill_docs(call))


async def _bill(call: TmfCall) -> Served:
    return _one(await _bill_docs(call), call.path["id"], "customer bill")


async def _bill_on_demand(call: TmfCall) -> Served:
    """The fake bills once a month and cannot issue a bill on request: the request is kept,
    ``rejected``, saying so (a billing account other than the token's is a 400)."""
    account = await call.account()
    if call.body.get("billingAccount") is not None:
        await call.own_account("billingAccount")
    return await _rejected(
        call,
        "CustomerBillOnDemand",
        ("lastUpdate",),
        state="rejected",
        billingAccount={"id": account.personal_account, "@referredType": "BillingAccount"},
        description="this operator issues bills monthly and cannot issue one on demand",
    )


# ---------------------------------------------------------------- TMF676 / TMF654


def _money(doc: object, field: str) -> Money:
    value = doc.get("value") if isinstance(doc, Mapping) else None
    unit = doc.get("unit") if isinstance(doc, Mapping) else None
    if isinstance(value, bool) or not isinstance(value, int | Decimal) or not isinstance(unit, str):
        raise ValidationError(f"{field} must be a Money object {{value, unit}}", field=field)
    return Money(Decimal(value), unit)


async def _pay(call: TmfCall) -> Served:
    """A payment by bank card or wallet; any other method (a reference to a stored one the
    fake does not know) is kept as a ``declined`` payment saying why."""
    account = await call.own_account("account")
    method_doc = call.field("paymentMethod")
    if not isinstance(method_doc, Mapping):
        raise ValidationError("paymentMethod must be an object", field="paymentMethod")
    total = call.field("totalAmount")
    reference = str(method_doc.get("id") or "")
    kind = method_doc.get("@type")
    why = None
    if kind not in ("BankCard", "DigitalWallet"):
        why = f"paymentMethod @type {kind!r} is not BankCard or DigitalWallet, the methods taken"
    elif not isinstance(total, Mapping) or total.get("value") is None or not total.get("unit"):
        why = "totalAmount has no value and unit to charge"
    if why is not None:
        return await _rejected(
            call,
            "Payment",
            ("statusDate", "paymentDate"),
            status=PaymentStatus.DECLINED.value,
            description=f"declined: {why}",
        )
    amount = _money(total, "totalAmount")
    if kind == "BankCard":
        method = PaymentMethod.card(reference)
    else:
        method = PaymentMethod.wallet(reference)
    key = call.idempotency_key or call.body.get("correlatorId")
    op = ops.Pay(
        amount=amount, method=method, **({} if key is None else {"idempotency_key": str(key)})
    )
    return Served(m.payment_to_tmf(await call.run(op), account), 201)


async def _payment_docs(call: TmfCall) -> list[Json]:
    account = await call.account()
    op = ops.ListPayments(
        since=call.instant("paymentDate.gte"), until=call.instant("paymentDate.lt")
    )
    return [m.payment_to_tmf(p, account.personal_account) for p in await call.every(op)]


async def _payment_list(call: TmfCall) -> Served:
    return Served(await _payment_docs(call))


async def _payment(call: TmfCall) -> Served:
    return _one(await _payment_docs(call), call.path["id"], "payment")


async def _topup(call: TmfCall) -> Served:
    """A payment card's activation by its ``voucher`` (the PIN); a top-up without one is kept
    ``failed``, with the reason (the fake tops up only from payment cards)."""
    account = await call.own_account("partyAccount")
    voucher = call.body.get("voucher")
    if not voucher:
        return await _rejected(
            call,
            "TopupBalance",
            ("requestedDate",),
            status="failed",
            reason="no voucher: this operator tops up only by a payment card's PIN",
        )
    op = ops.ActivateCard(pin=Secret(str(voucher)), idempotency_key=call.key())
    return Served(m.topup_to_tmf(await call.run(op), account), 201, keep=True, done=True)


async def _buckets(call: TmfCall) -> Served:
    account = (await call.account()).personal_account
    held = tbal.reserved(await call.held("/reserveBalance"))
    return Served([tbal.bucket_to_tmf(account, await call.run(ops.GetBalance()), held)])


async def _adjust(call: TmfCall) -> Served:
    """A subscriber cannot adjust their own balance: the adjustment is kept ``failed``,
    saying so (one of another line's buckets is a 400)."""
    account = (await call.account()).personal_account
    tbal.own_bucket(call.body, account)
    return await _rejected(
        call,
        "AdjustBalance",
        ("requestedDate",),
        status="failed",
        partyAccount={"id": account, "@referredType": "BillingAccount"},
        reason="balance adjustments are made by the operator's billing, not through self-care",
    )


async def _reserve(call: TmfCall) -> Served:
    """A reservation of part of the balance, which the face holds (``created``) until it is
    cancelled; the bucket's ``reservedValue`` counts it. One the available balance does not
    cover, or not monetary, is kept ``failed`` with the reason."""
    account = await call.own_account("partyAccount")
    tbal.own_bucket(call.body, account)
    balance = await call.run(ops.GetBalance())
    held = tbal.reserved(await call.held("/reserveBalance"))
    why = tbal.reservation_problem(call.body, balance, held)
    if why is not None:
        return await _rejected(
            call, "ReserveBalance", ("requestedDate",), status="failed", reason=why
        )
    return await _rejected(
        call,
        "ReserveBalance",
        ("requestedDate", "confirmationDate"),
        status="created",
        reason=call.body.get("reason") or "reserved on the line's balance",
        amount={"amount": call.body["amount"]["amount"], "units": balance.amount.currency},
    )


async def _held_only(call: TmfCall) -> Served:
    """A collection only the face holds (the generic endpoint adds its records)."""
    return Served([])


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
    op = ops.FileComplaint(
        subject=str(call.body.get("name") or call.field("description"))[:120],
        text=str(call.field("description")),
        category=category,
        related=tuple(_related(r) for r in call.body.get("relatedEntity") or []),
        idempotency_key=call.key(),
    )
    return Served(m.complaint_to_tmf(await call.run(op)), 201)


async def _ticket_list(call: TmfCall) -> Served:
    status = call.query.get("status")
    wanted: ComplaintStatus | None = None
    if status is not None:
        wanted = m.ticket_status_from_tmf(status) if status in _TICKET_NAMES else None
        if wanted is None:
            return Served([])
    return Served(
        [m.complaint_to_tmf(c) for c in await call.every(ops.ListComplaints(status=wanted))]
    )


_TICKET_NAMES = {m.ticket_status_to_tmf(s) for s in ComplaintStatus}


async def _ticket(call: TmfCall) -> Served:
    return Served(
        m.complaint_to_tmf(await call.run(ops.GetComplaint(complaint_id=call.path["id"])))
    )


async def _patch_ticket(call: TmfCall) -> Served:
    """PATCH replaces ``note``: the notes without an ``id`` are the new ones to add."""
    complaint = await call.run(ops.GetComplaint(complaint_id=call.path["id"]))  # 404 before 405
    if not isinstance(call.body, Mapping) or set(call.body) - {"note"}:
        raise NotSupported("the TMF face only patches a trouble ticket's 'note' list")
    for index, note in enumerate(n for n in call.field("note") if not n.get("id")):
        op = ops.AddComplaintNote(
            complaint_id=call.path["id"],
            text=str(note.get("text") or ""),
            idempotency_key=call.key(f".{index}"),
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
        "idempotency_key": call.key(),
    }


def _unsendable(call: TmfCall) -> str | None:
    """Why selfcare cannot send a spec-valid message at all (``None`` if it can try)."""
    kind = str(call.field("messageType")).upper()
    if kind not in ("SMS", "MMS"):
        return f"messageType {call.body['messageType']!r}: this operator sends only SMS and MMS"
    receivers = call.field("receiver")
    if isinstance(receivers, list) and receivers:
        for index, receiver in enumerate(receivers):
            if not isinstance(receiver, Mapping) or not receiver.get("phoneNumber"):
                return f"receiver[{index}] has no phoneNumber to send an {kind} to"
    return None


async def _send_message(call: TmfCall) -> Served:
    reason = _unsendable(call)
    if reason is not None:
        return await _rejected(
            call,
            "CommunicationMessage",
            ("sendTime", "sendTimeComplete"),
            state="failed",
            description=f"not sent: {reason}",
        )
    kind = str(call.field("messageType")).upper()
    options = _send_options(call)
    content = call.body.get("content")
    op: ops.SendSms | ops.SendMms
    if kind == "SMS":
        chars = mm.read_message_characteristics(call.profile, call.body.get("characteristic"))
        flash = chars.get("flash")
        op = ops.SendSms(text=str(content or ""), flash=flash is True, **options)
    else:  # MMS: _unsendable took every other type
        op = ops.SendMms(
            subject=call.body.get("subject"),
            text=content or None,
            attachments=tuple(
                mm.attachment_from_tmf(a, i)
                for i, a in enumerate(call.body.get("attachment") or [])
            ),
            **options,
        )
    return Served(mm.message_to_tmf(await call.run(op), call.profile), 201)


async def _message_list(call: TmfCall) -> Served:
    op = ops.ListMessages(since=call.instant("sendTime.gte"), until=call.instant("sendTime.lt"))
    return Served([mm.message_to_tmf(msg, call.profile) for msg in await call.every(op)])


async def _message(call: TmfCall) -> Served:
    message = await call.run(ops.GetMessage(id=call.path["id"]))
    return Served(mm.message_to_tmf(message, call.profile))


async def _patch_message(call: TmfCall) -> Served:
    """The one change a sender may make to a message: ``state: cancelled`` (cancel it)."""
    await call.run(ops.GetMessage(id=call.path["id"]))  # 404 before 405
    if not isinstance(call.body, Mapping) or dict(call.body) != {"state": "cancelled"}:
        raise NotSupported("the TMF face only patches a communication message to cancel it")
    message = await call.run(ops.CancelMessage(id=call.path["id"], idempotency_key=call.key()))
    return Served(mm.message_to_tmf(message, call.profile))


async def _delete_message(call: TmfCall) -> Served:
    """Deletes the message from the TMF collection; one not sent yet is cancelled first, so
    deleting a scheduled message also stops it. The operator's log (``sc.messages`` over
    selfcare's own protocol) keeps the record, as an operator's would."""
    message = await call.run(ops.GetMessage(id=call.path["id"]))
    if message.status is MessageStatus.SCHEDULED:
        await call.run(ops.CancelMessage(id=message.id, idempotency_key=call.key()))
    return Served(None, 204, deleted=message.id)


# ---------------------------------------------------------------- TMF620 / TMF622


async def _offerings(call: TmfCall) -> list[Json]:
    return [sm.service_to_tmf(s, call.profile) for s in await call.run(ops.GetServiceCatalog())]


async def _offering_list(call: TmfCall) -> Served:
    return Served(await _offerings(call))


async def _offering(call: TmfCall) -> Served:
    return _one(await _offerings(call), call.path["id"], "product offering")


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
    op: ops.Operation[Any]
    if action == "add":
        op = ops.ConnectService(code=code, idempotency_key=call.key())
    elif action == "delete":
        op = ops.DisconnectService(code=code, idempotency_key=call.key())
    elif action == "modify":
        op = ops.ChangeTariff(code=code, idempotency_key=call.key())
    else:
        raise NotSupported(f"the TMF face does not take order items with action {action!r}")
    await call.run(op)
    doc: Json = {
        "id": f"po-{uuid.uuid4().hex[:16]}",
        "state": "completed",
        "productOrderItem": [{**item, "state": "completed"}],
        "@type": "ProductOrder",
    }
    if isinstance(call.body.get("billingAccount"), Mapping):
        doc["billingAccount"] = call.body["billingAccount"]
    return Served(doc, 201, keep=True, done=True)


_MESSAGE_STATES = ("initial", "inProgress", "completed", "cancelled", "failed")
_ACTION_STATES = ("created", "failed", "cancelled", "completed")
_BILL_STATES = ("new", "onHold", "validated", "sent", "partiallyPaid", "settled")
_RATED = "is the operator's rating of a call or charge and cannot be changed"
_RATING = "is one of the kinds of usage the operator rates and cannot be changed"
_USAGE_KINDS = ("monetary", "voice", "data", "sms", "other")

TMF_ROUTES: tuple[TmfRoute, ...] = (
    TmfRoute("usage", "GET", "/usage", _usage),
    TmfRoute("usage", "POST", "/usage", _post_usage, choices={"status": _USAGE_STATES}),
    TmfRoute("usage", "GET", "/usage/{id}", _by_id(_usage, "usage record")),
    TmfRoute(
        "usage",
        "PATCH",
        "/usage/{id}",
        _unchangeable(_usage, "usage record", _RATED),
        choices={"status": _USAGE_STATES},
    ),
    TmfRoute("usage", "DELETE", "/usage/{id}", _unchangeable(_usage, "usage record", _RATED)),
    TmfRoute("usage", "GET", "/usageSpecification", _specifications),
    TmfRoute("usage", "POST", "/usageSpecification", _post_specification),
    TmfRoute(
        "usage", "GET", "/usageSpecification/{id}", _by_id(_specifications, "usage specification")
    ),
    TmfRoute(
        "usage",
        "PATCH",
        "/usageSpecification/{id}",
        _unchangeable(_specifications, "usage specification", _RATING),
    ),
    TmfRoute(
        "usage",
        "DELETE",
        "/usageSpecification/{id}",
        _unchangeable(_specifications, "usage specification", _RATING),
    ),
    TmfRoute("account", "GET", "/billingAccount", _billing_account_list),
    TmfRoute("account", "GET", "/billingAccount/{id}", _billing_account),
    TmfRoute("inventory", "GET", "/product", _products),
    TmfRoute("bill", "GET", "/customerBill", _bill_list),
    TmfRoute("bill", "GET", "/customerBill/{id}", _bill),
    TmfRoute("bill", "PATCH", "/customerBill/{id}", _patch_bill, choices={"state": _BILL_STATES}),
    TmfRoute("bill", "GET", "/appliedCustomerBillingRate", _rates),
    TmfRoute(
        "bill",
        "GET",
        "/appliedCustomerBillingRate/{id}",
        _by_id(_rates, "applied customer billing rate"),
    ),
    TmfRoute("bill", "POST", "/customerBillOnDemand", _bill_on_demand),
    TmfRoute("bill", "GET", "/customerBillOnDemand", _held_only),
    TmfRoute("bill", "GET", "/customerBillOnDemand/{id}", _missing("customer bill on demand")),
    TmfRoute(
        "payment", "POST", "/payment", _pay, required=("account", "paymentMethod", "totalAmount")
    ),
    TmfRoute("payment", "GET", "/payment", _payment_list),
    TmfRoute("payment", "GET", "/payment/{id}", _payment),
    TmfRoute(
        "prepay",
        "POST",
        "/topupBalance",
        _topup,
        required=("amount", "usageType", "bucket", "partyAccount"),
    ),
    TmfRoute("prepay", "GET", "/topupBalance", _held_only),
    TmfRoute("prepay", "GET", "/topupBalance/{id}", _missing("top-up")),
    TmfRoute(
        "prepay",
        "PATCH",
        "/topupBalance/{id}",
        _missing("top-up"),
        required=("status",),
        choices={"status": _ACTION_STATES},
        transitions=tbal.ACTION_TRANSITIONS,
    ),
    TmfRoute("prepay", "DELETE", "/topupBalance/{id}", _missing("top-up")),
    TmfRoute("prepay", "GET", "/bucket", _buckets),
    TmfRoute("prepay", "GET", "/bucket/{id}", _by_id(_buckets, "bucket")),
    TmfRoute(
        "prepay",
        "POST",
        "/adjustBalance",
        _adjust,
        required=("amount", "usageType", "bucket"),
        choices={"usageType": _USAGE_KINDS, "adjustType": ("recurring", "oneTime")},
    ),
    TmfRoute("prepay", "GET", "/adjustBalance", _held_only),
    TmfRoute("prepay", "GET", "/adjustBalance/{id}", _missing("balance adjustment")),
    TmfRoute(
        "prepay",
        "PATCH",
        "/adjustBalance/{id}",
        _missing("balance adjustment"),
        required=("status",),
        choices={"status": _ACTION_STATES},
        transitions=tbal.ACTION_TRANSITIONS,
    ),
    TmfRoute("prepay", "DELETE", "/adjustBalance/{id}", _missing("balance adjustment")),
    TmfRoute(
        "prepay",
        "POST",
        "/reserveBalance",
        _reserve,
        required=("usageType", "bucket", "partyAccount"),
        choices={"usageType": _USAGE_KINDS},
    ),
    TmfRoute("prepay", "GET", "/reserveBalance", _held_only),
    TmfRoute("prepay", "GET", "/reserveBalance/{id}", _missing("balance reservation")),
    TmfRoute(
        "prepay",
        "PATCH",
        "/reserveBalance/{id}",
        _missing("balance reservation"),
        required=("status", "reason"),
        choices={"status": _ACTION_STATES},
        transitions=tbal.RESERVATION_TRANSITIONS,
        fixed=("amount", "bucket", "partyAccount", "usageType"),
    ),
    TmfRoute("prepay", "DELETE", "/reserveBalance/{id}", _missing("balance reservation")),
    TmfRoute(
        "troubleTicket",
        "POST",
        "/troubleTicket",
        _file,
        required=("description", "severity", "ticketType"),
    ),
    TmfRoute("troubleTicket", "GET", "/troubleTicket", _ticket_list),
    TmfRoute("troubleTicket", "GET", "/troubleTicket/{id}", _ticket),
    TmfRoute("troubleTicket", "PATCH", "/troubleTicket/{id}", _patch_ticket),
    TmfRoute(
        "communication",
        "POST",
        "/communicationMessage",
        _send_message,
        required=("content", "receiver", "sender", "messageType"),
        choices={"state": _MESSAGE_STATES},
    ),
    TmfRoute("communication", "GET", "/communicationMessage", _message_list),
    TmfRoute("communication", "GET", "/communicationMessage/{id}", _message),
    TmfRoute(
        "communication",
        "PATCH",
        "/communicationMessage/{id}",
        _patch_message,
        choices={"state": _MESSAGE_STATES},
    ),
    TmfRoute("communication", "DELETE", "/communicationMessage/{id}", _delete_message),
    TmfRoute("catalog", "GET", "/productOffering", _offering_list),
    TmfRoute("catalog", "GET", "/productOffering/{id}", _offering),
    TmfRoute("ordering", "POST", "/productOrder", _place_order, required=("productOrderItem",)),
    TmfRoute("ordering", "GET", "/productOrder/{id}", _missing("product order")),
)
"""Every TMF operation the face serves (the rest of each API answers 404)."""


# ---------------------------------------------------------------- the generic endpoint


def _json(document: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(encode_json(document), status, headers, media_type="application/json")


_NOT_FILTERS = frozenset({"offset", "limit", "fields", "sort"})
MAX_DOCUMENT_BYTES = 64 * 1024
"""The largest document the face keeps (after a PATCH), and the largest PATCH body."""
_HELD_PER_COLLECTION = 1000
"""How many resources the face holds per account and collection (the oldest are forgotten)."""


def _values(doc: Any, path: list[str]) -> list[Any]:
    """The values at a dotted attribute path, through lists (``receiver.phoneNumber``)."""
    if isinstance(doc, list):
        return [v for item in doc for v in _values(item, path)]
    if not path:
        return [doc]
    if not isinstance(doc, Mapping) or path[0] not in doc:
        return []
    return _values(doc[path[0]], path[1:])


def _text(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


_RANGES: Mapping[str, Callable[[Any, Any], bool]] = {
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
}


def _instant(text: str, name: str) -> datetime:
    """A query's date-time, which must say its UTC offset."""
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"{name}={text!r} is not an RFC 3339 date-time", field=name) from None
    if at.tzinfo is None:
        raise ValidationError(f"{name}={text!r} has no UTC offset", field=name)
    return at


def _comparable(text: str, name: str) -> datetime | Decimal:
    """A range filter's bound or an attribute's value: a number, else a date-time."""
    try:
        return Decimal(text)
    except ArithmeticError:
        return _instant(text, name)


def _in_range(value: Any, bound: datetime | Decimal, test: Callable[[Any, Any], bool]) -> bool:
    try:
        mine = _comparable(_text(value), "value")
        return type(mine) is type(bound) and test(mine, bound)
    except ValidationError:
        return False


def _filtered(call: TmfCall, items: list[Json]) -> list[Json]:
    """TMF attribute filtering: ``?state=failed``, ``?receiver.phoneNumber=+7...``,
    ``?state=a,b`` (either) and ranges (``?usageDate.gte=...``, ``.gt``, ``.lt``, ``.lte``)."""
    for name, wanted in call.query.items():
        if name in _NOT_FILTERS:
            continue
        path = name.split(".")
        test = _RANGES.get(path[-1]) if len(path) > 1 else None
        if test is not None:
            bound = _comparable(wanted, name)
            items = [
                d for d in items if any(_in_range(v, bound, test) for v in _values(d, path[:-1]))
            ]
            continue
        choices = set(wanted.split(","))
        items = [d for d in items if any(_text(v) in choices for v in _values(d, path))]
    return items


def _selected(call: TmfCall, doc: Json) -> Json:
    """TMF ``fields`` selection: only the attributes named (and always ``id``, ``href``)."""
    fields = call.query.get("fields")
    if fields is None:
        return doc
    keep = {f.strip().split(".", 1)[0] for f in fields.split(",")} | {"id", "href"}
    return {name: value for name, value in doc.items() if name in keep}


_PAGING_DIGITS = 9
"""``offset`` and ``limit`` take at most this many digits (a 5,000-digit one is a 400)."""


def _paging(call: TmfCall, name: str, default: int) -> int:
    """A paging query value: a non-negative decimal integer of at most nine digits."""
    text = call.query.get(name)
    if text is None:
        return default
    if not (0 < len(text) <= _PAGING_DIGITS and text.isascii() and text.isdigit()):
        shown = text if len(text) <= 20 else text[:20] + "…"
        raise ValidationError(
            f"{name}={shown!r} must be a non-negative integer of at most {_PAGING_DIGITS} digits",
            field=name,
        )
    return int(text)


def _linked(doc: Json, prefix: str) -> Json:
    """``doc`` with its ``href``: ``prefix`` (the collection's URL and a slash) and its id."""
    return {**doc, "href": prefix + str(doc["id"])} if "id" in doc else doc


def _page(call: TmfCall, items: list[Json], prefix: str) -> Response:
    offset = _paging(call, "offset", 0)  # checked before any filtering work
    limit = _paging(call, "limit", -1)
    items = _filtered(call, items)
    end = len(items) if limit < 0 else offset + limit
    chosen = [_selected(call, _linked(doc, prefix)) for doc in items[offset:end]]
    headers = {"X-Total-Count": str(len(items)), "X-Result-Count": str(len(chosen))}
    return _json(chosen, 200, headers)


def _checked_body(route: TmfRoute, body: Any) -> None:
    """What the spec says of every body of this operation: an object, with its mandatory
    attributes, enumerated ones among their values (400 naming the attribute otherwise)."""
    if not isinstance(body, Mapping):
        raise ValidationError("the request body must be a JSON object", field="body")
    for name in route.required:
        if body.get(name) is None:
            raise ValidationError(
                f"the request body has no {name!r}, which the specification requires",
                field=name,
            )
    for name, choices in route.choices.items():
        if name in body and body[name] not in choices:
            raise ValidationError(
                f"{name} {body[name]!r} is not one of {', '.join(choices)}", field=name
            )
    for name in ("id", "href"):
        if name in body:
            raise ValidationError(f"{name} is set by the server, not the request", field=name)


_DESCRIPTIVE = frozenset({"description", "name"})
"""What a PATCH may change of a resource selfcare acted on (the rest records what it did)."""


def _kept_size(doc: Json, limit: int) -> None:
    """A document the face keeps may be at most ``limit`` bytes of JSON (400 otherwise)."""
    if len(encode_json(doc)) > limit:
        raise ValidationError(
            f"the resource would be over {limit} bytes, the most this server keeps of one",
            field="body",
        )


def _held(route: TmfRoute, call: TmfCall, held: dict[str, Kept], item: str, limit: int) -> Served:
    """``GET``, ``PATCH`` (a JSON merge patch) or ``DELETE`` of a resource the face holds."""
    kept = held[item]
    what = f"{route.collection.strip('/')} {item!r}"
    if route.method == "DELETE":
        if kept.done:
            raise NotSupported(f"the {what} was carried out: its record stays")
        del held[item]
        return Served(None, 204)
    if route.method == "PATCH":
        doc = dict(kept.doc)
        for name, value in call.body.items():
            if kept.done and name not in _DESCRIPTIVE and value != doc.get(name):
                raise Conflict(f"the {what} was carried out: its {name} cannot change", field=name)
            if value is None:
                doc.pop(name, None)
            else:
                doc[name] = value
        _moved(route, kept.doc, doc, what)
        _kept_size(doc, limit)
        kept.doc = doc
    return Served(kept.doc)


def _moved(route: TmfRoute, before: Json, after: Json, what: str) -> None:
    """A ``PATCH`` must leave the route's fixed attributes alone and move ``status`` only as
    the route's state model allows (409 naming the attribute otherwise)."""
    for name in route.fixed:
        if after.get(name) != before.get(name):
            raise Conflict(f"the {what}'s {name} cannot change", field=name)
    if route.transitions is None:
        return
    old, new = before.get("status"), after.get("status")
    if new != old and new not in route.transitions.get(str(old), ()):
        raise Conflict(f"the {what} is {old}: it cannot become {new}", field="status")


def _overlaid(docs: list[Json], overlays: dict[str, tuple[Json, Json]]) -> list[Json]:
    """Operator's records with what ``PATCH`` set on them, while the operator's own values of
    those attributes are still the ones they had then (else the patch is dropped)."""
    shown = []
    for doc in docs:
        entry = overlays.get(doc.get("id", ""))
        if entry is not None:
            basis, patch = entry
            if all(doc.get(k) == v for k, v in basis.items()):
                doc = {**doc, **patch}
            else:
                del overlays[doc["id"]]
        shown.append(doc)
    return shown


def _endpoint(
    route: TmfRoute, resolve: Resolver, profile: TmfProfile, store: Store, limit: int
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
        if route.method == "PATCH" and len(raw) > limit:
            raise ValidationError(
                f"the PATCH body is over {limit} bytes, the most a resource may be", field="body"
            )
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
            str(request.base_url).rstrip("/") + STANDARD_ROOTS[route.api],
            store,
            route.api,
        )
        if route.method in ("POST", "PATCH"):
            _checked_body(route, body)
        elif route.method == "GET" and "{" not in route.path:
            _paging(call, "offset", 0)  # before the listing is read
            _paging(call, "limit", 0)
        account = (await call.account()).personal_account
        collection = store.setdefault((account, route.api + route.collection), Held())
        held = collection.kept
        item = call.path.get("id")
        if item in collection.deleted:
            raise NotFound(f"no {route.collection.strip('/')} {item!r}: it was deleted")
        if item is not None and item in held:
            served = _held(route, call, held, item, limit)
        else:
            served = await route.translate(call)
        if served.deleted is not None:
            collection.deleted.add(served.deleted)
        if served.body is None:
            return Response(status_code=served.status)
        prefix = call.href(route.collection + "/")
        if isinstance(served.body, list):
            shown = [d for d in served.body if d.get("id") not in collection.deleted]
            if collection.overlays:
                shown = _overlaid(shown, collection.overlays)
            return _page(call, [*shown, *(kept.doc for kept in held.values())], prefix)
        doc = served.body
        if served.overlay and served.basis is not None:
            collection.overlays[str(doc["id"])] = (served.basis, served.overlay)
        elif collection.overlays:
            doc = _overlaid([doc], collection.overlays)[0]
        if served.keep:
            doc.pop("href", None)
            _kept_size(doc, limit)
            held[str(doc["id"])] = Kept(doc, served.done)
            while len(held) > _HELD_PER_COLLECTION:
                del held[next(iter(held))]
        return _json(_selected(call, _linked(doc, prefix)), served.status)

    endpoint.__name__ = (
        f"{route.api}_{route.method.lower()}_{route.path.strip('/').replace('/', '_')}"
    )
    return endpoint


_DECLARED = frozenset({400, 401, 403, 404, 405, 409, 500})
"""The error statuses every TMF v4 operation declares (POST lacks 404); 413, 429 and 503 are kept
as HTTP says, so clients back off and retry."""


def _status(exc: SelfcareError, method: str) -> int:
    """The declared status closest to ``exc``'s; ``referenceError`` still names it exactly."""
    declared = _DECLARED - {404} if method == "POST" else _DECLARED
    if exc.status in declared or exc.status in (413, 429, 503):
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
    return _json({**tmf_error_body(exc), "status": str(status)}, status, headers)


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


def create_tmf_app(
    resolve: Resolver,
    profile: TmfProfile = DEFAULT_PROFILE,
    limits: RequestLimits | None = None,
    *,
    max_document_bytes: int = MAX_DOCUMENT_BYTES,
) -> Starlette:
    """A Starlette app serving :data:`TMF_ROUTES` for the backends ``resolve`` gives, each API
    under its official ``basePath`` and named as ``profile`` says (``limits``: as
    ``create_app``'s). A resource the face keeps may be at most ``max_document_bytes`` of JSON,
    after any ``PATCH`` (a larger one, or a larger ``PATCH`` body, is a 400 naming the limit)."""
    store: Store = {}
    routes = [
        StarletteRoute(
            STANDARD_ROOTS[route.api] + route.path,
            _endpoint(route, resolve, profile, store, max_document_bytes),
            methods=[route.method],
        )
        for route in TMF_ROUTES
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(RequestIds, render=_error),
            contained(lambda: _error(SelfcareError("the server failed unexpectedly"))),
        ],
        exception_handlers={
            SelfcareError: _selfcare_error,
            HTTPException: _http_error,
            Exception: _unexpected,
        },
    )
    app.state.limits = limits or RequestLimits()
    app.state.tmf_store = store  # what the face keeps (a test switching operators clears it)
    app.router.redirect_slashes = False  # a stray slash is a 404 error, not a 307
    return app
