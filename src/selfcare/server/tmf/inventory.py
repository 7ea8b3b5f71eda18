"""TMF637 Product Inventory: the line's active products (its tariff and its options)."""

from __future__ import annotations

from selfcare import operations as ops
from selfcare.model import ServiceKind
from selfcare.server.tmf.call import Served, TmfCall, TmfRoute
from selfcare.tmf import _service_mapping as sm

__all__ = ["ROUTES"]


async def _products(call: TmfCall) -> Served:
    """The line's active products: its tariff (carrying the number) and its options."""
    account = await call.account()
    return Served(
        [
            sm.connected_to_tmf(
                service,
                account.personal_account,
                call.profile,
                msisdn=account.number.e164 if service.kind is ServiceKind.TARIFF else None,
                version=call.version,
            )
            for service in await call.run(ops.ListConnectedServices())
        ]
    )


ROUTES: tuple[TmfRoute, ...] = (TmfRoute("inventory", "GET", "/product", _products),)
"""TMF637's operations."""
