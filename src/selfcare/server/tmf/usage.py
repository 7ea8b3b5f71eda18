"""TMF635 Usage Management: the operator's rated usage (selfcare's expenses and calls), the
usage specifications (one per usage type the operator rates) and usage records a mediation
system submits (kept ``received``)."""

from __future__ import annotations

import inspect
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import attrs

from selfcare import operations as ops
from selfcare._client.paging import MAX_PAGE_SIZE, Page
from selfcare.server.tmf.call import (
    Json,
    Served,
    TmfCall,
    TmfRoute,
    by_id,
    unchangeable,
)
from selfcare.server.tmf.query import paging
from selfcare.tmf import _mapping as m
from selfcare.tmf._profile import TmfProfile

__all__ = ["ROUTES", "SUBMITTED_SPEC", "spec_ref", "usage_specifications"]

SUBMITTED_SPEC = "submitted"
"""The usage specification of records submitted through ``POST /usage`` that name none and
whose ``usageType`` the operator does not rate."""


def usage_specifications(profile: TmfProfile) -> list[Json]:
    """One ``UsageSpecification`` per usage type the operator rates (its id is the type's
    name), and the one of submitted records."""
    described = {
        name: f"Rated usage of kind {kind.value}" for kind, name in profile.usage_types.items()
    }
    described[profile.call_usage_type] = "Rated voice calls, incoming and outgoing"
    described[SUBMITTED_SPEC] = "Usage submitted through TMF635 that this operator has not rated"
    return [
        {
            "id": name,
            "name": name,
            "description": text,
            "isBundle": False,
            "lifecycleStatus": "active",
            "version": "1.0",
            "@type": "UsageSpecification",
        }
        for name, text in described.items()
    ]


def spec_ref(spec_id: str, name: str, href: str) -> Json:
    """A ``UsageSpecificationRef`` (built once per type and shared by a listing's records)."""
    return {"id": spec_id, "href": href, "name": name, "@referredType": "UsageSpecification"}


_SEEKABLE_QUERY = frozenset({"usageType", "usageDate.gte", "usageDate.lt"})


async def _seek(call: TmfCall, op: ops.ListExpenses | ops.ListCalls, spec: Json) -> Served | None:
    """One page of one ledger (all expenses, or calls) read from its offset when the backend
    can seek (the fake can): the records before the offset are not read, nor converted."""
    seek = getattr(call.backend, "seek", None)
    if seek is None or "limit" not in call.query:
        return None
    offset, limit = paging(call.query, "offset", 0), paging(call.query, "limit", 0)
    found = seek(op, offset)
    if inspect.isawaitable(found):
        found = await found
    if found is None:
        return None
    cursor, total = found
    docs: list[Json] = []
    while len(docs) < limit and offset + len(docs) < total:
        want = min(limit - len(docs), MAX_PAGE_SIZE)
        page: Page[Any] = await call.run(attrs.evolve(op, cursor=cursor, limit=want))
        for record in page.items:
            doc = (
                m.call_to_tmf(record, call.profile)
                if isinstance(op, ops.ListCalls)
                else m.expense_to_tmf(record, call.profile)
            )
            doc["usageSpecification"] = spec[doc["usageType"]]
            docs.append(doc)
        cursor = page.next_cursor
        if cursor is None:
            break
    return Served(docs, total=total)


async def _usage(call: TmfCall) -> Served:
    profile = call.profile
    wanted = set(filter(None, call.query.get("usageType", "").split(",")))
    kinds = tuple(k for k, name in profile.usage_types.items() if not wanted or name in wanted)
    since, until = call.instant("usageDate.gte"), call.instant("usageDate.lt")
    if "id" not in call.path and wanted and call.plain_listing("/usage", _SEEKABLE_QUERY):
        # one ledger asked for whole: page it by seeking (a deep page costs a first one's)
        seekable: ops.ListExpenses | ops.ListCalls | None = None
        if wanted == {profile.call_usage_type}:
            seekable = ops.ListCalls(since=since, until=until)
        elif wanted == set(profile.usage_types.values()):
            seekable = ops.ListExpenses(since=since, until=until)
        if seekable is not None:
            served = await _seek(call, seekable, _spec_refs(call))
            if served is not None:
                return served
    refs = _spec_refs(call)  # one reference per type, shared by its records
    records: list[tuple[datetime, str, Json]] = []
    if kinds:
        for e in await call.every(ops.ListExpenses(since=since, until=until, kinds=kinds)):
            doc = m.expense_to_tmf(e, profile)
            doc["usageSpecification"] = refs[doc["usageType"]]
            records.append((e.at, e.id, doc))
    if not wanted or profile.call_usage_type in wanted:
        call_ref = refs[profile.call_usage_type]
        for c in await call.every(ops.ListCalls(since=since, until=until)):
            doc = m.call_to_tmf(c, profile)
            doc["usageSpecification"] = call_ref
            records.append((c.at, c.id, doc))
    records.sort(key=lambda r: (r[0], r[1]), reverse=True)
    return Served([doc for _, _, doc in records])


def _spec_refs(call: TmfCall) -> dict[str, Json]:
    """The reference to each of the operator's usage specifications, by its id."""
    return {
        spec["id"]: spec_ref(
            spec["id"], spec["name"], call.href(f"/usageSpecification/{spec['id']}")
        )
        for spec in usage_specifications(call.profile)
    }


async def _specifications(call: TmfCall) -> Served:
    return Served(usage_specifications(call.profile))


async def _post_specification(call: TmfCall) -> Served:
    """A usage specification a catalogue system adds: kept ``active`` unless it says."""
    item = f"us-{uuid.uuid4().hex[:16]}"
    doc: Json = {
        **call.body,
        "id": item,
        "lifecycleStatus": call.body.get("lifecycleStatus") or "active",
        "lastUpdate": m.instant_to_tmf(await call.now()),
        "@type": call.body.get("@type") or "UsageSpecification",
    }
    return Served(doc, 201, keep=True)


_USAGE_STATES = ("received", "rejected", "recycled", "guided", "rated", "rerated", "billed")


async def _post_usage(call: TmfCall) -> Served:
    """A usage record a mediation system submits: the face keeps it as received (selfcare's
    own calls and expenses come from the operator's rating, not from these)."""
    body = call.body
    doc: Json = {
        **body,
        "id": f"usage-{uuid.uuid4().hex[:16]}",
        "status": body.get("status") or "received",
        "@type": body.get("@type") or "Usage",
    }
    if not isinstance(body.get("usageSpecification"), Mapping):
        refs = _spec_refs(call)
        doc["usageSpecification"] = refs.get(str(body.get("usageType")), refs[SUBMITTED_SPEC])
    return Served(doc, 201, keep=True)


_RATED = "is the operator's rating of a call or charge and cannot be changed"
_RATING = "is one of the kinds of usage the operator rates and cannot be changed"

ROUTES: tuple[TmfRoute, ...] = (
    TmfRoute("usage", "GET", "/usage", _usage),
    TmfRoute("usage", "POST", "/usage", _post_usage, choices={"status": _USAGE_STATES}),
    TmfRoute("usage", "GET", "/usage/{id}", by_id(_usage, "usage record")),
    TmfRoute(
        "usage",
        "PATCH",
        "/usage/{id}",
        unchangeable(_usage, "usage record", _RATED),
        choices={"status": _USAGE_STATES},
    ),
    TmfRoute("usage", "DELETE", "/usage/{id}", unchangeable(_usage, "usage record", _RATED)),
    TmfRoute("usage", "GET", "/usageSpecification", _specifications),
    TmfRoute("usage", "POST", "/usageSpecification", _post_specification),
    TmfRoute(
        "usage", "GET", "/usageSpecification/{id}", by_id(_specifications, "usage specification")
    ),
    TmfRoute(
        "usage",
        "PATCH",
        "/usageSpecification/{id}",
        unchangeable(_specifications, "usage specification", _RATING),
    ),
    TmfRoute(
        "usage",
        "DELETE",
        "/usageSpecification/{id}",
        unchangeable(_specifications, "usage specification", _RATING),
    ),
)
"""TMF635's operations."""
