"""Operators built from the same seed share nothing mutable: the fake replays a seeded history
once per process and hands each operator a copy, so one test's changes never reach another's."""

from decimal import Decimal

from selfcare import Selfcare
from selfcare.backends.fake import FakeOperator, ManualClock
from tests.conftest import NOW


def _fresh() -> FakeOperator:
    return FakeOperator(seed=42, clock=ManualClock(NOW))


def test_changes_to_one_operator_never_reach_another_built_from_the_same_seed() -> None:
    changed, untouched = _fresh(), _fresh()
    before = _state(untouched)
    with Selfcare.fake(operator=changed) as sc:
        sc.messages.send_sms("+79165550199", "hello")
        sc.payments.pay(Decimal("100.00"), method="card:tok_copytest")
        sc.contacts.add("Copy Test", "+79165550198")
        complaint = sc.complaints.file(
            "Copy test", "a charge I do not recognise", category="billing"
        )
        sc.complaints.add_note(complaint, "and a note")
        seeded = next(c for c in sc.complaints.list() if c.id != complaint.id and not c.is_closed)
        sc.complaints.add_note(seeded, "a seeded complaint's record is mutable: a copy's own")
        sc.forwarding.to_voicemail("busy")
    assert _state(changed) != before
    assert _state(untouched) == before
    assert _state(_fresh()) == before


def test_a_copy_has_the_replayed_history_and_its_own_id_sequence() -> None:
    first, second = _fresh(), _fresh()
    a, b = first.subscriber(), second.subscriber()
    assert list(a.expenses) == list(b.expenses) and len(a.expenses) > 1000
    taken = a.next_id("x")
    assert a.next_id("x") != taken
    assert b.next_id("x") == taken  # the other copy's sequence did not move


def _state(operator: FakeOperator) -> tuple[object, ...]:
    """What the demo subscriber sees, through the SDK."""
    with Selfcare.fake(operator=operator) as sc:
        return (
            sc.account.balance(),
            len(sc.expenses.list().to_list()),
            [p.id for p in sc.payments.list()],
            [(c.id, len(c.notes)) for c in sc.complaints.list()],
            [(b.id, b.remaining) for b in sc.account.bills().to_list()],
            sc.forwarding.get(),
            [c.name for c in sc.contacts.list()],
            [m.id for m in sc.messages.list()],
        )
