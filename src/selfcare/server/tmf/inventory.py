"""TMF637 Product Inventory: the lines the login may see, one bundle product per number,
and the active products (tariff and options) of the line a request acts on."""

from __future__ import annotations

from selfcare import operations as ops
from selfcare.model import Line, ServiceKind
from selfcare.server.tmf.call import Json, Served, TmfCall, TmfRoute, by_id, refused
from selfcare.server.tmf.lines import every_line, line_of
from selfcare.server.tmf.query import paging
from selfcare.tmf import _line_mapping as lm
from selfcare.tmf import _service_mapping as sm

__all__ = ["ROUTES"]


async def _line_products(call: TmfCall, lines: list[Line]) -> list[Json]:
    """The active products of the line the request acts on: its bundle product (the line,
    carrying the number, the tariff and the holder's role) first, then its options."""
    account = await call.account()
    line = line_of(account, lines)
    docs: list[Json] = []
    for service in await call.run(ops.ListConnectedServices()):
        tariff = service.kind is ServiceKind.TARIFF
        doc = sm.connected_to_tmf(
            service,
            account.personal_account,
            call.profile,
            msisdn=account.number.e164 if tariff else None,
            version=call.version,
        )
        if tariff:
            docs.insert(0, lm.line_to_tmf(line, call.profile, call.version, doc))
        else:
            docs.append(doc)
    return docs


def _specified(call: TmfCall, docs: list[Json]) -> list[Json]:
    """``docs`` with the absolute ``href`` of each product's ``productSpecification``, which
    TMF620 serves (the line for a line product, an option's own for an option)."""
    for doc in docs:
        ref = doc.get("productSpecification")
        if ref is not None:
            ref["href"] = call.href_in("catalog", f"/productSpecification/{ref['id']}")
    return docs


async def _products(call: TmfCall) -> Served:
    """Without a line named: one bundle product per line the login may see, by number,
    with the login's own line's options after its own (for the other lines, what the line
    listing knows; their own products, billing account and prices are read with
    ``relatedParty.id`` naming the line). With a line named: that line's products."""
    lines = await every_line(call) or [line_of(await call.account(), [])]
    listing = call.line is None and call.query.get("isBundle") == "true"
    if listing and call.plain_listing("/product", frozenset({"isBundle"})):
        return await _lines_page(call, lines)
    own = await _line_products(call, lines)
    if call.line is not None or "billingAccount.id" in call.query:
        return Served(_specified(call, own))  # the other lines' products name no billing account
    number = (await call.account()).number
    docs: list[Json] = []
    for line in lines:
        if line.number == number:
            docs.extend(own)
        else:
            docs.append(lm.line_to_tmf(line, call.profile, call.version))
    return Served(_specified(call, docs))


async def _lines_page(call: TmfCall, lines: list[Line]) -> Served:
    """``?isBundle=true`` and paging only: the page of lines asked for, rendering only its
    products (a company's thousand lines cost a page, not a thousand products)."""
    offset = paging(call.query, "offset", 0)
    limit = paging(call.query, "limit", -1)
    chosen = lines[offset:] if limit < 0 else lines[offset : offset + limit]
    number = (await call.account()).number
    docs = [
        (await _line_products(call, lines))[0]
        if line.number == number
        else lm.line_to_tmf(line, call.profile, call.version)
        for line in chosen
    ]
    return Served(_specified(call, docs), total=len(lines))


_BY_ORDER = (
    "a line's products change by product orders (TMF622 productOrder), which the operator "
    "carries out: the inventory is not written directly"
)

ROUTES: tuple[TmfRoute, ...] = (
    TmfRoute("inventory", "GET", "/product", _products),
    TmfRoute("inventory", "GET", "/product/{id}", by_id(_products, "product")),
    TmfRoute("inventory", "POST", "/product", refused(_BY_ORDER)),
    TmfRoute(
        "inventory", "PATCH", "/product/{id}", refused(_BY_ORDER, by_id(_products, "product"))
    ),
    TmfRoute(
        "inventory", "DELETE", "/product/{id}", refused(_BY_ORDER, by_id(_products, "product"))
    ),
)
"""TMF637's operations."""
