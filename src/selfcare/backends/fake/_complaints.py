"""Fake handlers for complaints (see ``_tickets`` for how they move along the clock).

A related record (an expense, call, bill or sent message) must exist in the subscriber's
own records.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from selfcare._client.paging import Page
from selfcare._errors import Conflict, NotFound
from selfcare.backends.fake._eventlog import watch_complaint
from selfcare.backends.fake._handlers import Session, handles
from selfcare.backends.fake._state import Subscriber
from selfcare.backends.fake._tickets import ComplaintRecord
from selfcare.model import Complaint, ComplaintNote, RelatedEntity, RelatedKind
from selfcare.operations import AddComplaintNote, FileComplaint, GetComplaint, ListComplaints

__all__ = ["file_complaint_record"]


def _records(sub: Subscriber, kind: RelatedKind) -> Iterable[Any]:
    """The subscriber's records a complaint of ``kind`` can refer to."""
    if kind is RelatedKind.EXPENSE:
        return sub.expenses
    if kind is RelatedKind.CALL:
        return sub.calls
    if kind is RelatedKind.BILL:
        return sub.bills
    return sub.mailbox.messages


def _check_related(sub: Subscriber, related: RelatedEntity) -> None:
    if not any(record.id == related.id for record in _records(sub, related.kind)):
        raise NotFound(f"there is no {related.kind.value} {related.id!r}", field="related")


def _find(sub: Subscriber, complaint_id: str) -> ComplaintRecord:
    for record in sub.complaints:
        if record.id == complaint_id:
            return record
    raise NotFound(f"there is no complaint {complaint_id!r}", field="complaint_id")


def file_complaint_record(s: Session, op: FileComplaint) -> ComplaintRecord:
    """Check and store a new complaint (also used to seed past ones)."""
    sub = s.subscriber
    for related in op.related:
        _check_related(sub, related)
    record = ComplaintRecord(
        id=sub.next_id("cmp"),
        at=s.now,
        subject=op.subject,
        text=op.text,
        category=op.category,
        related=op.related,
    )
    sub.complaints.add(record)
    watch_complaint(sub, record.id, record.at, after=s.now)
    return record


@handles(FileComplaint)
def file_complaint(s: Session, op: FileComplaint) -> Complaint:
    return file_complaint_record(s, op).view(s.now)


@handles(ListComplaints)
def list_complaints(s: Session, op: ListComplaints) -> Page[Complaint]:
    def match(record: ComplaintRecord) -> bool:
        return op.status is None or record.status(s.now) is op.status

    page = s.subscriber.complaints.page(
        since=None, until=None, cursor=op.cursor, limit=op.limit, match=match
    )
    return Page(tuple(record.view(s.now) for record in page.items), page.next_cursor)


@handles(GetComplaint)
def get_complaint(s: Session, op: GetComplaint) -> Complaint:
    return _find(s.subscriber, op.complaint_id).view(s.now)


@handles(AddComplaintNote)
def add_note(s: Session, op: AddComplaintNote) -> Complaint:
    sub = s.subscriber
    record = _find(sub, op.complaint_id)
    status = record.status(s.now)
    if status.is_closed:
        raise Conflict(
            f"complaint {op.complaint_id!r} is already {status.value}; file a new one instead",
            field="complaint_id",
        )
    record.notes.append(ComplaintNote(sub.next_id("n"), s.now, "subscriber", op.text))
    return record.view(s.now)
