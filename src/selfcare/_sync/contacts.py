# Generated from selfcare/_async/contacts.py by scripts/unasync.py. Do not edit.
"""The phonebook kept on the server ("second memory") and the mailing lists built from it."""

from __future__ import annotations

import builtins
import os
from collections.abc import Iterable
from functools import cached_property

from selfcare._sync._area import Area
from selfcare._sync._paging import Pager
from selfcare._client.files import read_file
from selfcare._client.phonebook_io import (
    MAX_IMPORT_SIZE,
    Imported,
    read_csv,
    read_vcard,
    write_csv,
    write_vcard,
)
from selfcare._errors import InvalidPhoneNumber, ValidationError
from selfcare._rules.contacts import (
    check_email,
    check_list_name,
    check_name,
    check_note,
    check_phones,
)
from selfcare.model import PhoneNumber
from selfcare.model.contacts import Contact, ContactDraft, ListMember, MailingList, MemberRef
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

__all__ = ["Contacts", "MailingLists"]

Phones = str | PhoneNumber | Iterable[str | PhoneNumber]
Member = Contact | ListMember | PhoneNumber | str
Source = str | bytes | os.PathLike[str]


class Contacts(Area):
    """``sc.contacts``: the phonebook on the server, vCard/CSV import and export, and
    ``sc.contacts.lists`` for mailing lists."""

    @cached_property
    def lists(self) -> MailingLists:
        """Mailing lists built from contacts and numbers."""
        return MailingLists(self._client)

    def list(self, *, search: str | None = None) -> Pager[Contact]:
        """Every contact by name, lazily like every listing; ``search`` matches part of a name,
        an e-mail or 3+ digits of a number."""
        if search is not None and not isinstance(search, str):
            raise ValidationError(
                f"search must be a str, not {type(search).__name__}", field="search"
            )
        op = ListContacts(search=search or None)
        return Pager(self._client, Contact, lambda ctx: op)

    def get(self, contact: str | Contact) -> Contact:
        """One contact by id."""
        return self._client._execute(GetContact(_id(contact, "contact")))

    def add(
        self,
        name: str,
        phones: Phones,
        *,
        email: str | None = None,
        note: str | None = None,
        idempotency_key: str | None = None,
    ) -> Contact:
        """Store a contact with one to five numbers (as people type them); the first is the
        main one, used for messages."""
        ctx = self._client._context()
        op = AddContact(
            name=check_name(name),
            phones=check_phones(phones, ctx.region),
            email=check_email(email),
            note=check_note(note),
            idempotency_key=idempotency_key,
        )
        return self._client._execute(op)

    def update(
        self,
        contact: str | Contact,
        *,
        name: str | None = None,
        phones: Phones | None = None,
        email: str | None = None,
        note: str | None = None,
        idempotency_key: str | None = None,
    ) -> Contact:
        """Change what is given; ``email=""`` or ``note=""`` clears that field."""
        ctx = self._client._context()
        if email is not None and email != "":
            check_email(email)
        if note is not None:
            check_note(note)
        op = UpdateContact(
            id=_id(contact, "contact"),
            name=None if name is None else check_name(name),
            phones=None if phones is None else check_phones(phones, ctx.region),
            email=email,
            note=note,
            idempotency_key=idempotency_key,
        )
        return self._client._execute(op)

    def delete(self, contact: str | Contact, *, idempotency_key: str | None = None) -> None:
        """Remove a contact; it also leaves every mailing list it was on."""
        op = DeleteContact(_id(contact, "contact"), idempotency_key=idempotency_key)
        self._client._execute(op)

    def import_vcard(self, source: Source, *, idempotency_key: str | None = None) -> Imported:
        """Add every card of vCard data (text, bytes or a ``Path`` to read): all or none.

        A card the phonebook has already (a contact of the same name, ignoring case, with all
        its numbers) is skipped, as is a repeat within the data, so importing the same file
        twice adds nothing the second time. The result lists the contacts added; its
        ``skipped`` says how many cards were left out."""
        ctx = self._client._context()
        drafts = read_vcard(_read(source), ctx.region)
        return self._import(drafts, idempotency_key)

    def import_csv(self, source: Source, *, idempotency_key: str | None = None) -> Imported:
        """Add every row of CSV data (text, bytes or a ``Path``) with ``name`` and ``phones``
        columns: all or none, skipping contacts already there as :meth:`import_vcard` does."""
        ctx = self._client._context()
        drafts = read_csv(_read(source), ctx.region)
        return self._import(drafts, idempotency_key)

    def _import(
        self, drafts: builtins.list[ContactDraft], idempotency_key: str | None
    ) -> Imported:
        if not drafts:
            return Imported((), skipped=0)
        op = ImportContacts(tuple(drafts), idempotency_key=idempotency_key)
        added: tuple[Contact, ...] = self._client._execute(op)
        return Imported(added, skipped=len(drafts) - len(added))

    def export_vcard(self) -> str:
        """Every contact as vCard 3.0 text."""
        return write_vcard(self.list().to_list())

    def export_csv(self) -> str:
        """Every contact as CSV text (``name,phones,email,note``)."""
        return write_csv(self.list().to_list())


class MailingLists(Area):
    """``sc.contacts.lists``: named sets of contacts and numbers to broadcast to."""

    def create(
        self,
        name: str,
        members: Iterable[Member] = (),
        *,
        idempotency_key: str | None = None,
    ) -> MailingList:
        """A new list; members are contacts (they follow the contact's main number) or numbers."""
        refs = self._refs(members)
        op = CreateMailingList(
            name=check_list_name(name), members=refs, idempotency_key=idempotency_key
        )
        return self._client._execute(op)

    def get(self, mailing_list: str | MailingList) -> MailingList:
        """One list with its members."""
        return self._client._execute(GetMailingList(_id(mailing_list, "mailing_list")))

    def list(self) -> Pager[MailingList]:
        """Every list, by name (lazily, like every listing)."""
        return Pager(self._client, MailingList, lambda ctx: ListMailingLists())

    def add_members(
        self,
        mailing_list: str | MailingList,
        members: Iterable[Member],
        *,
        idempotency_key: str | None = None,
    ) -> MailingList:
        """Put contacts or numbers on a list (those already there stay once)."""
        op = AddListMembers(
            _id(mailing_list, "mailing_list"),
            self._refs(members),
            idempotency_key=idempotency_key,
        )
        return self._client._execute(op)

    def remove_members(
        self,
        mailing_list: str | MailingList,
        members: Iterable[Member],
        *,
        idempotency_key: str | None = None,
    ) -> MailingList:
        """Take contacts or numbers off a list; one that is not on it raises NotFound."""
        op = RemoveListMembers(
            _id(mailing_list, "mailing_list"),
            self._refs(members),
            idempotency_key=idempotency_key,
        )
        return self._client._execute(op)

    def delete(
        self, mailing_list: str | MailingList, *, idempotency_key: str | None = None
    ) -> None:
        """Remove a list; its contacts stay in the phonebook."""
        op = DeleteMailingList(_id(mailing_list, "mailing_list"), idempotency_key=idempotency_key)
        self._client._execute(op)

    def _refs(self, members: Iterable[Member]) -> tuple[MemberRef, ...]:
        if isinstance(members, str | PhoneNumber | Contact | ListMember):
            members = [members]
        ctx = self._client._context()
        refs: builtins.list[MemberRef] = []
        for index, member in enumerate(members):
            field = f"members[{index}]"
            if isinstance(member, Contact):
                refs.append(MemberRef(contact_id=member.id))
            elif isinstance(member, ListMember):
                refs.append(member.ref())
            elif isinstance(member, str | PhoneNumber):
                try:
                    refs.append(MemberRef(number=PhoneNumber.parse(member, ctx.region)))
                except InvalidPhoneNumber as exc:
                    raise InvalidPhoneNumber(f"{field}: {exc}", field=field) from None
            else:
                raise ValidationError(
                    f"{field} must be a Contact or a number, not {type(member).__name__}",
                    field=field,
                )
        return tuple(refs)


def _id(value: object, what: str) -> str:
    found = getattr(value, "id", value)
    if not isinstance(found, str) or not found:
        raise ValidationError(f"{what}={value!r} must be an id or a {what} object", field=what)
    return found


def _read(source: Source) -> str | bytes:
    """Text or bytes as given; a path (``pathlib.Path``) is read: a regular file of at most
    :data:`~selfcare._client.phonebook_io.MAX_IMPORT_SIZE` bytes."""
    if isinstance(source, str | bytes):
        if len(source) > MAX_IMPORT_SIZE:
            unit = "bytes" if isinstance(source, bytes) else "characters"
            raise ValidationError(
                f"source has {len(source)} {unit}; an import reads at most {MAX_IMPORT_SIZE} bytes",
                field="source",
            )
        return source
    if isinstance(source, os.PathLike):
        return read_file(source, limit=MAX_IMPORT_SIZE, field="source")
    raise ValidationError(
        f"source must be text, bytes or a path, not {type(source).__name__}", field="source"
    )
