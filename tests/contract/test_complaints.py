"""sc.complaints, on every configuration: filing, the lifecycle along the clock, notes."""

from datetime import timedelta

import pytest

from selfcare import (
    Complaint,
    ComplaintCategory,
    ComplaintStatus,
    Conflict,
    NotFound,
    RelatedEntity,
    RelatedKind,
    ValidationError,
)
from selfcare.operations import Capability
from tests.conftest import NOW

pytestmark = pytest.mark.requires(Capability.COMPLAINTS)


def test_file_a_complaint_about_an_expense(sc) -> None:
    charge = sc.expenses.list(kinds="roaming").first(1)[0]
    complaint = sc.complaints.file(
        "Double roaming charge", "Charged twice for one call.", category="billing", related=charge
    )
    assert isinstance(complaint, Complaint)
    assert complaint.status is ComplaintStatus.ACKNOWLEDGED and not complaint.is_closed
    assert complaint.category is ComplaintCategory.BILLING
    assert complaint.related == (RelatedEntity(RelatedKind.EXPENSE, charge.id),)
    assert complaint.created_at == complaint.updated_at == NOW
    assert complaint.expected_resolution == NOW + timedelta(days=3)
    assert complaint.resolved_at is None
    assert [h.status for h in complaint.history] == [ComplaintStatus.ACKNOWLEDGED]
    assert sc.complaints.get(complaint.id) == complaint
    assert sc.complaints.get(complaint) == complaint  # the record itself, as other areas take
    assert sc.complaints.list().first(1) == [complaint]


def test_calls_bills_and_several_records_can_be_attached(sc) -> None:
    call = sc.calls.missed().first(1)[0]
    bill = sc.account.bills().to_list()[0]
    complaint = sc.complaints.file(
        "Dropped call",
        "The call dropped.",
        category=ComplaintCategory.NETWORK,
        related=[call, bill],
    )
    assert [r.kind for r in complaint.related] == [RelatedKind.CALL, RelatedKind.BILL]


def test_a_sent_message_can_be_attached_as_it_is(sc) -> None:
    message = sc.messages.send_sms(["+79161234567"], "Are you there?")
    complaint = sc.complaints.file(
        "Not delivered", "My message never arrived.", category="messaging", related=message
    )
    assert complaint.related == (RelatedEntity(RelatedKind.MESSAGE, message.id),)
    assert sc.complaints.get(complaint.id).related == complaint.related


def test_unknown_related_records_are_refused_and_nothing_is_filed(sc) -> None:
    before = len(sc.complaints.list().to_list())
    with pytest.raises(NotFound, match="no expense 'e99999999'"):
        sc.complaints.file(
            "x", "y", category="billing", related=RelatedEntity(RelatedKind.EXPENSE, "e99999999")
        )
    with pytest.raises(ValidationError, match="related='e1'"):
        sc.complaints.file("x", "y", category="billing", related="e1")
    with pytest.raises(ValidationError, match="related=42"):
        sc.complaints.file("x", "y", category="billing", related=42)
    assert len(sc.complaints.list().to_list()) == before


def test_resolved_complaints_move_along_the_clock(sc, clock) -> None:
    filed = sc.complaints.file("Slow data", "Pages load slowly.", category="network")
    clock.advance(timedelta(hours=1, minutes=59))
    assert sc.complaints.get(filed.id).status is ComplaintStatus.ACKNOWLEDGED
    clock.advance(timedelta(minutes=1))
    picked = sc.complaints.get(filed.id)
    assert picked.status is ComplaintStatus.IN_PROGRESS
    assert "network operations" in picked.history[-1].reason
    clock.advance(timedelta(days=3) - timedelta(hours=2))
    done = sc.complaints.get(filed.id)
    assert done.status is ComplaintStatus.RESOLVED and done.is_closed
    assert done.resolved_at == NOW + timedelta(days=3) == done.updated_at
    assert [(h.status, h.at) for h in done.history] == [
        (ComplaintStatus.ACKNOWLEDGED, NOW),
        (ComplaintStatus.IN_PROGRESS, NOW + timedelta(hours=2)),
        (ComplaintStatus.RESOLVED, NOW + timedelta(days=3)),
    ]
    assert all(h.reason for h in done.history)


@pytest.mark.parametrize(
    ("category", "outcome"),
    [
        ("billing", ComplaintStatus.RESOLVED),
        ("network", ComplaintStatus.RESOLVED),
        ("services", ComplaintStatus.RESOLVED),
        ("messaging", ComplaintStatus.RESOLVED),
        ("other", ComplaintStatus.REJECTED),
    ],
)
def test_the_category_decides_the_answer(sc, clock, category, outcome) -> None:
    filed = sc.complaints.file("Subject", "Text", category=category)
    clock.advance(timedelta(days=3))
    assert sc.complaints.get(filed.id).status is outcome


def test_notes_are_added_while_open_and_refused_once_closed(sc, clock) -> None:
    filed = sc.complaints.file("Subject", "Text", category="other")
    clock.advance(timedelta(hours=3))
    noted = sc.complaints.add_note(filed, "It happened again today.")
    (note,) = noted.notes
    assert (note.author, note.text, note.at) == (
        "subscriber",
        "It happened again today.",
        clock.now(),
    )
    assert noted.updated_at == clock.now()
    clock.advance(timedelta(days=3))
    closed = sc.complaints.get(filed.id)
    assert closed.status is ComplaintStatus.REJECTED and closed.notes == noted.notes
    with pytest.raises(Conflict, match=f"complaint '{filed.id}' is already rejected"):
        sc.complaints.add_note(filed.id, "Why?")


def test_list_newest_first_and_by_status(sc, clock) -> None:
    seeded = sc.complaints.list().to_list()
    assert [c.status for c in seeded] == [ComplaintStatus.IN_PROGRESS, ComplaintStatus.RESOLVED]
    new = sc.complaints.file("Subject", "Text", category="services")
    assert [c.id for c in sc.complaints.list(page_size=1)] == [new.id] + [c.id for c in seeded]
    assert [c.id for c in sc.complaints.list(status="acknowledged")] == [new.id]
    assert [c.id for c in sc.complaints.list(status=ComplaintStatus.RESOLVED)] == [seeded[1].id]
    with pytest.raises(ValidationError, match="status='open'"):
        sc.complaints.list(status="open")


def test_bad_input_is_refused_naming_it(sc) -> None:
    with pytest.raises(ValidationError, match="subject='  '"):
        sc.complaints.file("  ", "Text", category="billing")
    with pytest.raises(ValidationError, match="text is 4001 characters"):
        sc.complaints.file("Subject", "x" * 4001, category="billing")
    with pytest.raises(ValidationError, match="category='roaming'.*'billing'"):
        sc.complaints.file("Subject", "Text", category="roaming")
    with pytest.raises(NotFound, match="no complaint 'cmp404'"):
        sc.complaints.get("cmp404")
    with pytest.raises(ValidationError, match="'../etc'"):
        sc.complaints.get("../etc")
    with pytest.raises(NotFound):
        sc.complaints.add_note("cmp404", "Hello")


def test_filing_is_idempotent(sc) -> None:
    first = sc.complaints.file("Subject", "Text", category="billing", idempotency_key="cmp-key-01")
    again = sc.complaints.file("Subject", "Text", category="billing", idempotency_key="cmp-key-01")
    assert again == first
    assert len([c for c in sc.complaints.list() if c.created_at == NOW]) == 1


@pytest.mark.requires(Capability.LOGINS)
def test_filing_is_logged(sc) -> None:
    sc.complaints.file("Subject", "Text", category="billing", idempotency_key="cmp-key-01")
    (record,) = sc.logins.operations(operation="file_complaint", since=NOW)
    assert record.parameter("category") == "billing"
