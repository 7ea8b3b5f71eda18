"""The fake operator's store of each subscriber's contacts and mailing lists."""

from __future__ import annotations

from datetime import datetime

import attrs

from selfcare.model import PhoneNumber
from selfcare.model.contacts import Contact, ListMember, MailingList

__all__ = ["ListRecord", "Phonebook"]


@attrs.define(eq=False)
class ListRecord:
    """A mailing list as stored: members are contact ids or bare numbers, in order."""

    id: str
    name: str
    members: list[str | PhoneNumber]
    created_at: datetime
    updated_at: datetime

    def view(self, contacts: dict[str, Contact]) -> MailingList:
        """The list with contact members resolved to their current main number."""
        members = []
        for member in self.members:
            if isinstance(member, PhoneNumber):
                members.append(ListMember(member))
            else:
                contact = contacts[member]
                members.append(ListMember(contact.phone, contact.id, contact.name))
        return MailingList(self.id, self.name, tuple(members), self.created_at, self.updated_at)


@attrs.define
class Phonebook:
    """Contacts by id (in the order added) and mailing lists by id."""

    contacts: dict[str, Contact] = attrs.field(factory=dict)
    lists: dict[str, ListRecord] = attrs.field(factory=dict)
