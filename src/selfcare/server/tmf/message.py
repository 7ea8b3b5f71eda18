"""TMF681 Communication Management: SMS and MMS (send, list, read, cancel, delete from the
TMF view); a spec-valid message selfcare cannot send is kept ``failed``, saying why."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from selfcare import operations as ops
from selfcare._errors import NotSupported, ValidationError
from selfcare._rules.messaging import DEFAULT_VALIDITY
from selfcare.model import MessagePriority, MessageStatus, PhoneNumber
from selfcare.server.tmf.call import Served, TmfCall, TmfRoute, rejected
from selfcare.tmf import _message_mapping as mm

__all__ = ["ROUTES"]


def _receivers(call: TmfCall) -> tuple[PhoneNumber, ...]:
    receivers = call.field("receiver")
    if not isinstance(receivers, list) or not receivers:
        raise ValidationError("receiver must be a non-empty list", field="to")
    numbers = []
    for index, receiver in enumerate(receivers):
        number = receiver.get("phoneNumber") if isinstance(receiver, Mapping) else None
        try:
            numbers.append(PhoneNumber(str(number)))
        except ValueError:
            raise ValidationError(
                f"receiver[{index}].phoneNumber {number!r} is not an E.164 number",
                field=f"to[{index}]",
            ) from None
    return tuple(numbers)


def _send_options(call: TmfCall) -> dict[str, Any]:
    """The options every send has: sender, schedule, priority and the characteristics."""
    chars = mm.read_message_characteristics(call.profile, call.body.get("characteristic"))
    seconds = chars.get("validity")
    if seconds is not None and (isinstance(seconds, bool) or not isinstance(seconds, int)):
        raise ValidationError(f"validity {seconds!r} must be whole seconds", field="validity")
    priority = call.body.get("priority") or MessagePriority.NORMAL.value
    try:
        urgency = MessagePriority(priority)
    except ValueError:
        raise ValidationError(
            f"priority {priority!r} is not low, normal or high", field="priority"
        ) from None
    scheduled = call.body.get("scheduledSendTime")
    try:
        deliver_at = None if scheduled is None else datetime.fromisoformat(str(scheduled))
    except ValueError:
        raise ValidationError(
            f"scheduledSendTime {scheduled!r} is not an RFC 3339 date-time", field="deliver_at"
        ) from None
    report = chars.get("delivery_report")
    return {
        "to": _receivers(call),
        "sender": mm.sender_from_tmf(call.body.get("sender")),
        "deliver_at": deliver_at,
        "validity": DEFAULT_VALIDITY if seconds is None else timedelta(seconds=seconds),
        "delivery_report": report is not False,
        "priority": urgency,
        "idempotency_key": call.key(),
    }


def _unsendable(call: TmfCall) -> str | None:
    """Why selfcare cannot send a spec-valid message at all (``None`` if it can try)."""
    kind = str(call.field("messageType")).upper()
    if kind not in ("SMS", "MMS"):
        return f"messageType {call.body['messageType']!r}: this operator sends only SMS and MMS"
    receivers = call.field("receiver")
    if isinstance(receivers, list) and receivers:
        for index, receiver in enumerate(receivers):
            if not isinstance(receiver, Mapping) or not receiver.get("phoneNumber"):
                return f"receiver[{index}] has no phoneNumber to send an {kind} to"
    return None


async def _send_message(call: TmfCall) -> Served:
    reason = _unsendable(call)
    if reason is not None:
        return await rejected(
            call,
            "CommunicationMessage",
            ("sendTime", "sendTimeComplete"),
            state="failed",
            description=f"not sent: {reason}",
        )
    kind = str(call.field("messageType")).upper()
    options = _send_options(call)
    content = call.body.get("content")
    op: ops.SendSms | ops.SendMms
    if kind == "SMS":
        chars = mm.read_message_characteristics(call.profile, call.body.get("characteristic"))
        flash = chars.get("flash")
        op = ops.SendSms(text=str(content or ""), flash=flash is True, **options)
    else:  # MMS: _unsendable took every other type
        op = ops.SendMms(
            subject=call.body.get("subject"),
            text=content or None,
            attachments=tuple(
                mm.attachment_from_tmf(a, i)
                for i, a in enumerate(call.body.get("attachment") or [])
            ),
            **options,
        )
    return Served(mm.message_to_tmf(await call.run(op), call.profile), 201)


async def _message_list(call: TmfCall) -> Served:
    op = ops.ListMessages(since=call.instant("sendTime.gte"), until=call.instant("sendTime.lt"))
    return Served([mm.message_to_tmf(msg, call.profile) for msg in await call.every(op)])


async def _message(call: TmfCall) -> Served:
    message = await call.run(ops.GetMessage(id=call.path["id"]))
    return Served(mm.message_to_tmf(message, call.profile))


async def _patch_message(call: TmfCall) -> Served:
    """The one change a sender may make to a message: ``state: cancelled`` (cancel it)."""
    await call.run(ops.GetMessage(id=call.path["id"]))  # 404 before 405
    if not isinstance(call.body, Mapping) or dict(call.body) != {"state": "cancelled"}:
        raise NotSupported("the TMF face only patches a communication message to cancel it")
    message = await call.run(ops.CancelMessage(id=call.path["id"], idempotency_key=call.key()))
    return Served(mm.message_to_tmf(message, call.profile))


async def _delete_message(call: TmfCall) -> Served:
    """Deletes the message from the TMF collection; one not sent yet is cancelled first, so
    deleting a scheduled message also stops it. The operator's log (``sc.messages`` over
    selfcare's own protocol) keeps the record, as an operator's would."""
    message = await call.run(ops.GetMessage(id=call.path["id"]))
    if message.status is MessageStatus.SCHEDULED:
        await call.run(ops.CancelMessage(id=message.id, idempotency_key=call.key()))
    return Served(None, 204, deleted=message.id)


_MESSAGE_STATES = ("initial", "inProgress", "completed", "cancelled", "failed")

ROUTES: tuple[TmfRoute, ...] = (
    TmfRoute(
        "communication",
        "POST",
        "/communicationMessage",
        _send_message,
        required=("content", "receiver", "sender", "messageType"),
        choices={"state": _MESSAGE_STATES},
    ),
    TmfRoute("communication", "GET", "/communicationMessage", _message_list),
    TmfRoute("communication", "GET", "/communicationMessage/{id}", _message),
    TmfRoute(
        "communication",
        "PATCH",
        "/communicationMessage/{id}",
        _patch_message,
        choices={"state": _MESSAGE_STATES},
    ),
    TmfRoute("communication", "DELETE", "/communicationMessage/{id}", _delete_message),
)
"""TMF681's operations."""
