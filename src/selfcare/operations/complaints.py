"""Operations on complaints: file one, follow it, add to it."""

from __future__ import annotations

import re
from typing import Any

import attrs

from selfcare._client.paging import Page
from selfcare._errors import ValidationError
from selfcare._rules.encoding import check_encodable
from selfcare._rules.text import LAYOUT, check_plain
from selfcare.model import Complaint, ComplaintCategory, ComplaintStatus, RelatedEntity
from selfcare.operations._base import Capability, MutatingOperation, Operation, PagedOperation

__all__ = [
    "MAX_SUBJECT",
    "MAX_TEXT",
    "AddComplaintNote",
    "FileComplaint",
    "GetComplaint",
    "ListComplaints",
    "check_complaint_id",
    "check_text",
]

MAX_SUBJECT = 120
"""Longest subject, in characters."""
MAX_TEXT = 4000
"""Longest complaint or note text, in characters."""
_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def check_text(value: object, field: str, limit: int) -> str:
    """Text that is not blank and at most ``limit`` characters long, without control
    characters (the ``text`` may have tabs and line breaks; the ``subject`` is one line)."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"{field}={value!r} must be some text", field=field)
    check_encodable(value, field)
    if len(value) > limit:
        raise ValidationError(
            f"{field} is {len(value)} characters long; at most {limit} are allowed "
            f"({value[:30]!r}…)",
            field=field,
        )
    return check_plain(value, field, "" if field == "subject" else LAYOUT)


def check_complaint_id(value: object) -> str:
    """A complaint id as the operator issued it."""
    if type(value) is not str or not _ID.fullmatch(value):
        raise ValidationError(f"complaint id {value!r} is not a valid id", field="complaint_id")
    return value


def _subject(instance: Any, attribute: Any, value: Any) -> None:
    check_text(value, "subject", MAX_SUBJECT)


def _text(instance: Any, attribute: Any, value: Any) -> None:
    check_text(value, "text", MAX_TEXT)


def _id(instance: Any, attribute: Any, value: Any) -> None:
    check_complaint_id(value)


@attrs.frozen
class FileComplaint(MutatingOperation[Complaint]):
    """File a complaint, optionally about some records (expenses, calls, bills, messages)."""

    result = Complaint
    capability = Capability.COMPLAINTS

    subject: str = attrs.field(validator=_subject)
    text: str = attrs.field(validator=_text)
    category: ComplaintCategory
    related: tuple[RelatedEntity, ...] = ()


@attrs.frozen
class ListComplaints(PagedOperation[Complaint]):
    """The subscriber's complaints, newest first, optionally in one status."""

    result = Page[Complaint]
    capability = Capability.COMPLAINTS

    status: ComplaintStatus | None = None


@attrs.frozen
class GetComplaint(Operation[Complaint]):
    """One complaint with its status history and notes."""

    result = Complaint
    capability = Capability.COMPLAINTS

    complaint_id: str = attrs.field(validator=_id)


@attrs.frozen
class AddComplaintNote(MutatingOperation[Complaint]):
    """Add the subscriber's note to an open complaint."""

    result = Complaint
    capability = Capability.COMPLAINTS

    complaint_id: str = attrs.field(validator=_id)
    text: str = attrs.field(validator=_text)
