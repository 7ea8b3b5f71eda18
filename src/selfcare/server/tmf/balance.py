"""TMF654 Prepay Balance Management: top-ups by a payment card's PIN, the line's bucket (its
monetary balance), and the ``adjustBalance`` / ``reserveBalance`` actions with the spec's
``ActionStatusType`` states (an adjustment is always kept ``failed``; a reservation is held,
``created``, until it is cancelled, and the bucket's ``reservedValue`` counts it), and the
``balanceActionHistory`` of the bucket derived from the ledger."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta

from selfcare import operations as ops
from selfcare._errors import ValidationError
from selfcare._secret import Secret
from selfcare._time import day_start
from selfcare.model import Allowance, Balance, Expense, ExpenseKind, Payment, Quantity, Unit
from selfcare.server.tmf.call import (
    Json,
    Served,
    TmfCall,
    TmfRoute,
    by_id,
    held_only,
    missing,
    rejected,
)
from selfcare.tmf import _mapping as m

__all__ = [
    "ACTION_TRANSITIONS",
    "RESERVATION_TRANSITIONS",
    "ROUTES",
    "bucket_id",
    "bucket_to_tmf",
    "own_bucket",
    "reservation_problem",
    "reserved",
]

ACTION_TRANSITIONS: Mapping[str, tuple[str, ...]] = {
    "created": ("cancelled", "completed", "failed"),
    "failed": (),
    "cancelled": (),
    "completed": (),
}
"""``ActionStatusType``: an action still ``created`` may end; an ended one stays as it is."""

RESERVATION_TRANSITIONS: Mapping[str, tuple[str, ...]] = {
    **ACTION_TRANSITIONS,
    "created": ("cancelled",),
}
"""A reservation the face holds can only be released (``cancelled``): the face cannot charge it."""


def bucket_id(account_id: str) -> str:
    """The id of the line's one bucket, its monetary balance (as top-ups name it)."""
    return f"{account_id}-main"


def reserved(reservations: Iterable[Json]) -> Decimal:
    """What the ``created`` reservations hold of the balance."""
    return sum(
        (Decimal(str(r["amount"]["amount"])) for r in reservations if r.get("status") == "created"),
        Decimal(0),
    )


def bucket_to_tmf(account_id: str, balance: Balance, held: Decimal) -> Json:
    """The line's balance as a TMF654 ``Bucket``; ``held`` is what reservations hold."""
    currency = balance.amount.currency
    return {
        "id": bucket_id(account_id),
        "name": "main balance",
        "description": "The line's monetary balance",
        "usageType": "monetary",
        "status": "active",
        "isShared": False,
        "remainingValue": {"amount": balance.amount.amount, "units": currency},
        "reservedValue": {"amount": held, "units": currency},
        "remainingValueName": f"{balance.amount.amount} {currency}",
        "partyAccount": {"id": account_id, "@referredType": "BillingAccount"},
        "validFor": {"startDateTime": m.instant_to_tmf(balance.as_of)},
        "@type": "Bucket",
    }


def own_bucket(body: Mapping[str, Any], account_id: str) -> None:
    """The body's ``bucket.id`` must be the line's bucket (400 naming it otherwise)."""
    ref = body.get("bucket")
    wanted = ref.get("id") if isinstance(ref, Mapping) else None
    if wanted != bucket_id(account_id):
        raise ValidationError(
            f"bucket.id {str(wanted)[:40]!r} is not this line's bucket {bucket_id(account_id)!r}",
            field="bucket.id",
        )


def reservation_problem(body: Mapping[str, Any], balance: Balance, held: Decimal) -> str | None:
    """Why a reservation cannot be made (``None`` if it can): it needs a monetary amount in
    the balance's currency that the available balance, less what is held, covers."""
    currency = balance.amount.currency
    if body.get("usageType") != "monetary":
        return f"usageType {body.get('usageType')!r}: this line's bucket is monetary"
    amount = body.get("amount")
    if not isinstance(amount, Mapping):
        return "no amount {amount, units} to reserve"
    value = amount.get("amount")
    if isinstance(value, bool) or not isinstance(value, int | Decimal) or value <= 0:
        return "no positive amount {amount, units} to reserve"
    if amount.get("units", currency) != currency:
        return f"amount units {str(amount.get('units'))[:10]!r}: the balance is in {currency}"
    free = balance.available.amount - held
    if Decimal(value) > free:
        return f"{value} {currency} is more than the {free} {currency} available"
    return None


async def _topup(call: TmfCall) -> Served:
    """A payment card's activation by its ``voucher`` (the PIN); a top-up without one is kept
    ``failed``, with the reason (the fake tops up only from payment cards)."""
    account = await call.own_account("partyAccount")
    voucher = call.body.get("voucher")
    if not voucher:
        return await rejected(
            call,
            "TopupBalance",
            ("requestedDate",),
            status="failed",
            reason="no voucher: this operator tops up only by a payment card's PIN",
        )
    op = ops.ActivateCard(pin=Secret(str(voucher)), idempotency_key=call.key())
    return Served(m.topup_to_tmf(await call.run(op), account), 201, keep=True, done=True)


def period_start(today: date, billing_day: int) -> date:
    """The first day of the billing period ``today`` falls in."""
    if today.day >= billing_day:
        return today.replace(day=billing_day)
    return (today - relativedelta(months=1)).replace(day=billing_day)


def _in_mb(quantity: Quantity) -> Decimal | None:
    if quantity.unit is Unit.GIGABYTE:
        return quantity.value * 1024
    return quantity.value if quantity.unit is Unit.MEGABYTE else None


def used_of(expense: Expense) -> tuple[Unit, Decimal] | None:
    """What an expense took from the allowances: an outgoing call its minutes (each call
    rounded up, as the operator rates them), an SMS its parts, data its megabytes."""
    if expense.kind is ExpenseKind.VOICE_OUT and expense.duration is not None:
        return Unit.MINUTE, Decimal(-(-int(expense.duration.total_seconds()) // 60))
    if expense.kind is ExpenseKind.SMS and expense.volume and expense.volume.unit is Unit.SMS:
        return Unit.SMS, expense.volume.value
    if expense.kind is ExpenseKind.DATA and expense.volume is not None:
        mb = _in_mb(expense.volume)
        return None if mb is None else (Unit.MEGABYTE, mb)
    return None


async def allowances(call: TmfCall) -> list[Allowance]:
    """The line's allowances this billing period: what its tariff and options include (the
    catalogue's ``includes``, GB as MB), less what the period's expenses used."""
    account = await call.account()
    connected = {s.code for s in await call.run(ops.ListConnectedServices())}
    included: dict[Unit, Decimal] = {}
    for service in await call.run(ops.GetServiceCatalog()):
        if service.code not in connected:
            continue
        for quantity in service.includes:
            unit = Unit.MEGABYTE if quantity.unit is Unit.GIGABYTE else quantity.unit
            amount = _in_mb(quantity) if unit is Unit.MEGABYTE else quantity.value
            if unit in m.ALLOWANCE_USAGE_TYPES and amount is not None:
                included[unit] = included.get(unit, Decimal(0)) + amount
    if not included:
        return []
    first = period_start((await call.now()).date(), account.billing_day)
    start = day_start(first, account.zone)
    end = day_start(first + relativedelta(months=1), account.zone)
    kinds = (ExpenseKind.VOICE_OUT, ExpenseKind.SMS, ExpenseKind.DATA)
    used: dict[Unit, Decimal] = {}
    for expense in await call.every(ops.ListExpenses(since=start, kinds=kinds)):
        took = used_of(expense)
        if took is not None:
            used[took[0]] = used.get(took[0], Decimal(0)) + took[1]
    return [
        Allowance(
            remaining=Quantity(max(Decimal(0), total - used.get(unit, Decimal(0))), unit),
            included=Quantity(total, unit),
            period_start=start,
            period_end=end,
        )
        for unit, total in included.items()
    ]


async def _buckets(call: TmfCall) -> Served:
    """The line's monetary bucket, then one per allowance (minutes, SMS, MB)."""
    account = (await call.account()).personal_account
    held = reserved(call.held("/reserveBalance"))
    money = bucket_to_tmf(account, await call.run(ops.GetBalance()), held)
    return Served([money, *(m.allowance_to_tmf(a, account) for a in await allowances(call))])


async def _accumulated(call: TmfCall) -> Served:
    """One accumulated balance per usage type of the line's buckets: their remaining values
    summed (a ``Quantity`` has one unit, so balances of different units are not added up;
    today each usage type has one bucket, the total is then that bucket's)."""
    account = (await call.account()).personal_account
    served = await _buckets(call)
    assert isinstance(served.body, list)
    groups: dict[tuple[str, str], list[Json]] = {}
    for bucket in served.body:
        units = str(bucket["remainingValue"]["units"])
        groups.setdefault((bucket["usageType"], units), []).append(bucket)
    return Served(
        [
            {
                "id": f"{account}-{usage}-total",
                "name": f"{usage} total",
                "description": f"What the line's {usage} buckets have left, together",
                "bucket": [
                    {"id": b["id"], "href": call.href(f"/bucket/{b['id']}"), "name": b["name"]}
                    for b in buckets
                ],
                "totalBalance": {
                    "amount": sum(
                        (Decimal(str(b["remainingValue"]["amount"])) for b in buckets), Decimal(0)
                    ),
                    "units": units,
                },
                "partyAccount": {"id": account, "@referredType": "BillingAccount"},
                "@type": "AccumulatedBalance",
            }
            for (usage, units), buckets in groups.items()
        ]
    )


def _payment_action(payment: Payment, topup: Json | None) -> Json:
    """A payment into the balance as the top-up it was: a payment card's by its serial
    (``voucher``), any other by its masked method; ``topup``, the ``topupBalance`` resource
    of it the face holds, if any."""
    doc: Json = {
        "id": f"topup-{payment.id}",
        "status": "completed" if payment.succeeded else "failed",
        "requestedDate": m.instant_to_tmf(payment.at),
        "amount": {"amount": payment.amount.amount, "units": payment.amount.currency},
        "usageType": "monetary",
    }
    if payment.succeeded:
        doc["confirmationDate"] = doc["requestedDate"]
    if payment.method.startswith("voucher:"):
        doc["voucher"] = payment.method.removeprefix("voucher:")
        doc["description"] = "a payment card's value credited to the balance"
    else:
        doc["paymentMethod"] = {"id": payment.method, "name": payment.method}
        doc["description"] = "a payment into the balance"
    if payment.bills:
        doc["description"] += ", which paid bill " + ", ".join(payment.bills)
    if not payment.succeeded:
        doc["reason"] = "the payment was declined"
    if topup is not None:
        doc["balanceTopup"] = topup
    return doc


def _kept_action(kind: str, doc: Json, ref: Json | None) -> Json:
    """A top-up or adjustment the face holds (kept in its state, e.g. ``failed``)."""
    entry: Json = {
        "id": f"{kind}-{doc['id']}",
        **{
            name: doc[name]
            for name in ("status", "requestedDate", "confirmationDate", "amount", "reason")
            if name in doc
        },
        "usageType": doc.get("usageType", "monetary"),
    }
    if "adjustType" in doc:
        entry["adjustType"] = doc["adjustType"]
    if ref is not None:
        entry["balanceTopup"] = ref
    return entry


async def _history(call: TmfCall) -> Served:
    """``balanceActionHistory``: what changed, or was asked to change, the line's bucket.

    Derived from the ledger: each payment into the balance (every payment credits it, the
    rest going to the bills it paid) is a top-up, ``topup-<payment id>``; the top-ups and
    adjustments the face holds but the ledger has no payment for (kept ``failed``) are
    ``topup-<id>`` and ``adjust-<id>``. Reservations move nothing (the spec's history is of
    top-ups, adjustments and transfers), nor are usage charges balance actions (they are
    TMF635 usage). Newest first."""
    account = await call.account()
    account_id = account.personal_account
    bucket = bucket_id(account_id)
    number = account.number.e164
    topups = {str(d["id"]): d for d in call.held("/topupBalance")}

    def topup_ref(ident: str) -> Json:
        return {
            "id": ident,
            "href": call.href(f"/topupBalance/{ident}"),
            "@referredType": "TopupBalance",
        }

    paid = {p.id: p for p in await call.every(ops.ListPayments())}
    entries = [
        _payment_action(p, topup_ref(p.id) if p.id in topups else None) for p in paid.values()
    ]
    entries += [
        _kept_action("topup", d, topup_ref(ident))
        for ident, d in topups.items()
        if ident not in paid
    ]
    entries += [_kept_action("adjust", d, None) for d in call.held("/adjustBalance")]
    for entry in entries:
        entry.update(
            bucket={"id": bucket, "href": call.href(f"/bucket/{bucket}"), "name": "main balance"},
            partyAccount={"id": account_id, "@referredType": "BillingAccount"},
            receiverLogicalResource={"id": number, "name": number, "@referredType": "MSISDN"},
        )
        entry["@type"] = "BalanceActionHistory"
    entries.sort(key=lambda e: e["id"], reverse=True)
    entries.sort(
        key=lambda e: m.instant_from_tmf(e["requestedDate"], "requestedDate"), reverse=True
    )
    return Served(entries)


async def _adjust(call: TmfCall) -> Served:
    """A subscriber cannot adjust their own balance: the adjustment is kept ``failed``,
    saying so (one of another line's buckets is a 400)."""
    account = (await call.account()).personal_account
    own_bucket(call.body, account)
    return await rejected(
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
    own_bucket(call.body, account)
    balance = await call.run(ops.GetBalance())
    held = reserved(call.held("/reserveBalance"))
    why = reservation_problem(call.body, balance, held)
    if why is not None:
        return await rejected(
            call, "ReserveBalance", ("requestedDate",), status="failed", reason=why
        )
    return await rejected(
        call,
        "ReserveBalance",
        ("requestedDate", "confirmationDate"),
        status="created",
        reason=call.body.get("reason") or "reserved on the line's balance",
        amount={"amount": call.body["amount"]["amount"], "units": balance.amount.currency},
    )


_ACTION_STATES = ("created", "failed", "cancelled", "completed")
_USAGE_KINDS = ("monetary", "voice", "data", "sms", "other")

ROUTES: tuple[TmfRoute, ...] = (
    TmfRoute(
        "prepay",
        "POST",
        "/topupBalance",
        _topup,
        required=("amount", "usageType", "bucket", "partyAccount"),
    ),
    TmfRoute("prepay", "GET", "/topupBalance", held_only),
    TmfRoute("prepay", "GET", "/topupBalance/{id}", missing("top-up")),
    TmfRoute(
        "prepay",
        "PATCH",
        "/topupBalance/{id}",
        missing("top-up"),
        required=("status",),
        choices={"status": _ACTION_STATES},
        transitions=ACTION_TRANSITIONS,
    ),
    TmfRoute("prepay", "DELETE", "/topupBalance/{id}", missing("top-up")),
    TmfRoute("prepay", "GET", "/bucket", _buckets),
    TmfRoute("prepay", "GET", "/bucket/{id}", by_id(_buckets, "bucket")),
    TmfRoute("prepay", "GET", "/accumulatedBalance", _accumulated),
    TmfRoute(
        "prepay", "GET", "/accumulatedBalance/{id}", by_id(_accumulated, "accumulated balance")
    ),
    TmfRoute("prepay", "GET", "/balanceActionHistory", _history),
    TmfRoute(
        "prepay", "GET", "/balanceActionHistory/{id}", by_id(_history, "balance action history")
    ),
    TmfRoute(
        "prepay",
        "POST",
        "/adjustBalance",
        _adjust,
        required=("amount", "usageType", "bucket"),
        choices={"usageType": _USAGE_KINDS, "adjustType": ("recurring", "oneTime")},
    ),
    TmfRoute("prepay", "GET", "/adjustBalance", held_only),
    TmfRoute("prepay", "GET", "/adjustBalance/{id}", missing("balance adjustment")),
    TmfRoute(
        "prepay",
        "PATCH",
        "/adjustBalance/{id}",
        missing("balance adjustment"),
        required=("status",),
        choices={"status": _ACTION_STATES},
        transitions=ACTION_TRANSITIONS,
    ),
    TmfRoute("prepay", "DELETE", "/adjustBalance/{id}", missing("balance adjustment")),
    TmfRoute(
        "prepay",
        "POST",
        "/reserveBalance",
        _reserve,
        required=("usageType", "bucket", "partyAccount"),
        choices={"usageType": _USAGE_KINDS},
    ),
    TmfRoute("prepay", "GET", "/reserveBalance", held_only),
    TmfRoute("prepay", "GET", "/reserveBalance/{id}", missing("balance reservation")),
    TmfRoute(
        "prepay",
        "PATCH",
        "/reserveBalance/{id}",
        missing("balance reservation"),
        required=("status", "reason"),
        choices={"status": _ACTION_STATES},
        transitions=RESERVATION_TRANSITIONS,
        fixed=("amount", "bucket", "partyAccount", "usageType"),
    ),
    TmfRoute("prepay", "DELETE", "/reserveBalance/{id}", missing("balance reservation")),
)
"""TMF654's operations."""
