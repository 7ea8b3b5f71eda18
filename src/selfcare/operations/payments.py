"""Operations on payments: paying, the payment history, and activating payment cards."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs

from selfcare._errors import ValidationError
from selfcare._paging import Page
from selfcare._secret import Secret
from selfcare._time import optional_aware_validator
from selfcare.model import Money, Payment, PaymentMethod
from selfcare.model.payment import PaymentMethodKind, check_card_pin, check_payment_amount
from selfcare.operations._base import Capability, MutatingOperation, PagedOperation

__all__ = ["ActivateCard", "ListPayments", "Pay"]


def _amount_validator(instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, Money):
        raise ValidationError(f"amount must be Money, not {value!r}", field="amount")
    check_payment_amount(value)


def _method_validator(instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, PaymentMethod) or value.kind is PaymentMethodKind.VOUCHER:
        raise ValidationError(
            f"method must be a card or wallet PaymentMethod, not {value!r}", field="method"
        )


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
