"""The pure TMF parts: mapping round trips under both profiles, money exactness, cursors."""

import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import attrs
import httpx
import pytest

from selfcare import APIError, Conflict, NotSupported, ValidationError, WaitTimeout
from selfcare.model import (
    Bill,
    BillState,
    Call,
    CallDirection,
    ChargePeriod,
    ConnectedService,
    Expense,
    ExpenseKind,
    Money,
    PhoneNumber,
    Quantity,
    Service,
    ServiceKind,
)
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
from selfcare.operations import (
    Capability,
    ConnectService,
    GetForwarding,
    ListContacts,
    SendMms,
    SendSms,
)
from selfcare.protocol._http import Wait
from selfcare.tmf import DEFAULT_PROFILE, EXAMPLE_PROFILE_UPPER, TmfProfile, TmfProtocol
from selfcare.tmf import _mapping as m
from selfcare.tmf import _message_mapping as mm
from selfcare.tmf import _service_mapping as sm
from selfcare.tmf._wire import decode_json, decode_offset, encode_json, encode_offset
from tests.tmf._spec import request_errors, response_errors

MOSCOW = ZoneInfo("Europe/Moscow")
AT = datetime(2026, 11, 25, 12, 0, tzinfo=MOSCOW)
PROFILES = [DEFAULT_PROFILE, EXAMPLE_PROFILE_UPPER]


def _wire(doc: object) -> object:
    return decode_json(encode_json(doc), "test")


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.name)
def test_an_expense_survives_the_round_trip(profile: TmfProfile) -> None:
    expense = Expense(
        id="e-1",
        at=AT,
        kind=ExpenseKind.DATA,
        cost=Money("0.10", "RUB"),
        balance_after=Money("123.45", "RUB"),
        description="Mobile internet",
        counterpart=PhoneNumber("+79161234567"),
        duration=timedelta(seconds=61),
        volume=Quantity("1.5", "GB"),
        roaming_country="TR",
    )
    doc = _wire(m.expense_to_tmf(expense, profile))
    assert doc["usageType"] == profile.usage_types[ExpenseKind.DATA]
    assert m.expense_from_tmf(doc, profile) == expense


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.name)
def test_a_missed_call_survives_the_round_trip(profile: TmfProfile) -> None:
    call = Call(
        id="c-1",
        at=AT,
        direction=CallDirection.INCOMING,
        counterpart=PhoneNumber("+79161234567"),
        answered=False,
        duration=timedelta(0),
        cost=Money(0, "RUB"),
    )
    doc = _wire(m.call_to_tmf(call, profile))
    assert m.call_from_tmf(doc, profile) == call
    assert m.call_from_tmf(doc, profile).missed


def test_money_is_a_json_number_read_back_exactly() -> None:
    raw = encode_json(m.money_to_tmf(Money("0.1", "RUB")))
    assert raw == b'{"value":0.1,"unit":"RUB"}'
    money = m.money_from_tmf(decode_json(raw, "test"), "x")
    assert money.amount == Decimal("0.1") and type(money.amount) is Decimal


def test_a_float_money_value_is_refused() -> None:
    with pytest.raises(APIError, match="numeric value"):
        m.money_from_tmf({"value": 0.1, "unit": "RUB"}, "amount")


def test_a_bill_is_overdue_only_by_the_due_date() -> None:
    bill = Bill(
        id="b-1",
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
        issued_on=date(2026, 11, 1),
        due_date=date(2026, 11, 20),
        amount_due=Money(550, "RUB"),
        remaining=Money(100, "RUB"),
        state=BillState.OVERDUE,
    )
    doc = _wire(m.bill_to_tmf(bill, MOSCOW))
    assert doc["state"] == "partiallyPaid"
    assert m.bill_from_tmf(doc, MOSCOW, date(2026, 11, 25)) == bill
    early = m.bill_from_tmf(doc, MOSCOW, date(2026, 11, 20))
    assert early.state is BillState.PARTIALLY_PAID and early.period_end == date(2026, 10, 31)


def test_unreadable_answers_are_api_errors_naming_the_resource() -> None:
    doc = {"id": "x", "usageType": "voiceCall", "usageDate": "2026-11-25T09:00:00Z"}
    with pytest.raises(APIError, match="call usage"):
        m.call_from_tmf(doc, DEFAULT_PROFILE)
    bad = {
        "id": "x",
        "usageType": "sms",
        "usageDate": "2026-11-25T09:00:00Z",
        "ratedProductUsage": [{"taxIncludedRatingAmount": {"value": 1, "unit": "string"}}],
    }
    with pytest.raises(APIError, match="usage record"):
        m.expense_from_tmf(bad, DEFAULT_PROFILE)


def test_offsets_hide_in_opaque_cursors() -> None:
    assert decode_offset(None) == 0
    assert decode_offset(encode_offset(250)) == 250
    with pytest.raises(ValidationError, match="cursor 'nope'"):
        decode_offset("nope")


def test_a_profile_must_name_every_kind_once() -> None:
    with pytest.raises(ValidationError, match="same usageType"):
        TmfProfile(
            name="clash",
            usage_types={**DEFAULT_PROFILE.usage_types, ExpenseKind.SMS: "voiceCall"},
            call_usage_type="voiceCall",
            characteristics=DEFAULT_PROFILE.characteristics,
            directions=DEFAULT_PROFILE.directions,
        )


def test_what_tmf_lacks_is_not_supported_by_name() -> None:
    protocol = TmfProtocol()
    assert Capability.FORWARDING not in protocol.capabilities
    assert {Capability.EXPENSES, Capability.CALLS, Capability.BILLS} <= protocol.capabilities
    assert {Capability.MESSAGES, Capability.SERVICES} <= protocol.capabilities
    for op, capability in ((GetForwarding(), "forwarding"), (ListContacts(), "contacts")):
        with pytest.raises(NotSupported, match=f"{capability}.*TMF backend"):
            protocol.flow(None, op)  # type: ignore[arg-type]


def _message(**changes: object) -> Message:
    sent = AT + timedelta(seconds=2)
    message = Message(
        id="m-1",
        at=AT,
        kind=MessageKind.MMS,
        status=MessageStatus.PARTIALLY_DELIVERED,
        deliveries=(
            Delivery(
                PhoneNumber("+79161234567"),
                MessageStatus.DELIVERED,
                (
                    StatusChange(MessageStatus.ACCEPTED, AT),
                    StatusChange(MessageStatus.DELIVERED, sent),
                ),
                Money("6.50", "RUB"),
            ),
            Delivery(
                PhoneNumber("+79990000042"),
                MessageStatus.UNDELIVERABLE,
                (StatusChange(MessageStatus.UNDELIVERABLE, sent, "unknown subscriber"),),
                Money("0.00", "RUB"),
            ),
        ),
        text="Look!",
        parts=1,
        cost=Money("6.50", "RUB"),
        valid_until=AT + timedelta(hours=1),
        sender="ACME Shop",
        deliver_at=None,
        validity=timedelta(hours=1),
        delivery_report=True,
        priority=MessagePriority.HIGH,
        subject="Holiday",
        attachments=(AttachmentInfo("image/png", 108, "a.png"), AttachmentInfo("audio/amr", 6)),
    )
    return attrs.evolve(message, **changes)


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.name)
@pytest.mark.parametrize(
    "changes",
    [
        {},
        {
            "kind": MessageKind.SMS,
            "subject": None,
            "attachments": (),
            "encoding": "ucs2",
            "parts": 2,
            "flash": True,
            "sender": "+74951234567",
        },
        {
            "status": MessageStatus.SCHEDULED,
            "deliver_at": AT + timedelta(days=1),
            "sender": None,
            "text": None,
        },
    ],
    ids=["mms", "sms", "scheduled"],
)
def test_a_message_survives_the_round_trip(profile: TmfProfile, changes: dict) -> None:
    message = _message(**changes)
    doc = _wire(mm.message_to_tmf(message, profile))
    assert doc["messageType"] == mm.MESSAGE_TYPES[message.kind]
    assert {c["name"] for c in doc["characteristic"]} <= set(
        profile.message_characteristics.values()
    )
    assert not response_errors("communication", "GET", "/communicationMessage/m-1", 200, doc)
    assert mm.message_from_tmf(doc, profile) == message


def test_a_message_without_selfcare_characteristics_is_read_from_its_state() -> None:
    doc = {
        "id": "42",
        "messageType": "sms",
        "content": "hi",
        "state": "completed",
        "sendTime": "2026-11-25T09:00:00Z",
        "receiver": [{"phoneNumber": "+79161234567"}],
        "sender": {"phoneNumber": "+79160000001"},
        "characteristic": [{"name": "cost", "value": {"value": Decimal("1.50"), "unit": "RUB"}}],
    }
    message = mm.message_from_tmf(doc, DEFAULT_PROFILE)
    assert message.status is MessageStatus.DELIVERED and message.is_final
    assert message.deliveries[0].cost == Money("1.50", "RUB")
    assert message.valid_until == AT + timedelta(days=1)
    with pytest.raises(APIError, match="state 'sending'"):
        mm.message_from_tmf(
            {**doc, "characteristic": [doc["characteristic"][0]], "state": "sending"},
            DEFAULT_PROFILE,
        )
    with pytest.raises(APIError, match="no cost"):
        mm.message_from_tmf({**doc, "characteristic": []}, DEFAULT_PROFILE)


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.name)
def test_send_bodies_validate_against_tmf681(profile: TmfProfile) -> None:
    sms = SendSms(
        to=(PhoneNumber("+79161234567"),),
        text="hi",
        deliver_at=AT + timedelta(hours=1),
        validity=timedelta(minutes=30),
        delivery_report=False,
        flash=False,
    )
    mms = SendMms(
        to=(PhoneNumber("+79161234567"),),
        subject="s",
        attachments=(Attachment(b"\x89PNG", "image/png", "a.png"),),
    )
    for op in (sms, mms):
        body = _wire(mm.send_to_tmf(op, profile))
        assert not request_errors("communication", "POST", "/communicationMessage", body)
    body = mm.send_to_tmf(sms, profile)
    names = {c["name"]: c["value"] for c in body["characteristic"]}
    assert names[profile.message_characteristics["validity"]] == 1800
    assert names[profile.message_characteristics["delivery_report"]] is False
    assert body["scheduledSendTime"] == "2026-11-25T10:00:00Z"
    assert (
        mm.attachment_from_tmf(mm.send_to_tmf(mms, profile)["attachment"][0], 0)
        == (mms.attachments[0])
    )


def test_a_profile_must_name_every_message_characteristic() -> None:
    with pytest.raises(ValidationError, match="message characteristic"):
        attrs.evolve(DEFAULT_PROFILE, message_characteristics={"validity": "v"})


SERVICE = Service(
    code="internet-5gb",
    name="Internet 5 GB",
    kind=ServiceKind.OPTION,
    description="5 GB a month",
    recurring_price=Money("250", "RUB"),
    period=ChargePeriod.MONTH,
    one_off_price=Money("0.00", "RUB"),
    includes=(Quantity("5", "GB"), Quantity(100, "sms")),
    incompatible_with=("internet-unlimited",),
    removable=False,
)


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.name)
def test_services_survive_the_round_trip(profile: TmfProfile) -> None:
    doc = _wire(sm.service_to_tmf(SERVICE, profile))
    assert not response_errors("catalog", "GET", "/productOffering/x", 200, doc)
    assert sm.service_from_tmf(doc, profile) == SERVICE
    connected = ConnectedService(
        "smart-m", "Smart M", ServiceKind.TARIFF, AT, Money("550", "RUB"), ChargePeriod.MONTH
    )
    doc = _wire(sm.connected_to_tmf(connected, "ls-1", profile, msisdn="+79161234567"))
    assert not response_errors("inventory", "GET", "/product/x", 200, doc)
    assert sm.connected_from_tmf(doc, profile) == connected
    assert doc["isBundle"] is True and doc["status"] == "active"


def _order_flow(op, answers, profile=DEFAULT_PROFILE):
    """Drive ``op``'s flow on canned answers (``"METHOD last-path-segment"`` → the answers in
    turn, the last one repeated); the steps it took and its result."""
    steps: list[object] = []
    with httpx.Client(base_url="http://bss") as client:
        flow = TmfProtocol(profile).flow(client, op)
        step = next(flow)
        try:
            while True:
                steps.append(step)
                if isinstance(step, Wait):
                    step = flow.send(None)
                    continue
                key = f"{step.method} {step.url.path.rsplit('/', 1)[-1]}"
                queue = answers[key]
                body = queue.pop(0) if len(queue) > 1 else queue[0]
                step = flow.send(httpx.Response(200, json=body, request=step))
        except StopIteration as done:
            return steps, done.value


def _order_answers(*states: str) -> dict[str, object]:
    product = sm.connected_to_tmf(
        ConnectedService(
            "internet-5gb", "I5", ServiceKind.OPTION, AT, Money("250", "RUB"), ChargePeriod.MONTH
        ),
        "ls-1",
        DEFAULT_PROFILE,
    )
    return {
        "GET billingAccount": [[{"id": "ls-1"}]],
        "POST productOrder": [{"id": "po-1", "state": states[0]}],
        "GET po-1": [{"id": "po-1", "state": s} for s in states[1:]],
        "GET product": [json.loads(encode_json([product]))],
    }


def test_an_order_is_polled_with_waits_until_completed() -> None:
    steps, service = _order_flow(
        ConnectService(code="internet-5gb"),
        _order_answers("acknowledged", "inProgress", "completed"),
    )
    assert service.code == "internet-5gb"
    kinds = [s if isinstance(s, Wait) else f"{s.method} {s.url.path}" for s in steps]
    assert kinds[1] == "POST /tmf-api/productOrderingManagement/v4/productOrder"
    assert sum(isinstance(s, Wait) for s in steps) == 2
    post = json.loads(steps[1].content)
    assert post["productOrderItem"] == [
        {"id": "1", "action": "add", "productOffering": {"id": "internet-5gb"}}
    ]
    assert not request_errors("ordering", "POST", "/productOrder", post)


def test_a_failed_order_is_a_conflict_and_a_slow_one_times_out() -> None:
    with pytest.raises(Conflict, match="po-1.*'failed'"):
        _order_flow(ConnectService(code="internet-5gb"), _order_answers("inProgress", "failed"))
    impatient = attrs.evolve(DEFAULT_PROFILE, poll_timeout=0.0)
    with pytest.raises(WaitTimeout, match="po-1.*inProgress"):
        _order_flow(ConnectService(code="internet-5gb"), _order_answers("inProgress"), impatient)
