"""TMF678 Customer Bill Management: the operator's bills (with their ``billDocument`` and a
patchable ``state``), each bill's charges as applied customer billing rates, and bills on
demand (kept ``rejected``: the fake bills monthly)."""

from __future__ import annotations

from datetime import timedelta

from selfcare import operations as ops
from selfcare._errors import ValidationError
from selfcare._time import day_start
from selfcare.model import Bill, Expense
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

__all__ = ["ROUTES", "bill_document", "rate_id", "rate_to_tmf"]


def bill_document(bill_id: str) -> list[Json]:
    """The ``billDocument`` of a customer bill: a reference to the bill's printable form."""
    return [
        {
            "id": f"{bill_id}-document",
            "name": f"Bill {bill_id}",
            "attachmentType": "customerBill",
            "mimeType": "application/pdf",
            "@referredType": "Attachment",
        }
    ]


def rate_id(bill_id: str, expense_id: str) -> str:
    """An applied rate's id: the bill's and the charge's, so ``GET`` by id reads one bill."""
    return f"{bill_id}.{expense_id}"


def rate_to_tmf(
    expense: Expense, bill: Bill, bill_href: str, account_id: str, profile: TmfProfile
) -> Json:
    """One charge of a bill as a TMF678 ``AppliedCustomerBillingRate``."""
    return {
        "id": rate_id(bill.id, expense.id),
        "date": m.instant_to_tmf(expense.at),
        "name": expense.description or profile.usage_types[expense.kind],
        "description": expense.description,
        "type": profile.usage_types[expense.kind],
        "isBilled": True,
        "bill": {"id": bill.id, "href": bill_href, "@referredType": "CustomerBill"},
        "billingAccount": {"id": account_id, "@referredType": "BillingAccount"},
        "taxIncludedAmount": m.money_to_tmf(expense.cost),
        "@type": "AppliedCustomerBillingRate",
    }


async def _bill_docs(call: TmfCall) -> list[Json]:
    account = await call.account()
    bills = await call.run(ops.ListBills())
    return [
        {
            **m.bill_to_tmf(b, account.zone, account.personal_account),
            "billDocument": bill_document(b.id),
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
            rate_to_tmf(e, bill, href, account.personal_account, call.profile)
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
    if call.body.get("billingAccount") is not None:
        await call.own_account("billingAccount")
    return await rejected(
        call,
        "CustomerBillOnDemand",
        ("lastUpdate",),
        state="rejected",
        billingAccount={"id": account.personal_account, "@referredType": "BillingAccount"},
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
    TmfRoute("bill", "GET", "/customerBillOnDemand", held_only),
    TmfRoute("bill", "GET", "/customerBillOnDemand/{id}", missing("customer bill on demand")),
)
"""TMF678's operations."""
