"""Payments: how money is put on the account, and the record each top-up leaves.

A :class:`PaymentMethod` names where a payment comes from (a bank-card token or a wallet).
Its reference is a :class:`~selfcare.Secret`, so a card token never shows in full: ``str()``
gives ``card:***4242``. A :class:`Payment` is one top-up as the payment history lists it.
An :class:`AutopayRule` tops the account up by itself when its balance runs low, checked on
an RFC 5545 recurrence (:func:`check_autopay_schedule`).
"""

from __future__ import annotations

import enum
import re
from datetime import datetime
from decimal import Decimal
from typing import Any, Final

import attrs

from selfcare._client.deprecation import renamed_attributes
from selfcare._errors import InvalidMoney, ValidationError
from selfcare._secret import Secret
from selfcare._time import aware_validator, optional_aware_validator
from selfcare.model._repr import compact_repr
from selfcare.model.money import Money

__all__ = [
    "AUTOPAY_SCHEDULE",
    "CARD_PIN_LENGTH",
    "MAX_PAYMENT",
    "AutopayRule",
    "Payment",
    "PaymentMethod",
    "PaymentMethodKind",
    "PaymentStatus",
    "check_autopay_schedule",
    "check_card_pin",
    "check_payment_amount",
    "max_payment",
]

CARD_PIN_LENGTH: Final = 14
"""Digits in the PIN under a payment card's scratch strip."""

MAX_PAYMENT: Final = {"RUB": Decimal(100_000), "KZT": Decimal(1_000_000)}
"""The largest single payment per currency; other currencies allow 100 000 units."""

AUTOPAY_SCHEDULE: Final = "FREQ=DAILY;BYHOUR=9"
"""When an autopay rule looks at the balance unless told otherwise: every day at 09:00 in the
account's time zone."""

_DEFAULT_MAX: Final = Decimal(100_000)
_CARD_TOKEN: Final = re.compile(r"[A-Za-z0-9_-]{8,64}")
_WALLET_ID: Final = re.compile(r"[A-Za-z0-9_.-]{3,64}")
_SHOWN_TOKEN_CHARS: Final = 4


class PaymentMethodKind(enum.StrEnum):
    """Where a payment's money comes from."""

    CARD = "card"
    """A bank card, referred to by the token a payment processor issued for it."""
    WALLET = "wallet"
    """An electronic wallet, by its id."""
    VOUCHER = "voucher"
    """A prepaid payment card (scratch card), activated by its PIN."""


def _reference_validator(instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, Secret):
        raise ValidationError(
            f"a payment method's reference must be a Secret, not {type(value).__name__}",
            field="method",
        )


@attrs.frozen(repr=False)
class PaymentMethod:
    """A source of money: ``card:<token>`` or ``wallet:<id>``.

    Build one with :meth:`card`, :meth:`wallet` or :meth:`parse`. The reference is kept as a
    :class:`~selfcare.Secret`; ``str()`` and ``repr()`` show a card as ``card:***4242`` (only
    the last four characters of the token) and a wallet by its id.
    """

    kind: PaymentMethodKind = attrs.field(validator=attrs.validators.instance_of(PaymentMethodKind))
    reference: Secret = attrs.field(validator=_reference_validator)

    @classmethod
    def card(cls, token: str | Secret) -> PaymentMethod:
        """A bank card by its processor token (8–64 letters, digits, ``_`` or ``-``)."""
        if not isinstance(token, str | Secret):
            raise ValidationError(
                f"card token must be a str or Secret, not a {type(token).__name__}",
                field="method",
            )
        secret = Secret(token)
        if not _CARD_TOKEN.fullmatch(secret.reveal()):
            raise ValidationError(
                f"card token {secret.masked(_SHOWN_TOKEN_CHARS)} must be 8–64 letters, digits, "
                "'_' or '-'",
                field="method",
            )
        return cls(PaymentMethodKind.CARD, secret)

    @classmethod
    def wallet(cls, wallet_id: str) -> PaymentMethod:
        """An electronic wallet by its id (3–64 letters, digits, ``.``, ``_`` or ``-``)."""
        if not isinstance(wallet_id, str) or not _WALLET_ID.fullmatch(wallet_id):
            raise ValidationError(
                f"wallet id {wallet_id!r} must be 3–64 letters, digits, '.', '_' or '-'",
                field="method",
            )
        return cls(PaymentMethodKind.WALLET, Secret(wallet_id))

    @classmethod
    def parse(cls, value: str | Secret | PaymentMethod) -> PaymentMethod:
        """``"card:<token>"`` or ``"wallet:<id>"`` (a method is returned as it is)."""
        if isinstance(value, PaymentMethod):
            return value
        text = value.reveal() if isinstance(value, Secret) else value
        if not isinstance(text, str):
            raise ValidationError(
                f"method must be 'card:<token>', 'wallet:<id>' or a PaymentMethod, "
                f"not a {type(value).__name__}",
                field="method",
            )
        kind, sep, reference = text.partition(":")
        if sep and kind == PaymentMethodKind.CARD:
            return cls.card(reference)
        if sep and kind == PaymentMethodKind.WALLET:
            return cls.wallet(reference)
        shown = f"{kind}:***" if sep else "***"
        raise ValidationError(
            f"method {shown} is not 'card:<token>' or 'wallet:<id>'", field="method"
        )

    def __str__(self) -> str:
        if self.kind is PaymentMethodKind.WALLET:
            return f"wallet:{self.reference.reveal()}"
        return f"{self.kind.value}:{self.reference.masked(_SHOWN_TOKEN_CHARS)}"

    def __repr__(self) -> str:
        return f"PaymentMethod('{self}')"


def max_payment(currency: str) -> Money:
    """The largest single payment accepted in ``currency`` (see :data:`MAX_PAYMENT`)."""
    return Money(MAX_PAYMENT.get(currency, _DEFAULT_MAX), currency)


def check_payment_amount(amount: Money) -> Money:
    """``amount`` if it can be paid: positive, in minor units, at most :func:`max_payment`."""
    if amount.amount <= 0:
        raise InvalidMoney(f"amount {amount} must be positive", field="amount")
    if amount.rounded().amount != amount.amount:
        raise InvalidMoney(
            f"amount {amount.amount} {amount.currency} has more than {amount.minor_units} decimals",
            field="amount",
        )
    ceiling = max_payment(amount.currency)
    if amount > ceiling:
        raise InvalidMoney(
            f"amount {amount} is more than the {ceiling} a single payment may be",
            field="amount",
        )
    return amount


def check_card_pin(pin: Secret) -> Secret:
    """``pin`` if it looks like a payment card PIN: exactly :data:`CARD_PIN_LENGTH` digits.

    The message says what is wrong with the PIN without repeating any of it.
    """
    value = pin.reveal()
    if not (value.isascii() and value.isdigit()):
        raise ValidationError(
            f"pin *** must be digits only ({CARD_PIN_LENGTH} of them)", field="pin"
        )
    if len(value) != CARD_PIN_LENGTH:
        raise ValidationError(
            f"pin *** has {len(value)} digits; a payment card PIN has {CARD_PIN_LENGTH}",
            field="pin",
        )
    return pin


class PaymentStatus(enum.StrEnum):
    """How a payment ended."""

    SUCCEEDED = "succeeded"
    DECLINED = "declined"


@attrs.frozen(repr=False)
class Payment:
    """One payment from the history: when, how much, from where, and which bills it paid.

    ``method`` is already masked: ``card:***4242``, ``wallet:ym-1``, or ``voucher:<serial>``
    for a payment card (its printed serial number, never its PIN).
    ``bills`` are the ids of the bills the money went to, oldest first; a payment larger than
    what is owed leaves the rest on the balance. ``expense_id`` is the ``top_up`` entry the
    payment made in the detailed bill (``None`` when it was declined).
    """

    __repr__ = compact_repr

    id: str
    at: datetime = attrs.field(validator=aware_validator)
    amount: Money
    method: str
    status: PaymentStatus
    bills: tuple[str, ...] = ()
    expense_id: str | None = None

    @property
    def succeeded(self) -> bool:
        """The money reached the account."""
        return self.status is PaymentStatus.SUCCEEDED


_RRULE_PREFIX: Final = "RRULE:"
_TOO_OFTEN: Final = ("SECONDLY", "MINUTELY")
_NOT_IN_SCHEDULE: Final = ("DTSTART", "COUNT", "UNTIL")
# Naive on purpose: a schedule is wall-clock times, read in the account's zone when used.
_SAMPLE_START: Final = datetime(2026, 1, 1)
_LAST_YEARS: Final = datetime(9996, 1, 1)


def check_autopay_schedule(schedule: str) -> str:
    """``schedule`` if it is an RFC 5545 recurrence rule autopay can check on.

    It is the rule's value, such as ``"FREQ=DAILY;BYHOUR=9"`` or
    ``"FREQ=WEEKLY;BYDAY=MO;BYHOUR=8;BYMINUTE=30"`` (an ``RRULE:`` prefix is allowed and
    dropped). It must parse with :mod:`dateutil.rrule`, recur no more often than hourly (no
    ``SECONDLY``/``MINUTELY``, at most one ``BYMINUTE`` and one ``BYSECOND``), and run until
    autopay is turned off (no ``COUNT``, ``UNTIL`` or ``DTSTART``). Parts it leaves out are
    taken from midnight of the day the rule is set: ``FREQ=DAILY`` checks at 00:00,
    ``FREQ=MONTHLY`` on that day of the month. The returned text is upper-cased and trimmed.
    """
    if not isinstance(schedule, str):
        raise ValidationError(
            f"schedule must be an RRULE string such as {AUTOPAY_SCHEDULE!r}, "
            f"not a {type(schedule).__name__}",
            field="schedule",
        )
    text = schedule.strip().upper()
    if text.startswith(_RRULE_PREFIX):
        text = text[len(_RRULE_PREFIX) :]
    if any(char in text for char in ":\n\r"):
        raise ValidationError(
            f"schedule {schedule!r} must be one RRULE's value, such as {AUTOPAY_SCHEDULE!r}",
            field="schedule",
        )
    parts = dict(part.partition("=")[::2] for part in text.split(";") if part)
    for name in _NOT_IN_SCHEDULE:
        if name in parts:
            raise ValidationError(
                f"schedule {schedule!r} has {name}: autopay runs from when it is set until it "
                "is turned off",
                field="schedule",
            )
    from dateutil import rrule  # loaded by the first schedule checked, not with selfcare

    try:
        rrule.rrulestr(text, dtstart=_SAMPLE_START)
    except (ValueError, TypeError) as exc:
        raise ValidationError(
            f"schedule {schedule!r} is not an RFC 5545 RRULE (such as {AUTOPAY_SCHEDULE!r}): {exc}",
            field="schedule",
        ) from None
    # With one minute and one second, two occurrences are whole hours apart.
    if parts.get("FREQ") in _TOO_OFTEN or any(
        "," in parts.get(name, "") for name in ("BYMINUTE", "BYSECOND")
    ):
        raise ValidationError(
            f"schedule {schedule!r} recurs more often than hourly; autopay checks the balance "
            "at most once an hour",
            field="schedule",
        )
    # Does it ever occur? Looked for in the last years dateutil reaches, so a rule that never
    # does (February 31st) is refused in milliseconds rather than after 8000 years of search;
    # INTERVAL is left out, since whether an interval lands on the rule's days depends on
    # the day the rule is set.
    days_only = ";".join(f"{k}={v}" for k, v in parts.items() if k != "INTERVAL")
    if next(iter(rrule.rrulestr(days_only, dtstart=_LAST_YEARS)), None) is None:
        raise ValidationError(f"schedule {schedule!r} never occurs", field="schedule")
    return text


@attrs.frozen(repr=False)
class AutopayRule:
    """Top the account up by ``amount`` from ``method`` whenever, at one of the ``schedule``'s
    occurrences, the balance is below ``threshold``.

    ``schedule`` is an RFC 5545 recurrence rule (see :func:`check_autopay_schedule`) read in the
    account's time zone. ``method`` is already masked, as in :class:`Payment`
    (``card:***4242``, ``wallet:ym-1``). ``last_topup_at`` is when the rule last put money on
    the account (``None`` until it has); each top-up it makes is an ordinary
    :class:`Payment` in the history, and a ``pay`` entry with channel ``autopay`` in the
    operation log.
    """

    __repr__ = compact_repr

    threshold: Money
    amount: Money
    method: str
    schedule: str
    created_at: datetime = attrs.field(validator=aware_validator)
    last_topup_at: datetime | None = attrs.field(default=None, validator=optional_aware_validator)


__getattr__ = renamed_attributes(globals(), {"check_schedule": "check_autopay_schedule"})
