"""TMF620 Product Catalog: the operator's service catalogue as product offerings, in one
catalog (v4 ``/catalog``, v5 ``/productCatalog``), with what the offerings are made of.

Everything here is derived from the catalogue, with ids derived from the services' codes
(never random): each offering's ``productSpecification`` (a tariff is an offering of
:data:`~selfcare.tmf._line_mapping.LINE_SPECIFICATION`, the line every TMF637 line product
refers to; an option is its own specification, of its code), its ``productOfferingPrice``
entries (the values it embeds, each with the id ``<code>-<priceType>[-<unit>]`` and the
``href`` of the price resource) and its ``category`` (:data:`CATEGORIES`: tariffs and
options), which lists its offerings back.
"""

from __future__ import annotations

from typing import Any

from selfcare import operations as ops
from selfcare.model import Service, ServiceKind
from selfcare.server.tmf.call import (
    Json,
    Served,
    TmfCall,
    TmfRoute,
    Translate,
    by_id,
    one,
    refused,
)
from selfcare.tmf import _mapping as m
from selfcare.tmf import _service_mapping as sm
from selfcare.tmf._line_mapping import LINE_SPECIFICATION

__all__ = ["ROUTES"]


CATEGORIES = {
    ServiceKind.TARIFF: ("tariffs", "Tariffs", "The tariff plans: a line has exactly one"),
    ServiceKind.OPTION: ("options", "Options", "The options a line may add to its tariff"),
}
"""The category (id, name, description) of each kind of service."""


def _ref(call: TmfCall, collection: str, ident: str, kind: str, **more: Any) -> Json:
    """A reference to ``ident`` in ``collection`` of this API, with its absolute ``href``."""
    return m.ref_to_tmf(ident, kind, call.version, href=call.href(f"{collection}/{ident}"), **more)


def _specification_id(service: Service) -> str:
    return LINE_SPECIFICATION if service.kind is ServiceKind.TARIFF else service.code


def _price_id(service: Service, price: Json) -> str:
    unit = price.get("unitOfMeasure", {}).get("units")
    return f"{service.code}-{price['priceType']}" + (f"-{unit}" if unit else "")


def _offering_to_tmf(call: TmfCall, service: Service) -> Json:
    """The offering of ``service``, referring to its specification, prices and category."""
    doc = sm.service_to_tmf(service, call.profile, call.version)
    for price in doc["productOfferingPrice"]:
        price["id"] = _price_id(service, price)
        price["href"] = call.href(f"/productOfferingPrice/{price['id']}")
    ident, name, _ = CATEGORIES[service.kind]
    doc["productSpecification"] = _ref(
        call, "/productSpecification", _specification_id(service), "ProductSpecification"
    )
    doc["category"] = [_ref(call, "/category", ident, "Category", name=name)]
    return doc


async def _catalogue(call: TmfCall) -> list[Service]:
    return list(await call.run(ops.GetServiceCatalog()))


async def _offerings(call: TmfCall) -> list[Json]:
    return [_offering_to_tmf(call, s) for s in await _catalogue(call)]


async def _specifications(call: TmfCall) -> Served:
    """The line (what every tariff is an offering of), then one per option."""
    services = await _catalogue(call)
    tariffs = [s for s in services if s.kind is ServiceKind.TARIFF]
    docs = [
        {
            "id": LINE_SPECIFICATION,
            "name": "Mobile line",
            "description": "A mobile line: its number, its tariff plan's calls, SMS, MMS "
            f"and data ({len(tariffs)} tariff offerings)",
            "isBundle": True,
            "lifecycleStatus": "Launched",
        },
        *(
            {
                "id": s.code,
                "name": s.name,
                "description": s.description,
                "isBundle": False,
                "lifecycleStatus": "Launched",
            }
            for s in services
            if s.kind is not ServiceKind.TARIFF
        ),
    ]
    return Served([{**d, "@type": "ProductSpecification"} for d in docs])


def _price_resource(price: Json, version: int) -> Json:
    """An offering's embedded price as a ``ProductOfferingPrice`` resource: v5's is that very
    value; v4's resource has a Money ``price`` and a period type and length."""
    doc = {name: value for name, value in price.items() if name != "href"}
    if version == 4:
        doc["price"] = price["price"]["taxIncludedAmount"]
        period = doc.pop("recurringChargePeriod", None)
        if period is not None:
            doc.update(recurringChargePeriodType=period, recurringChargePeriodLength=1)
    return {
        **doc,
        "isBundle": False,
        "lifecycleStatus": "Launched",
        "@type": "ProductOfferingPrice",
    }


async def _prices(call: TmfCall) -> Served:
    """Every price of every offering, in the catalogue's order."""
    return Served(
        [
            _price_resource(price, call.version)
            for offering in await _offerings(call)
            for price in offering["productOfferingPrice"]
        ]
    )


async def _categories(call: TmfCall) -> Served:
    """Tariffs and options, each listing its offerings."""
    services = await _catalogue(call)
    return Served(
        [
            {
                "id": ident,
                "name": name,
                "description": description,
                "isRoot": True,
                "lifecycleStatus": "Launched",
                "productOffering": [
                    _ref(call, "/productOffering", s.code, "ProductOffering", name=s.name)
                    for s in services
                    if s.kind is kind
                ],
                "@type": "Category",
            }
            for kind, (ident, name, description) in CATEGORIES.items()
        ]
    )


async def _offering_list(call: TmfCall) -> Served:
    return Served(await _offerings(call))


async def _offering(call: TmfCall) -> Served:
    return one(await _offerings(call), call.path["id"], "product offering")


async def _catalogs(call: TmfCall) -> Served:
    """The one catalog every offering is in (the fake has a single catalogue of services)."""
    offerings = await call.run(ops.GetServiceCatalog())
    doc: Json = {
        "id": CATALOG_ID,
        "name": "Mobile services",
        "description": f"The operator's tariffs and options ({len(offerings)} product offerings)",
        "catalogType": "Product",
        "lifecycleStatus": "Launched",
    }
    return Served([m.typed(doc, "ProductCatalog", call.version)])


CATALOG_ID = "mobile"
"""The id of the face's one product catalog."""

_OPERATORS = "the catalogue is the operator's: a subscriber's token reads it, never writes it"


def _written(path: str, read: Translate, versions: tuple[int, ...] = (4, 5)) -> list[TmfRoute]:
    """Create, patch and delete of a catalogue resource: 405 saying why (404 for an unknown
    id first)."""
    return [
        TmfRoute("catalog", "POST", path, refused(_OPERATORS), versions=versions),
        *(
            TmfRoute(
                "catalog", method, path + "/{id}", refused(_OPERATORS, read), versions=versions
            )
            for method in ("PATCH", "DELETE")
        ),
    ]


ROUTES: tuple[TmfRoute, ...] = (
    TmfRoute("catalog", "GET", "/productOffering", _offering_list),
    TmfRoute("catalog", "GET", "/productOffering/{id}", _offering),
    TmfRoute("catalog", "GET", "/catalog", _catalogs, versions=(4,)),
    TmfRoute("catalog", "GET", "/catalog/{id}", by_id(_catalogs, "catalog"), versions=(4,)),
    TmfRoute("catalog", "GET", "/productCatalog", _catalogs, versions=(5,)),
    TmfRoute(
        "catalog", "GET", "/productCatalog/{id}", by_id(_catalogs, "product catalog"), versions=(5,)
    ),
    TmfRoute("catalog", "GET", "/productSpecification", _specifications),
    TmfRoute(
        "catalog",
        "GET",
        "/productSpecification/{id}",
        by_id(_specifications, "product specification"),
    ),
    TmfRoute("catalog", "GET", "/productOfferingPrice", _prices),
    TmfRoute(
        "catalog", "GET", "/productOfferingPrice/{id}", by_id(_prices, "product offering price")
    ),
    TmfRoute("catalog", "GET", "/category", _categories),
    TmfRoute("catalog", "GET", "/category/{id}", by_id(_categories, "category")),
    *_written("/productOffering", _offering),
    *_written("/productSpecification", by_id(_specifications, "product specification")),
    *_written("/productOfferingPrice", by_id(_prices, "product offering price")),
    *_written("/category", by_id(_categories, "category")),
    *_written("/catalog", by_id(_catalogs, "catalog"), versions=(4,)),
    *_written("/productCatalog", by_id(_catalogs, "product catalog"), versions=(5,)),
)
"""TMF620's operations."""
