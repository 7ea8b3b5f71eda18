"""The operator's limits on SMS and MMS and the checks that enforce them.

The client runs these before anything is sent (errors name the bad value); backends run them
again, since requests may come from elsewhere. The limits are the ones selfcare documents in
``docs/messaging.md``; a real operator may set its own.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import PurePath
from typing import Final

from selfcare._errors import InvalidPhoneNumber, ValidationError
from selfcare._rules.encoding import check_encodable
from selfcare._rules.text import check_plain
from selfcare._time import require_aware
from selfcare.model import PhoneNumber
from selfcare.model._enums import coerce_enum
from selfcare.model.messaging import Attachment, MessagePriority
from selfcare.sms import SmsPlan, plan

__all__ = [
    "MAX_RECIPIENTS",
    "MAX_SCHEDULE_AHEAD",
    "MAX_SENDER_LENGTH",
    "MAX_SMS_PARTS",
    "MAX_SUBJECT_LENGTH",
    "MAX_VALIDITY",
    "MIN_VALIDITY",
    "MMS_CONTENT_TYPES",
    "MMS_MAX_SIZE",
    "check_attachments",
    "check_deliver_at",
    "check_delivery_time",
    "check_flag",
    "check_priority",
    "check_recipients",
    "check_sender",
    "check_sms_text",
    "check_subject",
    "check_validity",
    "content_type_of",
    "mms_size",
]

MAX_SMS_PARTS: Final = 10
"""The most parts one SMS may be cut into (many operators allow 6 to 10)."""
MAX_RECIPIENTS: Final = 100
"""The most recipients one message may have; use a broadcast for more."""
MIN_VALIDITY: Final = timedelta(minutes=5)
MAX_VALIDITY: Final = timedelta(days=7)
DEFAULT_VALIDITY: Final = timedelta(days=1)
"""How long the message centre keeps retrying an unreachable phone unless told otherwise."""
MAX_SCHEDULE_AHEAD: Final = timedelta(days=30)
"""How far ahead a message may be scheduled."""
MAX_SENDER_LENGTH: Final = 11
"""An alphanumeric sender is at most 11 characters (3GPP TS 23.040, TP-OA)."""
MAX_SUBJECT_LENGTH: Final = 40
"""MMS subject length, in characters."""
MMS_MAX_SIZE: Final = 300 * 1024
"""Largest MMS in bytes (subject, text and attachments): the OMA "rich" content class."""
MMS_CONTENT_TYPES: Final = frozenset(
    {
        # OMA MMS Conformance Document (MMS CONF 1.3): the core media types.
        "text/plain",
        "text/x-vcard",
        "text/x-vcalendar",
        "application/smil",
        "image/jpeg",
        "image/gif",
        "image/png",
        "image/vnd.wap.wbmp",
        "audio/amr",
        "audio/3gpp",
        "audio/sp-midi",
        "audio/midi",
        "video/3gpp",
        "video/3gpp2",
    }
)
"""The attachment types an MMS may carry."""

_SENDER: Final = re.compile(r"[A-Za-z0-9 ._&-]{1,11}")
_EXTENSIONS: Final = {
    ".amr": "audio/amr",
    ".3gp": "video/3gpp",
    ".3g2": "video/3gpp2",
    ".smil": "application/smil",
    ".smi": "application/smil",
    ".vcf": "text/x-vcard",
    ".vcs": "text/x-vcalendar",
    ".wbmp": "image/vnd.wap.wbmp",
    ".mid": "audio/midi",
    ".midi": "audio/midi",
    ".txt": "text/plain",
}


def check_sms_text(text: object) -> SmsPlan:
    """The segmentation of ``text``: refused when empty or longer than :data:`MAX_SMS_PARTS`."""
    if not isinstance(text, str):
        raise ValidationError(f"text must be a str, not {type(text).__name__}", field="text")
    if not text.strip():
        raise ValidationError(f"text={text!r} is empty; there is nothing to send", field="text")
    check_encodable(text, "text")
    return plan(text, max_parts=MAX_SMS_PARTS)


def check_recipients(to: object, region: str, *, field: str = "to") -> tuple[PhoneNumber, ...]:
    """Numbers as typed (one or many) read in ``region``, duplicates dropped, order kept."""
    numbers = PhoneNumber.parse_many(to, region, field=field)
    if not numbers:
        raise ValidationError(f"{field} names no recipient", field=field)
    if len(numbers) > MAX_RECIPIENTS:
        raise ValidationError(
            f"{field} has {len(numbers)} recipients; one message may have at most "
            f"{MAX_RECIPIENTS} (use broadcast for more)",
            field=field,
        )
    return numbers


def check_sender(sender: object, region: str) -> str | None:
    """An alphanumeric sender name (kept as is) or a number (made E.164); ``None`` is fine."""
    if sender is None:
        return None
    if not isinstance(sender, str | PhoneNumber):
        raise ValidationError(
            f"sender must be a name or a number, not {type(sender).__name__}", field="sender"
        )
    if isinstance(sender, str) and any(c.isalpha() for c in sender):
        if not _SENDER.fullmatch(sender) or sender != sender.strip():
            raise ValidationError(
                f"sender={sender!r} must be 1–{MAX_SENDER_LENGTH} characters of Latin letters, "
                "digits, spaces and . _ & - (or a valid phone number)",
                field="sender",
            )
        return sender
    try:
        return PhoneNumber.parse(sender, region).e164
    except InvalidPhoneNumber as exc:
        raise InvalidPhoneNumber(f"sender: {exc}", field="sender") from None


def check_validity(validity: object) -> timedelta:
    """How long delivery is retried: from :data:`MIN_VALIDITY` to :data:`MAX_VALIDITY`."""
    if validity is None:
        return DEFAULT_VALIDITY
    if not isinstance(validity, timedelta):
        raise ValidationError(f"validity={validity!r} must be a timedelta", field="validity")
    if not MIN_VALIDITY <= validity <= MAX_VALIDITY:
        raise ValidationError(
            f"validity={validity} must be from {MIN_VALIDITY} to {MAX_VALIDITY}",
            field="validity",
        )
    return validity


def check_deliver_at(deliver_at: object) -> datetime | None:
    """An aware datetime (or ``None`` to send now); whether it is ahead needs the operator."""
    if deliver_at is None:
        return None
    if not isinstance(deliver_at, datetime):
        raise ValidationError(
            f"deliver_at={deliver_at!r} must be an aware datetime", field="deliver_at"
        )
    return require_aware(deliver_at, "deliver_at")


def check_delivery_time(deliver_at: datetime | None, now: datetime) -> None:
    """A scheduled time lies ahead of ``now`` and at most :data:`MAX_SCHEDULE_AHEAD` away."""
    if deliver_at is None:
        return
    if deliver_at <= now:
        raise ValidationError(
            f"deliver_at={deliver_at.isoformat()} is not in the future (it is now "
            f"{now.isoformat()})",
            field="deliver_at",
        )
    if deliver_at - now > MAX_SCHEDULE_AHEAD:
        raise ValidationError(
            f"deliver_at={deliver_at.isoformat()} is more than {MAX_SCHEDULE_AHEAD.days} days "
            "ahead",
            field="deliver_at",
        )


def check_priority(priority: object) -> MessagePriority:
    """``"low"``, ``"normal"`` or ``"high"``."""
    return coerce_enum(MessagePriority, priority, "priority")


def check_flag(value: object, field: str) -> bool:
    """A real bool (``1`` or ``"yes"`` are refused: they hide mistakes)."""
    if not isinstance(value, bool):
        raise ValidationError(f"{field}={value!r} must be True or False", field=field)
    return value


def check_subject(subject: object) -> str | None:
    """An MMS subject of at most :data:`MAX_SUBJECT_LENGTH` characters of printable text (no
    control characters, no line breaks), or ``None``."""
    if subject is None:
        return None
    if not isinstance(subject, str):
        raise ValidationError(
            f"subject must be a str, not {type(subject).__name__}", field="subject"
        )
    check_encodable(subject, "subject")
    if len(subject) > MAX_SUBJECT_LENGTH:
        raise ValidationError(
            f"subject={subject!r} has {len(subject)} characters; at most "
            f"{MAX_SUBJECT_LENGTH} are allowed",
            field="subject",
        )
    return check_plain(subject, "subject")


def content_type_of(data: bytes, name: str | None = None) -> str | None:
    """The MIME type of an attachment, from its first bytes or else its file name."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"#!AMR\n"):
        return "audio/amr"
    if data[4:11] == b"ftyp3gp":
        return "video/3gpp"
    if data[4:11] == b"ftyp3g2":
        return "video/3gpp2"
    if data.lstrip()[:5].lower() == b"<smil":
        return "application/smil"
    if name is not None:
        suffix = PurePath(name).suffix.lower()
        return _EXTENSIONS.get(suffix) or mimetypes.guess_type(name)[0]
    return None


def _base_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def mms_size(subject: str | None, text: str | None, attachments: Iterable[Attachment]) -> int:
    """Bytes an MMS takes: subject and text in UTF-8 plus every attachment."""
    size = sum(len(part.encode()) for part in (subject, text) if part)
    return size + sum(a.size for a in attachments)


def check_attachments(
    subject: str | None,
    text: str | None,
    attachments: tuple[Attachment, ...],
    max_size: int = MMS_MAX_SIZE,
) -> None:
    """An MMS carries something, only types from :data:`MMS_CONTENT_TYPES`, within ``max_size``."""
    if text is not None and not isinstance(text, str):
        raise ValidationError(f"text must be a str, not {type(text).__name__}", field="text")
    if text is not None:
        check_encodable(text, "text")
    if not text and not attachments:
        raise ValidationError("an MMS needs text or at least one attachment", field="attachments")
    for index, attachment in enumerate(attachments):
        if _base_type(attachment.content_type) not in MMS_CONTENT_TYPES:
            raise ValidationError(
                f"attachments[{index}] ({attachment!r}) has type "
                f"{attachment.content_type!r}, which MMS does not carry; allowed: "
                + ", ".join(sorted(MMS_CONTENT_TYPES)),
                field=f"attachments[{index}]",
            )
        if isinstance(attachment.name, str):
            check_plain(attachment.name, f"attachments[{index}]")
        if not attachment.data:
            raise ValidationError(
                f"attachments[{index}] ({attachment!r}) is empty", field=f"attachments[{index}]"
            )
    size = mms_size(subject, text, attachments)
    if size > max_size:
        raise ValidationError(
            f"the MMS is {size} bytes; at most {max_size} bytes ({max_size // 1024} KB) "
            "are allowed",
            field="attachments",
            size=size,
            max_size=max_size,
        )
