"""TMF666 Account Management: the token's billing account (the line's account and balance)."""

from __future__ import annotations

from selfcare import operations as ops
from selfcare.server.tmf.call import Json, Served, TmfCall, TmfRoute, one
from selfcare.tmf import _mapping as m

__all__ = ["ROUTES"]


async def _billing_accounts(call: TmfCall) -> list[Json]:
    account = await call.account()
    balance = await call.run(ops.GetBalance())
    return [m.billing_account_to_tmf(account, balance, call.profile, call.version)]


async def _billing_account_list(call: TmfCall) -> Served:
    return Served(await _billing_accounts(call))


async def _billing_account(call: TmfCall) -> Served:
    return one(await _billing_accounts(call), call.path["id"], "billing account")


ROUTES: tuple[TmfRoute, ...] = (
    TmfRoute("account", "GET", "/billingAccount", _billing_account_list),
    TmfRoute("account", "GET", "/billingAccount/{id}", _billing_account),
)
"""TMF666's operations."""
