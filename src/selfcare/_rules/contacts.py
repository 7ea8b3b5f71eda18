"""The phonebook's limits and the checks that enforce them (run by the client and the fake)."""

from __future__ import annotations

import re
from typing import Final

from selfcare._errors import ValidationError
from selfcare._rules.encoding import check_encodable
from selfcare._rules.text import LAYOUT, check_plain
from selfcare.model import PhoneNumber

__all__ = [
    "MAX_CONTACTS",
    "MAX_LISTS",
    "MAX_LIST_NAME",
    "MAX_MEMBERS",
    "MAX_NAME",
    "MAX_NOTE",
    "MAX_PHONES",
    "check_email",
    "check_list_name",
    "check_name",
    "check_name_part",
    "check_note",
    "check_phones",
]

MAX_CONTACTS: Final = 1000
"""Contacts one subscriber's phonebook holds."""
MAX_PHONES: Final = 5
"""Numbers per contact."""
MAX_NAME: Final = 100
MAX_NOTE: Final = 500
MAX_LISTS: Final = 20
"""Mailing lists per subscriber."""
MAX_MEMBERS: Final = 500
"""Members per mailing list."""
MAX_LIST_NAME: Final = 50

_EMAIL: Final = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def check_name(name: object, field: str = "name", limit: int = MAX_NAME) -> str:
    """A display name: not blank, at most ``limit`` characters, one line of printable text
    (no control characters: they could only be a mistake or an attack on a terminal); trimmed.
    """
    if not isinstance(name, str):
        raise ValidationError(f"{field} must be a str, not {type(name).__name__}", field=field)
    trimmed = check_encodable(name, field).strip()
    if not trimmed:
        raise ValidationError(f"{field}={name!r} is blank", field=field)
    if len(trimmed) > limit or "\n" in trimmed or "\r" in trimmed:
        raise ValidationError(
            f"{field}={name!r} must be one line of at most {limit} characters", field=field
        )
    return check_plain(trimmed, field)


def check_name_part(part: object, field: str) -> str | None:
    """A part of a structured name (family or given): one trimmed line of at most
    :data:`MAX_NAME` characters; ``None`` or blank mean none."""
    if part is None or (isinstance(part, str) and not part.strip()):
        return None
    return check_name(part, field)


def check_list_name(name: object) -> str:
    """A mailing list's name: 1–50 characters on one line."""
    return check_name(name, "name", MAX_LIST_NAME)


def check_email(email: object) -> str | None:
    """An address like ``name@example.org`` (printable text); ``None`` or ``""`` mean none."""
    if email is None or email == "":
        return None
    if isinstance(email, str):
        check_encodable(email, "email")
    if isinstance(email, str) and len(email) <= 254:
        check_plain(email, "email")
    if not isinstance(email, str) or len(email) > 254 or not _EMAIL.fullmatch(email.strip()):
        raise ValidationError(f"email={email!r} is not an e-mail address", field="email")
    return email.strip()


def check_note(note: object) -> str | None:
    """Free text of at most 500 characters (tabs and line breaks, but no other control
    characters); ``None`` or ``""`` mean none."""
    if note is None or note == "":
        return None
    if not isinstance(note, str):
        raise ValidationError(f"note must be a str, not {type(note).__name__}", field="note")
    check_encodable(note, "note")
    if len(note) > MAX_NOTE:
        raise ValidationError(
            f"note has {len(note)} characters; at most {MAX_NOTE} are allowed", field="note"
        )
    return check_plain(note, "note", LAYOUT)


def check_phones(phones: object, region: str, field: str = "phones") -> tuple[PhoneNumber, ...]:
    """One to five numbers as typed, read in ``region``; duplicates dropped, order kept."""
    found = PhoneNumber.parse_many(phones, region, field=field)
    if not 1 <= len(found) <= MAX_PHONES:
        raise ValidationError(
            f"{field} has {len(found)} numbers; a contact has 1 to {MAX_PHONES}", field=field
        )
    return found
