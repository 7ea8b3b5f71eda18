"""TMF620 Product Catalog: the operator's service catalogue as product offerings, in one
catalog (v4 ``/catalog``, v5 ``/productCatalog``)."""

from __future__ import annotations

from selfcare import operations as ops
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

__all__ = ["ROUTES"]


async def _offerings(call: TmfCall) -> list[Json]:
    services = await call.run(ops.GetServiceCatalog())
    return [sm.service_to_tmf(s, call.profile, call.version) for s in services]


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
    *_written("/productOffering", _offering),
    *_written("/catalog", by_id(_catalogs, "catalog"), versions=(4,)),
    *_written("/productCatalog", by_id(_catalogs, "product catalog"), versions=(5,)),
)
"""TMF620's operations."""
