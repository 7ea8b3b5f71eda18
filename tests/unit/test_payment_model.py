"""Payment methods, amount and PIN checks, the card lockout rule and autopay schedules (pure
parts)."""

from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import pytest
from dateutil import rrule
from hypothesis import given
from hypothesis import strategies as st

from selfcare import (
    AutopayRule,
    CurrencyMismatch,
    InvalidMoney,
    Money,
    PaymentMethod,
    PaymentMethodKind,
    RateLimited,
    Secret,
    TooManyAttempts,
    ValidationError,
)
from selfcare._errors import error_class_for_problem
from selfcare.backends.fake._cards import (
    LOCKOUT,
    MAX_WRONG_PINS,
    SEEDED_CARDS,
    CardAttempts,
    CardStore,
)
from selfcare.model.payment import (
    check_autopay_schedule,
    check_card_pin,
    check_payment_amount,
    max_payment,
)
from selfcare.operations import ActivateCard, Pay

TOKENS = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-",
    min_size=8,
    max_size=64,
)


@given(TOKENS)
def test_a_card_token_never_shows_in_full(token: str) -> None:
    method = PaymentMethod.card(token)
    for shown in (
        str(method),
        repr(method),
        f"{method}",
        repr(Pay(amount=Money(1, "RUB"), method=method)),
    ):
        assert token not in shown
        assert shown.count("***") == 1
    assert str(method) == f"card:***{token[-4:]}"
    assert PaymentMethod.parse(f"card:{token}") == method


def test_wallets_show_their_id() -> None:
    method = PaymentMethod.parse("wallet:ym-100500")
    assert method.kind is PaymentMethodKind.WALLET
    assert str(method) == "wallet:ym-100500" and repr(method) == "PaymentMethod('wallet:ym-100500')"
    assert PaymentMethod.parse(method) is method


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("paypal:abcdefgh", "paypal:***"),
        ("abcdefgh", "***"),
        ("card:short", "***hort"),
        ("card:has space in it", "***n it"),
        ("wallet:x", "'x'"),
    ],
)
def test_bad_methods_name_what_they_can(text: str, named: str) -> None:
    with pytest.raises(ValidationError) as caught:
        PaymentMethod.parse(text)
    assert named in str(caught.value) and caught.value.field == "method"


def test_a_method_is_not_a_number() -> None:
    with pytest.raises(ValidationError, match="int"):
        PaymentMethod.parse(42)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="bytes"):
        PaymentMethod.card(b"tok_12345678")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (Money("0", "RUB"), "positive"),
        (Money("-1", "RUB"), "positive"),
        (Money("0.001", "RUB"), "more than 2 decimals"),
        (Money("100000.01", "RUB"), "100000.00 RUB"),
        (Money("1000000.01", "KZT"), "1000000.00 KZT"),
    ],
)
def test_amount_checks(amount: Money, message: str) -> None:
    with pytest.raises(InvalidMoney, match=message):
        check_payment_amount(amount)


def test_maximum_per_currency() -> None:
    assert max_payment("RUB") == Money(100_000, "RUB")
    assert max_payment("KZT") == Money(1_000_000, "KZT")
    assert max_payment("EUR") == Money(100_000, "EUR")
    assert check_payment_amount(Money("100000.00", "RUB")) == Money(100_000, "RUB")


def test_operations_check_their_fields_too() -> None:
    with pytest.raises(InvalidMoney):
        Pay(amount=Money(0, "RUB"), method=PaymentMethod.wallet("ym-1"))
    with pytest.raises(ValidationError, match="card or wallet"):
        Pay(amount=Money(1, "RUB"), method="card:tok_12345678")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="Secret, not a str"):
        ActivateCard(pin="11111111111110")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="14"):
        ActivateCard(pin=Secret("123"))


@given(st.text(max_size=20) | st.text(alphabet="0123456789", min_size=10, max_size=18))
def test_pin_errors_never_repeat_the_pin(text: str) -> None:
    if text.isascii() and text.isdigit() and len(text) == 14:
        assert check_card_pin(Secret(text)).reveal() == text
        return
    with pytest.raises(ValidationError) as caught:
        check_card_pin(Secret(text))
    assert caught.value.field == "pin"
    assert str(caught.value) in {  # fixed wording: nothing of the PIN but its length
        "pin *** must be digits only (14 of them)",
        f"pin *** has {len(text)} digits; a payment card PIN has 14",
    }


def test_error_classes_travel_by_problem_slug() -> None:
    assert issubclass(TooManyAttempts, RateLimited)
    assert issubclass(CurrencyMismatch, InvalidMoney)
    for slug in (
        "card-invalid",
        "card-already-used",
        "card-expired",
        "card-blocked",
        "too-many-attempts",
        "payment-declined",
    ):
        cls = error_class_for_problem(f"urn:selfcare:problem:{slug}")
        assert cls.problem == slug


def test_card_store_keys_by_digest_and_hides_pins() -> None:
    store = CardStore.seeded(datetime(2026, 11, 25, tzinfo=UTC).date())
    assert len(store) == len(SEEDED_CARDS)
    assert store.find(Secret("11111111111110")) is not None
    assert store.find(Secret("00000000000000")) is None
    assert all(pin not in repr(vars(store)) for pin, *_ in SEEDED_CARDS)


def test_lockout_window_and_expiry() -> None:
    attempts = CardAttempts()
    start = datetime(2026, 11, 25, 12, tzinfo=UTC)
    for n in range(MAX_WRONG_PINS - 1):
        assert attempts.failed(start + timedelta(minutes=n)) == MAX_WRONG_PINS - 1 - n
    attempts.check(start + timedelta(minutes=10))
    locked_at = start + timedelta(minutes=59)
    assert attempts.failed(locked_at) == 0
    with pytest.raises(TooManyAttempts) as caught:
        attempts.check(locked_at + timedelta(minutes=30))
    assert caught.value.retry_after == LOCKOUT - timedelta(minutes=30)
    attempts.check(locked_at + LOCKOUT)  # over


def test_old_failures_fall_out_of_the_window() -> None:
    attempts = CardAttempts()
    start = datetime(2026, 11, 25, 12, tzinfo=UTC)
    for n in range(MAX_WRONG_PINS - 1):
        attempts.failed(start + timedelta(minutes=n))
    # at 12:61 the failures of 12:00 and 12:01 are an hour old: 12:02, 12:03 and now remain
    assert attempts.failed(start + timedelta(minutes=61)) == MAX_WRONG_PINS - 3
    assert len(attempts.failures) == 3


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("FREQ=DAILY;BYHOUR=9", "FREQ=DAILY;BYHOUR=9"),
        (" rrule:freq=weekly;byday=mo;byhour=8 ", "FREQ=WEEKLY;BYDAY=MO;BYHOUR=8"),
        ("FREQ=HOURLY;BYMINUTE=30", "FREQ=HOURLY;BYMINUTE=30"),
        ("FREQ=DAILY;BYHOUR=9,21", "FREQ=DAILY;BYHOUR=9,21"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29"),
    ],
)
def test_schedules_autopay_can_check_on(given: str, kept: str) -> None:
    assert check_autopay_schedule(given) == kept


@pytest.mark.parametrize(
    ("given", "why"),
    [
        ("FREQ=MINUTELY;INTERVAL=90", "more often than hourly"),
        ("FREQ=SECONDLY", "more often than hourly"),
        ("FREQ=DAILY;BYHOUR=9;BYMINUTE=0,30", "more often than hourly"),
        ("FREQ=HOURLY;BYSECOND=0,1", "more often than hourly"),
        ("FREQ=DAILY;UNTIL=20270101T000000Z", "UNTIL"),
        ("FREQ=DAILY;COUNT=5", "COUNT"),
        ("DTSTART:20260101T090000\nRRULE:FREQ=DAILY", "one RRULE"),
        ("FREQ=FORTNIGHTLY", "not an RFC 5545 RRULE"),
        ("FREQ=DAILY;BYHOUR=25", "not an RFC 5545 RRULE"),
        ("FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30", "never occurs"),
    ],
)
def test_schedules_refused_name_the_value_and_why(
    given: str, why: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    searched_from: list[datetime] = []
    real = rrule.rrulestr

    def recording(text: str, **options: Any) -> Any:
        searched_from.append(options["dtstart"])
        return real(text, **options)

    monkeypatch.setattr(rrule, "rrulestr", recording)
    with pytest.raises(ValidationError, match=why) as caught:
        check_autopay_schedule(given)
    assert caught.value.field == "schedule" and repr(given) in str(caught.value)
    # A rule that never occurs is not searched for ages (from 2026, an hourly one would take
    # hours): whether it occurs is looked for in the last years dateutil reaches, not timed.
    assert all(start.year >= 9990 for start in searched_from[1:])
    if why == "never occurs":
        assert len(searched_from) == 2  # parsed from a sample start, then searched


def test_an_autopay_rule_shows_only_the_masked_method() -> None:
    rule = AutopayRule(
        threshold=Money("100", "RUB"),
        amount=Money("500", "RUB"),
        method=str(PaymentMethod.card("tok_visa_4242424242")),
        schedule="FREQ=DAILY;BYHOUR=9",
        created_at=datetime(2026, 11, 25, 12, tzinfo=UTC),
    )
    assert "tok_visa" not in repr(rule) and "card:***4242" in repr(rule)
    with pytest.raises(ValidationError, match="has no time zone"):
        attrs.evolve(rule, created_at=datetime(2026, 11, 25, 12))
