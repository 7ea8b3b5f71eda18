"""TMF622 Product Ordering: one-item orders that connect or disconnect an option or change
the tariff (the fake does it at once: the order is kept ``completed``)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from selfcare import operations as ops
from selfcare._errors import NotSupported, ValidationError
from selfcare.server.tmf.call import Json, Served, TmfCall, TmfRoute, held_only, missing
from selfcare.server.tmf.documents import kept_size
from selfcare.tmf import _mapping as m

__all__ = ["ROUTES"]


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
    theirs = {name: call.body[name] for name in _THE_CALLERS if call.body.get(name) is not None}
    kept_size({**theirs, "productOrderItem": items}, call.keep_limit)  # before acting on it
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
        "productOrderItem": [
            m.typed({**item, "state": "completed"}, "ProductOrderItem", call.version)
        ],
        "@type": "ProductOrder",
    }
    if call.version == 5:
        doc["creationDate"] = doc["completionDate"] = m.instant_to_tmf(await call.now())
    if isinstance(call.body.get("billingAccount"), Mapping):
        doc["billingAccount"] = call.body["billingAccount"]
    doc |= theirs  # what the order says of itself, kept as the caller wrote it
    return Served(doc, 201, keep=True, done=True)


_THE_CALLERS = ("externalId", "description")
"""Attributes of an order body selfcare's model has no place for, kept with the order (v5's
``externalId`` is a list of ``ExternalIdentifier``, v4's a string)."""


ROUTES: tuple[TmfRoute, ...] = (
    TmfRoute("ordering", "POST", "/productOrder", _place_order, required=("productOrderItem",)),
    TmfRoute("ordering", "GET", "/productOrder", held_only),
    TmfRoute("ordering", "GET", "/productOrder/{id}", missing("product order")),
    # the generic endpoint answers for the orders it keeps: a PATCH may change only their
    # description (the fake carried them out at once), a DELETE is a 405
    TmfRoute("ordering", "PATCH", "/productOrder/{id}", missing("product order")),
    TmfRoute("ordering", "DELETE", "/productOrder/{id}", missing("product order")),
)
"""TMF622's operations."""
