"""sc.messages, on every configuration of the contract suite."""

from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from selfcare import (
    Attachment,
    Conflict,
    ExpenseKind,
    IdempotencyKeyReused,
    InvalidPhoneNumber,
    Message,
    MessageKind,
    MessageStatus,
    Money,
    NaiveDatetime,
    NotFound,
    PhoneNumber,
    ServiceKind,
    ValidationError,
    WaitTimeout,
)
from selfcare.operations import Capability, SendMms
from tests.conftest import NOW

pytestmark = pytest.mark.requires(Capability.MESSAGES)


FRIEND = "8 916 123-45-67"
UNKNOWN = "+7 999 000-00-42"
SWITCHED_OFF = "+7 999 000-01-00"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 100


def test_send_sms_reads_the_number_and_plans_the_text(sc) -> None:
    message = sc.messages.send_sms(FRIEND, "Hello " * 30)
    assert isinstance(message, Message)
    assert message.kind is MessageKind.SMS
    assert message.recipients == (PhoneNumber("+79161234567"),)
    assert (message.parts, message.encoding) == (2, "gsm7")
    assert message.status is MessageStatus.ACCEPTED and not message.is_final
    assert message.at == NOW and message.valid_until == NOW + timedelta(days=1)
    assert sc.messages.get(message.id) == message


def test_delivery_follows_the_clock(sc, clock) -> None:
    message = sc.messages.send_sms(
        [FRIEND, UNKNOWN, SWITCHED_OFF], "hi", validity=timedelta(hours=1)
    )
    clock.advance(timedelta(seconds=10))
    now = sc.messages.get(message)
    assert now.status is MessageStatus.ACCEPTED
    assert now.delivery("+79161234567").status is MessageStatus.DELIVERED
    unknown = now.delivery("+79990000042")
    assert unknown.status is MessageStatus.UNDELIVERABLE and "unknown subscriber" in unknown.reason
    assert now.delivery("+79990000100").status is MessageStatus.ACCEPTED
    clock.advance(timedelta(hours=1))
    final = sc.messages.get(message)
    off = final.delivery("+79990000100")
    assert off.status is MessageStatus.EXPIRED
    assert off.updated_at == NOW + timedelta(hours=1)
    assert [c.status for c in off.history] == [MessageStatus.ACCEPTED, MessageStatus.EXPIRED]
    assert final.status is MessageStatus.PARTIALLY_DELIVERED and final.is_final


def test_delivery_report_history_has_timestamps(sc, clock) -> None:
    message = sc.messages.send_sms(FRIEND, "hi", priority="high")
    clock.advance(timedelta(minutes=1))
    (delivery,) = sc.messages.get(message.id).deliveries
    assert [(c.status, c.at) for c in delivery.history] == [
        (MessageStatus.ACCEPTED, NOW),
        (MessageStatus.DELIVERED, NOW + timedelta(seconds=2)),
    ]


def test_without_a_delivery_report_a_message_ends_sent(sc, clock) -> None:
    message = sc.messages.send_sms(FRIEND, "hi", delivery_report=False)
    clock.advance(timedelta(minutes=1))
    assert sc.messages.get(message).status is MessageStatus.SENT


def test_expired_when_validity_passes_first(sc, clock) -> None:
    message = sc.messages.send_sms(SWITCHED_OFF, "are you there?", validity=timedelta(minutes=5))
    clock.advance(timedelta(minutes=4, seconds=59))
    assert sc.messages.get(message).status is MessageStatus.ACCEPTED
    clock.advance(timedelta(seconds=1))
    assert sc.messages.get(message).status is MessageStatus.EXPIRED


def test_schedule_then_deliver(sc, clock) -> None:
    at = NOW + timedelta(hours=2)
    message = sc.messages.send_sms(FRIEND, "good morning", deliver_at=at)
    assert message.status is MessageStatus.SCHEDULED and message.deliver_at == at
    assert message.valid_until == at + timedelta(days=1)
    clock.advance(timedelta(hours=2, seconds=5))
    done = sc.messages.get(message)
    assert done.status is MessageStatus.DELIVERED
    assert [c.status for c in done.deliveries[0].history] == [
        MessageStatus.SCHEDULED,
        MessageStatus.ACCEPTED,
        MessageStatus.DELIVERED,
    ]


def test_cancel_a_scheduled_message_refunds_it(sc, operator, clock) -> None:
    exhaust_allowance(sc)
    before = sc.account.balance().amount
    message = sc.messages.send_sms(FRIEND, "later", deliver_at=NOW + timedelta(hours=1))
    assert message.cost == Money("2.00", "RUB")
    assert sc.account.balance().amount == before - Money("2.00", "RUB")
    cancelled = sc.messages.cancel(message)
    assert cancelled.status is MessageStatus.CANCELLED and cancelled.is_final
    assert cancelled.cost == Money("0.00", "RUB")
    assert [repr(d.cost) for d in cancelled.deliveries] == ["Money('0.00', 'RUB')"]  # minor units
    assert sc.account.balance().amount == before
    refund = sc.expenses.list(kinds="refund").first(1)[0]
    assert refund.cost == Money("-2.00", "RUB") and message.id in refund.description
    clock.advance(timedelta(hours=2))
    assert sc.messages.get(message).status is MessageStatus.CANCELLED
    log = [r for r in operator.subscriber().operations if r.operation == "cancel_message"]
    assert log[-1].status.value == "done"


def test_cancelling_a_message_that_is_not_scheduled_names_its_state(sc, clock) -> None:
    message = sc.messages.send_sms(FRIEND, "now")
    clock.advance(timedelta(seconds=30))
    with pytest.raises(Conflict, match="delivered"):
        sc.messages.cancel(message)
    with pytest.raises(NotFound, match="m-nope"):
        sc.messages.get("m-nope")


def test_scheduled_send_is_logged_pending(sc, operator) -> None:
    sc.messages.send_sms(FRIEND, "later", deliver_at=NOW + timedelta(minutes=10))
    record = operator.subscriber().operations.last()
    assert record.operation == "send_sms" and record.status.value == "pending"


def exhaust_allowance(sc) -> None:
    """Use up the SMS allowance (at most 100 parts a period): 10 parts to 10 numbers."""
    numbers = [f"+7916000{i:04d}" for i in range(10)]
    sc.messages.send_sms(numbers, "x" * 153 * 10)


def test_sms_is_charged_per_part_beyond_the_allowance(sc) -> None:
    exhaust_allowance(sc)
    before = sc.account.balance().amount
    message = sc.messages.send_sms([FRIEND, "+79161234568"], "Ж" * 71)  # 2 UCS-2 parts
    assert message.encoding == "ucs2" and message.parts == 2
    assert message.cost == Money("8.00", "RUB")  # 2 recipients × 2 parts × 2.00
    assert [d.cost for d in message.deliveries] == [Money("4.00", "RUB")] * 2
    assert sc.account.balance().amount == before - Money("8.00", "RUB")
    charges = sc.expenses.list(kinds=ExpenseKind.SMS).first(2)
    assert {c.counterpart.e164 for c in charges} == {"+79161234567", "+79161234568"}
    assert all(c.cost == Money("4.00", "RUB") and c.volume.value == 2 for c in charges)


@pytest.mark.requires(Capability.SERVICES)
def test_preview_prices_the_text_at_the_tariffs_sms_price(sc) -> None:
    tariff = next(s for s in sc.services.connected() if s.kind is ServiceKind.TARIFF)
    offer = next(s for s in sc.services.catalog("tariff") if s.code == tariff.code)
    assert offer.sms_price == Money("2.00", "RUB") and offer.mms_price == Money("6.50", "RUB")
    assert all(o.sms_price is None for o in sc.services.catalog("option"))
    preview = sc.messages.preview("Ж" * 71)
    assert (preview.encoding, preview.count, preview.per_part) == ("ucs2", 2, 67)
    assert preview.cost == Money("4.00", "RUB")
    with pytest.raises(ValidationError, match="11 SMS parts") as caught:
        sc.messages.preview("x" * 153 * 11)
    assert caught.value.field == "text"
    exhaust_allowance(sc)
    sent = sc.messages.send_sms(FRIEND, "Ж" * 71)
    assert (sent.parts, sent.encoding, sent.cost) == (preview.count, "ucs2", preview.cost)


def test_idempotency_key_sends_once(sc, operator) -> None:
    first = sc.messages.send_sms(FRIEND, "once", idempotency_key="sms-key-0001")
    again = sc.messages.send_sms(FRIEND, "once", idempotency_key="sms-key-0001")
    assert again == first
    assert len(operator.subscriber().mailbox.by_id) == 1
    with pytest.raises(IdempotencyKeyReused):
        sc.messages.send_sms(FRIEND, "twice", idempotency_key="sms-key-0001")


@pytest.mark.parametrize(
    ("kwargs", "error", "field", "shown"),
    [
        ({"to": "12345"}, InvalidPhoneNumber, "to[0]", "'12345'"),
        ({"to": [FRIEND, "nope"]}, InvalidPhoneNumber, "to[1]", "'nope'"),
        ({"to": []}, ValidationError, "to", "no recipient"),
        ({"text": ""}, ValidationError, "text", "empty"),
        ({"text": "   "}, ValidationError, "text", "empty"),
        ({"text": "x" * 1531}, ValidationError, "text", "11 SMS parts"),
        ({"sender": "ACME-Shop-Moscow"}, ValidationError, "sender", "ACME-Shop-Moscow"),
        ({"sender": "Магазин"}, ValidationError, "sender", "Магазин"),
        ({"sender": "12"}, InvalidPhoneNumber, "sender", "'12'"),
        ({"validity": timedelta(minutes=4)}, ValidationError, "validity", "0:04:00"),
        ({"validity": timedelta(days=8)}, ValidationError, "validity", "8 days"),
        ({"validity": 3600}, ValidationError, "validity", "3600"),
        ({"deliver_at": datetime(2026, 11, 26, 9)}, NaiveDatetime, "deliver_at", "2026-11-26"),
        ({"deliver_at": NOW - timedelta(minutes=1)}, ValidationError, "deliver_at", "future"),
        ({"deliver_at": NOW + timedelta(days=31)}, ValidationError, "deliver_at", "30 days"),
        ({"priority": "urgent"}, ValidationError, "priority", "'urgent'"),
        ({"flash": "yes"}, ValidationError, "flash", "'yes'"),
        ({"idempotency_key": "short"}, ValidationError, "idempotency_key", "'short'"),
    ],
)
def test_bad_input_is_refused_before_sending(sc, operator, kwargs, error, field, shown) -> None:
    args = {"to": FRIEND, "text": "hello", **kwargs}
    balance = sc.account.balance()
    with pytest.raises(error, match=shown) as caught:
        sc.messages.send_sms(args.pop("to"), args.pop("text"), **args)
    assert caught.value.field == field
    assert not operator.subscriber().mailbox.by_id
    assert sc.account.balance() == balance


def test_valid_senders(sc) -> None:
    assert sc.messages.send_sms(FRIEND, "hi", sender="ACME Shop").sender == "ACME Shop"
    assert sc.messages.send_sms(FRIEND, "hi", sender="8 495 123-45-67").sender == "+74951234567"


def test_list_newest_first_with_status_filter(sc, clock) -> None:
    sent = [sc.messages.send_sms(FRIEND, f"n{i}") for i in range(5)]
    later = sc.messages.send_sms(FRIEND, "later", deliver_at=NOW + timedelta(days=1))
    listed = list(sc.messages.list(page_size=2))
    assert [m.id for m in listed] == [m.id for m in reversed([*sent, later])]
    assert [m.id for m in sc.messages.list(status="scheduled")] == [later.id]
    clock.advance(timedelta(minutes=1))
    delivered = list(sc.messages.list(status=MessageStatus.DELIVERED))
    assert {m.id for m in delivered} == {m.id for m in sent}
    assert list(sc.messages.list(since=NOW + timedelta(seconds=1))) == []


def test_wait_returns_the_final_state(sc, clock) -> None:
    message = sc.messages.send_sms(FRIEND, "hi")
    clock.advance(timedelta(seconds=5))
    assert sc.messages.wait(message, timeout=1).status is MessageStatus.DELIVERED


def test_wait_times_out_when_the_clock_stands_still(sc) -> None:
    message = sc.messages.send_sms(FRIEND, "hi")
    with pytest.raises(WaitTimeout, match="still accepted") as caught:
        sc.messages.wait(message.id, timeout=0.05, poll_interval=0.01)
    assert isinstance(caught.value, TimeoutError)
    with pytest.raises(ValidationError, match="timeout"):
        sc.messages.wait(message, timeout=0)


def test_send_mms_with_attachments_from_bytes_and_paths(sc, tmp_path) -> None:
    voice = tmp_path / "hello.amr"
    voice.write_bytes(b"#!AMR\n" + b"\1" * 500)
    before = sc.account.balance().amount
    message = sc.messages.send_mms(
        FRIEND,
        subject="Holiday",
        text="Look!",
        attachments=[PNG, voice, Attachment(b"<smil></smil>", "application/smil", "s.smil")],
    )
    assert message.kind is MessageKind.MMS and message.subject == "Holiday"
    assert [(a.content_type, a.size, a.name) for a in message.attachments] == [
        ("image/png", len(PNG), None),
        ("audio/amr", 506, "hello.amr"),
        ("application/smil", 13, "s.smil"),
    ]
    assert message.cost == Money("6.50", "RUB")
    assert sc.account.balance().amount == before - Money("6.50", "RUB")
    assert sc.expenses.list(kinds="mms").first(1)[0].cost == Money("6.50", "RUB")


@pytest.mark.parametrize(
    ("kwargs", "field", "shown"),
    [
        ({"subject": "x" * 41}, "subject", "41 characters"),
        ({"attachments": [b"%PDF-1.4 ..."]}, "attachments[0]", "cannot tell its type"),
        (
            {"attachments": [Attachment(b"%PDF", "application/pdf")]},
            "attachments[0]",
            "application/pdf",
        ),
        ({"attachments": [PNG + b"\0" * 300 * 1024]}, "attachments", "307200 bytes"),
        ({"attachments": [PNG * 3], "max_size": 300}, "attachments", "at most 300 bytes"),
        ({}, "attachments", "needs text or at least one attachment"),
        ({"attachments": ["/etc/hostname"]}, "attachments[0]", r"pathlib\.Path\('photo\.jpg'\)"),
        ({"attachments": [Path("/no/such/file.jpg")]}, "attachments[0]", "/no/such/file.jpg"),
        ({"subject": "Hi\x1b]0;pwned\x07"}, "subject", "control character U\\+001B"),
        (
            {"attachments": [Attachment(PNG, "image/png", name="a\x1b[2J.png")]},
            "attachments[0]",
            "control character",
        ),
    ],
)
def test_mms_limits(sc, operator, kwargs, field, shown) -> None:
    with pytest.raises(ValidationError, match=shown) as caught:
        sc.messages.send_mms(FRIEND, **kwargs)
    assert caught.value.field == field
    assert not operator.subscriber().mailbox.by_id


def test_the_backend_refuses_control_characters_in_a_subject(sc, operator) -> None:
    with pytest.raises(ValidationError, match="control character") as caught:
        sc._execute(SendMms(to=(PhoneNumber("+79161234567"),), subject="Hi\x07", text="x"))
    assert caught.value.field == "subject"
    assert not operator.subscriber().mailbox.by_id


def test_sms_text_keeps_its_line_breaks(sc) -> None:
    message = sc.messages.send_sms(FRIEND, "line one\nline two")
    assert message.text == "line one\nline two"


def test_sending_more_than_the_balance_allows_is_refused(sc, operator) -> None:
    sub = operator.subscriber()
    sub.credit_limit = Decimal(0)
    sub.post(NOW, ExpenseKind.ONE_OFF, sub.balance, "spend everything")
    with pytest.raises(Conflict, match="available"):
        sc.messages.send_mms(FRIEND, text="hi")


def test_broadcast_to_numbers_needs_no_phonebook(sc, clock) -> None:
    """A broadcast is one send per number, so it works wherever messages do (TMF too)."""
    result = sc.messages.broadcast([FRIEND, "nope", UNKNOWN, FRIEND], "Meeting at 7")
    assert [r.recipient for r in result.results] == [FRIEND, "nope", UNKNOWN]
    assert [r.sent for r in result.results] == [True, False, True]
    assert all(
        m.recipients == (r.number,) for m, r in zip(result.messages, result.sent, strict=True)
    )
    clock.advance(timedelta(seconds=10))
    statuses = [sc.messages.get(m).status for m in result.messages]
    assert statuses == [MessageStatus.DELIVERED, MessageStatus.UNDELIVERABLE]
