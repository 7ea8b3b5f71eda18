"""selfcare events ⇄ TM Forum event notifications: which API's hub carries each event type,
under which TMF event name, the envelope around the resource, and the way back
(:func:`parse_event`, what a listener calls on the body a hub POSTed to it).

A TMF notification is ``{eventId, eventTime, eventType, domain, event: {<resource>: {…}}}``
(TMF630; each API's ``*Event`` definitions; v5 adds ``@type`` and ``@baseType``). selfcare
sends the event's ``id`` as ``eventId``, ``occurred_at`` as ``eventTime``, the line as a
``tel:`` URI in ``domain`` (TMF leaves ``domain`` to the implementation) and the model object
as the API's resource, rendered by the same mapping the TMF face serves it with. The way
back reads the resource with the same readers :class:`~selfcare.tmf.TmfProtocol` uses; the
selfcare type follows from the TMF event name and the resource (a message's status, a
payment's, a product's, a bill that is past its due date at ``eventTime``).

Pure: no I/O. The TMF face's hubs (``selfcare.server.tmf.hub``) render and deliver them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final
from zoneinfo import ZoneInfo

import attrs

from selfcare._errors import APIError, ValidationError
from selfcare.model import (
    Bill,
    BillState,
    Message,
    MessageStatus,
    Payment,
    PaymentStatus,
    PhoneNumber,
)
from selfcare.model.events import Event, EventType
from selfcare.tmf import _mapping as m
from selfcare.tmf._message_mapping import message_from_tmf
from selfcare.tmf._profile import DEFAULT_PROFILE, TmfProfile
from selfcare.tmf._service_mapping import connected_from_tmf
from selfcare.tmf._wire import decode_json

__all__ = [
    "HUB_EVENTS",
    "UNMAPPED",
    "TmfEventKind",
    "envelope",
    "event_kinds",
    "hub_event_names",
    "parse_event",
]

Json = dict[str, Any]


@attrs.frozen
class TmfEventKind:
    """One TMF notification: the API whose hub sends it, the event's name (its
    ``eventType``, and the listener path ``/listener/<name with a lower first letter>``),
    the resource key inside ``event`` and the resource's collection on the face."""

    api: str
    name: str
    resource: str
    collection: str

    @property
    def listener(self) -> str:
        """The spec's listener path for this event (``/listener/customerBillCreateEvent``)."""
        return "/listener/" + self.name[0].lower() + self.name[1:]


_MESSAGE = TmfEventKind(
    "communication",
    "CommunicationMessageStateChangeEvent",
    "communicationMessage",
    "/communicationMessage",
)
_BILL_CREATED = TmfEventKind("bill", "CustomerBillCreateEvent", "customerBill", "/customerBill")
_BILL_STATE = TmfEventKind("bill", "CustomerBillStateChangeEvent", "customerBill", "/customerBill")
_PAYMENT = TmfEventKind("payment", "PaymentCreateEvent", "payment", "/payment")
_TOPUP = TmfEventKind("prepay", "TopupBalanceCreateEvent", "topupBalance", "/topupBalance")
_TOPUP_FAILED = TmfEventKind("prepay", "TopupBalanceFailureEvent", "topupBalance", "/topupBalance")
_BALANCE = TmfEventKind(
    "account", "BillingAccountAttributeValueChangeEvent", "billingAccount", "/billingAccount"
)
_PRODUCT = TmfEventKind("inventory", "ProductStateChangeEvent", "product", "/product")
_TICKET = TmfEventKind(
    "troubleTicket", "TroubleTicketStatusChangeEvent", "troubleTicket", "/troubleTicket"
)

HUB_EVENTS: Final[Mapping[EventType, tuple[TmfEventKind, ...]]] = {
    EventType.MESSAGE_DELIVERED: (_MESSAGE,),
    EventType.MESSAGE_FAILED: (_MESSAGE,),
    EventType.MESSAGE_EXPIRED: (_MESSAGE,),
    EventType.BILL_ISSUED: (_BILL_CREATED,),
    EventType.BILL_OVERDUE: (_BILL_STATE,),
    EventType.PAYMENT_SUCCEEDED: (_PAYMENT, _TOPUP),
    EventType.PAYMENT_FAILED: (_PAYMENT, _TOPUP_FAILED),
    EventType.BALANCE_LOW: (_BALANCE,),
    EventType.SERVICE_CONNECTED: (_PRODUCT,),
    EventType.SERVICE_DISCONNECTED: (_PRODUCT,),
    EventType.COMPLAINT_UPDATED: (_TICKET,),
}
"""The TMF notifications each selfcare event type may become (a payment's top-up kind only
for a payment card's, ``voucher:``; see :func:`event_kinds`)."""

UNMAPPED: Final[Mapping[EventType, str]] = {
    EventType.BILL_DUE_SOON: "TMF678 has no event for a reminder: a bill's state does not "
    "change when it falls due (its paymentDueDate says when)",
    EventType.SPENDING_ABOVE: "no TM Forum resource carries a period's spending total",
    EventType.FORWARDING_CHANGED: "call forwarding is a network setting no TM Forum Open API "
    "covers",
    EventType.SIGN_IN_SUCCEEDED: "no TM Forum Open API covers a subscriber's own sign-ins",
}
"""The event types no TMF hub carries, and why."""

_KINDS: Final = {k.name: k for kinds in HUB_EVENTS.values() for k in kinds}


def event_kinds(event: Event) -> tuple[TmfEventKind, ...]:
    """The TMF notifications ``event`` becomes (none for the types in :data:`UNMAPPED`): a
    payment is a TMF676 payment event, and a payment card's also a TMF654 top-up event."""
    kinds = HUB_EVENTS.get(event.type, ())
    if isinstance(event.data, Payment) and not event.data.method.startswith("voucher:"):
        kinds = tuple(k for k in kinds if k.api != "prepay")
    return kinds


def hub_event_names(api: str) -> tuple[str, ...]:
    """The TMF event names the hub of ``api`` sends (``()`` for an API that sends none)."""
    return tuple(sorted({k.name for k in _KINDS.values() if k.api == api}))


def envelope(event: Event, kind: TmfEventKind, resource: Json, version: int = 4) -> Json:
    """The notification of ``event`` as ``kind``, carrying ``resource`` (already rendered for
    the API's ``version``): what the hub POSTs to a listener."""
    doc: Json = {
        "eventId": event.id,
        "eventTime": m.instant_to_tmf(event.occurred_at),
        "eventType": kind.name,
        "domain": "tel:" + event.line.e164,
        "event": {kind.resource: resource},
    }
    if version == 5:
        doc["@type"] = kind.name
        doc["@baseType"] = "Event"
    return doc


# ---------------------------------------------------------------- the way back


def _refuse(message: str, field: str) -> ValidationError:
    return ValidationError(message, field=field)


def _text(value: object, name: str) -> str:
    if not isinstance(value, str) or not value:
        raise _refuse(f"the TMF event has no {name}", name)
    return value


def _line(doc: Mapping[str, Any], line: PhoneNumber | str | None, region: str) -> PhoneNumber:
    domain = doc.get("domain")
    if isinstance(domain, str) and domain.startswith("tel:"):
        try:
            return PhoneNumber(domain.removeprefix("tel:"))
        except ValueError:
            shown = domain if len(domain) <= 40 else domain[:39] + "…"
            raise _refuse(f"domain {shown!r} is not a tel: URI of a line", "domain") from None
    if line is None:
        raise _refuse(
            "the TMF event does not name its line (no tel: URI in domain): pass line=", "domain"
        )
    return line if isinstance(line, PhoneNumber) else PhoneNumber.parse(line, region)


def _message_type(message: Message) -> EventType:
    if message.status is MessageStatus.DELIVERED:
        return EventType.MESSAGE_DELIVERED
    if message.status is MessageStatus.EXPIRED:
        return EventType.MESSAGE_EXPIRED
    if message.is_final and message.status is not MessageStatus.CANCELLED:
        return EventType.MESSAGE_FAILED
    raise _refuse(
        f"a message {message.status.value} is not final: selfcare has no event for it", "event"
    )


def _bill_type(kind: TmfEventKind, bill: Bill) -> EventType:
    if kind is _BILL_CREATED:
        return EventType.BILL_ISSUED
    if bill.state is BillState.OVERDUE:
        return EventType.BILL_OVERDUE
    raise _refuse(
        f"a CustomerBillStateChangeEvent of a bill that is {bill.state.value} at eventTime "
        "has no selfcare event (selfcare tells of bills that become overdue)",
        "event",
    )


def _payment_type(payment: Payment) -> EventType:
    if payment.status is PaymentStatus.SUCCEEDED:
        return EventType.PAYMENT_SUCCEEDED
    return EventType.PAYMENT_FAILED


def _read(
    kind: TmfEventKind, resource: Mapping[str, Any], doc: Mapping[str, Any], profile: TmfProfile
) -> tuple[EventType, Any]:
    zone = ZoneInfo(profile.time_zone)
    if kind is _MESSAGE:
        message = message_from_tmf(resource, profile)
        return _message_type(message), message
    if kind in (_BILL_CREATED, _BILL_STATE):
        when = m.instant_from_tmf(doc.get("eventTime"), "eventTime")
        bill = m.bill_from_tmf(resource, zone, when.astimezone(zone).date())
        return _bill_type(kind, bill), bill
    if kind is _PAYMENT:
        payment = m.payment_from_tmf(resource)
        return _payment_type(payment), payment
    if kind in (_TOPUP, _TOPUP_FAILED):
        payment = m.topup_from_tmf(resource)
        if kind is _TOPUP_FAILED:
            payment = attrs.evolve(payment, status=PaymentStatus.DECLINED)
        return _payment_type(payment), payment
    if kind is _BALANCE:
        return EventType.BALANCE_LOW, m.balance_from_tmf(resource, profile)
    if kind is _PRODUCT:
        status = resource.get("status")
        if status == "active":
            return EventType.SERVICE_CONNECTED, connected_from_tmf(resource, profile)
        if status == "terminated":
            return EventType.SERVICE_DISCONNECTED, connected_from_tmf(resource, profile)
        raise _refuse(
            f"a product {str(status)[:40]!r} is neither active nor terminated: selfcare has "
            "no event for it",
            "event",
        )
    assert kind is _TICKET
    return EventType.COMPLAINT_UPDATED, m.complaint_from_tmf(resource)


def parse_event(
    body: bytes | str | Mapping[str, Any],
    *,
    profile: TmfProfile = DEFAULT_PROFILE,
    line: PhoneNumber | str | None = None,
) -> Event:
    """The :class:`~selfcare.Event` a TMF hub notification carries: the same ``id`` (the
    ``eventId``), ``type``, ``occurred_at`` (``eventTime``, in the profile's zone), ``line``
    and typed ``data`` the event log has. ``body`` is what the listener received (bytes or
    text of JSON, or the decoded object); ``profile`` names the BSS's vocabulary (the
    characteristics messages and products carry); ``line`` is the line when the envelope's
    ``domain`` does not name it as a ``tel:`` URI (another BSS's may not).

    A body that is not a TMF event, an ``eventType`` selfcare has no event for, or a resource
    that cannot be read raises :class:`~selfcare.ValidationError` naming what was wrong.
    This does not prove who sent the body (TMF hubs carry no signature): see
    ``docs/tmf.md`` for how to protect a listener.
    """
    if isinstance(body, bytes | str):
        raw = body.encode() if isinstance(body, str) else body
        try:
            doc = decode_json(raw, "the TMF event")
        except Exception:
            raise _refuse("the TMF event is not valid JSON", "body") from None
    else:
        doc = body
    if not isinstance(doc, Mapping):
        raise _refuse("a TMF event is a JSON object", "body")
    name = _text(doc.get("eventType"), "eventType")
    kind = _KINDS.get(name)
    if kind is None:
        shown = name if len(name) <= 80 else name[:79] + "…"
        raise _refuse(
            f"eventType {shown!r} is not a TMF event selfcare reads (it reads "
            f"{', '.join(sorted(_KINDS))})",
            "eventType",
        )
    payload = doc.get("event")
    resource = payload.get(kind.resource) if isinstance(payload, Mapping) else None
    if not isinstance(resource, Mapping):
        raise _refuse(f"a {name} carries event.{kind.resource}, which is missing", "event")
    ident = _text(doc.get("eventId"), "eventId")
    try:
        occurred = m.instant_from_tmf(doc.get("eventTime"), "eventTime")
        event_type, data = _read(kind, resource, doc, profile)
    except APIError as exc:
        raise _refuse(f"the {name} cannot be read: {exc}", "event") from None
    return Event(
        id=ident,
        type=event_type,
        occurred_at=occurred.astimezone(ZoneInfo(profile.time_zone)),
        line=_line(doc, line, profile.region),
        data=data,
    )
