"""What the TMF face adds to TMF635 and TMF678 for the conformance profiles: the usage
specifications (one per usage type the operator rates), the applied customer billing rates of
a bill (its charges) and a bill's document reference. Pure builders; ``_tmf`` routes to them."""

from __future__ import annotations

from typing import Any

from selfcare.model import Bill, Expense
from selfcare.tmf import _mapping as m
from selfcare.tmf._profile import TmfProfile

__all__ = [
    "SUBMITTED_SPEC",
    "bill_document",
    "rate_id",
    "rate_to_tmf",
    "spec_ref",
    "usage_specifications",
]

Json = dict[str, Any]

SUBMITTED_SPEC = "submitted"
"""The usage specification of records submitted through ``POST /usage`` that name none and
whose ``usageType`` the operator does not rate."""


def usage_specifications(profile: TmfProfile) -> list[Json]:
    """One ``UsageSpecification`` per usage type the operator rates (its id is the type's
    name), and the one of submitted records."""
    described = {
        name: f"Rated usage of kind {kind.value}" for kind, name in profile.usage_types.items()
    }
    described[profile.call_usage_type] = "Rated voice calls, incoming and outgoing"
    described[SUBMITTED_SPEC] = "Usage submitted through TMF635 that this operator has not rated"
    return [
        {
            "id": name,
            "name": name,
            "description": text,
            "isBundle": False,
            "lifecycleStatus": "active",
            "version": "1.0",
            "@type": "UsageSpecification",
        }
        for name, text in described.items()
    ]


def spec_ref(spec_id: str, name: str, href: str) -> Json:
    """A ``UsageSpecificationRef`` (built once per type and shared by a listing's records)."""
    return {"id": spec_id, "href": href, "name": name, "@referredType": "UsageSpecification"}


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
