"""Operations on payments: paying, the payment history, activating payment cards, autopay."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs

from selfcare._client.paging import Page
from selfcare._errors import CurrencyMismatch, InvalidMoney, ValidationError
from selfcare._secret import Secret
from selfcare._time import optional_aware_validator
from selfcare.model import AutopayRule, Money, Payment, PaymentMethod
from selfcare.model.payment import (
    AUTOPAY_SCHEDULE,
    PaymentMethodKind,
    check_autopay_schedule,
    check_card_pin,
    check_payment_amount,
)
from selfcare.operations._base import Capability, MutatingOperation, Operation, PagedOperation

__all__ = [
    "ActivateCard",
    "DisableAutopay",
    "GetAutopay",
    "ListPayments",
    "Pay",
    "SetAutopay",
]


def _amount_validator(instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, Money):
        raise ValidationError(f"amount must be Money, not {value!r}", field="amount")
    check_payment_amount(value)


def _method_validator(instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, PaymentMethod) or value.kind is PaymentMethodKind.VOUCHER:
        raise ValidationError(
            f"method must be a card or wallet PaymentMethod, not {value!r}", field="method"
        )


def _threshold_validator(instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, Money):
        raise ValidationError(f"threshold must be Money, not {value!r}", field="threshold")
    check_threshold(value)


def check_threshold(threshold: Money) -> Money:
    """``threshold`` if autopay can watch for it: in the currency's minor units. It may be
    zero or negative (an account with a credit limit: top up once the debt passes it)."""
    if threshold.rounded().amount != threshold.amount:
        raise InvalidMoney(
            f"threshold {threshold.amount} {threshold.currency} has more than "
            f"{threshold.minor_units} decimals",
            field="threshold",
        )
    return threshold


def _same_currency(instance: Any, attribute: Any, value: Any) -> None:
    _amount_validator(instance, attribute, value)
    if value.currency != instance.threshold.currency:
        raise CurrencyMismatch(
            f"amount {value} and threshold {instance.threshold} are in different currencies",
            field="amount",
        )


def _schedule_validator(instance: Any, attribute: Any, value: Any) -> None:
    check_autopay_schedule(value)


def _pin_validator(instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, Secret):
        raise ValidationError(
            f"pin must be a Secret, not a {type(value).__name__}", field="pin"
        )  # the type only: a plain str here may be the PIN itself
    check_card_pin(value)


@attrs.frozen
class Pay(MutatingOperation[Payment]):
    """Put ``amount`` on the account from a bank card or wallet; open bills are paid oldest
    first and the rest stays on the balance."""

    result = Payment
    capability = Capability.PAYMENTS

    amount: Money = attrs.field(validator=_amount_validator)
    method: PaymentMethod = attrs.field(validator=_method_validator)


@attrs.frozen
class ListPayments(PagedOperation[Payment]):
    """Payments in ``[since, until)``, newest first (declined ones included)."""

    result = Page[Payment]
    capability = Capability.PAYMENTS

    since: datetime | None = attrs.field(default=None, validator=optional_aware_validator)
    until: datetime | None = attrs.field(default=None, validator=optional_aware_validator)


@attrs.frozen
class ActivateCard(MutatingOperation[Payment]):
    """Credit a prepaid payment card's value to the account, by the PIN under its strip."""

    rate_limit = "card_attempts"
    result = Payment
    capability = Capability.PAYMENT_CARDS

    pin: Secret = attrs.field(validator=_pin_validator)


@attrs.frozen
class GetAutopay(Operation[AutopayRule | None]):
    """The account's autopay rule, or ``None`` when autopay is off."""

    result = AutopayRule | None
    capability = Capability.AUTOPAY


@attrs.frozen
class SetAutopay(MutatingOperation[AutopayRule]):
    """Top the account up by ``amount`` from ``method`` whenever, at an occurrence of
    ``schedule`` (an RFC 5545 RRULE in the account's zone), the balance is below
    ``threshold``. Replaces any rule the account had."""

    result = AutopayRule
    capability = Capability.AUTOPAY

    threshold: Money = attrs.field(validator=_threshold_validator)
    amount: Money = attrs.field(validator=_same_currency)
    method: PaymentMethod = attrs.field(validator=_method_validator)
    schedule: str = attrs.field(default=AUTOPAY_SCHEDULE, validator=_schedule_validator)


@attrs.frozen
class DisableAutopay(MutatingOperation[AutopayRule | None]):
    """Turn autopay off; returns the rule that was removed (``None`` when it was already off)."""

    result = AutopayRule | None
    capability = Capability.AUTOPAY
