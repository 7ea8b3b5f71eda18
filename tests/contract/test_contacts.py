"""sc.contacts, sc.contacts.lists and sc.messages.broadcast, on every configuration."""

import os
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
from selfcare._client.phonebook_io import MAX_IMPORT_SIZE
from selfcare.model.contacts import ContactDraft
from selfcare.operations import (
    AddContact,
    Capability,
    CreateMailingList,
    ImportContacts,
    UpdateContact,
)
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


def test_importing_the_same_contacts_again_adds_nothing(sc) -> None:
    """An import skips a card whose name (ignoring case) an existing contact has together
    with all its numbers, and a repeat of a card earlier in the same file; it returns what
    it added, and ``skipped`` says how many it left out (issue 15)."""
    first = sc.contacts.import_vcard(VCARD.encode())
    assert (len(first), first.skipped) == (2, 0)
    again = sc.contacts.import_vcard(VCARD.encode())
    assert (list(again), again.skipped) == ([], 2)
    text = "name,phones\nмария иванова,+79167654321\nAnna,+79035550011\nAnna,+79035550011\n"
    mixed = sc.contacts.import_csv(text)  # Maria's number is hers already; Anna twice
    assert ([c.name for c in mixed], mixed.skipped) == (["Anna"], 2)
    other = sc.contacts.import_csv("name,phones\nJohn Smith,+79035550012\n")  # a new number
    assert [c.name for c in other] == ["John Smith"]
    names = sorted(c.name for c in sc.contacts.list())
    assert names == ["Anna", "John Smith", "John Smith", "Мария Иванова"]


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


FORMULAS = [
    '=HYPERLINK("http://evil.example","Mom")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "'=already quoted",
    "'Tis Mom",
]


def test_csv_export_neutralises_formulas_and_imports_back_unchanged(sc) -> None:
    """OWASP's CSV Injection advice: a cell a spreadsheet would run gets a quote in front
    (and is quoted); the importer takes exactly that quote off again."""
    added = [
        sc.contacts.add(
            name,
            f"+7916111223{i}",
            email=f"mom{i}@example.org",
            note="=1+1" if i == 0 else "\tindented\nsecond line",
        )
        for i, name in enumerate(FORMULAS)
    ]
    text = sc.contacts.export_csv()
    assert '"\'=HYPERLINK(""http://evil.example"",""Mom"")"' in text
    assert '"\'@SUM(A1:A2)"' in text and "\"''=already quoted\"" in text
    assert '"\'=1+1"' in text
    assert "\n'Tis Mom," in text.replace("\r\n", "\n")  # not a formula: left alone
    assert ",+79161112230," in text  # a valid number is a number, not a formula
    for contact in added:
        sc.contacts.delete(contact)
    again = sc.contacts.import_csv(text)
    assert sorted((c.draft() for c in again), key=repr) == sorted(
        (c.draft() for c in added), key=repr
    )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": "Mom\x1b]0;pwned\x07"}, "name"),
        ({"name": "Mom\u009b31m"}, "name"),
        ({"email": "mom\x1b@example.org"}, "email"),
        ({"note": "ring twice\x07"}, "note"),
    ],
)
def test_control_characters_are_refused_by_every_backend(sc, kwargs, field) -> None:
    """Names and e-mails are printable text; a note may have line breaks, not ESC or BEL.
    The client refuses them, and so does the backend when a request skips the client."""
    fields = {"name": "Mom", "phones": (PhoneNumber("+79161112233"),), **kwargs}
    with pytest.raises(ValidationError, match="control character") as caught:
        sc.contacts.add(**fields)
    assert caught.value.field == field
    with pytest.raises(ValidationError, match="control character") as caught:
        sc._execute(AddContact(**fields))
    assert caught.value.field == field
    assert "\x1b" not in str(caught.value) and "\x07" not in str(caught.value)
    assert sc.contacts.list().to_list() == []


def test_control_characters_in_lists_and_imports_are_refused(sc) -> None:
    mom = sc.contacts.add("Mom", "+79161112233", note="line one\nline two\tend")
    assert mom.note == "line one\nline two\tend"
    with pytest.raises(ValidationError, match="control character") as caught:
        sc.contacts.update(mom, name="Mom\x1b[2J")
    assert caught.value.field == "name"
    with pytest.raises(ValidationError, match="control character") as caught:
        sc._execute(UpdateContact(id=mom.id, name="Mom\x1b[2J"))
    assert caught.value.field == "name"
    with pytest.raises(ValidationError, match="control character") as caught:
        sc.contacts.lists.create("Family\x07", [mom])
    assert caught.value.field == "name"
    with pytest.raises(ValidationError, match="control character") as caught:
        sc._execute(CreateMailingList(name="Family\x07"))
    assert caught.value.field == "name"
    with pytest.raises(ValidationError, match="row 2") as caught:
        sc.contacts.import_csv("name,phones\nEvil\x1b]0;x\x07,+79031112233\n")
    draft = ContactDraft("Evil\x1b]0;x\x07", (PhoneNumber("+79031112233"),))
    with pytest.raises(ValidationError, match="control character") as caught:
        sc._execute(ImportContacts((draft,)))
    assert caught.value.field == "contacts[0].name"
    assert [c.id for c in sc.contacts.list()] == [mom.id]
    assert sc.contacts.lists.list().to_list() == []


def test_imports_read_only_regular_files_of_a_bounded_size(sc, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="not a regular file") as caught:
        sc.contacts.import_csv(Path(os.devnull))
    assert caught.value.field == "source"
    with pytest.raises(ValidationError, match="not a regular file"):
        sc.contacts.import_vcard(tmp_path)
    huge = tmp_path / "huge.vcf"
    with huge.open("wb") as sparse:
        sparse.truncate(MAX_IMPORT_SIZE + 1)
    with pytest.raises(ValidationError, match="at most") as caught:
        sc.contacts.import_vcard(huge)
    assert caught.value.field == "source"
    with pytest.raises(ValidationError, match="at most") as caught:
        sc.contacts.import_csv(b"name,phones\n" + b" " * MAX_IMPORT_SIZE)
    assert caught.value.field == "source"


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
