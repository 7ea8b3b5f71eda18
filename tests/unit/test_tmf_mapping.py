"""The pure TMF parts: mapping round trips under both profiles, money exactness, cursors."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from selfcare import APIError, NotSupported, ValidationError
from selfcare.model import (
    Bill,
    BillState,
    Call,
    CallDirection,
    Expense,
    ExpenseKind,
    Money,
    PhoneNumber,
    Quantity,
)
from selfcare.operations import Capability, GetForwarding, ListContacts
from selfcare.tmf import DEFAULT_PROFILE, EXAMPLE_PROFILE_UPPER, TmfProfile, TmfProtocol
from selfcare.tmf import _mapping as m
from selfcare.tmf._wire import decode_json, decode_offset, encode_json, encode_offset

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
    for op, capability in ((GetForwarding(), "forwarding"), (ListContacts(), "contacts")):
        with pytest.raises(NotSupported, match=f"{capability}.*TMF backend"):
            protocol.flow(None, op)  # type: ignore[arg-type]
