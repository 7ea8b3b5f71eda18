"""Complaints (TMF621 trouble tickets): what the subscriber reported and where it stands."""

from __future__ import annotations

import enum

import attrs

from selfcare._time import Instant
from selfcare.model._repr import compact_repr

__all__ = [
    "Complaint",
    "ComplaintCategory",
    "ComplaintNote",
    "ComplaintStatus",
    "ComplaintStatusChange",
    "RelatedEntity",
    "RelatedKind",
]


class ComplaintCategory(enum.StrEnum):
    """What the complaint is about (TMF621 ``ticketType``)."""

    BILLING = "billing"
    NETWORK = "network"
    SERVICES = "services"
    MESSAGING = "messaging"
    OTHER = "other"


class ComplaintStatus(enum.StrEnum):
    """Where a complaint is (TMF621 ``status`` names, in snake case)."""

    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    REJECTED = "rejected"

    @property
    def is_closed(self) -> bool:
        """The operator has answered; nothing more happens to it."""
        return self in (ComplaintStatus.RESOLVED, ComplaintStatus.REJECTED)


class RelatedKind(enum.StrEnum):
    """What a related record is (TMF621 ``relatedEntity.@referredType``)."""

    EXPENSE = "expense"
    CALL = "call"
    BILL = "bill"
    MESSAGE = "message"


@attrs.frozen(repr=False)
class RelatedEntity:
    """A record the complaint is about: an expense, a call, a bill or a message, by id."""

    __repr__ = compact_repr

    kind: RelatedKind
    id: str

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.id}"


@attrs.frozen(repr=False)
class ComplaintStatusChange:
    """One step of a complaint's life (TMF621 ``statusChange``)."""

    __repr__ = compact_repr

    status: ComplaintStatus
    at: Instant
    reason: str


@attrs.frozen(repr=False)
class ComplaintNote:
    """A note on a complaint, by the subscriber or the operator (TMF621 ``note``)."""

    __repr__ = compact_repr

    id: str
    at: Instant
    author: str
    """``subscriber`` or ``operator``."""
    text: str


@attrs.frozen(repr=False)
class Complaint:
    """A complaint and its whole story (TMF621 trouble ticket, flattened).

    ``subject`` is the ticket's ``name``, ``text`` its ``description``; ``history`` lists the
    status changes oldest first, and ``status`` is the last of them.
    """

    __repr__ = compact_repr

    id: str
    subject: str
    text: str
    category: ComplaintCategory
    status: ComplaintStatus
    created_at: Instant
    updated_at: Instant
    expected_resolution: Instant
    resolved_at: Instant | None = None
    related: tuple[RelatedEntity, ...] = ()
    history: tuple[ComplaintStatusChange, ...] = ()
    notes: tuple[ComplaintNote, ...] = ()

    @property
    def is_closed(self) -> bool:
        """Resolved or rejected."""
        return self.status.is_closed
