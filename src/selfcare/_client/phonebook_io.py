"""Contacts to and from vCard 3.0 (RFC 2426) and CSV, without I/O.

vCard reading and writing (escaping, line folding at 75 octets, parameters) is done by
``vobject``; this module maps cards to :class:`~selfcare.model.contacts.ContactDraft` and back.
Numbers are read in the account's region; anything unreadable is refused with an error naming
the card or row, before anything is imported.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any, Final

from selfcare._errors import ValidationError
from selfcare._rules.contacts import (
    check_email,
    check_name,
    check_name_part,
    check_note,
    check_phones,
)
from selfcare._rules.text import csv_row, csv_uncell
from selfcare.model.contacts import Contact, ContactDraft

__all__ = ["CSV_COLUMNS", "Imported", "read_csv", "read_vcard", "write_csv", "write_vcard"]

MAX_IMPORT_SIZE: Final = 5 * 1024 * 1024
"""Largest vCard or CSV file (or text) an import reads: 1000 full contacts fit easily."""

CSV_COLUMNS = ("name", "phones", "email", "note")
"""The columns :func:`write_csv` writes; several phones share a cell, separated by ``;``."""


class Imported(list[Contact]):
    """What an import added (a list of the new contacts) and, in :attr:`skipped`, how many
    contacts it left out because the phonebook had them already (or the data repeated them)."""

    def __init__(self, added: Iterable[Contact] = (), *, skipped: int = 0) -> None:
        super().__init__(added)
        self.skipped = skipped
        """Contacts not added: the same name (ignoring case) with numbers already on it."""

    def __repr__(self) -> str:
        return f"Imported({list.__repr__(self)}, skipped={self.skipped})"


def _text(data: str | bytes, what: str) -> str:
    if isinstance(data, bytes):
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError(f"the {what} is not UTF-8 text: {exc}", field="data") from None
    if not isinstance(data, str):
        raise ValidationError(
            f"the {what} must be str or bytes, not {type(data).__name__}", field="data"
        )
    return data


def _draft(
    where: str,
    name: Any,
    phones: Any,
    email: Any,
    note: Any,
    region: str,
    structured: tuple[str | None, str | None] = (None, None),
) -> ContactDraft:
    try:
        return ContactDraft(
            name=check_name(name),
            phones=check_phones(phones, region),
            email=check_email(email),
            note=check_note(note),
            family_name=check_name_part(structured[0], "family_name"),
            given_name=check_name_part(structured[1], "given_name"),
        )
    except ValidationError as exc:
        raise type(exc)(f"{where}: {exc}", field=where) from None


def read_vcard(data: str | bytes, region: str) -> list[ContactDraft]:
    """Every card of a vCard file (2.1, 3.0 or 4.0 are read; FN, TEL, EMAIL and NOTE kept)."""
    import vobject  # only vCard import and export need it: it is not loaded with selfcare

    text = _text(data, "vCard data")
    drafts: list[ContactDraft] = []
    try:
        cards = list(vobject.readComponents(text, ignoreUnreadable=False))
    except Exception as exc:  # vobject raises its own ParseError and assorted ValueErrors
        raise ValidationError(f"the vCard data cannot be read: {exc}", field="data") from None
    for index, card in enumerate(cards):
        where = f"vcard[{index}]"
        if card.name != "VCARD":
            raise ValidationError(f"{where} is a {card.name}, not a VCARD", field=where)
        name = _value(card, "fn")
        structured: tuple[str | None, str | None] = (None, None)
        if "n" in card.contents:
            parts = card.n.value
            structured = (_part(parts.family), _part(parts.given))
            if not name:
                name = " ".join(
                    p
                    for p in (
                        parts.prefix,
                        parts.given,
                        parts.additional,
                        parts.family,
                        parts.suffix,
                    )
                    if p
                )
            if structured == (None, name):
                structured = (None, None)  # N:;<FN>;;; is what a contact without parts exports
        phones = [tel.value for tel in card.contents.get("tel", [])]
        drafts.append(
            _draft(
                where,
                name,
                phones,
                _value(card, "email"),
                _value(card, "note"),
                region,
                structured,
            )
        )
    return drafts


def _part(value: Any) -> str | None:
    """One component of a vCard ``N`` (vobject gives a list when it held several)."""
    if isinstance(value, list | tuple):
        value = " ".join(str(v) for v in value if v)
    return str(value) if value else None


def _value(card: Any, key: str) -> str | None:
    lines = card.contents.get(key)
    if not lines:
        return None
    value = lines[0].value
    return value if isinstance(value, str) else str(value)


def write_vcard(contacts: Iterable[Contact | ContactDraft]) -> str:
    """vCard 3.0 text, one card per contact (CRLF line ends, long lines folded)."""
    import vobject

    out: list[str] = []
    for contact in contacts:
        card = vobject.vCard()
        card.add("fn").value = contact.name
        if contact.family_name or contact.given_name:
            card.add("n").value = vobject.vcard.Name(
                family=contact.family_name or "", given=contact.given_name or ""
            )
        else:
            card.add("n").value = vobject.vcard.Name(given=contact.name)
        for number in contact.phones:
            tel = card.add("tel")
            tel.value = number.e164
            tel.type_param = "CELL"
        if contact.email:
            email = card.add("email")
            email.value = contact.email
            email.type_param = "INTERNET"
        if contact.note:
            card.add("note").value = contact.note
        out.append(_fold(card.serialize()))
    return "".join(out)


def _fold(text: str) -> str:
    """Fold lines at 75 octets (RFC 2426 2.6): vobject counts characters, so a line of
    Cyrillic may come out twice as long in UTF-8; unfold it and fold it again by octets."""
    lines = text.replace("\r\n ", "").split("\r\n")
    out: list[str] = []
    for line in lines:
        chunk, size = "", 0
        for char in line:
            width = len(char.encode())
            if size + width > 75:
                out.append(chunk)
                chunk, size = " ", 1
            chunk += char
            size += width
        out.append(chunk)
    return "\r\n".join(out)


def read_csv(data: str | bytes, region: str) -> list[ContactDraft]:
    """Rows of a CSV file with a header naming at least ``name`` and ``phones`` (or ``phone``).

    Column names are matched case aside; ``email`` and ``note`` are optional; several numbers in
    one cell are separated by ``;`` or ``,``. The ``'`` :func:`write_csv` puts before a cell that
    looks like a formula is taken off (``'=1`` reads as ``=1``; ``'Tis`` stays as it is).
    """
    text = _text(data, "CSV data")
    reader = csv.DictReader(io.StringIO(text))
    columns = {(c or "").strip().casefold(): c for c in reader.fieldnames or ()}
    phone_column = columns.get("phones") or columns.get("phone")
    if "name" not in columns or phone_column is None:
        raise ValidationError(
            f"the CSV header {list(columns)} must name the columns 'name' and 'phones'",
            field="data",
        )
    drafts: list[ContactDraft] = []
    try:
        for row in reader:
            where = f"row {reader.line_num}"
            cells = {key: csv_uncell(row.get(column) or "") for key, column in columns.items()}
            phones = [
                p
                for p in cells[phone_column.strip().casefold()].replace(",", ";").split(";")
                if p.strip()
            ]
            drafts.append(
                _draft(
                    where,
                    cells["name"],
                    phones,
                    cells.get("email", "").strip(),
                    cells.get("note"),
                    region,
                )
            )
    except csv.Error as exc:
        raise ValidationError(f"the CSV data cannot be read: {exc}", field="data") from None
    return drafts


def write_csv(contacts: Iterable[Contact | ContactDraft]) -> str:
    """CSV text with a header of :data:`CSV_COLUMNS`; numbers in E.164, joined by ``;``.

    A cell a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab or carriage
    return first) gets a ``'`` in front and is quoted (see :func:`selfcare._rules.text.csv_cell`);
    the numbers are left as they are. :func:`read_csv` takes that quote off again.
    """
    out = [csv_row(list(CSV_COLUMNS))]
    for contact in contacts:
        out.append(
            csv_row(
                [
                    contact.name,
                    ";".join(p.e164 for p in contact.phones),
                    contact.email or "",
                    contact.note or "",
                ]
            )
        )
    return "".join(out)
