"""sc.contacts, sc.contacts.lists and sc.messages.broadcast, on every configuration."""

from datetime import timedelta
from pathlib import Path

import pytest

from selfcare import (
    Conflict,
    Contact,
    InvalidPhoneNumber,
    MailingList,
    MessageStatus,
    Money,
    NotFound,
    PhoneNumber,
    RecipientStatus,
    ValidationError,
)
from selfcare.operations import Capability
from tests.conftest import NOW

pytestmark = pytest.mark.requires(Capability.CONTACTS, Capability.MESSAGES)


VCARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Мария Иванова\r\nN:Иванова;Мария;;;\r\n"
    "TEL;TYPE=CELL:8 (916) 765-43-21\r\nTEL;TYPE=WORK:+7 495 123-45-67\r\n"
    "EMAIL;TYPE=INTERNET:maria@example.org\r\nNOTE:Школа\\, 5 класс\\; родитель\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Smith;John;;;\r\nTEL:+44 20 7946 0958\r\nEND:VCARD\r\n"
)


def test_contacts_crud(sc, operator) -> None:
    assert sc.contacts.list().to_list() == []
    ivan = sc.contacts.add("  Ivan Petrov ", ["8 916 111-22-33", "+7 916 111 22 33", "84951112233"])
    assert isinstance(ivan, Contact)
    assert ivan.name == "Ivan Petrov" and ivan.created_at == NOW
    assert ivan.phones == (PhoneNumber("+79161112233"), PhoneNumber("+74951112233"))
    anna = sc.contacts.add("anna", "+7 903 555-00-11", email="anna@example.org", note="gym")
    assert [c.name for c in sc.contacts.list()] == ["anna", "Ivan Petrov"]
    assert sc.contacts.get(anna.id) == anna
    assert [c.id for c in sc.contacts.list(search="IVAN")] == [ivan.id]
    assert [c.id for c in sc.contacts.list(search="555-00")] == [anna.id]
    assert [c.id for c in sc.contacts.list(search="example.org")] == [anna.id]

    changed = sc.contacts.update(anna, name="Anna K.", email="", phones=["+7 903 555-00-12"])
    assert (changed.name, changed.email, changed.note) == ("Anna K.", None, "gym")
    assert changed.phone == PhoneNumber("+79035550012")
    assert sc.contacts.get(anna.id) == changed

    sc.contacts.delete(ivan)
    assert [c.id for c in sc.contacts.list()] == [anna.id]
    with pytest.raises(NotFound, match=ivan.id):
        sc.contacts.get(ivan.id)
    with pytest.raises(NotFound, match=ivan.id):
        sc.contacts.delete(ivan.id)
    ops = [r.operation for r in operator.subscriber().operations][-5:]
    assert ops == [
        "add_contact",
        "add_contact",
        "update_contact",
        "delete_contact",
        "delete_contact",
    ]


@pytest.mark.parametrize(
    ("name", "phones", "extra", "field"),
    [
        ("", "+79161112233", {}, "name"),
        ("x" * 101, "+79161112233", {}, "name"),
        ("Ivan", [], {}, "phones"),
        ("Ivan", "not a number", {}, "phones[0]"),
        ("Ivan", [f"+7916111223{i}" for i in range(6)], {}, "phones"),
        ("Ivan", "+79161112233", {"email": "ivan@"}, "email"),
        ("Ivan", "+79161112233", {"note": "x" * 501}, "note"),
    ],
)
def test_bad_contacts_are_refused(sc, name, phones, extra, field) -> None:
    with pytest.raises(ValidationError) as caught:
        sc.contacts.add(name, phones, **extra)
    assert caught.value.field == field
    assert sc.contacts.list().to_list() == []


def test_vcard_import_and_round_trip(sc) -> None:
    imported = sc.contacts.import_vcard(VCARD.encode())
    maria, john = imported
    assert maria.name == "Мария Иванова"
    assert maria.phones == (PhoneNumber("+79167654321"), PhoneNumber("+74951234567"))
    assert (maria.email, maria.note) == ("maria@example.org", "Школа, 5 класс; родитель")
    assert john.name == "John Smith" and john.phone == PhoneNumber("+442079460958")

    exported = sc.contacts.export_vcard()
    assert exported.count("BEGIN:VCARD") == 2 and "VERSION:3.0" in exported
    for contact in sc.contacts.list():
        sc.contacts.delete(contact)
    again = sc.contacts.import_vcard(exported)
    assert [c.draft() for c in again] == [c.draft() for c in sorted(imported, key=lambda c: c.name)]


def test_csv_import_export_round_trip(sc, tmp_path: Path) -> None:
    path = tmp_path / "book.csv"
    path.write_text("Name,Phone,Email\nIvan,8 916 111-22-33; +74951112233,ivan@example.org\n")
    (ivan,) = sc.contacts.import_csv(path)
    assert ivan.phones == (PhoneNumber("+79161112233"), PhoneNumber("+74951112233"))
    text = sc.contacts.export_csv()
    assert text.splitlines()[0] == "name,phones,email,note"
    sc.contacts.delete(ivan)
    (again,) = sc.contacts.import_csv(text)
    assert again.draft() == ivan.draft()


def test_a_bad_card_imports_nothing(sc) -> None:
    bad = VCARD + "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Broken\r\nTEL:12\r\nEND:VCARD\r\n"
    with pytest.raises(InvalidPhoneNumber, match=r"vcard\[2\]") as caught:
        sc.contacts.import_vcard(bad)
    assert caught.value.field == "vcard[2]"
    with pytest.raises(ValidationError, match="row 3"):
        sc.contacts.import_csv("name,phones\nA,+79161112233\nB,nope\n")
    assert sc.contacts.list().to_list() == []


def test_mailing_lists(sc) -> None:
    ivan = sc.contacts.add("Ivan", "+79161112233")
    anna = sc.contacts.add("Anna", "+79035550011")
    friends = sc.contacts.lists.create("Friends", [ivan, "8 916 999-00-00", ivan])
    assert isinstance(friends, MailingList) and len(friends) == 2
    assert friends.numbers == (PhoneNumber("+79161112233"), PhoneNumber("+79169990000"))
    assert friends.members[0].name == "Ivan"

    friends = sc.contacts.lists.add_members(friends, [anna, "+79169990000"])
    assert [m.name for m in friends.members] == ["Ivan", None, "Anna"]
    sc.contacts.update(ivan, phones="+79160000001")  # members follow the contact
    assert sc.contacts.lists.get(friends.id).numbers[0] == PhoneNumber("+79160000001")

    friends = sc.contacts.lists.remove_members(friends, ["8 916 999-00-00"])
    assert len(friends) == 2
    with pytest.raises(NotFound, match=r"\+79169990000") as caught:
        sc.contacts.lists.remove_members(friends, [anna, "+79169990000"])
    assert caught.value.field == "members[1]"
    assert len(sc.contacts.lists.get(friends.id)) == 2  # nothing half-applied

    sc.contacts.delete(anna)  # a deleted contact leaves its lists
    assert [m.name for m in sc.contacts.lists.get(friends.id).members] == ["Ivan"]

    with pytest.raises(Conflict, match="friends"):
        sc.contacts.lists.create("friends")
    work = sc.contacts.lists.create("Work")
    assert [m.name for m in sc.contacts.lists.list()] == ["Friends", "Work"]
    sc.contacts.lists.delete(work)
    with pytest.raises(NotFound, match=work.id):
        sc.contacts.lists.get(work.id)
    with pytest.raises(NotFound, match="k-missing"):
        sc.contacts.lists.add_members(friends, [Contact("k-missing", "x", (ivan.phone,), NOW, NOW)])


def test_broadcast_reports_each_recipient(sc, clock) -> None:
    ivan = sc.contacts.add("Ivan", "+79161112233")
    club = sc.contacts.lists.create("Club", [ivan, "+79990000007", "+79169990000"])
    result = sc.messages.broadcast(club, "Meeting at 7")
    assert [r.status for r in result.results] == [RecipientStatus.SENT] * 3
    assert result.results[0].recipient == "Ivan (+79161112233)"
    assert len(result.messages) == 3 and all(
        m.recipients == (r.number,) for m, r in zip(result.messages, result.sent, strict=True)
    )
    clock.advance(timedelta(minutes=1))
    statuses = [sc.messages.get(m).status for m in result.messages]
    assert statuses == [
        MessageStatus.DELIVERED,
        MessageStatus.UNDELIVERABLE,
        MessageStatus.DELIVERED,
    ]


def test_broadcast_drops_duplicates_and_rejects_bad_numbers_without_stopping(sc) -> None:
    ivan = sc.contacts.add("Ivan", "+79161112233")
    result = sc.messages.broadcast(
        ["8 916 111-22-33", "garbage", ivan, PhoneNumber("+79169990000"), "garbage", 42], "hi"
    )
    assert [(r.recipient, r.status.value) for r in result.results] == [
        ("8 916 111-22-33", "sent"),
        ("garbage", "rejected"),
        ("+79169990000", "sent"),
        ("42", "rejected"),
    ]
    assert "not a phone number" in result.rejected[0].reason
    assert len(result.sent) == 2 and result.cost("RUB") == Money("0.00", "RUB")


def test_broadcast_rejections_from_the_operator_are_per_recipient(sc) -> None:
    scheduled = sc.messages.broadcast(
        ["+79161112233", "+79169990000"], "x", deliver_at=NOW + timedelta(hours=1)
    )
    assert all(m.status is MessageStatus.SCHEDULED for m in scheduled.messages)
    with pytest.raises(ValidationError, match="empty"):  # shared options fail the whole call
        sc.messages.broadcast(["+79161112233"], "")


def test_broadcast_to_nobody_is_refused_naming_the_list(sc, operator) -> None:
    empty = sc.contacts.lists.create("Nobody yet", [])
    sent_before = len(operator.subscriber().mailbox.messages)
    with pytest.raises(ValidationError, match="'Nobody yet' has no members") as caught:
        sc.messages.broadcast(empty, "hi")
    assert caught.value.field == "recipients"
    with pytest.raises(ValidationError, match="names nobody"):
        sc.messages.broadcast([], "hi")
    assert len(operator.subscriber().mailbox.messages) == sent_before


def test_broadcast_repeated_with_the_same_key_sends_nobody_twice(sc, operator) -> None:
    first = sc.messages.broadcast(
        ["+79161112233", "+79169990000"], "hi", idempotency_key="bcast-0001"
    )
    again = sc.messages.broadcast(
        ["+79161112233", "+79169990000", "+79160000001"], "hi", idempotency_key="bcast-0001"
    )
    assert again.messages[:2] == first.messages
    assert len(operator.subscriber().mailbox.by_id) == 3
