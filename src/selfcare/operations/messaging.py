"""Operations on SMS and MMS: send, look up, list and cancel."""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs

from selfcare._client.paging import Page
from selfcare._rules.messaging import DEFAULT_VALIDITY
from selfcare._time import optional_aware_validator
from selfcare.model import PhoneNumber
from selfcare.model.messaging import Attachment, Message, MessagePriority, MessageStatus
from selfcare.operations._base import Capability, MutatingOperation, Operation, PagedOperation

__all__ = ["CancelMessage", "GetMessage", "ListMessages", "SendMms", "SendSms"]


@attrs.frozen
class SendSms(MutatingOperation[Message]):
    """Send ``text`` to one or more numbers now, or at ``deliver_at``; charged per part."""

    rate_limit = "sends"
    result = Message
    capability = Capability.MESSAGES

    to: tuple[PhoneNumber, ...]
    text: str
    sender: str | None = None
    deliver_at: datetime | None = attrs.field(default=None, validator=optional_aware_validator)
    validity: timedelta = DEFAULT_VALIDITY
    delivery_report: bool = True
    flash: bool = False
    priority: MessagePriority = MessagePriority.NORMAL


@attrs.frozen
class SendMms(MutatingOperation[Message]):
    """Send an MMS (subject, text and attachments) to one or more numbers."""

    rate_limit = "sends"
    result = Message
    capability = Capability.MESSAGES

    to: tuple[PhoneNumber, ...]
    subject: str | None = None
    text: str | None = None
    attachments: tuple[Attachment, ...] = ()
    sender: str | None = None
    deliver_at: datetime | None = attrs.field(default=None, validator=optional_aware_validator)
    validity: timedelta = DEFAULT_VALIDITY
    delivery_report: bool = True
    priority: MessagePriority = MessagePriority.NORMAL


@attrs.frozen
class GetMessage(Operation[Message]):
    """One message as it stands now, with its delivery reports."""

    result = Message
    capability = Capability.MESSAGES

    id: str


@attrs.frozen
class ListMessages(PagedOperation[Message]):
    """Messages sent in ``[since, until)``, newest first, optionally only those in ``status``."""

    result = Page[Message]
    capability = Capability.MESSAGES

    since: datetime | None = attrs.field(default=None, validator=optional_aware_validator)
    until: datetime | None = attrs.field(default=None, validator=optional_aware_validator)
    status: MessageStatus | None = None


@attrs.frozen
class CancelMessage(MutatingOperation[Message]):
    """Cancel a scheduled message; its charge is refunded."""

    result = Message
    capability = Capability.MESSAGES

    id: str
