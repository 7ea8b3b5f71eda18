# Generated from selfcare/_async/complaints.py by scripts/unasync.py. Do not edit.
"""Complaints: file one about a charge, a call or a message, and follow it to its answer."""

from __future__ import annotations

from collections.abc import Iterable

from selfcare._sync._area import Area
from selfcare._sync._paging import Pager
from selfcare._client.context import Context
from selfcare._client.paging import check_chosen_page_size
from selfcare._errors import ValidationError
from selfcare.model import (
    Bill,
    Call,
    Complaint,
    ComplaintCategory,
    ComplaintStatus,
    Expense,
    Message,
    RelatedEntity,
    RelatedKind,
)
from selfcare.model._enums import coerce_enum
from selfcare.operations import AddComplaintNote, FileComplaint, GetComplaint, ListComplaints

__all__ = ["Complaints"]

Related = RelatedEntity | Expense | Call | Bill | Message
_KINDS: dict[type, RelatedKind] = {
    Expense: RelatedKind.EXPENSE,
    Call: RelatedKind.CALL,
    Bill: RelatedKind.BILL,
    Message: RelatedKind.MESSAGE,
}


class Complaints(Area):
    """``sc.complaints``: complaints to the operator (TMF621 trouble tickets)."""

    def file(
        self,
        subject: str,
        text: str,
        *,
        category: ComplaintCategory | str,
        related: Related | Iterable[Related] | None = None,
        idempotency_key: str | None = None,
    ) -> Complaint:
        """File a complaint; ``related`` attaches the expenses, calls, bills or sent
        messages it is about (the records themselves, or ``RelatedEntity(kind, id)``)."""
        return self._client._execute(
            FileComplaint(
                subject,
                text,
                coerce_enum(ComplaintCategory, category, "category"),
                _related(related),
                idempotency_key=idempotency_key,
            )
        )

    def list(
        self,
        *,
        status: ComplaintStatus | str | None = None,
        page_size: int | None = None,
    ) -> Pager[Complaint]:
        """Complaints newest first; ``status`` keeps those in one status."""
        wanted = None if status is None else coerce_enum(ComplaintStatus, status, "status")
        check_chosen_page_size(page_size)

        def build(ctx: Context) -> ListComplaints:
            return ListComplaints(status=wanted)

        return Pager(self._client, Complaint, build, page_size=page_size)

    def get(self, complaint: str | Complaint) -> Complaint:
        """One complaint (by id, or the record itself, freshly read) with its history and notes."""
        return self._client._execute(GetComplaint(_complaint_id(complaint)))

    def add_note(
        self, complaint: str | Complaint, text: str, *, idempotency_key: str | None = None
    ) -> Complaint:
        """Add a note to an open complaint (a resolved or rejected one refuses it)."""
        return self._client._execute(
            AddComplaintNote(_complaint_id(complaint), text, idempotency_key=idempotency_key)
        )


def _complaint_id(complaint: str | Complaint) -> str:
    """The id of a complaint given as its id or as the record (the operation checks the id)."""
    return complaint.id if isinstance(complaint, Complaint) else complaint


def _related(value: Related | Iterable[Related] | None) -> tuple[RelatedEntity, ...]:
    if value is None:
        return ()
    single = isinstance(value, RelatedEntity | Expense | Call | Bill | Message | str | bytes)
    items: Iterable[object] = [value] if single or not isinstance(value, Iterable) else value
    found: list[RelatedEntity] = []
    for item in items:
        if isinstance(item, RelatedEntity):
            found.append(RelatedEntity(coerce_enum(RelatedKind, item.kind, "related"), item.id))
        elif type(item) in _KINDS:
            found.append(RelatedEntity(_KINDS[type(item)], item.id))  # type: ignore[attr-defined]
        else:
            raise ValidationError(
                f"related={item!r} is not an Expense, Call, Bill, Message or RelatedEntity "
                "(for a bare id use RelatedEntity(kind, id))",
                field="related",
            )
    return tuple(found)
