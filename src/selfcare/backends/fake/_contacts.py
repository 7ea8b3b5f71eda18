"""Fake handlers for the phonebook ("second memory") and mailing lists."""

from __future__ import annotations

import attrs

from selfcare._errors import Conflict, NotFound
from selfcare._rules.contacts import (
    MAX_CONTACTS,
    MAX_LISTS,
    MAX_MEMBERS,
    check_email,
    check_list_name,
    check_name,
    check_name_part,
    check_note,
    check_phones,
)
from selfcare.backends.fake._handlers import Session, handles
from selfcare.backends.fake._phonebook import ListRecord, Phonebook
from selfcare.model import PhoneNumber
from selfcare.model.contacts import Contact, ContactDraft, MailingList, MemberRef
from selfcare.operations import (
    AddContact,
    AddListMembers,
    CreateMailingList,
    DeleteContact,
    DeleteMailingList,
    GetContact,
    GetMailingList,
    ImportContacts,
    ListContacts,
    ListMailingLists,
    RemoveListMembers,
    UpdateContact,
)


def _book(s: Session) -> Phonebook:
    return s.subscriber.phonebook


def _checked(s: Session, draft: ContactDraft, field: str = "") -> ContactDraft:
    region = s.subscriber.account.region
    return ContactDraft(
        name=check_name(draft.name, f"{field}name"),
        phones=check_phones(draft.phones, region, f"{field}phones"),
        email=check_email(draft.email),
        note=check_note(draft.note),
        family_name=check_name_part(draft.family_name, f"{field}family_name"),
        given_name=check_name_part(draft.given_name, f"{field}given_name"),
    )


def _room_for(s: Session, count: int) -> None:
    stored = len(_book(s).contacts)
    if stored + count > MAX_CONTACTS:
        raise Conflict(
            f"the phonebook holds {stored} of {MAX_CONTACTS} contacts; {count} more do not fit",
            field="contacts",
        )


def _store(s: Session, draft: ContactDraft) -> Contact:
    contact = Contact(
        id=s.subscriber.next_id("k"),
        name=draft.name,
        phones=draft.phones,
        created_at=s.now,
        updated_at=s.now,
        email=draft.email,
        note=draft.note,
        family_name=draft.family_name,
        given_name=draft.given_name,
    )
    _book(s).contacts[contact.id] = contact
    return contact


def _contact(s: Session, contact_id: str, field: str = "id") -> Contact:
    contact = _book(s).contacts.get(contact_id)
    if contact is None:
        raise NotFound(f"there is no contact {contact_id!r}", field=field)
    return contact


def _matches(contact: Contact, search: str) -> bool:
    text = search.strip().casefold()
    digits = "".join(c for c in search if c.isdigit())
    return (
        text in contact.name.casefold()
        or (contact.email is not None and text in contact.email.casefold())
        or (len(digits) >= 3 and any(digits in p.e164 for p in contact.phones))
    )


@handles(ListContacts)
def list_contacts(s: Session, op: ListContacts) -> tuple[Contact, ...]:
    found = (c for c in _book(s).contacts.values() if op.search is None or _matches(c, op.search))
    return tuple(sorted(found, key=lambda c: (c.name.casefold(), c.id)))


@handles(GetContact)
def get_contact(s: Session, op: GetContact) -> Contact:
    return _contact(s, op.id)


@handles(AddContact)
def add_contact(s: Session, op: AddContact) -> Contact:
    draft = _checked(s, ContactDraft(op.name, op.phones, op.email, op.note))
    _room_for(s, 1)
    return _store(s, draft)


@handles(ImportContacts)
def import_contacts(s: Session, op: ImportContacts) -> tuple[Contact, ...]:
    """All the new contacts or none; a card already in the phonebook is skipped (see
    :func:`_known`), so importing the same file twice does not double the phonebook."""
    drafts = [_checked(s, d, f"contacts[{i}].") for i, d in enumerate(op.contacts)]
    known: dict[str, list[frozenset[str]]] = {}
    for contact in _book(s).contacts.values():
        known.setdefault(contact.name.casefold(), []).append(_numbers(contact.phones))
    new = []
    for draft in drafts:
        if not _known(known, draft):
            known.setdefault(draft.name.casefold(), []).append(_numbers(draft.phones))
            new.append(draft)
    _room_for(s, len(new))
    return tuple(_store(s, draft) for draft in new)


def _numbers(phones: tuple[PhoneNumber, ...]) -> frozenset[str]:
    return frozenset(phone.e164 for phone in phones)


def _known(known: dict[str, list[frozenset[str]]], draft: ContactDraft) -> bool:
    """Whether a contact of the same name (ignoring case) already has all of ``draft``'s
    numbers: the phonebook, or a card earlier in the same import."""
    numbers = _numbers(draft.phones)
    return any(numbers <= held for held in known.get(draft.name.casefold(), ()))


@handles(UpdateContact)
def update_contact(s: Session, op: UpdateContact) -> Contact:
    contact = _contact(s, op.id)
    if op.name is not None and op.name.strip() != contact.name:
        # a new display name makes the imported structured name stale: drop it
        contact = attrs.evolve(contact, family_name=None, given_name=None)
    draft = _checked(
        s,
        ContactDraft(
            name=contact.name if op.name is None else op.name,
            phones=contact.phones if op.phones is None else op.phones,
            email=contact.email if op.email is None else op.email,
            note=contact.note if op.note is None else op.note,
        ),
    )
    updated = attrs.evolve(
        contact,
        name=draft.name,
        phones=draft.phones,
        email=draft.email,
        note=draft.note,
        updated_at=s.now,
    )
    _book(s).contacts[contact.id] = updated
    return updated


@handles(DeleteContact)
def delete_contact(s: Session, op: DeleteContact) -> Contact:
    book = _book(s)
    contact = _contact(s, op.id)
    del book.contacts[contact.id]
    for record in book.lists.values():
        if contact.id in record.members:
            record.members.remove(contact.id)
            record.updated_at = s.now
    return contact


def _list(s: Session, list_id: str, field: str = "id") -> ListRecord:
    record = _book(s).lists.get(list_id)
    if record is None:
        raise NotFound(f"there is no mailing list {list_id!r}", field=field)
    return record


def _view(s: Session, record: ListRecord) -> MailingList:
    return record.view(_book(s).contacts)


def _key(s: Session, ref: MemberRef, index: int) -> str | PhoneNumber:
    """A member ref as stored: a (checked) contact id or a number."""
    if ref.contact_id is not None:
        return _contact(s, ref.contact_id, f"members[{index}]").id
    assert ref.number is not None
    return ref.number


def _keys(s: Session, members: tuple[MemberRef, ...]) -> list[str | PhoneNumber]:
    """Member refs as stored, each checked, duplicates dropped, order kept."""
    keys: list[str | PhoneNumber] = []
    for index, ref in enumerate(members):
        key = _key(s, ref, index)
        if key not in keys:
            keys.append(key)
    return keys


def _fits(record_name: str, count: int) -> None:
    if count > MAX_MEMBERS:
        raise Conflict(
            f"mailing list {record_name!r} would have {count} members; at most {MAX_MEMBERS}",
            field="members",
        )


@handles(ListMailingLists)
def list_mailing_lists(s: Session, op: ListMailingLists) -> tuple[MailingList, ...]:
    records = sorted(_book(s).lists.values(), key=lambda r: (r.name.casefold(), r.id))
    return tuple(_view(s, record) for record in records)


@handles(GetMailingList)
def get_mailing_list(s: Session, op: GetMailingList) -> MailingList:
    return _view(s, _list(s, op.id))


@handles(CreateMailingList)
def create_mailing_list(s: Session, op: CreateMailingList) -> MailingList:
    book = _book(s)
    name = check_list_name(op.name)
    if any(r.name.casefold() == name.casefold() for r in book.lists.values()):
        raise Conflict(f"a mailing list called {name!r} already exists", field="name")
    if len(book.lists) >= MAX_LISTS:
        raise Conflict(f"there are already {MAX_LISTS} mailing lists, the most allowed")
    keys = _keys(s, op.members)
    _fits(name, len(keys))
    record = ListRecord(s.subscriber.next_id("l"), name, keys, s.now, s.now)
    book.lists[record.id] = record
    return _view(s, record)


@handles(AddListMembers)
def add_list_members(s: Session, op: AddListMembers) -> MailingList:
    record = _list(s, op.list_id, "list_id")
    new = [key for key in _keys(s, op.members) if key not in record.members]
    _fits(record.name, len(record.members) + len(new))
    if new:
        record.members.extend(new)
        record.updated_at = s.now
    return _view(s, record)


@handles(RemoveListMembers)
def remove_list_members(s: Session, op: RemoveListMembers) -> MailingList:
    record = _list(s, op.list_id, "list_id")
    keys = []
    for index, ref in enumerate(op.members):
        key = _key(s, ref, index)
        if key not in record.members:
            shown = key.e164 if isinstance(key, PhoneNumber) else f"contact {key}"
            raise NotFound(
                f"{shown} is not on mailing list {record.name!r}", field=f"members[{index}]"
            )
        keys.append(key)
    record.members = [m for m in record.members if m not in keys]
    record.updated_at = s.now
    return _view(s, record)


@handles(DeleteMailingList)
def delete_mailing_list(s: Session, op: DeleteMailingList) -> MailingList:
    record = _list(s, op.id)
    view = _view(s, record)
    del _book(s).lists[record.id]
    return view
