"""TMF676 Payment Management: payments by bank card or wallet (any other method is kept
``declined``, saying why) and the payment history."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from selfcare import operations as ops
from selfcare._errors import ValidationError
from selfcare.model import Money, PaymentMethod, PaymentStatus
from selfcare.server.tmf.call import Json, Served, TmfCall, TmfRoute, one, rejected
from selfcare.tmf import _mapping as m

__all__ = ["ROUTES"]


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
        return await rejected(
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
    return one(await _payment_docs(call), call.path["id"], "payment")


ROUTES: tuple[TmfRoute, ...] = (
    TmfRoute(
        "payment", "POST", "/payment", _pay, required=("account", "paymentMethod", "totalAmount")
    ),
    TmfRoute("payment", "GET", "/payment", _payment_list),
    TmfRoute("payment", "GET", "/payment/{id}", _payment),
)
"""TMF676's operations."""
