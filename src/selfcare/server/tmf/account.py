"""TMF666 Account Management: the billing account of the line a request acts on (its
account and balance). Each line has its own billing account; the account of a line other
than the login's own, read by an owner's or a manager's login, names the login's account in
``accountRelationship`` (``managedBy``): the aggregating account TMF666 describes."""

from __future__ import annotations

from datetime import datetime

from selfcare import operations as ops
from selfcare._client.paging import Page
from selfcare._errors import NotSupported
from selfcare.model import Account, Expense
from selfcare.server._app import _execute
from selfcare.server.tmf.call import Json, Served, TmfCall, TmfRoute, one, refused
from selfcare.tmf import _mapping as m

__all__ = ["ROUTES"]


async def _billing_accounts(call: TmfCall) -> list[Json]:
    account = await call.account()
    balance = await call.run(ops.GetBalance())
    doc = m.billing_account_to_tmf(account, balance, call.profile, call.version)
    changed = await _last_movement(call)
    if changed is not None:  # v4 names it lastModified
        doc["lastUpdate" if call.version == 5 else "lastModified"] = m.instant_to_tmf(changed)
    if call.line is not None and call.login is not None:
        login: Account = await _execute(call.login, ops.GetAccount())
        if login.number != account.number:
            relation: Json = {
                "relationshipType": "managedBy",
                "validFor": {},
                "account": m.ref_to_tmf(
                    login.personal_account, "Account", call.version, name=login.holder
                ),
            }
            doc["accountRelationship"] = [m.typed(relation, "AccountRelationship", call.version)]
    return [doc]


async def _last_movement(call: TmfCall) -> datetime | None:
    """When the account last changed: its balance's newest movement (a charge, a top-up, a
    payment: each is a ledger entry), ``None`` for an account with none or a backend
    without expenses."""
    try:
        page: Page[Expense] = await call.run(ops.ListExpenses(limit=1))
    except NotSupported:
        return None
    return page.items[0].at if page.items else None


async def _billing_account_list(call: TmfCall) -> Served:
    return Served(await _billing_accounts(call))


async def _billing_account(call: TmfCall) -> Served:
    return one(await _billing_accounts(call), call.path["id"], "billing account")


_OPERATORS = (
    "a billing account is the operator's: it opens, changes and closes them, not a "
    "subscriber's token"
)

ROUTES: tuple[TmfRoute, ...] = (
    TmfRoute("account", "GET", "/billingAccount", _billing_account_list),
    TmfRoute("account", "GET", "/billingAccount/{id}", _billing_account),
    TmfRoute("account", "POST", "/billingAccount", refused(_OPERATORS)),
    TmfRoute("account", "PATCH", "/billingAccount/{id}", refused(_OPERATORS, _billing_account)),
    TmfRoute("account", "DELETE", "/billingAccount/{id}", refused(_OPERATORS, _billing_account)),
)
"""TMF666's operations."""
