"""Tariffs and options ⇄ TMF620 product offerings, TMF637 products and TMF622 orders.

A tariff plan is a *bundle* offering/product (as the account mapping already reads it), an
option is not. Prices are ``productOfferingPrice``/``productPrice`` entries of ``priceType``
``recurring`` (with ``recurringChargePeriod`` ``day``/``month``) and ``oneTime``; a tariff's
price per SMS part and per MMS beyond the allowance are ``usage`` entries whose
``unitOfMeasure`` is one ``sms`` or one ``mms``. What the
fee includes and whether a service can be switched off have no TMF field: they are the
``prodSpecCharValueUse`` (offering) and ``productCharacteristic`` (product) entries named
``profile.service_characteristics``; clashes are ``productOfferingRelationship`` entries of
type ``excludes``.

In v5 every object carries its ``@type``; an offering's embedded price is a
``ProductOfferingPrice`` whose ``price`` is the Money itself and whose period is
``recurringChargePeriodType``/``recurringChargePeriodLength``; a product's price is a
``ProductPrice`` with a typed ``Price``. Readers take either shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from selfcare._errors import APIError
from selfcare.model import (
    ChargePeriod,
    ConnectedService,
    Money,
    Quantity,
    Service,
    ServiceKind,
)
from selfcare.tmf._line_mapping import LINE_SPECIFICATION
from selfcare.tmf._mapping import (
    _characteristics,
    _need,
    _reads,
    instant_from_tmf,
    instant_to_tmf,
    money_from_tmf,
    money_to_tmf,
    ref_to_tmf,
    typed,
)
from selfcare.tmf._profile import TmfProfile

__all__ = [
    "ORDER_FINAL",
    "connected_from_tmf",
    "connected_to_tmf",
    "order_item",
    "service_from_tmf",
    "service_to_tmf",
]

Json = dict[str, Any]

ORDER_FINAL = frozenset({"completed", "failed", "rejected", "cancelled", "partial"})
"""TMF622 order states after which nothing changes any more."""


def _price(kind: str, money: Money, period: ChargePeriod | None = None, version: int = 4) -> Json:
    """A product's price (TMF637 ``productPrice``, v4's offering price too)."""
    doc: Json = {"name": kind, "priceType": kind}
    doc["price"] = typed({"taxIncludedAmount": money_to_tmf(money)}, "Price", version)
    if period is not None:
        doc["recurringChargePeriod"] = period.value
    return typed(doc, "ProductPrice", version)


def _offering_price(
    kind: str, money: Money, period: ChargePeriod | None = None, version: int = 4
) -> Json:
    """An offering's price: v4 as a product's; v5 a ``ProductOfferingPrice`` with the Money
    as its ``price`` and the period as type and length."""
    if version == 4:
        return _price(kind, money, period)
    doc: Json = {"name": kind, "priceType": kind, "price": money_to_tmf(money)}
    if period is not None:
        doc["recurringChargePeriodType"] = period.value
        doc["recurringChargePeriodLength"] = 1
    return typed(doc, "ProductOfferingPrice", version)


_USAGE_UNITS = ("sms", "mms")
"""The ``unitOfMeasure`` units of the usage prices a tariff offering carries."""


def _usage_price(unit: str, money: Money | None, version: int = 4) -> list[Json]:
    if money is None:
        return []
    doc = _offering_price("usage", money, version=version)
    doc["name"] = f"usage per {unit}"
    doc["unitOfMeasure"] = {"amount": 1, "units": unit}
    return [doc]


def _prices(
    items: object, where: str
) -> tuple[Money, ChargePeriod, Money | None, dict[str, Money]]:
    """(recurring price, its period, one-off price or ``None``, usage price per unit)."""
    recurring: tuple[Money, ChargePeriod] | None = None
    one_off: Money | None = None
    usage: dict[str, Money] = {}
    for item in items if isinstance(items, list) else ():
        if not isinstance(item, Mapping):
            continue
        price = item.get("price") or {}
        if not isinstance(price, Mapping) or not ("taxIncludedAmount" in price or "value" in price):
            continue  # a v5 ProductOfferingPriceRef, or a price without an amount
        amount = money_from_tmf(price.get("taxIncludedAmount", price), where)
        if item.get("priceType") == "recurring":
            period = item.get("recurringChargePeriod") or item.get("recurringChargePeriodType")
            recurring = amount, ChargePeriod(str(period or "month"))
        elif item.get("priceType") == "oneTime":
            one_off = amount
        elif item.get("priceType") == "usage":
            measure = item.get("unitOfMeasure") or {}
            unit = measure.get("units") if isinstance(measure, Mapping) else None
            if unit in _USAGE_UNITS and measure.get("amount", 1) == 1:
                usage[unit] = amount
    if recurring is None:
        raise APIError(f"the TMF {where} has no recurring price")
    return recurring[0], recurring[1], one_off, usage


def _value_use(name: str, kind: str, values: list[Json], version: int) -> Json:
    """A ``prodSpecCharValueUse`` entry: its values typed by ``kind`` in v5."""
    spec = f"{kind.capitalize()}CharacteristicValueSpecification"
    return typed(
        {
            "name": name,
            "valueType": kind,
            "productSpecCharacteristicValue": [typed(v, spec, version) for v in values],
        },
        "ProductSpecificationCharacteristicValueUse",
        version,
    )


def service_to_tmf(service: Service, profile: TmfProfile, version: int = 4) -> Json:
    """A catalogue entry as a TMF620 product offering (its ``id`` is the selfcare code)."""
    names = profile.service_characteristics
    return {
        "id": service.code,
        "href": f"/productOffering/{service.code}",
        "name": service.name,
        "description": service.description,
        "isBundle": service.kind is ServiceKind.TARIFF,
        "isSellable": True,
        "lifecycleStatus": "Launched",
        "productOfferingPrice": [
            _offering_price("recurring", service.recurring_price, service.period, version),
            _offering_price("oneTime", service.one_off_price, version=version),
            *_usage_price("sms", service.sms_price, version),
            *_usage_price("mms", service.mms_price, version),
        ],
        "productOfferingRelationship": [
            typed(
                {"id": code, "relationshipType": "excludes"},
                "ProductOfferingRelationship",
                version,
            )
            for code in service.incompatible_with
        ],
        "prodSpecCharValueUse": [
            _value_use(
                names["includes"],
                "number",
                [{"value": q.value, "unitOfMeasure": q.unit.value} for q in service.includes],
                version,
            ),
            _value_use(names["removable"], "boolean", [{"value": service.removable}], version),
        ],
        "@type": "ProductOffering",
    }


@_reads("product offering")
def service_from_tmf(doc: Mapping[str, Any], profile: TmfProfile) -> Service:
    """A TMF620 product offering as a catalogue entry."""
    names = profile.service_characteristics
    uses = {
        u.get("name"): u.get("productSpecCharacteristicValue") or []
        for u in doc.get("prodSpecCharValueUse") or []
        if isinstance(u, Mapping)
    }
    recurring, period, one_off, usage = _prices(doc.get("productOfferingPrice"), "product offering")
    removable = [v.get("value") for v in uses.get(names["removable"], [])]
    return Service(
        code=str(_need(doc, "id", "product offering")),
        name=str(doc.get("name") or ""),
        kind=ServiceKind.TARIFF if doc.get("isBundle") else ServiceKind.OPTION,
        description=str(doc.get("description") or ""),
        recurring_price=recurring,
        period=period,
        one_off_price=Money.zero(recurring.currency) if one_off is None else one_off,
        includes=tuple(
            Quantity(v.get("value"), str(v.get("unitOfMeasure")))
            for v in uses.get(names["includes"], [])
        ),
        incompatible_with=tuple(
            str(r.get("id"))
            for r in doc.get("productOfferingRelationship") or []
            if r.get("relationshipType") == "excludes"
        ),
        removable=removable[0] is not False if removable else True,
        sms_price=usage.get("sms"),
        mms_price=usage.get("mms"),
    )


def connected_to_tmf(
    service: ConnectedService,
    account_id: str,
    profile: TmfProfile,
    msisdn: str | None = None,
    version: int = 4,
) -> Json:
    """A connected service as an active TMF637 product; the tariff carries the line's number."""
    chars: dict[str, Any] = {"msisdn": msisdn}
    product_chars = _characteristics(profile, chars, version)
    removable = {
        "name": profile.service_characteristics["removable"],
        "valueType": "boolean",
        "value": service.removable,
    }
    product_chars.append(typed(removable, "BooleanCharacteristic", version))
    return {
        "id": f"{account_id}-{service.code}",
        "href": f"/product/{account_id}-{service.code}",
        "name": service.name,
        "isBundle": service.kind is ServiceKind.TARIFF,
        "status": "active",
        "startDate": instant_to_tmf(service.connected_at),
        "productOffering": ref_to_tmf(service.code, "ProductOffering", version, name=service.name),
        "productSpecification": _specification_ref(service, version),
        "billingAccount": ref_to_tmf(account_id, "BillingAccount", version),
        "productPrice": [_price("recurring", service.recurring_price, service.period, version)],
        "productCharacteristic": product_chars,
        "@type": "Product",
    }


def _specification_ref(service: ConnectedService, version: int) -> Json:
    """What a product is an instance of: a tariff's is the line (:data:`LINE_SPECIFICATION`),
    an option's the option's own specification, whose id is its code (as TMF620 serves it)."""
    if service.kind is ServiceKind.TARIFF:
        return ref_to_tmf(LINE_SPECIFICATION, "ProductSpecification", version, name="Mobile line")
    return ref_to_tmf(service.code, "ProductSpecification", version, name=service.name)


@_reads("product")
def connected_from_tmf(doc: Mapping[str, Any], profile: TmfProfile) -> ConnectedService:
    """An active TMF637 product as a connected service (its code is the offering's id)."""
    offering = doc.get("productOffering") or {}
    name = profile.service_characteristics["removable"]
    removable = next(
        (
            c.get("value")
            for c in doc.get("productCharacteristic") or []
            if isinstance(c, Mapping) and c.get("name") == name
        ),
        True,
    )
    recurring, period, _, _ = _prices(doc.get("productPrice"), "product")
    return ConnectedService(
        code=str(_need(offering, "id", "product offering reference")),
        name=str(offering.get("name") or doc.get("name") or ""),
        kind=ServiceKind.TARIFF if doc.get("isBundle") else ServiceKind.OPTION,
        connected_at=instant_from_tmf(_need(doc, "startDate", "product"), "startDate"),
        recurring_price=recurring,
        period=period,
        removable=removable is not False,
    )


def order_item(action: str, code: str, product_id: str | None = None, version: int = 4) -> Json:
    """The one ``productOrderItem`` of a selfcare order: add/delete/modify an offering."""
    item: Json = {
        "id": "1",
        "action": action,
        "productOffering": ref_to_tmf(code, "ProductOffering", version),
    }
    if product_id is not None:
        item["product"] = ref_to_tmf(product_id, "Product", version)
    return typed(item, "ProductOrderItem", version)
