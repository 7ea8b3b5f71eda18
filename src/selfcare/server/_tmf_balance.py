"""What the TMF face serves of TMF654 beyond top-ups: the line's bucket (its monetary balance)
and the ``adjustBalance`` / ``reserveBalance`` actions with the spec's ``ActionStatusType``
states. Pure builders and rules; ``_tmf`` routes to them and keeps the actions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from selfcare._errors import ValidationError
from selfcare.model import Balance
from selfcare.tmf import _mapping as m

__all__ = [
    "ACTION_TRANSITIONS",
    "RESERVATION_TRANSITIONS",
    "bucket_id",
    "bucket_to_tmf",
    "own_bucket",
    "reservation_problem",
    "reserved",
]

Json = dict[str, Any]

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
