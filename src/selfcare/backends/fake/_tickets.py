"""How the fake operator keeps a complaint and moves it along its clock.

A complaint is acknowledged when filed, in progress :data:`PICKED_UP` later and answered
:data:`ANSWERED` after filing. The category decides the answer: ``other`` complaints are
rejected (not something the operator can act on), every other category is resolved. Each
state is computed from the clock when read, so nothing runs in the background.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

import attrs

from selfcare.model import (
    Complaint,
    ComplaintCategory,
    ComplaintNote,
    ComplaintStatus,
    ComplaintStatusChange,
    RelatedEntity,
)

__all__ = ["ANSWERED", "PICKED_UP", "ComplaintRecord"]

PICKED_UP: Final = timedelta(hours=2)
"""A complaint is in progress this long after it was filed."""
ANSWERED: Final = timedelta(days=3)
"""A complaint is resolved or rejected this long after it was filed."""

_TEAMS: Final = {
    ComplaintCategory.BILLING: "billing",
    ComplaintCategory.NETWORK: "network operations",
    ComplaintCategory.SERVICES: "services",
    ComplaintCategory.MESSAGING: "messaging",
    ComplaintCategory.OTHER: "customer care",
}
_ANSWERS: Final = {
    ComplaintCategory.BILLING: "The charges were checked against the network records.",
    ComplaintCategory.NETWORK: "The base stations near you were checked and retuned.",
    ComplaintCategory.SERVICES: "The service settings of your line were corrected.",
    ComplaintCategory.MESSAGING: "The message routing for your line was corrected.",
}
_REJECTION: Final = "This is not something the operator can act on."


@attrs.define
class ComplaintRecord:
    """A complaint as the operator stores it; :meth:`view` is how it looks at an instant."""

    id: str
    at: datetime
    """When it was filed (the ledger key)."""
    subject: str
    text: str
    category: ComplaintCategory
    related: tuple[RelatedEntity, ...]
    notes: list[ComplaintNote] = attrs.field(factory=list)

    @property
    def rejected(self) -> bool:
        return self.category is ComplaintCategory.OTHER

    def history(self, now: datetime) -> tuple[ComplaintStatusChange, ...]:
        """The status changes that have happened by ``now``, oldest first."""
        steps = [
            ComplaintStatusChange(
                ComplaintStatus.ACKNOWLEDGED, self.at, f"Received as complaint {self.id}"
            ),
            ComplaintStatusChange(
                ComplaintStatus.IN_PROGRESS,
                self.at + PICKED_UP,
                f"Assigned to the {_TEAMS[self.category]} team",
            ),
            ComplaintStatusChange(
                ComplaintStatus.REJECTED if self.rejected else ComplaintStatus.RESOLVED,
                self.at + ANSWERED,
                _REJECTION if self.rejected else _ANSWERS[self.category],
            ),
        ]
        return tuple(step for step in steps if step.at <= now)

    def status(self, now: datetime) -> ComplaintStatus:
        return self.history(now)[-1].status

    def view(self, now: datetime) -> Complaint:
        history = self.history(now)
        notes = tuple(note for note in self.notes if note.at <= now)
        last = history[-1]
        closed = last.status.is_closed
        return Complaint(
            id=self.id,
            subject=self.subject,
            text=self.text,
            category=self.category,
            status=last.status,
            created_at=self.at,
            updated_at=max([last.at, *(note.at for note in notes)]),
            expected_resolution=self.at + ANSWERED,
            resolved_at=last.at if closed else None,
            related=self.related,
            history=history,
            notes=notes,
        )
