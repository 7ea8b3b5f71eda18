"""TMF678 Customer Bill Management: the operator's bills (with their ``billDocument`` and a
patchable ``state``), each bill's charges as applied customer billing rates, and bills on
demand (kept ``rejected``: the fake bills monthly)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from selfcare import operations as ops
from selfcare._errors import NotSupported, ValidationError
from selfcare._time import day_start
from selfcare.model import Bill, Expense, Payment, PaymentStatus
from selfcare.server.tmf.call import (
    Json,
    Served,
    TmfCall,
    TmfRoute,
    by_id,
    held_only,
    missing,
    one,
    rejected,
)
from selfcare.tmf import _mapping as m
from selfcare.tmf._profile import TmfProfile

__all__ = ["ROUTES", "bill_document", "cycle_id", "cycle_to_tmf", "rate_id", "rate_to_tmf"]


def bill_document(bill_id: str, version: int = 4) -> list[Json]:
    """The ``billDocument`` of a customer bill: its printable form (v4 a reference to the
    attachment, v5 the ``Attachment`` itself, whose ``@type`` says which it is)."""
    doc: Json = {
        "id": f"{bill_id}-document",
        "name": f"Bill {bill_id}",
        "attachmentType": "customerBill",
        "mimeType": "application/pdf",
    }
    return [
        {**doc, "@type": "Attachment"} if version == 5 else {**doc, "@referredType": "Attachment"}
    ]


def cycle_id(bill: Bill) -> str:
    """The id of the (v5) bill cycle a bill closed: its period's first day."""
    return f"bc-{bill.period_start.isoformat()}"


def cycle_to_tmf(bill: Bill, zone: ZoneInfo) -> Json:
    """The v5 ``BillCycle`` a monthly bill closed: its period, billing and due dates."""
    return {
        "id": cycle_id(bill),
        "name": f"{bill.period_start:%B %Y}",
        "billingPeriod": "month",
        "billingDate": m.instant_to_tmf(day_start(bill.issued_on, zone)),
        "paymentDueDate": m.instant_to_tmf(day_start(bill.due_date, zone)),
        "validFor": {
            "startDateTime": m.instant_to_tmf(day_start(bill.period_start, zone)),
            "endDateTime": m.instant_to_tmf(day_start(bill.period_end + timedelta(days=1), zone)),
        },
        "@type": "BillCycle",
    }


def rate_id(bill_id: str, expense_id: str) -> str:
    """An applied rate's id: the bill's and the charge's, so ``GET`` by id reads one bill."""
    return f"{bill_id}.{expense_id}"


def rate_to_tmf(
    expense: Expense,
    bill: Bill,
    bill_href: str,
    account_id: str,
    profile: TmfProfile,
    version: int = 4,
) -> Json:
    """One charge of a bill as a TMF678 ``AppliedCustomerBillingRate`` (its ``type`` is
    ``appliedBillingRateType`` in v5)."""
    return {
        "id": rate_id(bill.id, expense.id),
        "date": m.instant_to_tmf(expense.at),
        "name": expense.description or profile.usage_types[expense.kind],
        "description": expense.description,
        "appliedBillingRateType" if version == 5 else "type": profile.usage_types[expense.kind],
        "isBilled": True,
        "bill": m.ref_to_tmf(
            bill.id, "CustomerBill", version, href=bill_href, **{"@referredType": "CustomerBill"}
        ),
        "billingAccount": m.ref_to_tmf(
            account_id, "BillingAccount", version, **{"@referredType": "BillingAccount"}
        ),
        "taxIncludedAmount": m.money_to_tmf(expense.cost),
        "@type": "AppliedCustomerBillingRate",
    }


async def _paid(call: TmfCall) -> dict[str, datetime]:
    """When each bill was last paid into (its newest succeeded payment), by bill id."""
    try:
        payments: list[Payment] = await call.every(ops.ListPayments())
    except NotSupported:  # a backend without payments: its bills change when issued
        return {}
    paid: dict[str, datetime] = {}
    for payment in payments:  # newest first
        if payment.status is PaymentStatus.SUCCEEDED:
            for bill in payment.bills:
                paid.setdefault(bill, payment.at)
    return paid


async def _bill_docs(call: TmfCall) -> list[Json]:
    account = await call.account()
    bills = await call.run(ops.ListBills())
    paid = await _paid(call)
    version = call.version
    cycles: list[Json] = []
    if version == 5:  # v5 names the bill cycle each bill closed
        cycles = [{"billCycle": m.ref_to_tmf(cycle_id(b), "BillCycle", 5)} for b in bills]
    docs = []
    for i, b in enumerate(bills):
        doc = m.bill_to_tmf(b, account.zone, account.personal_account, version)
        # a bill changes when it is issued and when a payment goes to it (what a PATCH of
        # its state sets is dated by the overlay, see _patch_bill)
        issued = day_start(b.issued_on, account.zone)
        changed = max(issued, paid.get(b.id, issued))
        docs.append(
            {
                **doc,
                "lastUpdate": m.instant_to_tmf(changed),
                "billDocument": bill_document(b.id, version),
                **(cycles[i] if cycles else {}),
                "@type": "CustomerBill",
            }
        )
    return docs


async def _cycle_docs(call: TmfCall) -> Served:
    account = await call.account()
    return Served([cycle_to_tmf(b, account.zone) for b in await call.run(ops.ListBills())])


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
    patch: Json = {"state": call.body["state"]} if "state" in call.body else {}
    assert isinstance(served.body, dict)
    basis = {name: served.body.get(name) for name in patch}
    if patch:  # the bill changed now, as far as TMF can tell
        patch["lastUpdate"] = m.instant_to_tmf(await call.now())
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
            rate_to_tmf(e, bill, href, account.personal_account, call.profile, call.version)
            for e in await call.every(op)
            if e.cost.amount > 0
        )
    return Served(docs)


async def _bill_list(call: TmfCall) -> Served:
    return Served(await _bill_docs(call))


async def _bill(call: TmfCall) -> Served:
    return one(await _bill_docs(call), call.path["id"], "customer bill")


async def _bill_on_demand(call: TmfCall) -> Served:
    """The fake bills once a month and cannot issue a bill on request: the request is kept,
    ``rejected``, saying so (a billing account other than the token's is a 400)."""
    account = await call.account()
    if call.version == 5 or call.body.get("billingAccount") is not None:
        await call.own_account("billingAccount")  # v5 makes it mandatory
    return await rejected(
        call,
        "CustomerBillOnDemand",
        ("lastUpdate",),
        state="rejected",
        billingAccount=m.ref_to_tmf(
            account.personal_account,
            "BillingAccount",
            call.version,
            **{"@referredType": "BillingAccount"},
        ),
        description="this operator issues bills monthly and cannot issue one on demand",
    )


_BILL_STATES = ("new", "onHold", "validated", "sent", "partiallyPaid", "settled")

ROUTES: tuple[TmfRoute, ...] = (
    TmfRoute("bill", "GET", "/customerBill", _bill_list),
    TmfRoute("bill", "GET", "/customerBill/{id}", _bill),
    TmfRoute("bill", "PATCH", "/customerBill/{id}", _patch_bill, choices={"state": _BILL_STATES}),
    TmfRoute("bill", "GET", "/appliedCustomerBillingRate", _rates),
    TmfRoute(
        "bill",
        "GET",
        "/appliedCustomerBillingRate/{id}",
        by_id(_rates, "applied customer billing rate"),
    ),
    TmfRoute("bill", "POST", "/customerBillOnDemand", _bill_on_demand),
    TmfRoute("bill", "GET", "/billCycle", _cycle_docs, versions=(5,)),
    TmfRoute("bill", "GET", "/billCycle/{id}", by_id(_cycle_docs, "bill cycle"), versions=(5,)),
    TmfRoute("bill", "GET", "/customerBillOnDemand", held_only),
    TmfRoute("bill", "GET", "/customerBillOnDemand/{id}", missing("customer bill on demand")),
)
"""TMF678's operations."""
