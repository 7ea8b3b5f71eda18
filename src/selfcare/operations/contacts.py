"""Operations on the server-side phonebook and the mailing lists built from it."""

from __future__ import annotations

import attrs

from selfcare.model import PhoneNumber
from selfcare.model.contacts import Contact, ContactDraft, MailingList, MemberRef
from selfcare.operations._base import Capability, MutatingOperation, Operation

__all__ = [
    "AddContact",
    "AddListMembers",
    "CreateMailingList",
    "DeleteContact",
    "DeleteMailingList",
    "GetContact",
    "GetMailingList",
    "ImportContacts",
    "ListContacts",
    "ListMailingLists",
    "RemoveListMembers",
    "UpdateContact",
]


@attrs.frozen
class ListContacts(Operation[tuple[Contact, ...]]):
    """Every contact, by name; ``search`` keeps those whose name, number or e-mail match."""

    result = tuple[Contact, ...]
    capability = Capability.CONTACTS

    search: str | None = None


@attrs.frozen
class GetContact(Operation[Contact]):
    """One contact."""

    result = Contact
    capability = Capability.CONTACTS

    id: str


@attrs.frozen
class AddContact(MutatingOperation[Contact]):
    """Store a new contact."""

    result = Contact
    capability = Capability.CONTACTS

    name: str
    phones: tuple[PhoneNumber, ...]
    email: str | None = None
    note: str | None = None


@attrs.frozen
class UpdateContact(MutatingOperation[Contact]):
    """Change a contact; ``None`` leaves a field as it is, ``""`` clears ``email``/``note``."""

    result = Contact
    capability = Capability.CONTACTS

    id: str
    name: str | None = None
    phones: tuple[PhoneNumber, ...] | None = None
    email: str | None = None
    note: str | None = None


@attrs.frozen
class DeleteContact(MutatingOperation[Contact]):
    """Remove a contact (and its memberships of mailing lists); returns what was removed."""

    result = Contact
    capability = Capability.CONTACTS

    id: str


@attrs.frozen
class ImportContacts(MutatingOperation[tuple[Contact, ...]]):
    """Store many contacts at once: all of them, or none if any is refused."""

    result = tuple[Contact, ...]
    capability = Capability.CONTACTS

    contacts: tuple[ContactDraft, ...]


@attrs.frozen
class ListMailingLists(Operation[tuple[MailingList, ...]]):
    """Every mailing list, by name."""

    result = tuple[MailingList, ...]
    capability = Capability.CONTACTS


@attrs.frozen
class GetMailingList(Operation[MailingList]):
    """One mailing list with its members."""

    result = MailingList
    capability = Capability.CONTACTS

    id: str


@attrs.frozen
class CreateMailingList(MutatingOperation[MailingList]):
    """A new mailing list of contacts and numbers (names are unique, case aside)."""

    result = MailingList
    capability = Capability.CONTACTS

    name: str
    members: tuple[MemberRef, ...] = ()


@attrs.frozen
class AddListMembers(MutatingOperation[MailingList]):
    """Put contacts or numbers on a list; those already on it stay once."""

    result = MailingList
    capability = Capability.CONTACTS

    list_id: str
    members: tuple[MemberRef, ...]


@attrs.frozen
class RemoveListMembers(MutatingOperation[MailingList]):
    """Take contacts or numbers off a list; naming one that is not on it is an error."""

    result = MailingList
    capability = Capability.CONTACTS

    list_id: str
    members: tuple[MemberRef, ...]


@attrs.frozen
class DeleteMailingList(MutatingOperation[MailingList]):
    """Remove a mailing list (its contacts stay in the phonebook); returns what was removed."""

    result = MailingList
    capability = Capability.CONTACTS

    id: str
