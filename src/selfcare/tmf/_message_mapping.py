"""SMS and MMS ⇄ TMF681 ``communicationMessage``: pure functions, both directions.

TMF681 carries receivers, content, subject, priority, the scheduled time and attachments;
what it has no field for (validity, delivery report, flash, and what the operator made of the
message: selfcare status, encoding, parts, cost, expiry, per-recipient delivery reports) goes
into ``characteristic`` under the names of ``profile.message_characteristics``. A message from
a BSS that sends none of those is still read: its status from ``state``, its copies from
``receiver``.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from selfcare._errors import APIError, ValidationError
from selfcare._rules.messaging import DEFAULT_VALIDITY
from selfcare.model import PhoneNumber
from selfcare.model.messaging import (
    Attachment,
    AttachmentInfo,
    Delivery,
    Message,
    MessageKind,
    MessagePriority,
    MessageStatus,
    StatusChange,
)
from selfcare.model.money import Money
from selfcare.operations import SendMms, SendSms
from selfcare.tmf._mapping import (
    _need,
    _reads,
    characteristics_from_tmf,
    characteristics_to_tmf,
    instant_from_tmf,
    instant_to_tmf,
    money_from_tmf,
    money_to_tmf,
)
from selfcare.tmf._profile import TmfProfile

__all__ = [
    "MESSAGE_TYPES",
    "attachment_from_tmf",
    "message_from_tmf",
    "message_state_to_tmf",
    "message_to_tmf",
    "read_message_characteristics",
    "send_to_tmf",
    "sender_from_tmf",
]

Json = dict[str, Any]

MESSAGE_TYPES = {MessageKind.SMS: "SMS", MessageKind.MMS: "MMS"}
"""The TMF681 ``messageType`` of each kind."""

_STATE = {
    MessageStatus.SCHEDULED: "initial",
    MessageStatus.ACCEPTED: "inProgress",
    MessageStatus.SENT: "completed",
    MessageStatus.DELIVERED: "completed",
    MessageStatus.PARTIALLY_DELIVERED: "completed",
    MessageStatus.EXPIRED: "failed",
    MessageStatus.UNDELIVERABLE: "failed",
    MessageStatus.FAILED: "failed",
    MessageStatus.CANCELLED: "cancelled",
}


def message_state_to_tmf(status: MessageStatus) -> str:
    """The TMF681 ``state`` closest to a message status (the exact one is a characteristic)."""
    return _STATE[status]


def _status_from_state(state: object, delivery_report: bool) -> MessageStatus:
    if state == "completed":
        return MessageStatus.DELIVERED if delivery_report else MessageStatus.SENT
    for status, name in (
        (MessageStatus.SCHEDULED, "initial"),
        (MessageStatus.ACCEPTED, "inProgress"),
        (MessageStatus.FAILED, "failed"),
        (MessageStatus.CANCELLED, "cancelled"),
    ):
        if state == name:
            return status
    raise APIError(f"communicationMessage state {state!r} is not a TMF681 state")


def _chars(profile: TmfProfile, values: Mapping[str, Any]) -> list[Json]:
    return characteristics_to_tmf(profile.message_characteristics, values)


def read_message_characteristics(profile: TmfProfile, items: object) -> dict[str, Any]:
    """The message fields found among a communicationMessage's characteristics."""
    return characteristics_from_tmf(profile.message_characteristics, items)


def _sender_to_tmf(sender: str | None) -> Json:
    """A number as ``phoneNumber``, an alphanumeric name as ``name``; ``{}`` leaves the
    subscriber's own number to the BSS."""
    if sender is None:
        return {}
    return {"phoneNumber": sender} if sender.startswith("+") else {"name": sender}


def sender_from_tmf(doc: object) -> str | None:
    """The sender as selfcare writes it: an E.164 number, a name, or ``None`` (own number)."""
    if not isinstance(doc, Mapping):
        return None
    number, name = doc.get("phoneNumber"), doc.get("name")
    if number:
        return str(PhoneNumber(str(number)).e164)
    return str(name) if name else None


def _attachment_to_tmf(attachment: Attachment) -> Json:
    doc: Json = {
        "attachmentType": "inline",
        "mimeType": attachment.content_type,
        "content": base64.b64encode(attachment.data).decode(),
        "size": {"amount": attachment.size, "units": "bytes"},
    }
    if attachment.name is not None:
        doc["name"] = attachment.name
    return doc


def attachment_from_tmf(doc: object, index: int) -> Attachment:
    """An attachment to send, from a TMF681 ``attachment`` with base64 ``content`` (the TMF
    face reads requests with this; the error is the sender's)."""
    field = f"attachments[{index}]"
    if not isinstance(doc, Mapping):
        raise ValidationError(f"{field} must be a TMF Attachment object", field=field)
    try:
        data = base64.b64decode(str(doc.get("content") or ""), validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError(f"{field} content is not base64", field=field) from None
    name = doc.get("name")
    return Attachment(data, str(doc.get("mimeType")), None if name is None else str(name))


def send_to_tmf(op: SendSms | SendMms, profile: TmfProfile) -> Json:
    """The ``CommunicationMessage_Create`` body of a send."""
    is_sms = isinstance(op, SendSms)
    body: Json = {
        "messageType": MESSAGE_TYPES[MessageKind.SMS if is_sms else MessageKind.MMS],
        "content": op.text or "",
        "receiver": [{"phoneNumber": number.e164} for number in op.to],
        "sender": _sender_to_tmf(op.sender),
        "priority": op.priority.value,
        "characteristic": _chars(
            profile,
            {
                "validity": int(op.validity.total_seconds()),
                "delivery_report": op.delivery_report,
                "flash": op.flash if isinstance(op, SendSms) else None,
            },
        ),
    }
    if op.deliver_at is not None:
        body["scheduledSendTime"] = instant_to_tmf(op.deliver_at)
    if isinstance(op, SendMms):
        if op.subject is not None:
            body["subject"] = op.subject
        body["attachment"] = [_attachment_to_tmf(a) for a in op.attachments]
    return body


def _change_to_tmf(change: StatusChange) -> Json:
    doc: Json = {"status": change.status.value, "at": instant_to_tmf(change.at)}
    if change.reason is not None:
        doc["reason"] = change.reason
    return doc


def _delivery_to_tmf(delivery: Delivery) -> Json:
    return {
        "receiver": delivery.recipient.e164,
        "status": delivery.status.value,
        "cost": money_to_tmf(delivery.cost),
        "history": [_change_to_tmf(c) for c in delivery.history],
    }


def message_to_tmf(message: Message, profile: TmfProfile) -> Json:
    """A sent message as a TMF681 ``CommunicationMessage``."""
    doc: Json = {
        "id": message.id,
        "href": f"/communicationMessage/{message.id}",
        "messageType": MESSAGE_TYPES[message.kind],
        "content": message.text or "",
        "state": _STATE[message.status],
        "priority": message.priority.value,
        "sendTime": instant_to_tmf(message.at),
        "receiver": [{"phoneNumber": r.e164} for r in message.recipients],
        "sender": _sender_to_tmf(message.sender),
        "attachment": [
            {
                "mimeType": a.content_type,
                "size": {"amount": a.size, "units": "bytes"},
                **({} if a.name is None else {"name": a.name}),
            }
            for a in message.attachments
        ],
        "characteristic": _chars(
            profile,
            {
                "validity": None
                if message.validity is None
                else int(message.validity.total_seconds()),
                "delivery_report": message.delivery_report,
                "flash": message.flash,
                "status": message.status.value,
                "encoding": message.encoding,
                "parts": message.parts,
                "cost": money_to_tmf(message.cost),
                "valid_until": instant_to_tmf(message.valid_until),
                "deliveries": [_delivery_to_tmf(d) for d in message.deliveries],
            },
        ),
        "@type": "CommunicationMessage",
    }
    if message.subject is not None:
        doc["subject"] = message.subject
    if message.deliver_at is not None:
        doc["scheduledSendTime"] = instant_to_tmf(message.deliver_at)
    finished = [d.updated_at for d in message.deliveries if d.updated_at is not None]
    if message.is_final and finished:
        doc["sendTimeComplete"] = instant_to_tmf(max(finished))
    return doc


def _delivery_from_tmf(doc: object) -> Delivery:
    if not isinstance(doc, Mapping):
        raise APIError(f"a message delivery report {doc!r:.100} is not an object")
    return Delivery(
        recipient=PhoneNumber(str(doc.get("receiver"))),
        status=MessageStatus(str(doc.get("status"))),
        history=tuple(
            StatusChange(
                MessageStatus(str(c.get("status"))),
                instant_from_tmf(c.get("at"), "delivery report time"),
                None if c.get("reason") is None else str(c.get("reason")),
            )
            for c in doc.get("history") or []
        ),
        cost=money_from_tmf(doc.get("cost"), "delivery cost"),
    )


def _number(value: object, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise APIError(f"the TMF message {what} {value!r} is not a number")
    return int(value)


def _flag(value: object, default: bool) -> bool:
    return default if value is None else value is True or value == "true"


@_reads("communicationMessage")
def message_from_tmf(doc: Mapping[str, Any], profile: TmfProfile) -> Message:
    """A TMF681 ``CommunicationMessage`` as a sent message."""
    kind_name = str(_need(doc, "messageType", "communicationMessage")).upper()
    kinds = {name: kind for kind, name in MESSAGE_TYPES.items()}
    if kind_name not in kinds:
        raise APIError(f"communicationMessage messageType {kind_name!r} is not SMS or MMS")
    kind = kinds[kind_name]
    chars = read_message_characteristics(profile, doc.get("characteristic"))
    report = _flag(chars.get("delivery_report"), True)
    status = (
        MessageStatus(str(chars["status"]))
        if chars.get("status") is not None
        else _status_from_state(doc.get("state"), report)
    )
    if chars.get("cost") is None:
        raise APIError(f"the TMF communicationMessage {doc.get('id')!r} has no cost")
    cost = money_from_tmf(chars["cost"], "message cost")
    at = instant_from_tmf(_need(doc, "sendTime", "communicationMessage"), "sendTime")
    scheduled = doc.get("scheduledSendTime")
    deliver_at = None if scheduled is None else instant_from_tmf(scheduled, "scheduledSendTime")
    seconds = _number(chars.get("validity"), "validity")
    validity = None if seconds is None else timedelta(seconds=seconds)
    if chars.get("deliveries") is not None:
        deliveries = tuple(_delivery_from_tmf(d) for d in chars["deliveries"])
    else:
        receivers = [r for r in doc.get("receiver") or [] if isinstance(r, Mapping)]
        share = cost if len(receivers) == 1 else Money.zero(cost.currency)
        deliveries = tuple(
            Delivery(PhoneNumber(str(r.get("phoneNumber"))), status, (), share) for r in receivers
        )
    until = chars.get("valid_until")
    valid_until: datetime = (
        instant_from_tmf(until, "validUntil")
        if until is not None
        else (deliver_at or at) + (validity or DEFAULT_VALIDITY)
    )
    content = doc.get("content")
    text = None if content is None or (kind is MessageKind.MMS and content == "") else str(content)
    return Message(
        id=str(_need(doc, "id", "communicationMessage")),
        at=at,
        kind=kind,
        status=status,
        deliveries=deliveries,
        text=text,
        parts=_number(chars.get("parts"), "parts") or 1,
        cost=cost,
        valid_until=valid_until,
        sender=sender_from_tmf(doc.get("sender")),
        encoding=None if chars.get("encoding") is None else str(chars["encoding"]),
        deliver_at=deliver_at,
        validity=validity,
        delivery_report=report,
        flash=_flag(chars.get("flash"), False),
        priority=MessagePriority(str(doc.get("priority") or "normal")),
        subject=None if doc.get("subject") is None else str(doc["subject"]),
        attachments=tuple(
            AttachmentInfo(
                str(a.get("mimeType")),
                _number((a.get("size") or {}).get("amount"), "attachment size") or 0,
                None if a.get("name") is None else str(a["name"]),
            )
            for a in doc.get("attachment") or []
            if isinstance(a, Mapping)
        ),
    )
