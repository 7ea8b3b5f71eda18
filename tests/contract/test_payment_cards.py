"""sc.payments.activate_card: each card outcome, the PIN lockout, keypads, and no PIN leaks."""

import logging
from datetime import timedelta

import pytest

from selfcare import (
    CardAlreadyUsed,
    CardBlocked,
    CardExpired,
    CardInvalid,
    Conflict,
    ExpenseKind,
    Money,
    PaymentStatus,
    RateLimited,
    Secret,
    TooManyAttempts,
    ValidationError,
)
from selfcare.keypad import KeypadExpired, KeypadRegistry, VirtualKeypad
from selfcare.model import CARD_PIN_LENGTH, OperationParameter
from selfcare.operations import Capability

pytestmark = pytest.mark.requires(Capability.PAYMENT_CARDS)

VALID = "11111111111110"  # 500 ₽
VALID_1000 = "22222222222222"
USED = "33333333333333"
EXPIRED = "44444444444444"
BLOCKED = "55555555555555"
KZT = "77777777777770"
WRONG = "98765432109876"


def _positions(keypad: VirtualKeypad, pin: str) -> list[int]:
    return [keypad.layout.index(digit) for digit in pin]


def test_a_valid_card_credits_its_value(sc, operator) -> None:
    before = sc.account.balance().amount
    payment = sc.payments.activate_card(VALID)
    assert payment.amount == Money("500", "RUB") and payment.status is PaymentStatus.SUCCEEDED
    assert payment.method == "voucher:PC-RUB-500-0"
    assert sc.account.balance().amount == before + Money("500", "RUB")
    top_up = sc.expenses.list().first(1)[0]
    assert top_up.id == payment.expense_id and top_up.kind is ExpenseKind.TOP_UP
    assert sc.payments.list().first(1) == [payment]
    overdue = sc.account.debts().to_list()[0]
    assert payment.bills == (overdue.id,) or not overdue.is_overdue
    log = list(operator.subscriber().operations)[-1]
    assert (log.operation, log.parameters, log.status.value) == (
        "activate_card",
        (OperationParameter("pin", "***"),),
        "done",
    )


def test_a_pin_may_be_typed_with_spaces_and_dashes_or_given_as_a_secret(sc) -> None:
    assert sc.payments.activate_card("1111 1111-1111 11").amount == Money("500", "RUB")
    assert sc.payments.activate_card(Secret(VALID_1000)).amount == Money("1000", "RUB")


def test_a_card_works_once(sc) -> None:
    sc.payments.activate_card(VALID)
    with pytest.raises(CardAlreadyUsed, match="PC-RUB-500-0") as caught:
        sc.payments.activate_card(VALID)
    assert caught.value.field == "pin"


@pytest.mark.parametrize(
    ("pin", "error", "says"),
    [
        (USED, CardAlreadyUsed, "PC-RUB-300-U was already activated"),
        (EXPIRED, CardExpired, "PC-RUB-300-E expired"),
        (BLOCKED, CardBlocked, "PC-RUB-300-B is blocked"),
        (WRONG, CardInvalid, "no payment card has the PIN"),
        (KZT, Conflict, "PC-KZT-5000-0 is in KZT"),
    ],
)
def test_each_card_outcome_has_its_error(sc, operator, pin, error, says) -> None:
    before = sc.account.balance().amount
    with pytest.raises(error, match=says):
        sc.payments.activate_card(pin)
    assert sc.account.balance().amount == before
    log = list(operator.subscriber().operations)[-1]
    assert log.status.value == "failed" and says in log.reason


def test_a_card_from_another_currency_works_on_its_own_accounts(operator) -> None:
    from selfcare import Selfcare

    with Selfcare.fake(operator=operator, subscriber="aigerim") as kz:
        assert kz.payments.activate_card(KZT).amount == Money("5000", "KZT")


def test_a_valid_card_expires_with_the_clock(sc, clock) -> None:
    clock.advance(timedelta(days=366))
    with pytest.raises(CardExpired, match="PC-RUB-500-1"):
        sc.payments.activate_card("11111111111111")


@pytest.mark.parametrize("pin", ["1111111111111", "111111111111100", "1111111111111a", "", "١١١"])
def test_a_malformed_pin_is_refused_before_sending(sc, operator, pin) -> None:
    logged = len(operator.subscriber().operations)
    with pytest.raises(ValidationError) as caught:
        sc.payments.activate_card(pin)
    assert caught.value.field == "pin"
    assert str(CARD_PIN_LENGTH) in str(caught.value)
    assert len(operator.subscriber().operations) == logged
    assert operator.subscriber().card_attempts.failures == []  # not a wrong PIN


def test_pin_or_keypad_but_not_both(sc) -> None:
    keypad = VirtualKeypad.new()
    with pytest.raises(ValidationError, match="not both"):
        sc.payments.activate_card(VALID, keypad=keypad, positions=_positions(keypad, VALID))
    with pytest.raises(ValidationError, match="not neither"):
        sc.payments.activate_card()
    with pytest.raises(ValidationError, match="positions need a keypad"):
        sc.payments.activate_card(VALID, positions=[1, 2])
    with pytest.raises(ValidationError, match="int"):
        sc.payments.activate_card(int(VALID))


def test_five_wrong_pins_lock_activation_for_an_hour(sc, clock) -> None:
    for left in (4, 3, 2, 1):
        with pytest.raises(CardInvalid, match=f"{left} more wrong PIN"):
            sc.payments.activate_card(WRONG)
        clock.advance(timedelta(minutes=5))
    with pytest.raises(CardInvalid, match="now locked for 60 minutes"):
        sc.payments.activate_card(WRONG)
    with pytest.raises(TooManyAttempts) as caught:
        sc.payments.activate_card(VALID)  # even the right PIN, while locked
    assert isinstance(caught.value, RateLimited)
    assert caught.value.retry_after == timedelta(hours=1)
    assert caught.value.problem == "too-many-attempts"
    clock.advance(timedelta(minutes=59))
    with pytest.raises(TooManyAttempts) as caught:
        sc.payments.activate_card(VALID)
    assert caught.value.retry_after == timedelta(minutes=1)
    clock.advance(timedelta(minutes=1))
    assert sc.payments.activate_card(VALID).amount == Money("500", "RUB")


def test_the_lockout_counts_only_wrong_pins_within_an_hour(sc, clock) -> None:
    for _ in range(4):
        with pytest.raises(CardInvalid):
            sc.payments.activate_card(WRONG)
    clock.advance(timedelta(minutes=61))
    for _ in range(4):
        with pytest.raises(CardInvalid):
            sc.payments.activate_card(WRONG)
    with pytest.raises(CardAlreadyUsed):  # a real card's PIN is not a wrong PIN
        sc.payments.activate_card(USED)
    assert sc.payments.activate_card(VALID).amount == Money("500", "RUB")


def test_a_right_pin_clears_the_count(sc) -> None:
    for _ in range(4):
        with pytest.raises(CardInvalid):
            sc.payments.activate_card(WRONG)
    sc.payments.activate_card(VALID)
    for _ in range(4):
        with pytest.raises(CardInvalid):
            sc.payments.activate_card(WRONG)
    sc.payments.activate_card(VALID_1000)


def test_a_retried_failure_with_the_same_key_is_not_a_new_attempt(sc, operator) -> None:
    for _ in range(6):
        with pytest.raises(CardInvalid):
            sc.payments.activate_card(WRONG, idempotency_key="activation-1")
    assert len(operator.subscriber().card_attempts.failures) == 1
    for n in range(4):  # a new key is a new attempt: the lockout follows
        with pytest.raises(CardInvalid):
            sc.payments.activate_card(WRONG, idempotency_key=f"activation-new-{n}")
    with pytest.raises(TooManyAttempts):
        sc.payments.activate_card(VALID, idempotency_key="activation-after")


def test_a_locked_attempt_is_not_remembered_so_its_key_works_later(sc, clock) -> None:
    for _ in range(5):
        with pytest.raises(CardInvalid):
            sc.payments.activate_card(WRONG)
    with pytest.raises(TooManyAttempts):
        sc.payments.activate_card(VALID, idempotency_key="retry-me-later")
    clock.advance(timedelta(hours=1))
    assert sc.payments.activate_card(VALID, idempotency_key="retry-me-later").amount


def test_a_keypad_entry_activates_a_card(sc) -> None:
    keypad = VirtualKeypad.new()
    payment = sc.payments.activate_card(keypad=keypad, positions=_positions(keypad, VALID))
    assert payment.amount == Money("500", "RUB")
    assert keypad.used
    with pytest.raises(KeypadExpired):
        sc.payments.activate_card(keypad=keypad, positions=_positions(keypad, VALID_1000))


def test_pressed_keypad_digits_activate_a_card(sc) -> None:
    keypad = VirtualKeypad.new()
    for position in _positions(keypad, VALID_1000):
        keypad.press(position)
    assert sc.payments.activate_card(keypad=keypad).amount == Money("1000", "RUB")


def test_a_registry_decoded_pin_passes_straight_through(sc) -> None:
    registry = KeypadRegistry()
    keypad = registry.issue()
    pin = registry.decode(keypad.id, _positions(keypad, VALID))
    assert isinstance(pin, Secret)
    assert sc.payments.activate_card(pin).amount == Money("500", "RUB")


def test_a_short_keypad_entry_is_refused_before_sending(sc, operator) -> None:
    keypad = VirtualKeypad.new()
    logged = len(operator.subscriber().operations)
    with pytest.raises(ValidationError, match="has 4 digits"):
        sc.payments.activate_card(keypad=keypad, positions=[0, 1, 2, 3])
    assert len(operator.subscriber().operations) == logged


def test_the_pin_never_reaches_logs_reprs_errors_or_the_operation_log(
    sc, operator, clock, caplog
) -> None:
    pins = [VALID, WRONG, USED, EXPIRED, BLOCKED, KZT]
    caplog.set_level(logging.DEBUG)
    seen: list[str] = []
    with caplog.at_level(logging.DEBUG):
        for pin in pins:
            try:
                seen.append(repr(sc.payments.activate_card(pin)))
            except Exception as exc:  # every outcome is inspected
                seen += [repr(exc), str(exc), repr(exc.args), repr(vars(exc))]
        keypad = VirtualKeypad.new()
        seen.append(
            repr(sc.payments.activate_card(keypad=keypad, positions=_positions(keypad, VALID_1000)))
        )
        for _ in range(5):  # the keypad's success cleared the count
            try:
                sc.payments.activate_card(WRONG)
            except CardInvalid as exc:
                seen.append(str(exc))
        with pytest.raises(TooManyAttempts) as locked:
            sc.payments.activate_card(VALID)
        seen += [repr(locked.value), str(locked.value), repr(vars(locked.value))]
        with pytest.raises(ValidationError) as malformed:
            sc.payments.activate_card(VALID[:-1])
        seen += [repr(malformed.value), str(malformed.value)]
    sub = operator.subscriber()
    seen += [repr(record) for record in sub.operations]
    seen += [repr(remembered) for remembered in sub.idempotency.values()]
    seen += [repr(p) for p in sub.payments]
    seen += [repr(sub), repr(operator.cards), caplog.text]
    seen += [record.getMessage() for record in caplog.records]
    text = "\n".join(seen)
    assert "activate_card" in text and "***" in text
    for pin in [*pins, VALID_1000, VALID[:-1]]:
        assert pin not in text, pin
    activations = [r for r in sub.operations if r.operation == "activate_card"]
    assert activations and all(
        r.parameters == (OperationParameter("pin", "***"),) for r in activations
    )
