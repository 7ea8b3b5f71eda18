"""TMF620 Product Catalog: the operator's service catalogue as product offerings."""

from __future__ import annotations

from selfcare import operations as ops
from selfcare.server.tmf.call import Json, Served, TmfCall, TmfRoute, one
from selfcare.tmf import _service_mapping as sm

__all__ = ["ROUTES"]


async def _offerings(call: TmfCall) -> list[Json]:
    services = await call.run(ops.GetServiceCatalog())
    return [sm.service_to_tmf(s, call.profile, call.version) for s in services]


async def _offering_list(call: TmfCall) -> Served:
    return Served(await _offerings(call))


async def _offering(call: TmfCall) -> Served:
    return one(await _offerings(call), call.path["id"], "product offering")


ROUTES: tuple[TmfRoute, ...] = (
    TmfRoute("catalog", "GET", "/productOffering", _offering_list),
    TmfRoute("catalog", "GET", "/productOffering/{id}", _offering),
)
"""TMF620's operations."""
