"""SMS and MMS: send now or later, follow delivery, cancel, and broadcast to many."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import attrs

from selfcare._async._area import AsyncArea
from selfcare._async._io import map_bounded, sleep
from selfcare._async._paging import AsyncPager
from selfcare._client.context import Context
from selfcare._client.files import read_file
from selfcare._client.paging import check_chosen_page_size
from selfcare._errors import (
    APIError,
    AuthenticationError,
    InvalidPhoneNumber,
    SelfcareError,
    ValidationError,
    WaitTimeout,
)
from selfcare._rules.messaging import (
    MAX_SMS_PARTS,
    MMS_MAX_SIZE,
    check_attachments,
    check_deliver_at,
    check_flag,
    check_priority,
    check_recipients,
    check_sender,
    check_sms_text,
    check_subject,
    check_validity,
    content_type_of,
)
from selfcare._time import When, check_when
from selfcare.model import Money, PhoneNumber
from selfcare.model._enums import coerce_enum
from selfcare.model.contacts import Contact, ListMember, MailingList
from selfcare.model.messaging import (
    Attachment,
    Broadcast,
    Message,
    MessagePriority,
    MessageStatus,
    RecipientResult,
    RecipientStatus,
)
from selfcare.model.services import ServiceKind
from selfcare.operations import (
    CancelMessage,
    GetMessage,
    GetServiceCatalog,
    ListConnectedServices,
    ListMailingLists,
    ListMessages,
    SendMms,
    SendSms,
)
from selfcare.sms import SmsPlan, plan

__all__ = ["AsyncMessages"]

Recipients = str | PhoneNumber | Iterable[str | PhoneNumber]
AttachmentLike = Attachment | bytes | os.PathLike[str]
"""What ``send_mms`` attaches; a ``str`` is refused (a file name or content? say which)."""
DEFAULT_CONCURRENCY = 8


class AsyncMessages(AsyncArea):
    """``sc.messages``: send SMS and MMS, follow their delivery reports, broadcast."""

    async def send_sms(
        self,
        to: Recipients,
        text: str,
        *,
        sender: str | PhoneNumber | None = None,
        deliver_at: datetime | None = None,
        validity: timedelta | None = None,
        delivery_report: bool = True,
        flash: bool = False,
        priority: MessagePriority | str = MessagePriority.NORMAL,
        idempotency_key: str | None = None,
    ) -> Message:
        """Send ``text`` to one number or several (one :class:`Message`, a delivery each).

        ``deliver_at`` (aware) schedules it; ``validity`` (5 min–7 days, 1 day by default)
        is how long an unreachable phone is retried; ``flash`` shows it on screen without
        storing it. Everything is checked before anything is sent: numbers (read in the
        account's region), the sender (a name of up to 11 Latin letters and digits, or a
        number), and the text (not empty, at most 10 parts; see :func:`selfcare.sms.plan`).
        """
        template = await self._sms_template(
            text, sender, deliver_at, validity, delivery_report, flash, priority, idempotency_key
        )
        ctx = await self._client._context()
        op = attrs.evolve(template, to=check_recipients(to, ctx.region))
        return await self._client._execute(op)

    async def preview(self, text: str) -> SmsPlan:
        """How ``text`` will be cut into SMS parts, priced at the tariff plan's SMS price.

        The text is checked first, without I/O (a ``str`` needing at most 10 parts, as for
        :meth:`send_sms`); then ``cost`` is :meth:`sms_price` times the parts, for one
        recipient. Parts still within the tariff's allowance are free when sent, so this is
        the most a copy will cost. ``cost`` is ``None`` when the operator publishes no SMS
        price. Use :func:`selfcare.sms.plan` for a preview without a connection.
        """
        planned = plan(text, max_parts=MAX_SMS_PARTS)
        price = await self.sms_price()
        return planned if price is None else attrs.evolve(planned, cost=price * planned.count)

    async def sms_price(self) -> Money | None:
        """The price of one SMS part on the line's tariff plan (its
        :attr:`~selfcare.model.services.Service.sms_price` in the catalogue), or ``None`` when
        the operator publishes none."""
        connected = await self._client._execute(ListConnectedServices())
        tariff = next((s.code for s in connected if s.kind is ServiceKind.TARIFF), None)
        catalog = await self._client._execute(GetServiceCatalog(kind=ServiceKind.TARIFF))
        return next((s.sms_price for s in catalog if s.code == tariff), None)

    async def _sms_template(
        self,
        text: Any,
        sender: Any,
        deliver_at: Any,
        validity: Any,
        delivery_report: Any,
        flash: Any,
        priority: Any,
        idempotency_key: str | None,
    ) -> SendSms:
        """A checked SendSms for no recipient yet (the callers fill ``to`` in)."""
        check_sms_text(text)
        when = check_deliver_at(deliver_at)
        valid = check_validity(validity)
        report = check_flag(delivery_report, "delivery_report")
        flashing = check_flag(flash, "flash")
        if flashing and when is not None:
            raise ValidationError("a flash SMS cannot be scheduled", field="deliver_at")
        urgency = check_priority(priority)
        ctx = await self._client._context()
        return SendSms(
            to=(),
            text=text,
            sender=check_sender(sender, ctx.region),
            deliver_at=when,
            validity=valid,
            delivery_report=report,
            flash=flashing,
            priority=urgency,
            idempotency_key=idempotency_key,
        )

    async def send_mms(
        self,
        to: Recipients,
        *,
        subject: str | None = None,
        text: str | None = None,
        attachments: Iterable[AttachmentLike] = (),
        sender: str | PhoneNumber | None = None,
        deliver_at: datetime | None = None,
        validity: timedelta | None = None,
        delivery_report: bool = True,
        priority: MessagePriority | str = MessagePriority.NORMAL,
        max_size: int = MMS_MAX_SIZE,
        idempotency_key: str | None = None,
    ) -> Message:
        """Send an MMS: a subject (≤ 40 characters), text and attachments.

        Attachments are :class:`~selfcare.model.messaging.Attachment` objects, bytes (the type
        is recognised from their first bytes) or ``pathlib.Path`` objects (read here, typed by
        content or file name). A ``str`` is refused: say whether it is a file
        (``Path(name)``) or content (``text.encode()``). Only regular files are read, and one
        larger than ``max_size`` is refused before it is read. Only OMA MMS types are accepted
        (JPEG, GIF, PNG, AMR, 3GPP video, text, SMIL…) and the whole message must fit
        ``max_size`` bytes (300 KB, the operator's limit).
        """
        if isinstance(max_size, bool) or not isinstance(max_size, int) or max_size <= 0:
            raise ValidationError(f"max_size={max_size!r} must be a positive int", field="max_size")
        title = check_subject(subject)
        parts = _attachments(attachments, max_size)
        check_attachments(title, text, parts, max_size)
        when = check_deliver_at(deliver_at)
        valid = check_validity(validity)
        report = check_flag(delivery_report, "delivery_report")
        urgency = check_priority(priority)
        ctx = await self._client._context()
        op = SendMms(
            to=check_recipients(to, ctx.region),
            subject=title,
            text=text,
            attachments=parts,
            sender=check_sender(sender, ctx.region),
            deliver_at=when,
            validity=valid,
            delivery_report=report,
            priority=urgency,
            idempotency_key=idempotency_key,
        )
        return await self._client._execute(op)

    async def get(self, message: str | Message) -> Message:
        """A message as it stands now, with a delivery report per recipient."""
        return await self._client._execute(GetMessage(_message_id(message)))

    def list(
        self,
        *,
        since: When | None = None,
        until: When | None = None,
        status: MessageStatus | str | None = None,
        page_size: int | None = None,
    ) -> AsyncPager[Message]:
        """Messages sent, newest first, fetched lazily; ``status`` keeps only those in it."""
        start, end = check_when(since, "since"), check_when(until, "until")
        wanted = None if status is None else coerce_enum(MessageStatus, status, "status")
        check_chosen_page_size(page_size)

        def build(ctx: Context) -> ListMessages:
            return ListMessages(since=ctx.since(start), until=ctx.until(end), status=wanted)

        return AsyncPager(self._client, Message, build, page_size=page_size)

    async def cancel(
        self, message: str | Message, *, idempotency_key: str | None = None
    ) -> Message:
        """Cancel a scheduled message and get its charge back.

        A message that is no longer scheduled raises :class:`~selfcare.Conflict` naming its
        state.
        """
        op = CancelMessage(_message_id(message), idempotency_key=idempotency_key)
        return await self._client._execute(op)

    async def wait(
        self,
        message: str | Message,
        *,
        timeout: float = 60.0,
        poll_interval: float = 1.0,
    ) -> Message:
        """Poll until the message reaches a final state, and return it.

        ``timeout`` and ``poll_interval`` are seconds of real time. Raises
        :class:`~selfcare.WaitTimeout` (a ``TimeoutError``) naming the state it is still in.
        A scheduled message waits for its time too.
        """
        for name, value in (("timeout", timeout), ("poll_interval", poll_interval)):
            if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                raise ValidationError(f"{name}={value!r} must be a positive number", field=name)
        message_id = _message_id(message)
        deadline = time.monotonic() + timeout
        while True:
            current = await self.get(message_id)
            if current.is_final:
                return current
            left = deadline - time.monotonic()
            if left <= 0:
                raise WaitTimeout(
                    f"message {message_id} is still {current.status.value} after {timeout} s",
                    message_id=message_id,
                    status=current.status.value,
                )
            await sleep(min(poll_interval, left))

    async def broadcast(
        self,
        recipients: MailingList | str | Iterable[str | PhoneNumber | Contact],
        text: str,
        *,
        sender: str | PhoneNumber | None = None,
        deliver_at: datetime | None = None,
        validity: timedelta | None = None,
        delivery_report: bool = True,
        flash: bool = False,
        priority: MessagePriority | str = MessagePriority.NORMAL,
        concurrency: int = DEFAULT_CONCURRENCY,
        idempotency_key: str | None = None,
    ) -> Broadcast:
        """Send ``text`` to each recipient separately and report on each.

        ``recipients`` is a mailing list (or its name, alone: ``broadcast("Family", ...)``;
        a name no list has is refused, never read as a number) or any mix of numbers and
        contacts; repeated numbers get one message. A number that cannot be read, or that the
        operator refuses, is reported as rejected with the reason and never stops the rest; no
        recipients at all is a :class:`~selfcare.ValidationError`, before anything is sent. The
        async client keeps
        at most ``concurrency`` sends in flight; the sync one sends one at a time. Each
        recipient's send has its own idempotency key derived from ``idempotency_key``, so
        repeating a broadcast with the same key after a failure sends nobody twice.
        """
        if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
            raise ValidationError(
                f"concurrency={concurrency!r} must be a positive int", field="concurrency"
            )
        template = await self._sms_template(
            text, sender, deliver_at, validity, delivery_report, flash, priority, idempotency_key
        )
        key = template.idempotency_key
        ctx = await self._client._context()
        if isinstance(recipients, str) and any(c.isalpha() for c in recipients):
            recipients = await self._list_named(recipients)

        async def send_one(entry: _Entry) -> RecipientResult:
            label, number, reason = entry
            if number is None:
                return RecipientResult(label, RecipientStatus.REJECTED, reason=reason)
            op = attrs.evolve(template, to=(number,), idempotency_key=_derived_key(key, number))
            try:
                message = await self._client._execute(op)
            except (AuthenticationError, APIError):
                raise  # not about this recipient: repeat the broadcast with the same key
            except SelfcareError as exc:
                return RecipientResult(
                    label, RecipientStatus.REJECTED, number=number, reason=str(exc)
                )
            return RecipientResult(label, RecipientStatus.SENT, number=number, message=message)

        entries = _entries(recipients, ctx.region)
        return Broadcast(tuple(await map_bounded(send_one, entries, limit=concurrency)))

    async def _list_named(self, name: str) -> MailingList:
        """The mailing list called ``name`` (case aside), or a ValidationError naming the
        lists there are: text with letters is a list's name, never a (vanity) number."""
        lists = await self._client._execute(ListMailingLists())
        wanted = name.strip().casefold()
        for found in lists:
            if found.name.casefold() == wanted:
                return found
        known = ", ".join(repr(found.name) for found in lists) or "none"
        raise ValidationError(
            f"recipients={name!r} is neither a phone number nor the name of a mailing list "
            f"(the lists are: {known}); nothing was sent",
            field="recipients",
        )


_Entry = tuple[str, PhoneNumber | None, str | None]


def _entries(recipients: object, region: str) -> list[_Entry]:
    """Each recipient once: a label as given, its number, or why it has none."""
    items: Iterable[object]
    if isinstance(recipients, MailingList):
        items = recipients.members
    elif isinstance(recipients, str | PhoneNumber | Contact):
        items = [recipients]
    elif isinstance(recipients, Iterable):
        items = recipients
    else:
        raise ValidationError(
            "recipients must be a MailingList or numbers and contacts, not "
            f"{type(recipients).__name__}",
            field="recipients",
        )
    seen: set[str] = set()
    entries: list[_Entry] = []
    for item in items:
        label, number, reason = _entry(item, region)
        identity = number.e164 if number is not None else f"invalid:{label}"
        if identity not in seen:
            seen.add(identity)
            entries.append((label, number, reason))
    if not entries:
        shown = (
            f"mailing list {recipients.name!r} has no members"
            if isinstance(recipients, MailingList)
            else "recipients names nobody"
        )
        raise ValidationError(f"{shown}; there is no one to send to", field="recipients")
    return entries


def _entry(item: object, region: str) -> _Entry:
    if isinstance(item, ListMember):
        label = item.number.e164 if item.name is None else f"{item.name} ({item.number.e164})"
        return label, item.number, None
    if isinstance(item, Contact):
        return f"{item.name} ({item.phone.e164})", item.phone, None
    if isinstance(item, PhoneNumber):
        return item.e164, item, None
    if isinstance(item, str):
        try:
            return item, PhoneNumber.parse(item, region), None
        except InvalidPhoneNumber as exc:
            return item, None, str(exc)
    return repr(item), None, f"{type(item).__name__} is not a number or a contact"


def _derived_key(key: str, number: PhoneNumber) -> str:
    """One recipient's idempotency key within a broadcast: stable, valid, unguessable."""
    return "bc-" + hashlib.sha256(f"{key}|{number.e164}".encode()).hexdigest()[:48]


def _message_id(message: object) -> str:
    if isinstance(message, Message):
        return message.id
    if not isinstance(message, str) or not message:
        raise ValidationError(
            f"message={message!r} must be a message id or a Message", field="message"
        )
    return message


def _attachments(items: Iterable[AttachmentLike], max_size: int) -> tuple[Attachment, ...]:
    """Attachments as given: bytes, or a file read from a path object (``str`` is refused)."""
    if isinstance(items, str | bytes | Attachment | os.PathLike):
        items = [items]
    found: list[Attachment] = []
    for index, item in enumerate(items):
        field = f"attachments[{index}]"
        if isinstance(item, Attachment):
            found.append(item)
            continue
        name: str | None = None
        if isinstance(item, bytes):
            data = item
        elif isinstance(item, os.PathLike):
            data = read_file(item, limit=max_size, field=field)
            name = Path(item).name
        elif isinstance(item, str):
            raise ValidationError(
                f"{field} is a str, which is neither a file nor content here: pass "
                "pathlib.Path('photo.jpg') to attach a file, or bytes (such as "
                "text.encode()) to attach content",
                field=field,
            )
        else:
            raise ValidationError(
                f"{field} must be an Attachment, bytes or a pathlib.Path, not "
                f"{type(item).__name__}",
                field=field,
            )
        content_type = content_type_of(data, name)
        if content_type is None:
            shown = repr(name) if name else f"{len(data)} bytes"
            raise ValidationError(
                f"{field} ({shown}): cannot tell its type; pass Attachment(data, content_type=...)",
                field=field,
            )
        found.append(Attachment(data, content_type, name))
    return tuple(found)
