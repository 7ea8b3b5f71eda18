"""TMF621 Trouble Ticket: the subscriber's complaints (file, list, read, add notes)."""

from __future__ import annotations

from collections.abc import Mapping

from selfcare import operations as ops
from selfcare._errors import NotSupported, ValidationError
from selfcare.model import (
    Complaint,
    ComplaintCategory,
    ComplaintStatus,
    RelatedEntity,
    RelatedKind,
)
from selfcare.server.tmf.call import Json, Served, TmfCall, TmfRoute, by_id, refused
from selfcare.server.tmf.documents import kept_size
from selfcare.tmf import _mapping as m

__all__ = ["ROUTES"]


def _related(doc: object) -> RelatedEntity:
    """A relatedEntity of either version (v5's ``{role, entity: {id}}``, v4's ``{role, id}``)."""
    if not isinstance(doc, Mapping):
        raise ValidationError("each relatedEntity must be an object", field="related")
    entity = doc.get("entity")
    if isinstance(entity, Mapping):
        doc = {**entity, "role": doc.get("role")}
    try:
        return RelatedEntity(RelatedKind(str(doc.get("role"))), str(doc["id"]))
    except (KeyError, ValueError):
        choices = ", ".join(k.value for k in RelatedKind)
        raise ValidationError(
            f"relatedEntity role {doc.get('role')!r} is not one of {choices}", field="related"
        ) from None


def _ticket_to_tmf(call: TmfCall, complaint: Complaint) -> Json:
    """The complaint as a trouble ticket; in v5 with the absolute ``href`` of its category's
    ``troubleTicketSpecification`` (served below)."""
    doc = m.complaint_to_tmf(complaint, call.version)
    ref = doc.get("troubleTicketSpecification")
    if ref is not None:
        ref["href"] = call.href(f"/troubleTicketSpecification/{ref['id']}")
    return doc


async def _file(call: TmfCall) -> Served:
    # What the caller says that a complaint has no place for is the caller's: the operator
    # keeps it with the subscriber's TMF documents, shown on the ticket from now on (as long
    # as the complaint's own values stay those it was filed with); at most what the server
    # keeps of a resource, checked before the complaint is filed.
    theirs = {
        name: call.body[name]
        for name in _THE_CALLERS[call.version]
        if call.body.get(name) is not None
    }
    kept_size(theirs, call.keep_limit)
    try:
        category = ComplaintCategory(call.field("ticketType"))
    except ValueError:
        category = ComplaintCategory.OTHER
    op = ops.FileComplaint(
        subject=str(call.body.get("name") or call.field("description"))[:120],
        text=str(call.field("description")),
        category=category,
        related=tuple(_related(r) for r in call.body.get("relatedEntity") or []),
        idempotency_key=call.key(),
    )
    doc = _ticket_to_tmf(call, await call.run(op))
    wanted = {name: value for name, value in theirs.items() if value != doc.get(name)}
    basis = {name: doc.get(name) for name in wanted}
    return Served({**doc, **wanted}, 201, overlay=wanted or None, basis=basis)


_THE_CALLERS = {
    4: ("externalId", "ticketType", "severity"),
    5: ("externalIdentifier", "ticketType", "severity"),
}
"""What a ticket body says that a complaint keeps no trace of: the caller's identifiers of
the ticket (v5 ``externalIdentifier[]``, v4 ``externalId``), and its type and severity as
the caller named them (a complaint has a category from a fixed list and no severity)."""


async def _ticket_list(call: TmfCall) -> Served:
    status = call.query.get("status")
    wanted: ComplaintStatus | None = None
    if status is not None:
        wanted = m.ticket_status_from_tmf(status) if status in _TICKET_NAMES else None
        if wanted is None:
            return Served([])
    return Served(
        [_ticket_to_tmf(call, c) for c in await call.every(ops.ListComplaints(status=wanted))]
    )


_TICKET_NAMES = {m.ticket_status_to_tmf(s) for s in ComplaintStatus}


async def _ticket(call: TmfCall) -> Served:
    return Served(
        _ticket_to_tmf(call, await call.run(ops.GetComplaint(complaint_id=call.path["id"])))
    )


async def _patch_ticket(call: TmfCall) -> Served:
    """PATCH replaces ``note``: the notes without an ``id`` are the new ones to add."""
    complaint = await call.run(ops.GetComplaint(complaint_id=call.path["id"]))  # 404 before 405
    if not isinstance(call.body, Mapping) or set(call.body) - _TICKET_PATCHABLE:
        raise NotSupported("the TMF face only patches a trouble ticket's 'note' list")
    for index, note in enumerate(n for n in call.field("note") if not n.get("id")):
        op = ops.AddComplaintNote(
            complaint_id=call.path["id"],
            text=str(note.get("text") or ""),
            idempotency_key=call.key(f".{index}"),
        )
        complaint = await call.run(op)
    return Served(_ticket_to_tmf(call, complaint))


async def _delete_ticket(call: TmfCall) -> Served:
    await _ticket(call)  # 404 before 405
    raise NotSupported(
        f"the trouble ticket {call.path['id']!r} stays on record: a complaint is not deleted"
    )


_SPECIFIED = {
    ComplaintCategory.BILLING: "Charges, bills, payments and the balance",
    ComplaintCategory.NETWORK: "Coverage, call quality and data connection",
    ComplaintCategory.SERVICES: "The tariff plan and the options of the line",
    ComplaintCategory.MESSAGING: "SMS and MMS sending and delivery",
    ComplaintCategory.OTHER: "Anything else",
}
"""What each complaint category is about."""


async def _specifications(call: TmfCall) -> Served:
    """v5's ``troubleTicketSpecification``: one per complaint category, its id the
    ``ticketType`` a ticket of that category has."""
    return Served(
        [
            {
                "id": category.value,
                "name": f"{category.value} complaint",
                "description": _SPECIFIED[category],
                "lifecycleStatus": "active",
                "@type": "TroubleTicketSpecification",
            }
            for category in ComplaintCategory
        ]
    )


_OPERATORS = "the trouble ticket specifications are the operator's complaint categories"

_TICKET_PATCHABLE = frozenset({"note", "@type", "@baseType", "@schemaLocation"})

ROUTES: tuple[TmfRoute, ...] = (
    TmfRoute(
        "troubleTicket",
        "POST",
        "/troubleTicket",
        _file,
        required=("description", "severity", "ticketType"),
    ),
    TmfRoute("troubleTicket", "GET", "/troubleTicket", _ticket_list),
    TmfRoute("troubleTicket", "GET", "/troubleTicket/{id}", _ticket),
    TmfRoute("troubleTicket", "PATCH", "/troubleTicket/{id}", _patch_ticket),
    TmfRoute("troubleTicket", "DELETE", "/troubleTicket/{id}", _delete_ticket),
    TmfRoute("troubleTicket", "GET", "/troubleTicketSpecification", _specifications, versions=(5,)),
    TmfRoute(
        "troubleTicket",
        "GET",
        "/troubleTicketSpecification/{id}",
        by_id(_specifications, "trouble ticket specification"),
        versions=(5,),
    ),
    TmfRoute(
        "troubleTicket",
        "POST",
        "/troubleTicketSpecification",
        refused(_OPERATORS),
        versions=(5,),
    ),
    *(
        TmfRoute(
            "troubleTicket",
            method,
            "/troubleTicketSpecification/{id}",
            refused(_OPERATORS, by_id(_specifications, "trouble ticket specification")),
            versions=(5,),
        )
        for method in ("PATCH", "DELETE")
    ),
)
"""TMF621's operations."""
