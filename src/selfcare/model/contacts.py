"""The phonebook kept on the operator's server ("second memory") and mailing lists built on it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs

from selfcare._errors import ValidationError
from selfcare._time import aware_validator
from selfcare.model._repr import compact_repr
from selfcare.model.phone import PhoneNumber

__all__ = ["Contact", "ContactDraft", "ListMember", "MailingList", "MemberRef"]


@attrs.frozen(repr=False)
class ContactDraft:
    """A contact before the server stores it (what ``add`` and the importers send).

    ``family_name`` and ``given_name`` are the structured name a vCard's ``N`` carries
    (``N:K;Anna;;;``), kept so an export gives it back; ``name`` is what people see.
    """

    __repr__ = compact_repr

    name: str
    phones: tuple[PhoneNumber, ...]
    email: str | None = None
    note: str | None = None
    family_name: str | None = None
    given_name: str | None = None


@attrs.frozen(repr=False)
class Contact:
    """A phonebook entry: a name and one or more numbers (the first is the main one)."""

    __repr__ = compact_repr

    id: str
    name: str
    phones: tuple[PhoneNumber, ...]
    created_at: datetime = attrs.field(validator=aware_validator)
    updated_at: datetime = attrs.field(validator=aware_validator)
    email: str | None = None
    note: str | None = None
    family_name: str | None = None
    """The family name of a structured name (a vCard's ``N``), when one was imported."""
    given_name: str | None = None
    """The given name of a structured name, when one was imported."""

    @property
    def phone(self) -> PhoneNumber:
        """The main number: the one messages to this contact go to."""
        return self.phones[0]

    def draft(self) -> ContactDraft:
        """This contact's data without its id and times (to copy it elsewhere)."""
        return ContactDraft(
            self.name, self.phones, self.email, self.note, self.family_name, self.given_name
        )


def _one_of(instance: MemberRef, attribute: Any, value: Any) -> None:
    if (instance.contact_id is None) == (instance.number is None):
        raise ValidationError(
            "a mailing list member is either a contact id or a number, not "
            f"{'both' if instance.contact_id else 'neither'}",
            field="members",
        )


@attrs.frozen(repr=False)
class MemberRef:
    """Who to put on (or take off) a mailing list: a contact by id, or a bare number."""

    __repr__ = compact_repr

    contact_id: str | None = None
    number: PhoneNumber | None = attrs.field(default=None, validator=_one_of)


@attrs.frozen(repr=False)
class ListMember:
    """A member of a mailing list; a contact's member follows the contact's main number."""

    __repr__ = compact_repr

    number: PhoneNumber
    contact_id: str | None = None
    name: str | None = None

    def ref(self) -> MemberRef:
        """How to name this member in ``add_members`` / ``remove_members``."""
        if self.contact_id is not None:
            return MemberRef(contact_id=self.contact_id)
        return MemberRef(number=self.number)


@attrs.frozen(repr=False)
class MailingList:
    """A named set of recipients for :meth:`broadcast <selfcare.Selfcare.messages>`."""

    __repr__ = compact_repr

    id: str
    name: str
    members: tuple[ListMember, ...]
    created_at: datetime = attrs.field(validator=aware_validator)
    updated_at: datetime = attrs.field(validator=aware_validator)

    @property
    def numbers(self) -> tuple[PhoneNumber, ...]:
        """The members' numbers, in the order they were added."""
        return tuple(m.number for m in self.members)

    def __len__(self) -> int:
        return len(self.members)
